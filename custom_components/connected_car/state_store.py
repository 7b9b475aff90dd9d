"""The last known state of every vehicle, kept across Home Assistant restarts.

Generic for all backends: each reading is stored with the car's own timestamp,
so after a restart the entities show the last values with their true age, and
readings the car sends later replace them only when they are newer.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import asdict
from datetime import datetime
import logging
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .coordinator import ConnectedCarConfigEntry, VehicleCoordinator
from .vehicle import Position, Reading, VehicleState
from .vehicle.signals import LOCATION, SIGNALS_BY_KEY

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION = 1
SAVE_DELAY = 30.0
"""Seconds changes are collected before they are written (and at shutdown)."""

type StoredState = dict[str, dict[str, dict[str, Any]]]


def state_to_json(state: VehicleState) -> dict[str, dict[str, Any]]:
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
        except (KeyError, TypeError, ValueError):
            continue
        if signal.value_type is float and isinstance(value, int):
            value = float(value)
        readings.append(Reading(signal, value, timestamp))
    return VehicleState().merge(readings).state  # drops malformed and naive ones


class VehicleStateStore:
    """A `Store` of one config entry's vehicle states."""

    def __init__(self, hass: HomeAssistant, entry: ConnectedCarConfigEntry) -> None:
        """Use the entry's own storage file (private: it holds positions)."""
        self._store: Store[StoredState] = Store(
            hass,
            STORAGE_VERSION,
            f"{DOMAIN}.{entry.entry_id}.vehicle_state",
            private=True,
        )
        self._coordinators: dict[str, VehicleCoordinator] = {}

    async def async_load(self) -> dict[str, VehicleState]:
        """Return the stored state of each vehicle by VIN."""
        data = await self._store.async_load() or {}
        return {
            vin: state_from_json(stored)
            for vin, stored in data.items()
            if isinstance(stored, Mapping)
        }

    def _data(self) -> StoredState:
        return {
            vin: state_to_json(coordinator.live.state)
            for vin, coordinator in self._coordinators.items()
        }

    @callback
    def async_track(
        self, coordinators: Mapping[str, VehicleCoordinator]
    ) -> Callable[[], Coroutine[Any, Any, None]]:
        """Save whenever a vehicle's state changes; return the unload function."""
        self._coordinators = dict(coordinators)
        removers: list[CALLBACK_TYPE] = [
            coordinator.async_add_listener(self._async_changed)
            for coordinator in coordinators.values()
        ]

        async def async_stop() -> None:
            for remove in removers:
                remove()
            await self._store.async_save(self._data())

        return async_stop

    @callback
    def _async_changed(self) -> None:
        self._store.async_delay_save(self._data, SAVE_DELAY)

    async def async_remove(self) -> None:
        """Delete the stored states (the entry was removed)."""
        await self._store.async_remove()
