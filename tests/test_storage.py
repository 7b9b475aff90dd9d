"""Issue 14: every often-changing record is on disk within a bounded time.

`BoundedStore` (storage.py) is what the vehicle states, the departure runs and
the backends' account data (BMW CarData's quota counters and REST plan) are
written through. Changes arriving faster than the bound must not postpone the
write, as Home Assistant's `Store.async_delay_save` alone does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.connected_car.backends.bmw_cardata import (
    CarDataStore,
)
from custom_components.connected_car.storage import BoundedStore


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float):
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


@pytest.mark.parametrize(("max_delay", "every"), [(30.0, 1.0), (1.0, 0.25)])
async def test_changes_faster_than_the_bound_do_not_postpone_the_write(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    max_delay: float,
    every: float,
) -> None:
    store = BoundedStore(Store(hass, 1, "connected_car.test"), max_delay=max_delay)
    counter = 0
    written_at: list[float] = []
    elapsed = 0.0
    duration = 20 * max_delay
    while elapsed < duration:
        counter += 1
        store.save({"counter": counter})
        await _tick(hass, freezer, every)
        elapsed += every
        on_disk = hass_storage.get("connected_car.test", {}).get("data")
        if on_disk and (not written_at or on_disk["counter"] != written_at[-1]):
            written_at.append(on_disk["counter"])
        # Never more than the bound behind (in changes: one per `every`).
        behind = counter - (on_disk["counter"] if on_disk else 0)
        assert behind * every <= max_delay + every
    # About one write per period (the test clock's timer granularity lets a
    # write come up to one step early), never one per change.
    assert duration / max_delay - 1 <= store.writes <= counter / 2
    await store.flush()
    assert hass_storage["connected_car.test"]["data"] == {"counter": counter}


async def test_the_cardata_account_record_is_bounded_to_a_second(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """The quota counters: a burst of calls is on disk a second after the first."""
    store = CarDataStore(hass, "00000000-0000-4000-8000-000000000001")
    calls: list[str] = []
    for second in range(4):
        calls.append(f"2026-01-15T06:30:0{second}+00:00")
        store.save({"budget": {"calls": list(calls)}})
        await _tick(hass, freezer, CarDataStore.SAVE_DELAY / 2)
    written = next(
        value["data"]
        for key, value in hass_storage.items()
        if key.startswith("connected_car.bmw_cardata.")
    )
    assert len(written["budget"]["calls"]) >= 2  # not postponed by the burst
