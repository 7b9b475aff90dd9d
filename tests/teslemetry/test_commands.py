"""Commands to a Tesla through Home Assistant, each confirmed by the car's own state."""

from __future__ import annotations

from homeassistant.components.climate import HVACAction, HVACMode
from homeassistant.components.lock import LockState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, State, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle import signals
from tests.cardata.fixtures import eventually
from tests.common import async_advance
from tests.simulation import set_open

from .conftest import STATUS, backend_of, call, fall_asleep

LOCK = "lock.my_tesla"
HEATER = "climate.my_tesla_heater"
CREDITS = "sensor.teslemetry_credits_left"
WAKE_UPS = "sensor.teslemetry_wake_ups_this_month"


def record(hass: HomeAssistant, entity_id: str) -> list[str]:
    """Return the list every new state of entity_id is appended to, in order."""
    states: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        callback(lambda event: states.append(event.data["new_state"].state)),
        callback(lambda event_data: event_data["entity_id"] == entity_id),
    )
    return states


def paths(teslemetry, ending: str) -> list[str]:
    return [r.path for r in teslemetry.requests if r.path.endswith(ending)]


async def test_unlock_and_lock_confirmed_by_the_car(
    hass: HomeAssistant, tesla_loaded: MockConfigEntry, fake_car, manual_clock
) -> None:
    states = record(hass, LOCK)
    await call(hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK})
    assert states == [LockState.UNLOCKING, LockState.UNLOCKED]
    assert fake_car.car.locked is False
    await call(hass, manual_clock, "lock", "lock", {ATTR_ENTITY_ID: LOCK})
    assert states[-2:] == [LockState.LOCKING, LockState.LOCKED]
    assert fake_car.car.locked is True
    assert fake_car.commands == ["door_unlock", "door_lock"]


async def test_heater_to_22_degrees_confirmed_then_warms_the_cabin(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    fake_car,
    manual_clock,
) -> None:
    await call(
        hass,
        manual_clock,
        "climate",
        "set_temperature",
        {ATTR_ENTITY_ID: HEATER, "temperature": 22, "hvac_mode": HVACMode.HEAT_COOL},
    )
    heater = hass.states.get(HEATER)
    assert heater.state == HVACMode.HEAT_COOL
    assert heater.attributes["temperature"] == 22
    assert heater.attributes["hvac_action"] == HVACAction.HEATING
    assert (fake_car.car.climate_active, fake_car.car.climate_target) == (True, 22)
    assert fake_car.commands == ["set_temps", "auto_conditioning_start"]
    await eventually(lambda: float(hass.states.get(CREDITS).state) == 2000 - 2)

    cabin = float(hass.states.get("sensor.my_tesla_cabin_temperature").state)
    await async_advance(hass, manual_clock, 300)  # the stream reports the warming
    await eventually(
        lambda: (
            float(hass.states.get("sensor.my_tesla_cabin_temperature").state)
            > cabin + 5
        )
    )

    await call(hass, manual_clock, "climate", "turn_off", {ATTR_ENTITY_ID: HEATER})
    assert hass.states.get(HEATER).state == HVACMode.OFF
    assert fake_car.car.climate_active is False


async def test_flash_and_horn(
    hass: HomeAssistant, tesla_loaded: MockConfigEntry, fake_car, manual_clock
) -> None:
    for button in ("button.my_tesla_flash_lights", "button.my_tesla_sound_horn"):
        await call(hass, manual_clock, "button", "press", {ATTR_ENTITY_ID: button})
    assert (fake_car.car.flash_count, fake_car.car.horn_count) == (1, 1)


async def test_already_set_counts_as_done(
    hass: HomeAssistant, tesla_loaded: MockConfigEntry, fake_car, manual_clock
) -> None:
    """Locking a locked car: Tesla answers result false, already_set."""
    await call(hass, manual_clock, "lock", "lock", {ATTR_ENTITY_ID: LOCK})
    assert hass.states.get(LOCK).state == LockState.LOCKED
    assert fake_car.commands == ["door_lock"]


async def test_lock_refused_with_a_door_open(
    hass: HomeAssistant, tesla_loaded: MockConfigEntry, fake_car, manual_clock
) -> None:
    await call(hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK})
    set_open(fake_car.car, signals.DOOR_REAR_LEFT_OPEN, True)
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, manual_clock, "lock", "lock", {ATTR_ENTITY_ID: LOCK})
    assert err.value.translation_key == "command_refused_door_open"
    assert str(err.value) == (
        "My Tesla refused the command: a door or the trunk is open"
    )
    assert hass.states.get(LOCK).state == LockState.UNLOCKED


async def test_a_command_to_a_sleeping_car_wakes_it_first(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    fake_car,
    local_teslemetry,
    manual_clock,
) -> None:
    """The status shows the wake; the wake is counted and costs 20 credits."""
    await fall_asleep(hass, fake_car, manual_clock)
    local_teslemetry.requests.clear()
    statuses = record(hass, STATUS)

    await call(hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK})

    assert statuses[:2] == ["waking", "online"]
    assert hass.states.get(LOCK).state == LockState.UNLOCKED
    assert fake_car.car.locked is False
    assert len(paths(local_teslemetry, "/wake_up")) == 1
    assert not paths(local_teslemetry, "/vehicle_data")  # no data call while waking
    woke = next(r for r in local_teslemetry.requests if r.path.endswith("/wake_up"))
    unlocked = next(
        r for r in local_teslemetry.requests if r.path.endswith("/door_unlock")
    )
    assert 10 <= (unlocked.at - woke.at).total_seconds() <= 35
    await eventually(lambda: float(hass.states.get(CREDITS).state) == 2000 - 20 - 1)
    assert hass.states.get(WAKE_UPS).state == "1"


async def test_a_car_that_does_not_wake_is_reported(
    hass: HomeAssistant, tesla_loaded: MockConfigEntry, fake_car, manual_clock
) -> None:
    fake_car.offline = True  # no reception in an underground car park
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK})
    assert err.value.translation_key == "command_vehicle_asleep"
    assert str(err.value) == (
        'My Tesla did not wake up in time, so "unlock" was not sent. '
        "Try again when the car has reception"  # HA drops the final full stop
    )
    assert hass.states.get(LOCK).state == LockState.LOCKED
    assert fake_car.commands == []


async def test_credits_exhausted_raise_a_repair_issue_until_calls_work(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    account,
    fake_car,
    manual_clock,
    issue_registry: ir.IssueRegistry,
) -> None:
    issue_id = f"teslemetry_credits_exhausted_{tesla_loaded.entry_id}"
    account.credits = 0
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK})
    assert err.value.translation_key == "allowance_exhausted"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders["account"] == "Teslemetry (My Tesla)"
    assert backend_of(tesla_loaded).status.credits_exhausted

    account.credits = 50  # the owner bought credits
    await call(hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK})
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    await eventually(lambda: float(hass.states.get(CREDITS).state) == 49)


async def test_credits_left_survive_a_restart(
    hass: HomeAssistant, setup_tesla, fake_car
) -> None:
    """Teslemetry reports the balance only when credits are spent: keep the last."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(CREDITS, "1234"),
                {"native_value": 1234, "native_unit_of_measurement": None},
            )
        ],
    )
    await setup_tesla()
    assert float(hass.states.get(CREDITS).state) == 1234
