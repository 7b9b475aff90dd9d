"""Car -> home: events on the bus and device triggers firing automations."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
import json
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.device_automation import (
    DeviceAutomationType,
    async_get_device_automations,
)
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.car_home.events import (
    EVENT_CONNECTED_CAR,
    CarEvent,
)
from custom_components.connected_car.device_trigger import (
    async_get_trigger_capabilities,
)
from custom_components.connected_car.vehicle import signals
from custom_components.connected_car.vehicle.simulator import (
    SimulatedBackend,
    SimulatedCar,
    SimulationSettings,
)
from custom_components.connected_car.vehicle.simulator.car import _offset
from tests.clock import ManualClock
from tests.simulation import set_open, set_plugged_in

from .common import async_advance, async_call_and_advance
from .conftest import DOMAIN, INTEGRATION_DIR

LOCK = "lock.simulated_car"
HEATER = "climate.simulated_car_heater"


def device_id_of(hass: HomeAssistant, entry: MockConfigEntry, name: str) -> str:
    registry = dr.async_get(hass)
    return next(
        device.id
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        if device.name == name
    )


def our_types(triggers: list[dict[str, Any]]) -> set[str]:
    return {t["type"] for t in triggers if t["domain"] == DOMAIN}


@pytest.fixture
def car(simulated_backend: SimulatedBackend) -> SimulatedCar:
    """The first simulated car (a plug-in hybrid: it has every event)."""
    return next(iter(simulated_backend.cars.values()))


@pytest.fixture
def events(hass: HomeAssistant) -> list[Any]:
    """Our events on the bus."""
    return async_capture_events(hass, EVENT_CONNECTED_CAR)


@pytest.fixture
async def automations(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> list[ServiceCall]:
    """One automation per trigger type of the car; each calls test.automation."""
    calls = async_mock_service(hass, "test", "automation")
    device_id = device_id_of(hass, init_integration, "Simulated car")
    automations = []
    for event in CarEvent:
        trigger: dict[str, Any] = {
            "trigger": "device",
            "domain": DOMAIN,
            "device_id": device_id,
            "type": event.value,
        }
        if event is CarEvent.LEFT_OPEN:
            trigger["minutes"] = 2
        automations.append(
            {
                "alias": event.value,
                "triggers": [trigger],
                "actions": [
                    {
                        "action": "test.automation",
                        "data": {
                            "type": event.value,
                            "open_entities": "{{ trigger.open_entities | default([]) }}",
                        },
                    }
                ],
            }
        )
    assert await async_setup_component(hass, "automation", {"automation": automations})
    await hass.async_block_till_done()
    return calls


def fired(calls: list[ServiceCall]) -> list[str]:
    return [call.data["type"] for call in calls]


@pytest.mark.parametrize(
    "entry_data", [{"backend": "simulated", "cars": 3, "names": [], "seed": 1}]
)
async def test_triggers_offered_per_car(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Each car offers the triggers its signals and commands allow."""
    expected = {
        "Simulated car 1": set(CarEvent),
        "Simulated car 2": set(CarEvent),
        "Simulated car 3": set(CarEvent) - {CarEvent.CHARGING_FINISHED},
    }
    for name, types in expected.items():
        device_id = device_id_of(hass, init_integration, name)
        triggers = (
            await async_get_device_automations(
                hass, DeviceAutomationType.TRIGGER, [device_id]
            )
        )[device_id]
        assert our_types(triggers) == {t.value for t in types}, name
        # HA's own lock and climate triggers are offered next to ours.
        assert {t["domain"] for t in triggers} >= {DOMAIN, "lock", "climate"}


async def test_read_only_car_offers_no_preconditioning_trigger(
    hass: HomeAssistant, setup_integration
) -> None:
    """A car that cannot precondition has no "preconditioning ready"."""
    with patch.object(
        ADAPTERS["simulated"],
        "settings_factory",
        partial(SimulationSettings, read_only=True),
    ):
        entry = await setup_integration()
    device_id = device_id_of(hass, entry, "Simulated car")
    triggers = (
        await async_get_device_automations(
            hass, DeviceAutomationType.TRIGGER, [device_id]
        )
    )[device_id]
    assert CarEvent.PRECONDITIONING_READY.value not in our_types(triggers)
    assert CarEvent.LOCKED.value in our_types(triggers)


