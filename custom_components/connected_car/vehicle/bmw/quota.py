"""The REST quota: 50 calls per account in any 24 hours, kept across restarts.

We count every request we send (even one that failed: BMW may have counted it)
in a rolling window. When BMW still answers ``CU-429`` (another client on the
same account spent calls, or BMW counts differently), we stop until the next
midnight UTC, which is what BMW's users observed as the reset. Should BMW still
refuse then (its window may be rolling), we try again every `RETRY_AFTER_STRIKE`
until a call succeeds: at most a few refused calls a day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..exceptions import VehicleRateLimitError
from ..utc_time import next_utc_midnight, parse_aware_time
from .const import DAILY_CALL_LIMIT, QUOTA_WINDOW

RETRY_AFTER_STRIKE = timedelta(hours=2)


@dataclass(slots=True)
class QuotaBudget:
    """Calls spent in the rolling window, and a block after BMW's CU-429."""

    limit: int = DAILY_CALL_LIMIT
    window: timedelta = QUOTA_WINDOW
    calls: list[datetime] = field(default_factory=list)
    blocked_until: datetime | None = None
    strikes: int = 0
    """CU-429 answers since the last successful call."""

    @property
    def exhausted_at_bmw(self) -> bool:
        """Return whether BMW refused for quota and no call has succeeded since."""
        return self.strikes > 0

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
        """Stop after a CU-429; return until when.

        The first refusal blocks until the next midnight UTC, later ones (the
        reset was not at midnight) for `RETRY_AFTER_STRIKE`.
        """
        self.strikes += 1
        self.blocked_until = (
            next_utc_midnight(now) if self.strikes == 1 else now + RETRY_AFTER_STRIKE
        )
        return self.blocked_until

    def pause(self, now: datetime, wait: timedelta) -> datetime:
        """Stop for wait after a short-term rate limit (HTTP 429); return until when.

        Unlike `block`, this is no sign that the daily quota is used up.
        """
        until = now + wait
        if self.blocked_until is None or self.blocked_until < until:
            self.blocked_until = until
        return self.blocked_until

    def succeeded(self) -> bool:
        """Note a successful call; return whether that ended a quota block."""
        ended = self.strikes > 0
        self.strikes = 0
        return ended

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
            "strikes": self.strikes,
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
                parsed
                for item in calls
                if (parsed := parse_aware_time(item)) is not None
            )
        budget.blocked_until = parse_aware_time(data.get("blocked_until"))
        strikes = data.get("strikes")
        budget.strikes = strikes if isinstance(strikes, int) and strikes > 0 else 0
        return budget
