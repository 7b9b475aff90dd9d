"""The REST quota: 50 calls per account in any 24 hours, kept across restarts.

We count every request we send (even one that failed: BMW may have counted it)
in a rolling window. When BMW still answers ``CU-429`` (another client on the
same account spent calls, or BMW counts differently), we stop until the next
midnight UTC, which is what BMW's users observed as the reset; should that be
wrong, the next refusal blocks until the following midnight, by which time any
24-hour window has passed too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..exceptions import VehicleRateLimitError
from .const import DAILY_CALL_LIMIT, QUOTA_WINDOW


def next_utc_midnight(now: datetime) -> datetime:
    """Return the next 00:00 UTC after now."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=1)


@dataclass(slots=True)
class QuotaBudget:
    """Calls spent in the rolling window, and a block after BMW's CU-429."""

    limit: int = DAILY_CALL_LIMIT
    window: timedelta = QUOTA_WINDOW
    calls: list[datetime] = field(default_factory=list)
    blocked_until: datetime | None = None

    def _prune(self, now: datetime) -> None:
        start = now - self.window
        self.calls = [call for call in self.calls if call > start]

    def used(self, now: datetime) -> int:
        """Return the calls spent in the window ending now."""
        self._prune(now)
        return len(self.calls)

    def blocked(self, now: datetime) -> bool:
        """Return whether BMW told us to stop and the block still holds."""
        return self.blocked_until is not None and now < self.blocked_until

    def remaining(self, now: datetime) -> int:
        """Return how many calls may still be made now."""
        if self.blocked(now):
            return 0
        return max(self.limit - self.used(now), 0)

    def next_call_at(self, now: datetime) -> datetime:
        """Return when the next call is allowed (now if one is left)."""
        if self.blocked(now):
            assert self.blocked_until is not None  # noqa: S101 - blocked() checked it
            return self.blocked_until
        if self.used(now) < self.limit:
            return now
        return self.calls[len(self.calls) - self.limit] + self.window

    def spend(self, now: datetime) -> None:
        """Record one call, or raise `VehicleRateLimitError` when none is left."""
        if self.remaining(now) <= 0:
            retry_after = (self.next_call_at(now) - now).total_seconds()
            msg = "CarData daily API quota used up"
            raise VehicleRateLimitError(msg, max(retry_after, 0.0))
        self.calls.append(now)

    def block(self, now: datetime) -> datetime:
        """Stop after a CU-429 until the next midnight UTC; return that time."""
        self.blocked_until = next_utc_midnight(now)
        return self.blocked_until

    def unblock_if_due(self, now: datetime) -> bool:
        """Forget an expired block; return whether one just ended."""
        if self.blocked_until is not None and now >= self.blocked_until:
            self.blocked_until = None
            return True
        return False

    def as_dict(self) -> dict[str, Any]:
        """Return the budget for storage."""
        return {
            "calls": [call.isoformat() for call in self.calls],
            "blocked_until": self.blocked_until and self.blocked_until.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> QuotaBudget:
        """Rebuild a stored budget; anything unreadable counts as no data."""
        budget = cls()
        if not data:
            return budget
        calls = data.get("calls")
        if isinstance(calls, list):
            budget.calls = sorted(
                parsed for item in calls if (parsed := _aware(item)) is not None
            )
        budget.blocked_until = _aware(data.get("blocked_until"))
        return budget


def _aware(value: object) -> datetime | None:
    """Return value parsed as a timezone-aware ISO time, or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
