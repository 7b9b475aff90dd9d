"""Background work that nothing but cancellation ends: retry delays and loops.

A long-running task (a stream, a token refresher, a planner) that meets an
error it did not expect must not end live updates for good. `SupervisedLoop`
runs such work again after a growing delay, logs each outage once and counts
what happened for diagnostics; `Backoff` gives the delays and honours an API's
Retry-After.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import logging
import traceback

from .clock import Clock
from .exceptions import VehicleRateLimitError
from .privacy import describe_error, redact


class Backoff:
    """Delays that double from `minimum` to `maximum`, or what the API asked."""

    def __init__(self, minimum: float, maximum: float) -> None:
        """Start at the shortest delay."""
        self.minimum = minimum
        self.maximum = maximum
        self._next = minimum

    def next_delay(self, error: BaseException | None = None) -> float:
        """Return the delay before the next try, and lengthen the one after.

        A rate limit with a Retry-After is waited out in full, even beyond
        `maximum` (asking again earlier would only be refused again).
        """
        delay = self._next
        self._next = min(self._next * 2, self.maximum)
        if isinstance(error, VehicleRateLimitError) and error.retry_after is not None:
            delay = max(delay, error.retry_after)
        return delay

    def reset(self) -> None:
        """Start again at the shortest delay (after a success)."""
        self._next = self.minimum


@dataclass(slots=True)
class LoopStatus:
    """What a supervised loop went through, for diagnostics and status."""

    running: bool = False
    restarts: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    """Failures by exception type."""
    last_error: str | None = None
    """Type and redacted message of the latest failure."""
    failing_since: datetime | None = None
    """Start of the current outage; None while the work runs well."""

    def as_dict(self) -> dict[str, object]:
        """Return the status as plain data."""
        return {
            "running": self.running,
            "restarts": self.restarts,
            "failures": dict(self.failures),
            "last_error": self.last_error,
            "failing_since": self.failing_since and self.failing_since.isoformat(),
        }


class SupervisedLoop:
    """Runs `work` until cancelled, restarting it after anything else ends it.

    Once `until()` is true after the work ended, the loop ends (e.g. signed
    out: only the user can fix that). Otherwise every exception, and work
    that simply returns, restarts the work after a backoff; a run that
    lasted `stable_after` starts the backoff (and the logging) afresh. Each
    outage is logged once, as a warning with a redacted traceback; repeats go
    to the debug log.
    """

    def __init__(  # noqa: PLR0913 - keyword-only tunables
        self,
        name: str,
        work: Callable[[], Awaitable[None]],
        clock: Clock,
        *,
        logger: logging.Logger,
        backoff: Backoff | None = None,
        stable_after: timedelta = timedelta(minutes=10),
        until: Callable[[], bool] | None = None,
    ) -> None:
        """Supervise work (a callable: each restart calls it again)."""
        self.name = name
        self._work = work
        self._clock = clock
        self._logger = logger
        self._backoff = backoff or Backoff(5.0, 300.0)
        self._stable_after = stable_after
        self._until = until
        self.status = LoopStatus()

    async def run(self) -> None:
        """Run and restart the work until cancelled (or `until()` holds)."""
        while True:
            started = self._clock.now()
            self.status.running = True
            error: Exception | None = None
            try:
                await self._work()
            except Exception as err:  # noqa: BLE001 - the point of supervision
                error = err
            finally:
                self.status.running = False
            if self._until is not None and self._until():
                return
            if self._clock.now() - started >= self._stable_after:
                self._backoff.reset()
                self.status.failing_since = None
            delay = self._backoff.next_delay(error)
            self._report(error, delay)
            self.status.restarts += 1
            await self._clock.sleep(delay)

    def _report(self, error: Exception | None, delay: float) -> None:
        kind = type(error).__name__ if error is not None else "ended"
        self.status.failures[kind] = self.status.failures.get(kind, 0) + 1
        self.status.last_error = "ended" if error is None else describe_error(error)
        first = self.status.failing_since is None
        if first:
            self.status.failing_since = self._clock.now()
        if error is None:
            self._logger.log(
                logging.WARNING if first else logging.DEBUG,
                "%s ended; restarting it in %.0f s",
                self.name,
                delay,
            )
            return
        if first:
            self._logger.warning(
                "%s stopped by an unexpected error; restarting it in %.0f s "
                "(further failures of this outage are logged at debug level)\n%s",
                self.name,
                delay,
                redact("".join(traceback.format_exception(error)), limit=None),
            )
            return
        self._logger.debug(
            "%s failed again (%s); restarting it in %.0f s",
            self.name,
            self.status.last_error,
            delay,
        )


async def run_supervised(loops: list[SupervisedLoop]) -> None:
    """Run loops side by side until cancelled (or each has ended for good)."""
    tasks = [asyncio.create_task(loop.run(), name=loop.name) for loop in loops]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
