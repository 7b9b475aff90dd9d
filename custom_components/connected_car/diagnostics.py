"""Diagnostics: what the integration knows, with identities and places redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry

from .coordinator import ConnectedCarConfigEntry, VehicleCoordinator
from .state_store import state_to_json

TO_REDACT = {
    "vin",
    "serial_number",
    "location",
    "home",
    "latitude",
    "longitude",
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "client_id",
    "gcid",
    "unique_id",
}


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
        "last_update_success": coordinator.last_update_success,
        "state": state_to_json(coordinator.data),
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry
) -> dict[str, Any]:
    """Return diagnostics of the entry and all its vehicles."""
    runtime = entry.runtime_data
    return async_redact_data(
        {
            "entry": {
                "data": dict(entry.data),
                "options": dict(entry.options),
                "unique_id": entry.unique_id,
            },
            "backend": runtime.backend.diagnostics(),
            "vehicles": [
                _vehicle_diagnostics(coordinator)
                for coordinator in runtime.coordinators.values()
            ],
        },
        TO_REDACT,
    )


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
    if vin is None:  # the account's own device (BMW CarData)
        return async_redact_data(
            {"backend": entry.runtime_data.backend.diagnostics()}, TO_REDACT
        )
    return async_redact_data(_vehicle_diagnostics(coordinators[vin]), TO_REDACT)