async def test_left_open_has_a_delay_option(hass: HomeAssistant) -> None:
    """Only "left open" has an extra field: minutes after locking."""
    capabilities = await async_get_trigger_capabilities(
        hass, {"type": "left_open", "device_id": "x", "domain": DOMAIN}
    )
    schema = capabilities["extra_fields"]
    assert schema({}) == {"minutes": 5}
    assert schema({"minutes": "12"}) == {"minutes": 12}
    assert (
        await async_get_trigger_capabilities(
            hass, {"type": "locked", "device_id": "x", "domain": DOMAIN}
        )
        == {}
    )


def test_trigger_types_are_translated() -> None:
    """The automation editor shows a translated name for every trigger."""
    for language in ("en", "de", "zh-Hans"):
        strings = json.loads(
            (INTEGRATION_DIR / "translations" / f"{language}.json").read_text(
                encoding="utf-8"
            )
        )["device_automation"]
        assert set(strings["trigger_type"]) == {event.value for event in CarEvent}
        assert set(strings["extra_fields"]) == {"minutes"}


async def test_no_events_for_how_things_already_were(
    hass: HomeAssistant,
    events: list[Any],
    automations: list[ServiceCall],
    manual_clock: ManualClock,
) -> None:
    """Setting up is the baseline: a locked car at home fires nothing."""
    await async_advance(hass, manual_clock, 60)
    assert events == []
    assert automations == []


async def test_lock_and_unlock(
    hass: HomeAssistant,
    events: list[Any],
    automations: list[ServiceCall],
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    """Unlocking and locking fire their events and triggers."""
    await async_call_and_advance(
        hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK}
    )
    await async_call_and_advance(
        hass, manual_clock, "lock", "lock", {ATTR_ENTITY_ID: LOCK}
    )
    assert fired(automations) == ["unlocked", "locked"]
    device_id = device_id_of(hass, init_integration, "Simulated car")
    assert [event.data for event in events] == [
        {"device_id": device_id, "name": "Simulated car", "type": "unlocked"},
        {"device_id": device_id, "name": "Simulated car", "type": "locked"},
    ]


async def test_opened(
    hass: HomeAssistant,
    events: list[Any],
    automations: list[ServiceCall],
    car: SimulatedCar,
    manual_clock: ManualClock,
) -> None:
    """Each door, window or lid that opens fires "opened" with its entity."""
    set_open(car, signals.TRUNK_OPEN, True)
    await async_advance(hass, manual_clock, 20)
    set_open(car, signals.TRUNK_OPEN, False)
    set_open(car, signals.SUNROOF_OPEN, True)
    await async_advance(hass, manual_clock, 20)
    assert fired(automations) == ["opened", "opened"]
    assert [(e.data["opening"], e.data["entity_id"]) for e in events] == [
        ("trunk_open", "binary_sensor.simulated_car_trunk"),
        ("sunroof_open", "binary_sensor.simulated_car_sunroof"),
    ]


async def test_left_open_after_locking(
    hass: HomeAssistant,
    events: list[Any],
    automations: list[ServiceCall],
    car: SimulatedCar,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
) -> None:
    """Locked with a window open: the trigger fires after its minutes, the event after 5."""
    await async_call_and_advance(
        hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK}
    )
    set_open(car, signals.WINDOW_REAR_RIGHT_OPEN, True)
    await async_call_and_advance(
        hass, manual_clock, "lock", "lock", {ATTR_ENTITY_ID: LOCK}
    )
    automations.clear()
    events.clear()

    async def wait(delta: timedelta) -> None:
        freezer.tick(delta)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    await wait(timedelta(minutes=1, seconds=50))
    assert automations == []
    await wait(timedelta(seconds=20))
    assert fired(automations) == ["left_open"]
    assert automations[0].data["open_entities"] == [
        "binary_sensor.simulated_car_rear_right_window"
    ]
    assert events == []

    await wait(timedelta(minutes=3))
    assert [e.data["type"] for e in events] == ["left_open"]
    assert events[0].data["open"] == ["window_rear_right_open"]
    assert events[0].data["open_entities"] == [
        "binary_sensor.simulated_car_rear_right_window"
    ]


