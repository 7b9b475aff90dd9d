"""The cars and their last known states, kept across restarts and crashes.

Generic for all backends. Each reading is stored with the car's own timestamp,
so after a restart the entities show the last values with their true age, and
readings the car sends later replace them only when they are newer. The cars
themselves (identity and capabilities) are stored too: a restart while the
car's cloud is down or slow still sets the cars up from them, at once.

Changes are written within `SAVE_PERIOD` however often the cars report (a
`BoundedStore`): a crash loses at most that much.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
import logging
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .coordinator import ConnectedCarConfigEntry, VehicleCoordinator
from .storage import BoundedStore
from .vehicle import (
    Capabilities,
    CommandKind,
    Position,
    Powertrain,
    Reading,
    TemperatureRange,
    Vehicle,
    VehicleState,
)
from .vehicle.signals import LOCATION, SIGNALS_BY_KEY

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 2
"""1.1 (release 0.1.0): the states by VIN; 1.2: the cars and their states."""
SAVE_PERIOD = 30.0
"""Seconds within which a change is written, however often the cars report."""

type JsonState = dict[str, dict[str, Any]]


def state_to_json(state: VehicleState) -> JsonState:
    """Return a vehicle state as JSON-friendly data."""
    return {
        key: {
            "value": asdict(reading.value)
            if isinstance(reading.value, Position)
            else reading.value,
            "timestamp": reading.timestamp.isoformat(),
        }
        for key, reading in state.readings.items()
    }


def state_from_json(data: Mapping[str, Any]) -> VehicleState:
    """Rebuild a vehicle state; unknown signals and bad values are left out."""
    readings: list[Reading[Any]] = []
    for key, stored in data.items():
        signal = SIGNALS_BY_KEY.get(key)
        if signal is None or not isinstance(stored, Mapping):
            continue
        value = stored.get("value")
        try:
            timestamp = datetime.fromisoformat(stored["timestamp"])
            if signal is LOCATION:
                value = Position(**value) if isinstance(value, Mapping) else None
            elif signal.value_type is float and type(value) is int:
                value = float(value)
        except (KeyError, TypeError, ValueError, OverflowError):
            continue  # OverflowError: an int too large for a float
        readings.append(Reading(signal, value, timestamp))
    return VehicleState().merge(readings).state  # drops malformed and naive ones


def vehicle_to_json(vehicle: Vehicle) -> dict[str, Any]:
    """Return a car's identity and capabilities as JSON-friendly data."""
    capabilities = vehicle.capabilities
    temperatures = capabilities.climate_temperatures
    return {
        "vin": vehicle.vin,
        "name": vehicle.name,
        "make": vehicle.make,
        "model": vehicle.model,
        "powertrain": vehicle.powertrain.value,
        "signals": sorted(capabilities.signals),
        "commands": sorted(command.value for command in capabilities.commands),
        "climate_temperatures": temperatures and asdict(temperatures),
        "model_year": vehicle.model_year,
        "software_version": vehicle.software_version,
    }


def vehicle_from_json(data: object) -> Vehicle | None:
    """Rebuild a stored car, or None when the data is not one."""
    if not isinstance(data, Mapping):
        return None
    try:
        temperatures = data.get("climate_temperatures")
        vehicle = Vehicle(
            vin=_text(data["vin"]),
            name=_text(data["name"]),
            make=_text(data["make"]),
            model=_text(data["model"]),
            powertrain=Powertrain(data["powertrain"]),
            capabilities=Capabilities(
                signals=frozenset(_text(key) for key in data["signals"]),
                commands=frozenset(
                    CommandKind(command)
                    for command in data["commands"]
                    if command in CommandKind  # a command of a newer release
                ),
                climate_temperatures=None
                if temperatures is None
                else TemperatureRange(
                    float(temperatures["minimum"]),
                    float(temperatures["maximum"]),
                    float(temperatures["step"]),
                ),
            ),
            model_year=_optional(data.get("model_year"), int),
            software_version=_optional(data.get("software_version"), str),
        )
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    return vehicle


def _text(value: object) -> str:
    if not isinstance(value, str):
        msg = "not a text"
        raise TypeError(msg)
    return value


def _optional[T](value: object, kind: type[T]) -> T | None:
    if value is None:
        return None
    if type(value) is not kind:
        msg = f"not a {kind.__name__}"
        raise TypeError(msg)
    return value


@dataclass(slots=True)
class StoredVehicles:
    """What an entry stored: its cars (in their order) and their last states."""

    vehicles: list[Vehicle] = field(default_factory=list)
    states: dict[str, VehicleState] = field(default_factory=dict)


class _Store(Store[dict[str, Any]]):
    """The storage file, migrated from release 0.1.0's layout."""

    async def _async_migrate_func(
        self,
        old_major_version: int,
        old_minor_version: int,
        old_data: dict[str, Any],
    ) -> dict[str, Any]:
        if old_minor_version < STORAGE_MINOR_VERSION:
            return {"vehicles": [], "states": old_data}  # 1.1: only states by VIN
        return old_data  # pragma: no cover - a newer minor version reads as is


class VehicleStateStore:
    """The stored cars and states of one config entry."""

    def __init__(self, hass: HomeAssistant, entry: ConnectedCarConfigEntry) -> None:
        """Use the entry's own storage file (private: it holds positions)."""
        self.bounded: BoundedStore[dict[str, Any]] = BoundedStore(
            _Store(
                hass,
                STORAGE_VERSION,
                f"{DOMAIN}.{entry.entry_id}.vehicle_state",
                minor_version=STORAGE_MINOR_VERSION,
                private=True,
            ),
            max_delay=SAVE_PERIOD,
        )
        self._coordinators: dict[str, VehicleCoordinator] = {}

    async def async_load(self) -> StoredVehicles:
        """Return the stored cars and states; what is unreadable is left out."""
        data = await self.bounded.load() or {}
        stored = StoredVehicles()
        vehicles = data.get("vehicles")
        for item in vehicles if isinstance(vehicles, list) else []:
            if (vehicle := vehicle_from_json(item)) is not None:
                stored.vehicles.append(vehicle)
        states = data.get("states")
        if isinstance(states, Mapping):
            stored.states = {
                vin: state_from_json(state)
                for vin, state in states.items()
                if isinstance(vin, str) and isinstance(state, Mapping)
            }
        return stored

    def _data(self) -> dict[str, Any]:
        return {
            "vehicles": [
                vehicle_to_json(coordinator.vehicle)
                for coordinator in self._coordinators.values()
            ],
            "states": {
                vin: state_to_json(coordinator.live.state)
                for vin, coordinator in self._coordinators.items()
            },
        }

    @callback
    def async_track(
        self, coordinators: Mapping[str, VehicleCoordinator]
    ) -> Callable[[], Coroutine[Any, Any, None]]:
        """Save the cars now and their states as they change; return the unload.

        Unloading writes what is still pending.
        """
        self._coordinators = dict(coordinators)
        removers: list[CALLBACK_TYPE] = [
            coordinator.async_add_listener(self._async_changed)
            for coordinator in coordinators.values()
        ]
        self._async_changed()  # the cars as listed now

        async def async_stop() -> None:
            for remove in removers:
                remove()
            await self.bounded.flush()

        return async_stop

    @callback
    def _async_changed(self) -> None:
        self.bounded.schedule(self._data)

    async def async_remove(self) -> None:
        """Delete the stored states (the entry was removed)."""
        await self.bounded.async_remove()
