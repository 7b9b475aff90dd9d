"""Clocks for the vehicle layer: real time, optionally sped up (simulation).

Tests drive their own manual clock (tests/clock.py) through the same protocol.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import time
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Tells the vehicle layer what time it is and lets it wait."""

    def now(self) -> datetime:
        """Return the current time (timezone-aware, UTC)."""

    async def sleep(self, seconds: float) -> None:
        """Wait for seconds of this clock's time."""


class RealClock:
    """Wall-clock time, running `time_scale` times faster than real time."""

    def __init__(self, time_scale: float = 1.0) -> None:
        """Anchor simulated time to now."""
        if time_scale <= 0:
            msg = "time_scale must be positive"
            raise ValueError(msg)
        self.time_scale = time_scale
        self._origin = datetime.now(UTC)
        self._origin_monotonic = time.monotonic()

    def now(self) -> datetime:
        """Return the origin plus scaled elapsed monotonic time."""
        elapsed = (time.monotonic() - self._origin_monotonic) * self.time_scale
        return self._origin + timedelta(seconds=elapsed)

    async def sleep(self, seconds: float) -> None:
        """Sleep the real equivalent of seconds of simulated time."""
        await asyncio.sleep(seconds / self.time_scale)
