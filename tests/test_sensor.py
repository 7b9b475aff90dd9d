"""Sensors: values, units, and which cars have which."""

from __future__ import annotations

from datetime import datetime

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.connected_car.sensor import FRESHNESS_STEP
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock

from .common import THREE_CARS, async_advance


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


LAST_UPDATE = "sensor.simulated_car_last_update_from_car"


async def test_last_update_does_not_flood_the_activity_log(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """While the car reports, the time moves at most every 10 minutes.

    Once the car is quiet, it shows the exact time of the last report.
    """
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    first = coordinator.data.last_updated
    assert first is not None
    assert hass.states.get(LAST_UPDATE).state == first.isoformat()
    written: list[str] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] == LAST_UPDATE and event.data["new_state"]:
            written.append(event.data["new_state"].state)

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    # The plug-in hybrid charges: it reports every few simulated seconds.
    for _ in range(30):
        await async_advance(hass, manual_clock, 10)
    latest = coordinator.data.last_updated
    assert latest is not None
    assert latest > first
    assert written == []

    # Quiet for ten minutes (Home Assistant's time): the exact time shows.
    freezer.tick(FRESHNESS_STEP)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert written == [latest.isoformat()]

    # Twelve more minutes of reports: one new time, ten minutes on.
    for _ in range(72):
        await async_advance(hass, manual_clock, 10)
    assert len(written) == 2
    shown = datetime.fromisoformat(written[1])
    assert shown - latest >= FRESHNESS_STEP
    assert coordinator.data.last_updated > shown


async def test_last_update_follows_availability(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Losing the car shows at once, like every other entity."""
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    simulated_backend.faults.unreachable = True
    simulated_backend.drop_streams()
    await hass.async_block_till_done()
    for _ in range(3):
        freezer.tick(coordinator.poll_interval)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert hass.states.get(LAST_UPDATE).state == "unavailable"
