"""Diagnostics: what the integration knows, with identities and places redacted.

Redacted: the generic keys below and those the entry's backend adapter names
(its credentials and account ids).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry

from .coordinator import ConnectedCarConfigEntry, VehicleCoordinator
from .state_store import state_to_json

TO_REDACT = frozenset(
    {
        "vin",
        "vins",
        "serial_number",
        "location",
        "home",
        "latitude",
        "longitude",
        "access_token",
        "refresh_token",
        "id_token",
        "token",
        "unique_id",
    }
)


def _vehicle_diagnostics(coordinator: VehicleCoordinator) -> dict[str, Any]:
    vehicle = coordinator.vehicle
    capabilities = vehicle.capabilities
    return {
        "vehicle": {
            "vin": vehicle.vin,
            "name": vehicle.name,
            "make": vehicle.make,
            "model": vehicle.model,
            "model_year": vehicle.model_year,
            "powertrain": vehicle.powertrain,
            "software_version": vehicle.software_version,
            "signals": sorted(capabilities.signals),
            "commands": sorted(capabilities.commands),
            "climate_temperatures": capabilities.climate_temperatures
            and asdict(capabilities.climate_temperatures),
        },
        "streaming": coordinator.live.streaming,
        "live_stream": {
            **coordinator.stream_status.as_dict(),
            "retry_at": coordinator.stream_retry_at
            and coordinator.stream_retry_at.isoformat(),
        },
        "rejected_readings": dict(coordinator.live.rejections),
        "last_update_success": coordinator.last_update_success,
        "state": state_to_json(coordinator.data),
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry
) -> dict[str, Any]:
    """Return diagnostics of the entry and all its vehicles."""
    runtime = entry.runtime_data
    diagnostics = {
        "entry": {
            "data": dict(entry.data),
            "options": dict(entry.options),
            "unique_id": entry.unique_id,
        },
        **_backend_diagnostics(entry),
        "vehicles": [
            _vehicle_diagnostics(coordinator)
            for coordinator in runtime.coordinators.values()
        ],
    }
    return async_redact_data(diagnostics, TO_REDACT | runtime.adapter.redact)


def _backend_diagnostics(entry: ConnectedCarConfigEntry) -> dict[str, Any]:
    """Return what the backend and its adapter tell about the account."""
    runtime = entry.runtime_data
    connection = runtime.connection
    diagnostics = {
        "backend": runtime.backend.diagnostics(),
        "account": asdict(runtime.backend.account_status()),
        "connection": {
            "reached": connection.reached,
            "attempts": connection.attempts,
            **connection.loop.status.as_dict(),
        },
    }
    if extra := runtime.adapter.diagnostics(entry):
        diagnostics["adapter"] = extra
    return diagnostics


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """Return diagnostics of one vehicle."""
    coordinators = entry.runtime_data.coordinators
    vin = next(
        (
            identifier
            for _, identifier in device.identifiers
            if identifier in coordinators
        ),
        None,
    )
    redact = TO_REDACT | entry.runtime_data.adapter.redact
    if vin is None:  # a device of the backend's own (its account)
        return async_redact_data(_backend_diagnostics(entry), redact)
    return async_redact_data(_vehicle_diagnostics(coordinators[vin]), redact)
