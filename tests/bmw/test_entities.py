"""A BMW owner's view: entities at once, live values, no fake controls."""

from __future__ import annotations

from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.sensor import FRESHNESS_STEP
from custom_components.connected_car.vehicle import Command, CommandKind, signals
from tests.cardata.encoder import LONGITUDE_DELAY
from tests.cardata.fixtures import HOME, eventually
from tests.simulation import set_open, set_plugged_in

from .conftest import settle

CAR = "i4"


async def test_entities_exist_before_the_car_ever_sent_anything(
    hass: HomeAssistant,
    setup_bmw,
    local_cardata,
    account,
    entity_registry: er.EntityRegistry,
) -> None:
    """A car that never drove since CarData was enabled: every entity is there."""
    account.silent_car = True
    entry = await setup_bmw()
    entities = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    vehicle_entities = [
        e
        for e in entities
        if e.entity_id.startswith(
            ("sensor.bmw_i4", "binary_sensor.bmw_i4", "device_tracker.bmw_i4")
        )
    ]
    assert len(vehicle_entities) == 29
    for entity in vehicle_entities:
        state = hass.states.get(entity.entity_id)
        if entity.disabled_by is None:
            assert state.state in (STATE_UNKNOWN, "unknown"), entity.entity_id
    assert hass.states.get("binary_sensor.bmw_i4_m50_lock").state == STATE_UNKNOWN


async def test_entities_exist_before_the_first_stream_message(
    hass: HomeAssistant,
    bmw_loaded: MockConfigEntry,
    local_cardata,
    account,
    entity_registry: er.EntityRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """From basic data and the catalogue; values from the setup snapshot."""
    vin = next(iter(account.cars))
    device = device_registry.async_get_device(identifiers={(DOMAIN, vin)})
    assert device.name == "BMW i4 M50"
    assert device.manufacturer == "BMW"
    entities = {
        entry.entity_id
        for entry in er.async_entries_for_device(entity_registry, device.id)
    }
    for expected in (
        "binary_sensor.bmw_i4_m50_lock",
        "binary_sensor.bmw_i4_m50_front_left_door",
        "binary_sensor.bmw_i4_m50_rear_right_window",
        "binary_sensor.bmw_i4_m50_sunroof",
        "binary_sensor.bmw_i4_m50_trunk",
        "binary_sensor.bmw_i4_m50_charging",
        "binary_sensor.bmw_i4_m50_charging_cable",
        "sensor.bmw_i4_m50_battery_level",
        "sensor.bmw_i4_m50_remaining_range",
        "sensor.bmw_i4_m50_odometer",
        "sensor.bmw_i4_m50_front_left_tire_pressure",
        "sensor.bmw_i4_m50_preconditioning",
        "device_tracker.bmw_i4_m50_location",
        "button.bmw_i4_m50_refresh_data",
    ):
        assert expected in entities, expected
    # CarData is read-only: nothing pretends to lock, heat, flash or honk.
    domains = {entity_id.split(".")[0] for entity_id in entities}
    assert "lock" not in domains
    assert "climate" not in domains
    assert not any("flash" in e or "horn" in e for e in entities)
    # No fuel on an electric car, no temperatures (not in the catalogue).
    assert "sensor.bmw_i4_m50_fuel_level" not in entities
    assert "sensor.bmw_i4_m50_outside_temperature" not in entities
    # The setup snapshot (REST) gave the lock status, which BMW does not stream.
    lock = hass.states.get("binary_sensor.bmw_i4_m50_lock")
    assert lock.state == "off"  # device class lock: off = locked
    assert lock.attributes["device_class"] == "lock"
    assert hass.states.get("sensor.bmw_i4_m50_battery_level").state == "65.0"
    assert hass.states.get("sensor.bmw_i4_m50_preconditioning").state == "off"
    # The account device: calls left and the stream.
    assert hass.states.get("sensor.bmw_cardata_api_calls_left").state == "45"
    assert hass.states.get("binary_sensor.bmw_cardata_live_stream").state == "on"


async def test_stream_updates_states(
    hass: HomeAssistant, bmw_loaded, local_cardata, account, manual_clock
) -> None:
    car = next(iter(account.cars.values()))
    car.advance_to(manual_clock.now())
    set_open(car, signals.DOOR_FRONT_LEFT_OPEN, True)
    set_open(car, signals.WINDOW_REAR_RIGHT_OPEN, True)
    set_plugged_in(car, False)
    car.execute(Command(CommandKind.START_CLIMATE))  # started in the MyBMW app
    await manual_clock.advance(10)
    await local_cardata.publish_changes(account)
    door = "binary_sensor.bmw_i4_m50_front_left_door"
    await eventually(lambda: hass.states.get(door).state == "on")
    await settle(hass)
    assert hass.states.get("binary_sensor.bmw_i4_m50_rear_right_window").state == "on"
    assert hass.states.get("binary_sensor.bmw_i4_m50_charging_cable").state == "off"
    assert hass.states.get("sensor.bmw_i4_m50_preconditioning").state == "heating"
    opened = hass.states.get("binary_sensor.bmw_i4_m50_anything_open")
    assert opened.attributes["open"] == [
        "door_front_left_open",
        "window_rear_right_open",
    ]
    # The car drives off: position from separate latitude/longitude messages.
    set_open(car, signals.DOOR_FRONT_LEFT_OPEN, False)
    car.start_trip()
    await manual_clock.advance(600)
    await local_cardata.publish_changes(account)
    tracker = "device_tracker.bmw_i4_m50_location"
    assert hass.states.get(tracker).attributes["latitude"] == HOME[0]
    await eventually(lambda: hass.states.get(tracker).attributes["latitude"] != HOME[0])
    await settle(hass)
    position = car.reported_state().value(signals.LOCATION)
    state = hass.states.get(tracker)
    assert (state.attributes["latitude"], state.attributes["longitude"]) == (
        position.latitude,
        position.longitude,
    )
    # The car's own time of its newest value (the longitude, sent 3 s later),
    # once the car is quiet: "Last update from car" moves on in steps.
    async_fire_time_changed(hass, dt_util.utcnow() + FRESHNESS_STEP)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.bmw_i4_m50_last_update_from_car").state == (
        (manual_clock.now() + LONGITUDE_DELAY).isoformat()
    )
