"""Car events on Home Assistant's bus: what the car did, for automations.

Each vehicle's `CarEventEmitter` compares every new state with the previous one
and fires `connected_car_event` with the device id and a `type`. The first
state after setup is only the baseline (no event for how things already were).
device_trigger.py turns these events into device triggers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from homeassistant.const import CONF_DEVICE_ID, CONF_NAME, CONF_TYPE
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.event import async_call_later

from ..const import DOMAIN
from ..coordinator import ConnectedCarConfigEntry, VehicleCoordinator, Watches
from ..entity import unique_id
from ..vehicle import CommandKind, Vehicle, VehicleState, signals
from .common import Cabin, cabin_versus_target, car_at_home, loaded_cars

EVENT_CONNECTED_CAR = f"{DOMAIN}_event"
"""Event type on the bus; data: device_id, name, type and the type's details."""

ATTR_OPENING = "opening"
ATTR_OPEN = "open"
ATTR_OPEN_ENTITIES = "open_entities"
ATTR_ENTITY_ID = "entity_id"

LEFT_OPEN_AFTER = timedelta(minutes=5)
"""When the bus event left_open comes (device triggers choose their own delay)."""


class CarEvent(StrEnum):
    """What a car can tell the home."""

    ARRIVED_HOME = "arrived_home"
    LEFT_HOME = "left_home"
    LOCKED = "locked"
    UNLOCKED = "unlocked"
    OPENED = "opened"
    """A door, window, the sunroof, trunk or hood opened."""
    LEFT_OPEN = "left_open"
    """Something is still open some minutes after the car was locked."""
    CHARGING_FINISHED = "charging_finished"
    """Charging stopped while the cable is still plugged in."""
    PRECONDITIONING_READY = "preconditioning_ready"
    """The cabin reached the preconditioning target."""


def vehicle_events(vehicle: Vehicle) -> list[CarEvent]:
    """Return the events a vehicle can produce, from what it reports."""
    capabilities = vehicle.capabilities
    events: list[CarEvent] = []
    if capabilities.has(signals.LOCATION):
        events += [CarEvent.ARRIVED_HOME, CarEvent.LEFT_HOME]
    if capabilities.has(signals.LOCKED):
        events += [CarEvent.LOCKED, CarEvent.UNLOCKED]
    if any(capabilities.has(opening) for opening in signals.OPENINGS):
        events.append(CarEvent.OPENED)
        if capabilities.has(signals.LOCKED):
            events.append(CarEvent.LEFT_OPEN)
    if capabilities.has(signals.CHARGING) and capabilities.has(signals.PLUGGED_IN):
        events.append(CarEvent.CHARGING_FINISHED)
    if (
        capabilities.can(CommandKind.START_CLIMATE)
        and capabilities.has(signals.CLIMATE_ACTIVE)
        and capabilities.has(signals.CABIN_TEMPERATURE)
    ):
        events.append(CarEvent.PRECONDITIONING_READY)
    return events


def _went(before: bool | None, after: bool | None, value: bool) -> bool:  # noqa: FBT001
    """Return whether a known value changed to value."""
    return before is not None and before != value and after is value


def preconditioning_ready(state: VehicleState) -> bool:
    """Return whether the climate runs and the cabin has reached its target."""
    return bool(state.value(signals.CLIMATE_ACTIVE)) and (
        cabin_versus_target(state) is Cabin.AT
    )


def state_changes(
    hass: HomeAssistant, before: VehicleState, after: VehicleState
) -> list[tuple[CarEvent, dict[str, Any]]]:
    """Return the events between two states (not left_open or ready: they need time)."""
    events: list[tuple[CarEvent, dict[str, Any]]] = []
    if before.get(signals.LOCATION) is not after.get(signals.LOCATION):
        home_before, home_after = car_at_home(hass, before), car_at_home(hass, after)
        if _went(home_before, home_after, value=True):
            events.append((CarEvent.ARRIVED_HOME, {}))
        if _went(home_before, home_after, value=False):
            events.append((CarEvent.LEFT_HOME, {}))
    locked_before, locked_after = (
        before.value(signals.LOCKED),
        after.value(signals.LOCKED),
    )
    if _went(locked_before, locked_after, value=True):
        events.append((CarEvent.LOCKED, {}))
    if _went(locked_before, locked_after, value=False):
        events.append((CarEvent.UNLOCKED, {}))
    events.extend(
        (CarEvent.OPENED, {ATTR_OPENING: opening.key})
        for opening in signals.OPENINGS
        if _went(before.value(opening), after.value(opening), value=True)
    )
    if _went(
        before.value(signals.CHARGING), after.value(signals.CHARGING), value=False
    ) and after.value(signals.PLUGGED_IN):
        events.append((CarEvent.CHARGING_FINISHED, {}))
    return events


