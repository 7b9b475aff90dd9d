"""Edge cases of the car <-> home loop: unknown values, odd names, odd restores."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import json
import logging
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, intent
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
    mock_restore_cache_with_extra_data,
)
import voluptuous as vol

from custom_components.connected_car.car_home.voice.intents import (
    INTENT_CAR_PRECONDITION,
    INTENT_CAR_STATUS,
)
from custom_components.connected_car.car_home.voice.phrases import Phrases
from custom_components.connected_car.car_home.voice.sentences import DATA_VOICE
from custom_components.connected_car.device_trigger import async_get_triggers
from custom_components.connected_car.vehicle import Reading, VehicleState, signals
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock
from tests.simulation import set_open, set_plugged_in

from .common import async_advance, async_call_and_advance
from .conftest import DOMAIN, INTEGRATION_DIR

LOCK = "lock.simulated_car"


@pytest.fixture
async def assist(hass: HomeAssistant) -> None:
    """The conversation integration (and with it `intent`)."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})


async def ask(
    hass: HomeAssistant,
    topic: str | None = None,
    name: str | None = None,
    language: str = "en",
) -> str:
    slots: dict[str, Any] = {}
    if topic is not None:
        slots["topic"] = {"value": topic}
    if name is not None:
        slots["name"] = {"value": name}
    response = await intent.async_handle(
        hass, "test", INTENT_CAR_STATUS, slots, language=language
    )
    return response.speech["plain"]["speech"]


