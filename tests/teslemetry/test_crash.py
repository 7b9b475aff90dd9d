"""Issue 14: Tesla's counted calls are on disk within a second, also at a crash.

The month's billed requests by kind (the cost sensor's basis) change with every
call; a crash must not forget calls made more than a second before it.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.connected_car.backends.base import BackendStore
from custom_components.connected_car.vehicle.tesla import CallKind
from tests.clock import ManualClock
from tests.crash import crash_and_restart

from .conftest import backend_of, press_refresh


async def test_counted_calls_survive_a_crash_a_second_after_them(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    tesla_loaded: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    backend = backend_of(tesla_loaded)
    before = Counter(backend.usage.calls)
    for _ in range(3):  # each refresh is one billed data request
        await press_refresh(hass, manual_clock)
    counted = Counter(backend.usage.calls)
    assert counted[CallKind.DATA] >= before[CallKind.DATA] + 3

    freezer.tick(timedelta(seconds=BackendStore.SAVE_DELAY))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    async with crash_and_restart(hass, hass_storage, tesla_loaded) as (_, restarted):
        restored = backend_of(restarted).usage.calls
        # Calls the restarted instance made itself come on top of the restored.
        assert all(restored[kind] >= counted[kind] for kind in CallKind)
