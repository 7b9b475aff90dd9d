"""A clock that moves only when a test says so (deterministic runs).

Everything of the vehicle layer that waits takes a `Clock`; tests hand it this
one instead of real time.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import heapq
import itertools

DEFAULT_MANUAL_START = datetime(2026, 1, 15, 6, 30, tzinfo=UTC)
"""A winter morning: the moment the simulation's story is written for."""


class ManualClock:
    """A clock that only moves when a test calls `advance` (deterministic runs)."""

    def __init__(self, start: datetime = DEFAULT_MANUAL_START) -> None:
        """Start at a fixed instant."""
        self._now = start
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._counter = itertools.count()

    def now(self) -> datetime:
        """Return the manual time."""
        return self._now

    async def sleep(self, seconds: float) -> None:
        """Wait until `advance` moves time at least seconds ahead."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        deadline = self._now + timedelta(seconds=seconds)
        heapq.heappush(self._sleepers, (deadline, next(self._counter), future))
        await future

    async def advance(self, seconds: float) -> None:
        """Move time forward, waking each sleeper at its own deadline in order."""
        target = self._now + timedelta(seconds=seconds)
        await _let_tasks_run()
        while self._sleepers and self._sleepers[0][0] <= target:
            deadline, _, future = heapq.heappop(self._sleepers)
            self._now = max(self._now, deadline)
            if not future.done():
                future.set_result(None)
                await _let_tasks_run()
        self._now = target
        await _let_tasks_run()


async def _let_tasks_run() -> None:
    """Yield to the event loop so woken tasks run up to their next wait."""
    for _ in range(20):
        await asyncio.sleep(0)
