"""Binary sensors: openings, the anything-open summary, charging."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.connected_car.vehicle import signals
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock
from tests.simulation import set_open, set_plugged_in

from .common import async_advance

ANYTHING_OPEN = "binary_sensor.simulated_car_anything_open"


async def test_anything_open_lists_what_is_open(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """The summary turns on with the first opening and names each one."""
    car = next(iter(simulated_backend.cars.values()))
    assert hass.states.get(ANYTHING_OPEN).state == "off"
    assert hass.states.get(ANYTHING_OPEN).attributes["open"] == []

    set_open(car, signals.WINDOW_REAR_LEFT_OPEN, True)
    set_open(car, signals.TRUNK_OPEN, True)
    await async_advance(hass, manual_clock, 10)
    state = hass.states.get(ANYTHING_OPEN)
    assert state.state == "on"
    assert state.attributes["open"] == ["window_rear_left_open", "trunk_open"]
    assert hass.states.get("binary_sensor.simulated_car_trunk").state == "on"
    assert hass.states.get("binary_sensor.simulated_car_rear_left_window").state == "on"

    set_open(car, signals.WINDOW_REAR_LEFT_OPEN, False)
    set_open(car, signals.TRUNK_OPEN, False)
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get(ANYTHING_OPEN).state == "off"


async def test_charging_stops_when_unplugged(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """Charging and the cable follow the car."""
    car = next(iter(simulated_backend.cars.values()))
    assert hass.states.get("binary_sensor.simulated_car_charging").state == "on"
    set_plugged_in(car, False)
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get("binary_sensor.simulated_car_charging").state == "off"
    assert hass.states.get("binary_sensor.simulated_car_charging_cable").state == "off"
