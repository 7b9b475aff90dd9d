"""Binary sensors: doors, windows, trunk, hood, anything open, charging, motion."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ConnectedCarConfigEntry
from .entity import ConnectedCarEntity
from .vehicle import CommandKind, Signal, Vehicle, VehicleState, signals

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ConnectedCarBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor: how to read it, and whether a vehicle has it."""

    value_fn: Callable[[VehicleState], bool | None]
    exists_fn: Callable[[Vehicle], bool]
    watches: tuple[Signal[Any], ...] | None = None
    """The signals value_fn and attributes_fn read (None: every change)."""
    attributes_fn: Callable[[VehicleState], Mapping[str, Any]] | None = None


def _signal_binary_sensor(
    signal: Signal[bool], device_class: BinarySensorDeviceClass
) -> ConnectedCarBinarySensorDescription:
    """Describe a binary sensor showing one signal, where the car has it."""
    return ConnectedCarBinarySensorDescription(
        key=signal.key,
        translation_key=signal.key,
        device_class=device_class,
        value_fn=lambda state: state.value(signal),
        exists_fn=lambda vehicle: vehicle.capabilities.has(signal),
        watches=(signal,),
    )


def _locked_sensor_value(state: VehicleState) -> bool | None:
    """Return True when unlocked (device class lock: on means unlocked)."""
    locked = state.value(signals.LOCKED)
    return None if locked is None else not locked


BINARY_SENSORS: tuple[ConnectedCarBinarySensorDescription, ...] = (
    *(
        _signal_binary_sensor(door, BinarySensorDeviceClass.DOOR)
        for door in signals.DOORS
    ),
    *(
        _signal_binary_sensor(window, BinarySensorDeviceClass.WINDOW)
        for window in signals.WINDOWS
    ),
    _signal_binary_sensor(signals.SUNROOF_OPEN, BinarySensorDeviceClass.WINDOW),
    _signal_binary_sensor(signals.TRUNK_OPEN, BinarySensorDeviceClass.OPENING),
    _signal_binary_sensor(signals.HOOD_OPEN, BinarySensorDeviceClass.OPENING),
    ConnectedCarBinarySensorDescription(
        key="anything_open",
        translation_key="anything_open",
        device_class=BinarySensorDeviceClass.OPENING,
        value_fn=signals.anything_open,
        exists_fn=lambda vehicle: any(
            vehicle.capabilities.has(s) for s in signals.OPENINGS
        ),
        attributes_fn=lambda state: {"open": signals.open_openings(state)},
        watches=signals.OPENINGS,
    ),
    _signal_binary_sensor(signals.CHARGING, BinarySensorDeviceClass.BATTERY_CHARGING),
    _signal_binary_sensor(signals.PLUGGED_IN, BinarySensorDeviceClass.PLUG),
    _signal_binary_sensor(signals.MOVING, BinarySensorDeviceClass.MOVING),
    ConnectedCarBinarySensorDescription(
        key="lock_state",
        translation_key="lock_state",
        device_class=BinarySensorDeviceClass.LOCK,
        value_fn=_locked_sensor_value,
        watches=(signals.LOCKED,),
        # Cars that can be locked get a lock entity instead.
        exists_fn=lambda vehicle: (
            vehicle.capabilities.has(signals.LOCKED)
            and not vehicle.capabilities.can(CommandKind.LOCK)
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors each vehicle has, and the backend's own."""
    async_add_entities(
        ConnectedCarBinarySensor(coordinator, description, description.watches)
        for coordinator in entry.runtime_data.coordinators.values()
        for description in BINARY_SENSORS
        if description.exists_fn(coordinator.vehicle)
    )
    async_add_entities(
        entry.runtime_data.adapter.entities(entry, Platform.BINARY_SENSOR)
    )


class ConnectedCarBinarySensor(ConnectedCarEntity, BinarySensorEntity):
    """A binary sensor of a vehicle."""

    entity_description: ConnectedCarBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """Return the state the car last reported."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return extra details (what is open) where the description has them."""
        if (attributes_fn := self.entity_description.attributes_fn) is None:
            return None
        return attributes_fn(self.coordinator.data)
