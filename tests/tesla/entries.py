"""Home Assistant's Tesla entries in tests: their backend, service calls on the test clock."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.vehicle.tesla import TeslaBackend
from tests.clock import ManualClock
from tests.common import async_wait_while_time_passes


def backend_of(entry: MockConfigEntry) -> TeslaBackend:
    """Return the entry's Tesla backend."""
    backend = entry.runtime_data.backend
    assert isinstance(backend, TeslaBackend)
    return backend


async def call(
    hass: HomeAssistant,
    clock: ManualClock,
    domain: str,
    service: str,
    data: dict[str, Any],
) -> None:
    """Call a service while the car's clock runs (waking takes 10-30 s of it)."""
    await async_wait_while_time_passes(
        clock, hass.services.async_call(domain, service, data, blocking=True)
    )
    await hass.async_block_till_done()
