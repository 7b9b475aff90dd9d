"""Wake-up preconditioning: warm the car up before the daily departure.

One `DeparturePlanner` per vehicle that can start its climate. Its settings come
from the vehicle's departure entities (switch, time, numbers; restored after a
restart) and the entry's optional alarm sensor. It schedules itself with Home
Assistant's time helpers (never sleeps):

* the departure is the alarm sensor's next alarm, else the fixed departure time
  (today, or tomorrow once today's has passed);
* at departure - lead time it starts the climate if it is colder outside than
  the threshold (unknown temperature: it starts);
* `NOT_LEFT_GRACE` after the departure it stops the climate again if the car
  has not moved (odometer unchanged, not driving);
* what it did for a departure (`DepartureRun`) is stored within
  `RUN_SAVE_DELAY` of each step (`DepartureRuns`), so neither a restart nor a
  crash makes it repeat a start or forget the stop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
import logging
from typing import Any

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN, EntityCategory
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.event import (
    EventStateChangedData,
    async_track_point_in_utc_time,
    async_track_state_change_event,
)
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ..const import CONF_DEPARTURE_ALARM, DOMAIN
from ..coordinator import ConnectedCarConfigEntry, VehicleCoordinator
from ..entity import ConnectedCarEntity
from ..storage import BoundedStore
from ..vehicle import Command, CommandKind, signals

_LOGGER = logging.getLogger(__name__)

DEFAULT_DEPARTURE_TIME = time(7, 30)
DEFAULT_DEPARTURE_LEAD_MINUTES = 20.0
"""Minutes before the departure the climate starts (cars stop it after ~30)."""
DEFAULT_DEPARTURE_MAX_OUTSIDE = 10.0
"""°C outside from which the plan does not precondition."""
NOT_LEFT_GRACE = timedelta(minutes=15)
"""How long after the departure a started climate may run while the car stands."""
RUN_SAVE_DELAY = 1.0
"""Seconds within which a plan's step is stored (a crash must not repeat a start)."""


async def async_create_departure_planners(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    coordinators: Mapping[str, VehicleCoordinator],
) -> dict[str, DeparturePlanner]:
    """Return an idle planner for each vehicle that can precondition, by VIN.

    Made at setup, before the platforms, with what each plan did before: the
    departure entities restore the settings into them, then
    `async_start_departure_plans` starts them.
    """
    runs = DepartureRuns(hass, entry)
    await runs.async_load()
    entry.async_on_unload(runs.bounded.flush)
    alarm = entry.options.get(CONF_DEPARTURE_ALARM)
    return {
        vin: DeparturePlanner(hass, coordinator, alarm, runs)
        for vin, coordinator in coordinators.items()
        if coordinator.vehicle.capabilities.can_precondition
    }


@callback
def async_start_departure_plans(entry: ConnectedCarConfigEntry) -> None:
    """Start every planner of the entry (after its entities restored the settings)."""
    for planner in entry.runtime_data.departures.values():
        planner.async_start()
        entry.async_on_unload(planner.async_stop)


@dataclass(slots=True)
class DepartureSettings:
    """What the user set up (each value restored by its entity)."""

    enabled: bool = False
    departure_time: time = DEFAULT_DEPARTURE_TIME
    lead_minutes: float = DEFAULT_DEPARTURE_LEAD_MINUTES
    max_outside_temperature: float = DEFAULT_DEPARTURE_MAX_OUTSIDE


@dataclass(frozen=True, slots=True)
class DepartureRun:
    """What the plan did for one departure (kept across restarts)."""

    departure: datetime
    started: bool
    """The plan started the climate and still owes the stop check."""
    odometer: float | None = None
    """Odometer when the climate started: the car left if it grew."""

    def as_dict(self) -> dict[str, Any]:
        """Return the run as JSON-friendly data."""
        data = asdict(self)
        data["departure"] = self.departure.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DepartureRun | None:
        """Return a stored run, or None if the data is not one."""
        try:
            departure = datetime.fromisoformat(data["departure"])
            odometer = data.get("odometer")
            return cls(
                departure=departure,
                started=bool(data["started"]),
                odometer=None if odometer is None else float(odometer),
            )
        except (KeyError, TypeError, ValueError):
            return None


