"""The Connected Car integration: a car as a first-class part of the smart home."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from .account import async_follow_account
from .backends import BackendAdapter, UnknownBackendError, get_adapter
from .car_home import async_setup_car_home, create_departure_planners
from .const import DOMAIN
from .coordinator import (
    ConnectedCarConfigEntry,
    ConnectedCarRuntimeData,
    VehicleCoordinator,
)
from .dashboard import async_setup_dashboard
from .errors import Stage, ha_error
from .state_store import VehicleStateStore
from .vehicle import Backend, Vehicle, VehicleError

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
    adapter = get_adapter(entry)
    backend = await _async_connect(hass, entry, adapter)
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
    entry.runtime_data = ConnectedCarRuntimeData(
        adapter,
        backend,
        coordinators,
        create_departure_planners(hass, entry, coordinators),
    )
    entry.async_on_unload(state_store.async_track(coordinators))
    async_follow_account(hass, entry)
    adapter.async_setup_entry(hass, entry)
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
    """Delete what the entry stored: vehicle states, and the backend's data."""
    await VehicleStateStore(hass, entry).async_remove()
    try:
        adapter = get_adapter(entry)
    except UnknownBackendError:
        return  # nothing of a backend this version does not know
    await adapter.async_remove_entry(hass, entry)


async def _async_connect(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry, adapter: BackendAdapter
) -> Backend:
    """Build the entry's backend; it closes when the entry unloads."""
    try:
        backend = adapter.create_backend(hass, entry)
    except VehicleError as err:
        raise ha_error(err, Stage.SETUP) from err
    entry.async_on_unload(backend.close)
    return backend


async def _async_login_and_list_vehicles(backend: Backend) -> list[Vehicle]:
    """Log in and list vehicles, mapping errors to what Home Assistant retries."""
    try:
        await backend.login()
        return await backend.list_vehicles()
    except VehicleError as err:
        raise ha_error(err, Stage.SETUP) from err


def _remove_stale_devices(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry, vehicles: list[Vehicle]
) -> None:
    """Remove devices of vehicles the account no longer has."""
    keep = {vehicle.vin for vehicle in vehicles}
    keep |= entry.runtime_data.adapter.device_identifiers(entry)
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not {(DOMAIN, identifier) for identifier in keep} & device.identifiers:
            registry.async_update_device(
                device.id, remove_config_entry_id=entry.entry_id
            )
