"""Whole-car scenarios across platforms, driven by the simulated car."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)
import yaml

from custom_components.connected_car.vehicle import signals
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock
from tests.simulation import set_open, set_plugged_in

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
    set_plugged_in(car, False)
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


async def test_readme_left_open_automation(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The README's "left open" automation notifies with what is open."""
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    snippet = next(
        block.split("```")[0]
        for block in readme.split("```yaml\n")[1:]
        if "anything_open" in block.split("```")[0]
    )
    notifications = async_mock_service(hass, "notify", "notify")
    assert await async_setup_component(
        hass,
        "automation",
        {"automation": {"alias": "left open", **yaml.safe_load(snippet)}},
    )
    car = next(iter(simulated_backend.cars.values()))
    set_open(car, signals.WINDOW_FRONT_RIGHT_OPEN, True)
    await async_advance(hass, manual_clock, 10)

    freezer.tick(timedelta(minutes=9))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert notifications == []
    freezer.tick(timedelta(minutes=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert [call.data["message"] for call in notifications] == [
        "The car is open: window_front_right_open"
    ]