class DepartureRuns:
    """What each plan of an entry did for its last departure, by VIN, stored.

    Written within `RUN_SAVE_DELAY` of a change (release 0.1.0 kept the run in
    the plan switch's restore data, written every 15 minutes: the switch still
    reads it once for a car that has none here).
    """

    def __init__(self, hass: HomeAssistant, entry: ConnectedCarConfigEntry) -> None:
        """Use the entry's own private storage file."""
        self.bounded: BoundedStore[dict[str, Any]] = BoundedStore(
            Store(hass, 1, departure_runs_key(entry.entry_id), private=True),
            max_delay=RUN_SAVE_DELAY,
        )
        self.runs: dict[str, DepartureRun | None] = {}

    async def async_load(self) -> None:
        """Read the stored runs; unreadable ones are left out."""
        data = await self.bounded.load() or {}
        runs = data.get("runs")
        for vin, run in (runs if isinstance(runs, dict) else {}).items():
            if run is None:
                self.runs[vin] = None
            elif isinstance(run, dict) and (parsed := DepartureRun.from_dict(run)):
                self.runs[vin] = parsed

    @callback
    def async_set(self, vin: str, run: DepartureRun | None) -> None:
        """Keep a plan's latest run (stored within `RUN_SAVE_DELAY`)."""
        self.runs[vin] = run
        self.bounded.schedule(self._data)

    def _data(self) -> dict[str, Any]:
        return {
            "runs": {
                vin: None if run is None else run.as_dict()
                for vin, run in self.runs.items()
            }
        }


def departure_runs_key(entry_id: str) -> str:
    """Return the storage key of an entry's departure runs."""
    return f"{DOMAIN}.{entry_id}.departure"