class LeftOpenWatch:
    """Calls back a while after the car locked if something is still open."""

    def __init__(
        self,
        hass: HomeAssistant,
        state_fn: Callable[[], VehicleState | None],
        delay: timedelta,
        on_left_open: Callable[[list[str]], None],
    ) -> None:
        """Watch one car; nothing happens until `locked` is called."""
        self.hass = hass
        self._state_fn = state_fn
        self.delay = delay
        self._on_left_open = on_left_open
        self._cancel: CALLBACK_TYPE | None = None

    @callback
    def locked(self) -> None:
        """Start (or restart) the wait after the car locked."""
        self.cancel()
        self._cancel = async_call_later(self.hass, self.delay, self._check)

    @callback
    def cancel(self) -> None:
        """Stop waiting (the car was unlocked, or the watch ends)."""
        if self._cancel is not None:
            self._cancel()
            self._cancel = None

    @callback
    def _check(self, _now: datetime) -> None:
        self._cancel = None
        state = self._state_fn()
        if state is None:
            return
        if state.value(signals.LOCKED) and (still_open := signals.open_openings(state)):
            self._on_left_open(still_open)


def opening_entities(hass: HomeAssistant, vin: str, keys: list[str]) -> list[str]:
    """Return the binary sensor entity ids of openings (for friendly names)."""
    registry = er.async_get(hass)
    return [
        entity_id
        for key in keys
        if (
            entity_id := registry.async_get_entity_id(
                "binary_sensor", DOMAIN, unique_id(vin, key)
            )
        )
    ]


EVENT_SIGNALS = (
    signals.LOCATION,
    signals.LOCKED,
    *signals.OPENINGS,
    signals.CHARGING,
    signals.PLUGGED_IN,
    signals.CLIMATE_ACTIVE,
    signals.CABIN_TEMPERATURE,
    signals.CLIMATE_TARGET_TEMPERATURE,
)
"""What the events are made of: other changes do not concern the emitter."""


class CarEventEmitter:
    """Fires one vehicle's events on the bus."""

    def __init__(self, hass: HomeAssistant, coordinator: VehicleCoordinator) -> None:
        """Take the current state as the baseline."""
        self.hass = hass
        self.coordinator = coordinator
        self.vehicle = coordinator.vehicle
        device = dr.async_get(hass).async_get_device({(DOMAIN, self.vehicle.vin)})
        self.device_id = None if device is None else device.id
        self._previous = coordinator.data
        self._ready_fired = preconditioning_ready(coordinator.data)
        self._left_open = LeftOpenWatch(
            hass, lambda: coordinator.data, LEFT_OPEN_AFTER, self._fire_left_open
        )

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Follow the vehicle's updates; return what stops it."""
        remove = self.coordinator.async_add_listener(
            self._async_updated, Watches.of(EVENT_SIGNALS)
        )

        @callback
        def stop() -> None:
            remove()
            self._left_open.cancel()

        return stop

    def fire(self, event: CarEvent, details: dict[str, Any] | None = None) -> None:
        """Fire one event of this vehicle."""
        self.hass.bus.async_fire(
            EVENT_CONNECTED_CAR,
            {
                CONF_DEVICE_ID: self.device_id,
                CONF_NAME: self.vehicle.name,
                CONF_TYPE: event.value,
                **(details or {}),
            },
        )

    @callback
    def _fire_left_open(self, still_open: list[str]) -> None:
        self.fire(
            CarEvent.LEFT_OPEN,
            {
                ATTR_OPEN: still_open,
                ATTR_OPEN_ENTITIES: opening_entities(
                    self.hass, self.vehicle.vin, still_open
                ),
            },
        )

    @callback
    def _async_updated(self) -> None:
        state = self.coordinator.data
        if state is self._previous:
            return
        for event, details in state_changes(self.hass, self._previous, state):
            if event is CarEvent.OPENED:
                entities = opening_entities(
                    self.hass, self.vehicle.vin, [details[ATTR_OPENING]]
                )
                details[ATTR_ENTITY_ID] = entities[0] if entities else None
            self.fire(event, details)
            if event is CarEvent.LOCKED:
                self._left_open.locked()
            elif event is CarEvent.UNLOCKED:
                self._left_open.cancel()
        if not state.value(signals.CLIMATE_ACTIVE):
            self._ready_fired = False
        elif not self._ready_fired and preconditioning_ready(state):
            self._ready_fired = True
            self.fire(CarEvent.PRECONDITIONING_READY)
        self._previous = state


def coordinator_for_device(
    hass: HomeAssistant, device_id: str
) -> VehicleCoordinator | None:
    """Return the loaded vehicle of a device, if any."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        return None
    vins = {identifier for domain, identifier in device.identifiers if domain == DOMAIN}
    return next((car for car in loaded_cars(hass) if car.vehicle.vin in vins), None)


@callback
def async_start_events(hass: HomeAssistant, entry: ConnectedCarConfigEntry) -> None:
    """Fire the events of every vehicle of the entry until it unloads."""
    for coordinator in entry.runtime_data.coordinators.values():
        entry.async_on_unload(CarEventEmitter(hass, coordinator).async_start())
