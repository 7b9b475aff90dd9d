"""Wake-up preconditioning: the departure plan, on a frozen clock.

Home Assistant's clock (freezer) and the simulated cars' clock move together,
a minute at a time, from the simulation's winter morning (06:30 UTC, below
freezing outside).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from functools import partial
import logging
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers.restore_state import async_get as async_get_restore_data
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.car_home.departure import RUN_SAVE_DELAY
from custom_components.connected_car.vehicle import Command, CommandKind
from custom_components.connected_car.vehicle.simulator import (
    SimulatedBackend,
    SimulationSettings,
)
from tests.clock import DEFAULT_MANUAL_START, ManualClock
from tests.crash import crash_and_restart
from tests.simulation import set_plugged_in

from .common import async_call_and_advance

PLAN = "switch.simulated_car_departure_plan"
DEPARTURE = "time.simulated_car_departure_time"
LEAD = "number.simulated_car_preconditioning_lead_time"
BELOW = "number.simulated_car_precondition_only_below"
HEATER = "climate.simulated_car_heater"
ALARM = "sensor.phone_next_alarm"

Setup = Callable[[], Coroutine[Any, Any, MockConfigEntry]]


def at(hhmm: str, day: int = 15) -> datetime:
    """Return a time of the simulated morning (UTC)."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return DEFAULT_MANUAL_START.replace(day=day, hour=hour, minute=minute)


