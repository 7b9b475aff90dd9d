"""Stored records that reach the disk a bounded time after they change.

Home Assistant's `Store.async_delay_save` moves its write further out with every
call. A record that changes more often than the delay (a car reporting while it
drives, a fleet of cars, a counter of API calls) is then written only at a clean
shutdown, and a crash loses everything since. `BoundedStore` asks its `Store`
for a delayed write only at the first change after a write; later changes ride
along with that write. So a change is on disk at most `max_delay` seconds after
it happened, however often changes come, at the cost of one write per period.

Every integration record that changes often goes through it: the last known
vehicle states, the departure plans' progress, and the backends' own account
data (counters of limited or paid calls). Its `load`/`save`/`flush` are what
the vehicle layer's persistence protocols ask for, so a backend adapter hands
it to its backend as is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.storage import Store


class BoundedStore[T: (Mapping[str, Any] | Sequence[Any])]:
    """A `Store` whose changes are written at most `max_delay` seconds later."""

    def __init__(self, store: Store[T], *, max_delay: float) -> None:
        """Write through store (private, versioned and migrated as it is made)."""
        self.store = store
        self.max_delay = max_delay
        self.writes = 0
        """Writes so far (benchmarks count them)."""
        self._data_fn: Callable[[], T] | None = None
        self._pending = False

    async def load(self) -> T | None:
        """Return what was written last (None: nothing yet)."""
        return await self.store.async_load()

    @callback
    def save(self, data: T) -> None:
        """Write data within `max_delay` (unless newer data replaces it first)."""
        self.schedule(lambda: data)

    @callback
    def schedule(self, data_fn: Callable[[], T]) -> None:
        """Note a change: data_fn() is written within `max_delay` from now.

        data_fn is called when the write happens, so it returns the record as
        it is by then. A change while a write is already due does not move
        that write (the point of this class).
        """
        self._data_fn = data_fn
        if self._pending:
            return
        self._pending = True
        self.store.async_delay_save(self._collect, self.max_delay)

    def _collect(self) -> T:
        """Return the data to write; changes from now on need another write."""
        assert self._data_fn is not None  # noqa: S101 - set before any write is due
        self._pending = False
        self.writes += 1
        return self._data_fn()

    async def flush(self) -> None:
        """Write a pending change now (unload: a reload must not read older data)."""
        if self._pending:
            await self.store.async_save(self._collect())

    async def async_remove(self) -> None:
        """Delete the stored data (its entry was removed)."""
        self._pending = False
        await self.store.async_remove()
