"""Sensors: values, units, and which cars have which."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .common import THREE_CARS


@pytest.mark.parametrize("entry_data", [THREE_CARS])
async def test_sensors_follow_capabilities(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An electric car has no fuel sensors, a combustion car no battery ones."""
    assert hass.states.get("sensor.simulated_car_1_fuel_level") is not None
    assert hass.states.get("sensor.simulated_car_1_battery_level") is not None
    assert hass.states.get("sensor.simulated_car_2_fuel_level") is None
    assert hass.states.get("sensor.simulated_car_2_battery_level") is not None
    assert hass.states.get("sensor.simulated_car_3_fuel_level") is not None
    assert hass.states.get("sensor.simulated_car_3_battery_level") is None


async def test_us_customary_units(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, setup_integration
) -> None:
    """Users with US units get miles, °F and psi without any setting."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    await setup_integration()
    state = hass.states.get("sensor.simulated_car_remaining_range")
    assert state.attributes["unit_of_measurement"] == "mi"
    assert float(state.state) == pytest.approx(534 / 1.609344, abs=0.01)
    tyre = hass.states.get("sensor.simulated_car_front_left_tire_pressure")
    assert tyre.attributes["unit_of_measurement"] == "psi"
    outside = hass.states.get("sensor.simulated_car_outside_temperature")
    assert outside.attributes["unit_of_measurement"] == "°F"


async def test_12v_voltage_is_disabled_by_default(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Rarely needed sensors start disabled; the user can enable them."""
    entry = entity_registry.async_get("sensor.simulated_car_12_v_battery_voltage")
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get("sensor.simulated_car_12_v_battery_voltage") is None