async def test_not_left_open_when_closed_or_unlocked_in_time(
    hass: HomeAssistant,
    events: list[Any],
    automations: list[ServiceCall],
    car: SimulatedCar,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
) -> None:
    """Closing the window, or unlocking, before the minutes are up fires nothing."""
    await async_call_and_advance(
        hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK}
    )
    set_open(car, signals.WINDOW_FRONT_RIGHT_OPEN, True)
    await async_call_and_advance(
        hass, manual_clock, "lock", "lock", {ATTR_ENTITY_ID: LOCK}
    )
    set_open(car, signals.WINDOW_FRONT_RIGHT_OPEN, False)
    await async_advance(hass, manual_clock, 20)
    freezer.tick(timedelta(minutes=6))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    set_open(car, signals.WINDOW_FRONT_RIGHT_OPEN, True)
    await async_advance(hass, manual_clock, 20)
    await async_call_and_advance(
        hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK}
    )
    freezer.tick(timedelta(minutes=6))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert "left_open" not in fired(automations)
    assert "left_open" not in [e.data["type"] for e in events]


async def test_left_and_arrived_home(
    hass: HomeAssistant,
    events: list[Any],
    automations: list[ServiceCall],
    car: SimulatedCar,
    manual_clock: ManualClock,
) -> None:
    """Leaving the home zone and coming back fire their events."""
    home = (hass.config.latitude, hass.config.longitude)
    car.position = _offset(home, 90, 2.0)
    car.wake()
    await async_advance(hass, manual_clock, 20)
    car.position = _offset(home, 90, 4.0)
    car.wake()
    await async_advance(hass, manual_clock, 20)
    car.position = home
    car.wake()
    await async_advance(hass, manual_clock, 20)
    assert fired(automations) == ["left_home", "arrived_home"]


async def test_charging_finished(
    hass: HomeAssistant,
    events: list[Any],
    automations: list[ServiceCall],
    car: SimulatedCar,
    manual_clock: ManualClock,
) -> None:
    """Charging that stops with the cable in is "finished"; unplugging is not."""
    car.battery = car.charge_target - 0.1
    await async_advance(hass, manual_clock, 60)
    assert fired(automations) == ["charging_finished"]
    assert hass.states.get("binary_sensor.simulated_car_charging").state == "off"

    car.battery = 50.0
    await async_advance(hass, manual_clock, 20)
    assert hass.states.get("binary_sensor.simulated_car_charging").state == "on"
    set_plugged_in(car, False)
    await async_advance(hass, manual_clock, 20)
    assert fired(automations) == ["charging_finished"]


async def test_preconditioning_ready_once_per_run(
    hass: HomeAssistant,
    events: list[Any],
    automations: list[ServiceCall],
    car: SimulatedCar,
    manual_clock: ManualClock,
) -> None:
    """Reaching the target fires once, not at every wobble around it."""
    car.cabin = 19.0
    await async_call_and_advance(
        hass, manual_clock, "climate", "turn_on", {ATTR_ENTITY_ID: HEATER}
    )
    assert fired(automations) == []
    await async_advance(hass, manual_clock, 5 * 60)
    assert fired(automations) == ["preconditioning_ready"]
    await async_advance(hass, manual_clock, 5 * 60)
    assert fired(automations) == ["preconditioning_ready"]

    await async_call_and_advance(
        hass, manual_clock, "climate", "turn_off", {ATTR_ENTITY_ID: HEATER}
    )
    await async_call_and_advance(
        hass, manual_clock, "climate", "turn_on", {ATTR_ENTITY_ID: HEATER}
    )
    await async_advance(hass, manual_clock, 60)
    assert fired(automations) == ["preconditioning_ready", "preconditioning_ready"]
