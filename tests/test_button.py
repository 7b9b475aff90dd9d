"""Buttons: lights, horn and refresh."""

from __future__ import annotations

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.connected_car.vehicle import signals
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock

from .common import async_call_and_advance


async def test_flash_and_horn_reach_the_car(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """Each press is delivered to the car once."""
    car = next(iter(simulated_backend.cars.values()))
    for entity_id in (
        "button.simulated_car_flash_lights",
        "button.simulated_car_sound_horn",
    ):
        await async_call_and_advance(
            hass,
            manual_clock,
            BUTTON_DOMAIN,
            SERVICE_PRESS,
            {ATTR_ENTITY_ID: entity_id},
        )
    assert (car.flash_count, car.horn_count) == (1, 1)


async def test_refresh_fetches_now(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
) -> None:
    """Refresh reads the car's state even without a push; failure is reported."""
    car = next(iter(simulated_backend.cars.values()))
    car.asleep = False
    car.open[signals.HOOD_OPEN.key] = True  # changed without a physics tick
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: "button.simulated_car_refresh_data"},
        blocking=True,
    )
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    assert coordinator.data.value(signals.HOOD_OPEN) is True

    simulated_backend.faults.unreachable = True
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            BUTTON_DOMAIN,
            SERVICE_PRESS,
            {ATTR_ENTITY_ID: "button.simulated_car_refresh_data"},
            blocking=True,
        )
    assert err.value.translation_key == "refresh_failed"