class DeparturePlanner:
    """Schedules one vehicle's wake-up preconditioning."""

    def __init__(
        self,
        hass: HomeAssistant,
        coordinator: VehicleCoordinator,
        alarm_entity_id: str | None,
        runs: DepartureRuns,
    ) -> None:
        """Create an idle planner with default settings and its stored run."""
        self.hass = hass
        self.coordinator = coordinator
        self.alarm_entity_id = alarm_entity_id
        self.settings = DepartureSettings()
        self._runs = runs
        self.run: DepartureRun | None = runs.runs.get(coordinator.vehicle.vin)
        self.next_departure: datetime | None = None
        self.next_start: datetime | None = None
        self.departure_source: str | None = None
        self._running = False
        self._timers: list[CALLBACK_TYPE] = []
        self._unsub_alarm: CALLBACK_TYPE | None = None
        self._alarm_problem_logged = False
        self._listeners: list[CALLBACK_TYPE] = []
        self._task: asyncio.Task[None] | None = None

    @property
    def name(self) -> str:
        """Return the vehicle's name (for logs)."""
        return self.coordinator.vehicle.name

    # -- lifecycle -------------------------------------------------------------

    @callback
    def async_start(self) -> None:
        """Start scheduling; follow the alarm sensor."""
        self._running = True
        if self.alarm_entity_id is not None:
            self._unsub_alarm = async_track_state_change_event(
                self.hass, self.alarm_entity_id, self._async_alarm_changed
            )
        self._reschedule()

    @callback
    def async_stop(self) -> None:
        """Stop scheduling (entry unload)."""
        self._running = False
        self._cancel_timers()
        if self._unsub_alarm is not None:
            self._unsub_alarm()
            self._unsub_alarm = None

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call update whenever the schedule changes (the plan switch shows it)."""
        self._listeners.append(update)

        @callback
        def remove() -> None:
            self._listeners.remove(update)

        return remove

    # -- settings (from the entities) -----------------------------------------

    @callback
    def async_update_settings(self, **changes: Any) -> None:
        """Change settings (restored or set by the user) and reschedule."""
        for key, value in changes.items():
            setattr(self.settings, key, value)
        self._reschedule()

    @property
    def run_stored(self) -> bool:
        """Return whether the run was stored by this release (not only restored)."""
        return self.coordinator.vehicle.vin in self._runs.runs

    @callback
    def async_restore_run(self, run: DepartureRun | None) -> None:
        """Take back what the plan did before a restart (release 0.1.0's record)."""
        self._set_run(run)

    # -- scheduling ---------------------------------------------------------------

    def _alarm_departure(self, now: datetime) -> tuple[datetime | None, bool]:
        """Return (next alarm, whether the sensor gives one) for the alarm source.

        An alarm that has just rung (in the past) is not a departure: the sensor
        moves on to the next one by itself. An unavailable or garbled sensor is
        no source: the fixed time applies, logged once until it recovers.
        """
        assert self.alarm_entity_id is not None  # noqa: S101 - callers check
        state = self.hass.states.get(self.alarm_entity_id)
        alarm = None
        if state is not None and state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            alarm = dt_util.parse_datetime(state.state)
        if alarm is None or alarm.tzinfo is None:
            if not self._alarm_problem_logged:
                self._alarm_problem_logged = True
                _LOGGER.warning(
                    "Departure plan of %s: the alarm sensor %s gives no alarm (%s); "
                    "using the fixed departure time until it does",
                    self.name,
                    self.alarm_entity_id,
                    "missing" if state is None else state.state,
                )
            return None, False
        if self._alarm_problem_logged:
            self._alarm_problem_logged = False
            _LOGGER.info(
                "Departure plan of %s follows the alarm sensor %s again",
                self.name,
                self.alarm_entity_id,
            )
        alarm = dt_util.as_utc(alarm)
        return (alarm if alarm > now else None), True

    def _upcoming_departure(self, now: datetime) -> tuple[datetime, str] | None:
        """Return the next departure and its source ("alarm" or "time").

        None while the alarm sensor still shows the alarm that just rang.
        """
        if self.alarm_entity_id is not None:
            alarm, usable = self._alarm_departure(now)
            if usable:
                return None if alarm is None else (alarm, "alarm")
        local_now = dt_util.as_local(now)
        departure = datetime.combine(
            local_now.date(), self.settings.departure_time, tzinfo=local_now.tzinfo
        )
        if departure <= local_now:  # already past today: tomorrow's
            departure = datetime.combine(
                local_now.date() + timedelta(days=1),
                self.settings.departure_time,
                tzinfo=local_now.tzinfo,
            )
        return dt_util.as_utc(departure), "time"

    def _cancel_timers(self) -> None:
        for cancel in self._timers:
            cancel()
        self._timers.clear()

    def _at(self, when: datetime, action: Callable[[], None]) -> None:
        @callback
        def fire(_now: datetime) -> None:
            action()

        self._timers.append(async_track_point_in_utc_time(self.hass, fire, when))

    @callback
    def _reschedule(self) -> None:
        """Work out what happens next from the settings, the alarm and the run."""
        if not self._running:
            return
        self._cancel_timers()
        now = dt_util.utcnow()
        self.next_departure = self.next_start = self.departure_source = None
        run = self.run
        if run is not None and run.started:
            stop_at = run.departure + NOT_LEFT_GRACE
            if now >= stop_at:
                self._spawn(self._async_stop_if_not_left(run))
                return
            self._at(stop_at, lambda: self._spawn(self._async_stop_if_not_left(run)))
        upcoming = self._upcoming_departure(now) if self.settings.enabled else None
        if upcoming is not None:
            departure, source = upcoming
            self.next_departure, self.departure_source = departure, source
            if run is not None and run.departure == departure:
                # Handled already: look again once this departure has passed.
                self._at(departure + timedelta(seconds=1), self._reschedule)
            else:
                start = departure - timedelta(minutes=self.settings.lead_minutes)
                self.next_start = max(start, now)
                if start <= now:
                    self._spawn(self._async_start(departure))
                else:
                    self._at(start, lambda: self._spawn(self._async_start(departure)))
        for update in self._listeners:
            update()

    def _spawn(self, coro: Any) -> None:
        """Run a plan step in the background (the car takes its time)."""
        self._task = self.coordinator.config_entry.async_create_background_task(
            self.hass, coro, f"{DOMAIN} departure plan {self.name}"
        )

    # -- the plan's two actions ---------------------------------------------------

    async def _async_start(self, departure: datetime) -> None:
        """Start the climate for a departure if it is cold enough."""
        state = self.coordinator.data
        outside = state.value(signals.OUTSIDE_TEMPERATURE)
        limit = self.settings.max_outside_temperature
        if outside is not None and outside >= limit:
            _LOGGER.info(
                "Departure plan of %s: %.1f °C outside is not below %.1f °C, "
                "not preconditioning for %s",
                self.name,
                outside,
                limit,
                dt_util.as_local(departure),
            )
            self._set_run(DepartureRun(departure, started=False))
            return
        self._set_run(DepartureRun(departure, started=False))
        try:
            await self.coordinator.async_send_command(
                Command(
                    CommandKind.START_CLIMATE,
                    state.value(signals.CLIMATE_TARGET_TEMPERATURE),
                ),
            )
        except HomeAssistantError as err:
            _LOGGER.warning(
                "Departure plan of %s could not start preconditioning: %s",
                self.name,
                err,
            )
            return
        _LOGGER.info(
            "Departure plan of %s started preconditioning for %s",
            self.name,
            dt_util.as_local(departure),
        )
        self._set_run(
            DepartureRun(
                departure,
                started=True,
                odometer=self.coordinator.data.value(signals.ODOMETER),
            )
        )

    async def _async_stop_if_not_left(self, run: DepartureRun) -> None:
        """Stop the climate the plan started if the car did not leave."""
        self._set_run(DepartureRun(run.departure, started=False))
        state = self.coordinator.data
        odometer = state.value(signals.ODOMETER)
        left = bool(state.value(signals.MOVING)) or (
            run.odometer is not None
            and odometer is not None
            and odometer > run.odometer
        )
        if left or not state.value(signals.CLIMATE_ACTIVE):
            return
        _LOGGER.info(
            "%s has not left %s after the planned departure; stopping preconditioning",
            self.name,
            NOT_LEFT_GRACE,
        )
        try:
            await self.coordinator.async_send_command(Command(CommandKind.STOP_CLIMATE))
        except HomeAssistantError as err:
            _LOGGER.warning(
                "Departure plan of %s could not stop preconditioning: %s",
                self.name,
                err,
            )

    def _set_run(self, run: DepartureRun | None) -> None:
        self.run = run
        self._runs.async_set(self.coordinator.vehicle.vin, run)
        self._reschedule()

    async def _async_alarm_changed(self, event: Event[EventStateChangedData]) -> None:
        self._reschedule()


class DepartureEntity(ConnectedCarEntity):
    """A setting of a vehicle's departure plan: stored in HA, not in the car.

    Available whenever the entry is loaded, even while the car's API is down.
    """

    _attr_entity_category: EntityCategory | None = EntityCategory.CONFIG

    def __init__(
        self, planner: DeparturePlanner, description: EntityDescription
    ) -> None:
        """Bind the entity to its vehicle's planner (no signal of the car's)."""
        super().__init__(planner.coordinator, description, watches=())
        self.planner = planner

    @property
    def available(self) -> bool:
        """Return True: the setting lives in Home Assistant."""
        return True
