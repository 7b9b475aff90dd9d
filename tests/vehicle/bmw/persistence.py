"""Account data kept in memory: the CarData backend without Home Assistant's Store."""

from __future__ import annotations

from typing import Any


class MemoryPersistence:
    """Keeps the account data in memory."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        """Start from data, or empty."""
        self.data = data

    async def load(self) -> dict[str, Any] | None:
        """Return the data."""
        return self.data

    def save(self, data: dict[str, Any]) -> None:
        """Keep the data."""
        self.data = data

    async def flush(self) -> None:
        """Nothing is held back in memory."""
