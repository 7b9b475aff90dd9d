"""The Connected Car integration: a car as a first-class part of the smart home."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
from homeassistant.helpers import device_registry as dr

from .backends import create_backend
from .car_home import async_setup_car_home
from .cardata import account_device_id, async_remove_cardata, async_setup_cardata
from .const import BACKEND_BMW_CARDATA, CONF_BACKEND, DOMAIN
from .coordinator import (
    ConnectedCarConfigEntry,
    ConnectedCarRuntimeData,
    VehicleCoordinator,
)
from .dashboard import async_setup_dashboard
from .state_store import VehicleStateStore
from .vehicle import Backend, Vehicle, VehicleAuthError, VehicleError
from .vehicle.bmw import BmwCarDataBackend

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CLIMATE,
    Platform.DEVICE_TRACKER,
    Platform.LOCK,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TIME,
]


async def async_setup_entry(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry
) -> bool:
    """Connect to the backend, load every vehicle and start live updates."""
    backend = create_backend(hass, entry)
    entry.async_on_unload(backend.close)
    vehicles = await _async_login_and_list_vehicles(backend)
    state_store = VehicleStateStore(hass, entry)
    restored = await state_store.async_load()
    coordinators = {
        vehicle.vin: VehicleCoordinator(
            hass, entry, backend, vehicle, restored.get(vehicle.vin)
        )
        for vehicle in vehicles
    }
    for coordinator in coordinators.values():
        await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = ConnectedCarRuntimeData(backend, coordinators)
    entry.async_on_unload(state_store.async_track(coordinators))
    if isinstance(backend, BmwCarDataBackend):
        async_setup_cardata(hass, entry, backend)
    _remove_stale_devices(hass, entry, vehicles)

    entry.async_create_background_task(hass, backend.run(), f"{DOMAIN} backend")
    if backend.supports_stream:
        for coordinator in coordinators.values():
            entry.async_create_background_task(
                hass,
                coordinator.async_run_stream(),
                f"{DOMAIN} stream {coordinator.name}",
            )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await async_setup_car_home(hass, entry)
    await async_setup_dashboard(hass)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry
) -> bool:
    """Unload the platforms; background tasks and the backend stop with the entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry
) -> None:
    """Delete what the entry stored: vehicle states and account data."""
    await VehicleStateStore(hass, entry).async_remove()
    if entry.data[CONF_BACKEND] == BACKEND_BMW_CARDATA and entry.unique_id:
        await async_remove_cardata(hass, entry.unique_id)


async def _async_login_and_list_vehicles(backend: Backend) -> list[Vehicle]:
    """Log in and list vehicles, mapping errors to what Home Assistant retries."""
    try:
        await backend.login()
        return await backend.list_vehicles()
    except VehicleAuthError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="auth_failed"
        ) from err
    except VehicleError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="setup_failed",
            translation_placeholders={"error": str(err)},
        ) from err


def _remove_stale_devices(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry, vehicles: list[Vehicle]
) -> None:
    """Remove devices of vehicles the account no longer has."""
    current = {(DOMAIN, vehicle.vin) for vehicle in vehicles}
    current.add((DOMAIN, account_device_id(entry)))  # the account's own device
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not device.identifiers & current:
            registry.async_update_device(
                device.id, remove_config_entry_id=entry.entry_id
            )