@pytest.fixture
async def morning(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """HA in UTC, its clock on the simulated cars' start (06:30)."""
    await hass.config.async_set_time_zone("UTC")
    freezer.move_to(DEFAULT_MANUAL_START)


@pytest.fixture
def commands(manual_clock: ManualClock) -> list[CommandKind]:
    """Record every command the simulated cars receive."""
    sent: list[CommandKind] = []
    original = SimulatedBackend.send

    async def send(self: SimulatedBackend, vin: str, command: Command) -> None:
        sent.append(command.kind)
        await original(self, vin, command)

    with patch.object(SimulatedBackend, "send", send):
        yield sent


async def advance_to(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    clock: ManualClock,
    when: datetime,
) -> None:
    """Move HA's clock and the cars' clock together, a minute at a time."""
    while clock.now() < when:
        target = min(clock.now() + timedelta(minutes=1), when)
        freezer.move_to(target)
        async_fire_time_changed(hass, target)
        await clock.advance((target - clock.now()).total_seconds())
        await hass.async_block_till_done()


async def configure(
    hass: HomeAssistant,
    clock: ManualClock,
    departure: str = "07:30:00",
    lead: float = 10,
    below: float | None = None,
    *,
    enable: bool = True,
) -> None:
    """Set the plan up through its entities, as a user would."""
    await async_call_and_advance(
        hass, clock, "time", "set_value", {ATTR_ENTITY_ID: DEPARTURE, "time": departure}
    )
    await async_call_and_advance(
        hass, clock, "number", "set_value", {ATTR_ENTITY_ID: LEAD, "value": lead}
    )
    if below is not None:
        await async_call_and_advance(
            hass, clock, "number", "set_value", {ATTR_ENTITY_ID: BELOW, "value": below}
        )
    if enable:
        await async_call_and_advance(
            hass, clock, "switch", "turn_on", {ATTR_ENTITY_ID: PLAN}
        )


def plan(hass: HomeAssistant) -> dict[str, Any]:
    """Return the plan switch's state and attributes."""
    state = hass.states.get(PLAN)
    return {"state": state.state, **state.attributes}


async def test_entities_and_defaults(
    hass: HomeAssistant, morning: None, init_integration: MockConfigEntry
) -> None:
    """Each car that can precondition has the plan's four entities, plan off."""
    assert plan(hass)["state"] == "off"
    assert plan(hass)["next_departure"] is None
    assert hass.states.get(DEPARTURE).state == "07:30:00"
    assert float(hass.states.get(LEAD).state) == 20
    below = hass.states.get(BELOW)
    assert float(below.state) == 10
    assert below.attributes["unit_of_measurement"] == "°C"


async def test_read_only_car_has_no_plan(
    hass: HomeAssistant, morning: None, setup_integration: Setup
) -> None:
    """A car that cannot start its climate gets no departure plan."""
    with patch.object(
        ADAPTERS["simulated"],
        "settings_factory",
        partial(SimulationSettings, read_only=True),
    ):
        await setup_integration()
    for entity_id in (PLAN, DEPARTURE, LEAD, BELOW):
        assert hass.states.get(entity_id) is None


async def test_plan_warms_the_car_and_stops_when_it_stays(
    hass: HomeAssistant,
    morning: None,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    commands: list[CommandKind],
) -> None:
    """Start at departure - lead; stop 15 minutes after departure if not driven."""
    await configure(hass, manual_clock, "07:30:00", lead=10)
    assert plan(hass)["next_departure"] == at("07:30")
    assert plan(hass)["next_start"] == at("07:20")
    assert plan(hass)["departure_source"] == "time"

    await advance_to(hass, freezer, manual_clock, at("07:19"))
    assert hass.states.get(HEATER).state == HVACMode.OFF
    await advance_to(hass, freezer, manual_clock, at("07:21"))
    assert hass.states.get(HEATER).state == HVACMode.HEAT_COOL
    assert commands == [CommandKind.START_CLIMATE]

    await advance_to(hass, freezer, manual_clock, at("07:44"))
    assert hass.states.get(HEATER).state == HVACMode.HEAT_COOL
    await advance_to(hass, freezer, manual_clock, at("07:46"))
    assert hass.states.get(HEATER).state == HVACMode.OFF
    assert commands == [CommandKind.START_CLIMATE, CommandKind.STOP_CLIMATE]
    assert plan(hass)["next_departure"] == at("07:30", day=16)


async def test_plan_leaves_the_climate_alone_when_the_car_left(
    hass: HomeAssistant,
    morning: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    commands: list[CommandKind],
) -> None:
    """A car that drove off is not sent a stop."""
    car = next(iter(simulated_backend.cars.values()))
    await configure(hass, manual_clock, "07:30:00", lead=10)
    await advance_to(hass, freezer, manual_clock, at("07:21"))
    assert commands == [CommandKind.START_CLIMATE]
    set_plugged_in(car, False)
    car.start_trip()
    await advance_to(hass, freezer, manual_clock, at("07:50"))
    assert car.odometer > 0
    assert commands == [CommandKind.START_CLIMATE]


async def test_plan_skips_when_it_is_warm_enough(
    hass: HomeAssistant,
    morning: None,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    commands: list[CommandKind],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Not colder than the threshold: no start, and on to tomorrow."""
    outside = float(hass.states.get("sensor.simulated_car_outside_temperature").state)
    await configure(hass, manual_clock, "07:30:00", lead=10, below=outside - 5)
    with caplog.at_level(logging.INFO):
        await advance_to(hass, freezer, manual_clock, at("07:40"))
    assert commands == []
    assert hass.states.get(HEATER).state == HVACMode.OFF
    assert "not preconditioning" in caplog.text
    assert plan(hass)["next_start"] == at("07:20", day=16)


async def test_plan_off_does_nothing(
    hass: HomeAssistant,
    morning: None,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    commands: list[CommandKind],
) -> None:
    """With the switch off nothing is scheduled; turning it off cancels."""
    await configure(hass, manual_clock, "07:30:00", lead=10)
    await async_call_and_advance(
        hass, manual_clock, "switch", "turn_off", {ATTR_ENTITY_ID: PLAN}
    )
    assert plan(hass)["next_start"] is None
    await advance_to(hass, freezer, manual_clock, at("07:35"))
    assert commands == []


async def test_departure_in_the_past_is_tomorrow(
    hass: HomeAssistant,
    morning: None,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    """06:00 at 06:30 means tomorrow at 06:00."""
    await configure(hass, manual_clock, "06:00:00", lead=20)
    assert plan(hass)["next_departure"] == at("06:00", day=16)
    assert plan(hass)["next_start"] == at("05:40", day=16)


async def test_departure_within_the_lead_time_starts_now(
    hass: HomeAssistant,
    morning: None,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
    commands: list[CommandKind],
) -> None:
    """Turned on 10 minutes before a departure with 20 minutes lead: start at once."""
    await configure(hass, manual_clock, "06:40:00", lead=20)
    assert commands == [CommandKind.START_CLIMATE]
    assert hass.states.get(HEATER).state == HVACMode.HEAT_COOL


async def test_refused_start_is_logged_not_retried(
    hass: HomeAssistant,
    morning: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    commands: list[CommandKind],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A car that refuses (no energy) is logged once and left alone."""
    car = next(iter(simulated_backend.cars.values()))
    set_plugged_in(car, False)  # no charging up before the start
    car.battery = 5.0
    car.fuel = 1.0
    await configure(hass, manual_clock, "07:30:00", lead=10)
    await advance_to(hass, freezer, manual_clock, at("07:50"))
    assert commands == [CommandKind.START_CLIMATE]
    assert "could not start preconditioning" in caplog.text


# ---------------------------------------------------------------------------
# Alarm source
# ---------------------------------------------------------------------------


class TestAlarmSource:
    """The plan follows the entry's alarm sensor (options flow)."""

    @pytest.fixture
    def mock_config_entry(self, entry_data: dict[str, Any]) -> MockConfigEntry:
        """A simulation whose departure plan follows the phone's next alarm."""
        return MockConfigEntry(
            domain="connected_car",
            title="Simulated cars (seed 1)",
            data=entry_data,
            options={"departure_alarm": ALARM},
            unique_id="simulated-1",
        )

    async def test_alarm_sets_the_departure(
        self,
        hass: HomeAssistant,
        morning: None,
        setup_integration: Setup,
        freezer: FrozenDateTimeFactory,
        manual_clock: ManualClock,
        commands: list[CommandKind],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """The next alarm is the departure; without one, the fixed time; logged once."""
        hass.states.async_set(
            ALARM, "2026-01-15T07:00:00+00:00", {"device_class": "timestamp"}
        )
        await setup_integration()
        await configure(hass, manual_clock, "07:30:00", lead=10)
        assert plan(hass)["next_departure"] == at("07:00")
        assert plan(hass)["departure_source"] == "alarm"

        hass.states.async_set(ALARM, "2026-01-15T08:00:00+00:00")
        await hass.async_block_till_done()
        assert plan(hass)["next_departure"] == at("08:00")

        caplog.clear()
        hass.states.async_set(ALARM, STATE_UNAVAILABLE)
        await hass.async_block_till_done()
        assert plan(hass)["next_departure"] == at("07:30")
        assert plan(hass)["departure_source"] == "time"
        hass.states.async_set(ALARM, "not a time")
        await hass.async_block_till_done()
        assert caplog.text.count("gives no alarm") == 1

        hass.states.async_set(ALARM, "2026-01-15T06:50:00+00:00")
        await hass.async_block_till_done()
        assert "follows the alarm sensor" in caplog.text
        assert plan(hass)["next_start"] == at("06:40")
        await advance_to(hass, freezer, manual_clock, at("06:41"))
        assert commands == [CommandKind.START_CLIMATE]

        # The alarm rang; until the phone reports the next one there is no departure.
        await advance_to(hass, freezer, manual_clock, at("06:55"))
        assert plan(hass)["next_departure"] is None
        hass.states.async_set(ALARM, "2026-01-16T06:50:00+00:00")
        await hass.async_block_till_done()
        assert plan(hass)["next_departure"] == at("06:50", day=16)


# ---------------------------------------------------------------------------
# Restarts
# ---------------------------------------------------------------------------


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Reload the entry: entities are removed (their state kept) and restored."""
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def test_restart_before_the_start_keeps_the_plan(
    hass: HomeAssistant,
    morning: None,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    commands: list[CommandKind],
) -> None:
    """Settings survive a restart and the start still happens on time."""
    await configure(hass, manual_clock, "07:45:00", lead=15, below=5)
    await advance_to(hass, freezer, manual_clock, at("06:50"))
    await restart(hass, init_integration)
    assert plan(hass)["state"] == "on"
    assert hass.states.get(DEPARTURE).state == "07:45:00"
    assert float(hass.states.get(LEAD).state) == 15
    assert float(hass.states.get(BELOW).state) == 5
    assert plan(hass)["next_start"] == at("07:30")

    await advance_to(hass, freezer, manual_clock, at("07:31"))
    assert commands == [CommandKind.START_CLIMATE]
    assert hass.states.get(HEATER).state == HVACMode.HEAT_COOL


async def test_restart_after_the_start_neither_repeats_nor_forgets(
    hass: HomeAssistant,
    morning: None,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    commands: list[CommandKind],
) -> None:
    """After a restart the plan does not start again but still stops the car."""
    await configure(hass, manual_clock, "07:30:00", lead=10)
    await advance_to(hass, freezer, manual_clock, at("07:21"))
    assert commands == [CommandKind.START_CLIMATE]

    await restart(hass, init_integration)  # the simulation restarts too: heater off
    await advance_to(hass, freezer, manual_clock, at("07:25"))
    assert commands == [CommandKind.START_CLIMATE]
    assert hass.states.get(HEATER).state == HVACMode.OFF

    await async_call_and_advance(
        hass, manual_clock, "climate", "turn_on", {ATTR_ENTITY_ID: HEATER}
    )
    await advance_to(hass, freezer, manual_clock, at("07:46"))
    assert commands == [
        CommandKind.START_CLIMATE,
        CommandKind.START_CLIMATE,
        CommandKind.STOP_CLIMATE,
    ]
    assert hass.states.get(HEATER).state == HVACMode.OFF
    assert plan(hass)["next_start"] == at("07:20", day=16)


async def test_restart_past_the_stop_time_stops_at_once(
    hass: HomeAssistant,
    morning: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    commands: list[CommandKind],
) -> None:
    """HA down across the stop time: the owed stop check runs on start."""
    await configure(hass, manual_clock, "07:30:00", lead=10)
    await advance_to(hass, freezer, manual_clock, at("07:21"))
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await advance_to(hass, freezer, manual_clock, at("07:50"))
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    # The new simulation's heater is off, so nothing needs stopping: the check
    # ran (the run is settled) and the next start is tomorrow's.
    assert plan(hass)["next_start"] == at("07:20", day=16)
    assert commands == [CommandKind.START_CLIMATE]


async def test_a_crash_after_the_start_neither_repeats_nor_forgets(
    hass: HomeAssistant,
    morning: None,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    commands: list[CommandKind],
    hass_storage: dict[str, Any],
) -> None:
    """Issue 14: what the plan did is on disk within a second, crash or not."""
    await configure(hass, manual_clock, "07:30:00", lead=10)
    # Home Assistant dumps its entities' restore data every 15 minutes: the
    # plan's settings, made an hour before, are on disk by the start.
    await async_get_restore_data(hass).async_dump_states()
    await advance_to(hass, freezer, manual_clock, at("07:20"))
    assert commands == [CommandKind.START_CLIMATE]
    freezer.tick(timedelta(seconds=RUN_SAVE_DELAY))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    async with crash_and_restart(hass, hass_storage, init_integration) as (
        restarted,
        _,
    ):
        assert plan(restarted)["state"] == "on"
        await advance_to(restarted, freezer, manual_clock, at("07:25"))
        assert commands == [CommandKind.START_CLIMATE]  # not again
        # The new simulation's heater is off: someone turns it on.
        await async_call_and_advance(
            restarted, manual_clock, "climate", "turn_on", {ATTR_ENTITY_ID: HEATER}
        )
        await advance_to(restarted, freezer, manual_clock, at("07:46"))
        assert commands[-1] is CommandKind.STOP_CLIMATE  # the owed stop check
        assert restarted.states.get(HEATER).state == HVACMode.OFF
        assert plan(restarted)["next_start"] == at("07:20", day=16)
