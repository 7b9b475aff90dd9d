"""A car whose API only reads (like BMW CarData): no control is faked."""

from __future__ import annotations

from functools import partial
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.vehicle.simulator import SimulationSettings


@pytest.fixture
async def read_only_entry(setup_integration) -> MockConfigEntry:
    """A simulation of a car that reports everything but takes no command."""
    with patch.object(
        ADAPTERS["simulated"],
        "settings_factory",
        partial(SimulationSettings, read_only=True),
    ):
        return await setup_integration()


async def test_no_lock_heater_or_command_buttons(
    hass: HomeAssistant, read_only_entry: MockConfigEntry
) -> None:
    """Only what the car can do appears; the lock state is a binary sensor."""
    assert hass.states.get("lock.simulated_car") is None
    assert hass.states.get("climate.simulated_car_heater") is None
    assert hass.states.get("button.simulated_car_flash_lights") is None
    assert hass.states.get("button.simulated_car_sound_horn") is None
    assert hass.states.get("button.simulated_car_refresh_data") is not None
    lock_state = hass.states.get("binary_sensor.simulated_car_lock")
    assert lock_state.state == "off"  # device class lock: off means locked
    assert lock_state.attributes["device_class"] == "lock"