async def test_nothing_reported_yet(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """A car that has not reported a value says so, per question."""
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    coordinator.async_set_updated_data(VehicleState())
    assert await ask(hass, "range") == "Simulated car has not reported its range yet."
    assert await ask(hass, "fuel") == (
        "Simulated car has not reported its fuel level yet."
    )
    assert await ask(hass, "charge") == (
        "Simulated car has not reported its battery level yet."
    )
    assert await ask(hass, "openings") == (
        "Simulated car has not reported its doors and windows yet."
    )
    assert await ask(hass, "location") == (
        "Simulated car has not reported where it is yet."
    )
    for topic, key in (
        ("charging", "charging_unknown"),
        ("mileage", "mileage_unknown"),
        ("tire_pressure", "tyres_unknown"),
        ("12v_battery", "lv_battery_unknown"),
        ("cabin_temperature", "cabin_temperature_unknown"),
        ("outside_temperature", "outside_temperature_unknown"),
        ("climate", "climate_unknown"),
        ("lock", "lock_unknown"),
        ("doors", "openings_unknown"),
        ("trunk", "openings_unknown"),
        ("at_home", "location_unknown"),
        ("freshness", "freshness_unknown"),
    ):
        assert await ask(hass, topic) == phrase(key), topic


def phrase(key: str, **placeholders: Any) -> str:
    """Return an English answer text about the simulated car."""
    texts = json.loads(
        (INTEGRATION_DIR / "translations" / "en.json").read_text(encoding="utf-8")
    )["common"]
    return texts[key].format(vehicle="Simulated car", **placeholders)


async def test_partly_reported_values(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """What a car (or its API) reports only partly is said as far as known."""
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    now = init_integration.runtime_data.backend.clock.now()

    def report(*values: tuple[Any, Any]) -> None:
        readings = [Reading(signal, value, now) for signal, value in values]
        coordinator.async_set_updated_data(VehicleState().merge(readings).state)

    # BMW CarData reports the car's own preconditioning state, not "on"/"off".
    report(
        (signals.PRECONDITIONING_STATE, "heating"),
        (signals.CABIN_TEMPERATURE, 18.0),
    )
    assert await ask(hass, "climate") == (
        "Preconditioning of Simulated car: heating. It is 18 degrees inside."
    )
    report((signals.CLIMATE_ACTIVE, True))
    assert await ask(hass, "climate") == "The heater of Simulated car is on."
    report((signals.LOW_VOLTAGE_BATTERY_VOLTAGE, 12.4))
    assert await ask(hass, "12v_battery") == (
        "The 12-volt battery of Simulated car has 12.4 volts."
    )
    report((signals.CHARGING, True), (signals.BATTERY_LEVEL, 50.0))
    assert await ask(hass, "charging") == (
        "Simulated car is charging. The battery is at 50 percent."
    )
    report((signals.PLUGGED_IN, False))
    assert await ask(hass, "charging") == "Simulated car is not plugged in."
    report(*((tyre, 250.0) for tyre in signals.TYRE_PRESSURES))
    assert await ask(hass, "tire_pressure") == (
        "All four tires of Simulated car are at 2.5 bar."
    )
    report((signals.RANGE, 300.0), (signals.CLIMATE_ACTIVE, True))
    assert await ask(hass, "all") == (
        "Simulated car can drive about 300 kilometers. Simulated car has not "
        "reported its fuel level yet. Simulated car has not reported its battery "
        "level yet. Simulated car has not reported its doors and windows yet. "
        "Simulated car has not reported where it is yet. The heater of Simulated "
        "car is on."
    )


def test_ages_and_durations_as_said() -> None:
    """Minutes, hours and days, one and many, in the three languages."""
    english = Phrases(
        "en",
        {
            f"component.{DOMAIN}.common.{key}": text
            for key, text in json.loads(
                (INTEGRATION_DIR / "translations" / "en.json").read_text()
            )["common"].items()
        },
    )
    assert english.ago(timedelta(seconds=30)) == "just now"
    assert english.ago(timedelta(minutes=1)) == "1 minute ago"
    assert english.ago(timedelta(minutes=75)) == "75 minutes ago"
    assert english.ago(timedelta(hours=1, minutes=40)) == "2 hours ago"
    assert english.ago(timedelta(hours=30)) == "30 hours ago"
    assert english.ago(timedelta(days=1, hours=13)) == "1 day ago"
    assert english.ago(timedelta(days=3)) == "3 days ago"
    assert english.duration(59.6) == "1 hour"
    assert english.duration(61) == "1 hour and 1 minute"
    assert english.duration(0.2) == "1 minute"
    assert english.number(23456.4, grouping=True) == "23,456"


async def test_fuel_level_without_amount(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """Only the level known: the level is said."""
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    coordinator.async_set_updated_data(
        VehicleState()
        .merge([Reading(signals.FUEL_LEVEL, 40.0, dt_util.utcnow())])
        .state
    )
    assert await ask(hass, "fuel", language="de") == (
        "Der Tank von Simulated car ist zu 40 Prozent voll."
    )


async def test_other_languages_get_english(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """A language we have no texts for is answered in English."""
    assert (await ask(hass, "location", language="fr")) == "Simulated car is at home."


def test_foreign_errors_are_said_as_they_are() -> None:
    """An error without our translation is said with its own text."""
    assert Phrases("en", {}).error(HomeAssistantError("Boom")) == "Boom"


async def test_two_cars_with_the_same_name(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    patch_clock: Any,
) -> None:
    """Two accounts with a car of the same name: the user is asked to rename."""
    second = MockConfigEntry(
        domain=DOMAIN,
        title="Simulated cars (seed 2)",
        data={"backend": "simulated", "cars": 1, "names": ["Simulated car"], "seed": 2},
        unique_id="simulated-2",
    )
    second.add_to_hass(hass)
    assert await hass.config_entries.async_setup(second.entry_id)
    await hass.async_block_till_done()
    assert await ask(hass, "location", name="the simulated car") == (
        "More than one car is called simulated car. "
        "Give them different names in Home Assistant."
    )
    assert await ask(hass, "location") == (
        "More than one car is called Simulated car. "
        "Give them different names in Home Assistant."
    )
    assert await hass.config_entries.async_unload(second.entry_id)
    assert hass.data[DATA_VOICE].names() == ["Simulated car"]
    assert await ask(hass, "location", name="Simulated car") == (
        "Simulated car is at home."
    )


async def test_other_devices_do_not_change_the_sentences(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Renaming some other integration's device leaves our car names alone."""
    other = MockConfigEntry(domain="other")
    other.add_to_hass(hass)
    device = device_registry.async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other", "x")}, name="Lamp"
    )
    device_registry.async_update_device(device.id, name_by_user="Simulated van")
    await hass.async_block_till_done()
    assert hass.data[DATA_VOICE].names() == ["Simulated car"]
    assert await async_get_triggers(hass, device.id) == []
    assert await async_get_triggers(hass, "no-such-device") == []


async def test_without_conversation_there_is_no_voice(
    hass: HomeAssistant, setup_integration: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """No conversation integration at setup: the entry loads, voice comes later."""
    with (
        caplog.at_level(logging.DEBUG),
        patch(
            "custom_components.connected_car.car_home.voice.sentences.async_validate_trigger_config",
            side_effect=vol.Invalid("no conversation"),
        ),
    ):
        await setup_integration()
    assert not hass.data[DATA_VOICE].attached
    assert "Voice sentences not available" in caplog.text

    # Once the conversation integration is set up, the sentences attach.
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()
    assert hass.data[DATA_VOICE].attached


async def test_precondition_without_known_target_uses_the_middle(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """No target reported yet: the middle of the car's range."""
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    coordinator.async_set_updated_data(VehicleState())
    task = asyncio.ensure_future(
        intent.async_handle(hass, "test", INTENT_CAR_PRECONDITION, {})
    )
    await manual_clock.advance(10)
    response = await task
    assert response.speech["plain"]["speech"] == (
        "Simulated car is warming up to 22 degrees."
    )
    assert next(iter(simulated_backend.cars.values())).climate_target == 22


async def test_late_failure_of_a_pending_warm_up_is_logged(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The speaker heard "not confirmed yet"; the refusal that follows is logged."""
    car = next(iter(simulated_backend.cars.values()))
    set_plugged_in(car, False)
    car.battery = 5.0
    car.fuel = 1.0
    with patch(
        "custom_components.connected_car.car_home.voice.actions.COMMAND_ANSWER_WAIT",
        0.01,
    ):
        response = await intent.async_handle(hass, "test", INTENT_CAR_PRECONDITION, {})
    assert response.speech["plain"]["speech"] == (
        "I asked Simulated car to warm up, but it has not confirmed yet."
    )
    await async_advance(hass, manual_clock, 10)
    assert "A request made by voice failed" in caplog.text


# ---------------------------------------------------------------------------
# Departure plan and device triggers
# ---------------------------------------------------------------------------


async def test_garbled_restore_data_is_ignored(
    hass: HomeAssistant, setup_integration: Any, freezer: FrozenDateTimeFactory
) -> None:
    """Restored states that make no sense leave the defaults."""
    # Noon, far from the default departure (07:30): no run is due by itself.
    freezer.move_to(dt_util.start_of_local_day() + timedelta(hours=12))
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("switch.simulated_car_departure_plan", "on"),
                {"run": {"departure": "yesterday", "started": True}},
            ),
            (State("time.simulated_car_departure_time", "half past seven"), {}),
        ],
    )
    entry = await setup_integration()
    planner = next(iter(entry.runtime_data.departures.values()))
    assert planner.settings.enabled is True
    assert planner.run is None
    assert hass.states.get("time.simulated_car_departure_time").state == "07:30:00"


async def test_failed_stop_is_logged(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The stop at departure + 15 min cannot reach the car: logged."""
    planner = next(iter(init_integration.runtime_data.departures.values()))
    departure = dt_util.utcnow() + timedelta(minutes=5)
    local = dt_util.as_local(departure)
    planner.async_update_settings(
        departure_time=local.time().replace(second=0, microsecond=0),
        lead_minutes=10,
        enabled=True,
    )
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get("climate.simulated_car_heater").state == "heat_cool"
    simulated_backend.faults.unreachable = True
    freezer.tick(timedelta(minutes=21))
    async_fire_time_changed(hass)
    await async_advance(hass, manual_clock, 10)
    assert "could not stop preconditioning" in caplog.text


async def test_left_open_trigger_after_unload_and_when_disabled(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
) -> None:
    """No car loaded when the minutes are up: nothing; a disabled automation detaches."""
    calls = async_mock_service(hass, "test", "automation")
    device = next(
        iter(
            dr.async_entries_for_config_entry(
                dr.async_get(hass), init_integration.entry_id
            )
        )
    )
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "left_open",
                "triggers": [
                    {
                        "trigger": "device",
                        "domain": DOMAIN,
                        "device_id": device.id,
                        "type": "left_open",
                        "minutes": 1,
                    }
                ],
                "actions": [{"action": "test.automation"}],
            }
        },
    )
    car = next(iter(simulated_backend.cars.values()))
    await async_call_and_advance(
        hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK}
    )
    set_open(car, signals.SUNROOF_OPEN, True)
    await async_call_and_advance(
        hass, manual_clock, "lock", "lock", {ATTR_ENTITY_ID: LOCK}
    )
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    freezer.tick(timedelta(minutes=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert calls == []

    [automation] = hass.states.async_entity_ids("automation")
    await hass.services.async_call(
        "automation", "turn_off", {ATTR_ENTITY_ID: automation}, blocking=True
    )
    assert hass.states.get(automation).state == "off"
