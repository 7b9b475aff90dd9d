"""Whole-car scenarios across platforms, driven by the simulated car."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.vehicle.simulator import (
    ManualClock,
    SimulatedBackend,
)

from .common import async_advance


async def test_driving_changes_range_and_mileage(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """A drive uses energy and adds kilometres; the car comes back home."""
    car = next(iter(simulated_backend.cars.values()))
    mileage = float(hass.states.get("sensor.simulated_car_odometer").state)
    car.set_plugged_in(False)
    car.start_trip()
    await async_advance(hass, manual_clock, 15 * 60)
    assert hass.states.get("binary_sensor.simulated_car_moving").state == "on"
    assert hass.states.get("device_tracker.simulated_car_location").state == "not_home"
    while car.moving:
        await async_advance(hass, manual_clock, 5 * 60)
    await async_advance(hass, manual_clock, 60)

    driven = float(hass.states.get("sensor.simulated_car_odometer").state) - mileage
    assert driven > 5
    assert float(hass.states.get("sensor.simulated_car_battery_level").state) < 55
    assert hass.states.get("device_tracker.simulated_car_location").state == "home"
    assert hass.states.get("binary_sensor.simulated_car_moving").state == "off"
