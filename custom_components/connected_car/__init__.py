"""The Connected Car integration: a car as a first-class part of the smart home."""

from __future__ import annotations

import asyncio

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .account import async_follow_account
from .backends import BackendAdapter, UnknownBackendError, get_adapter
from .car_home import async_create_departure_planners, async_setup_car_home
from .car_home.departure import DepartureRuns
from .connection import BackendConnection
from .const import DOMAIN, STARTUP_CONTACT_WAIT
from .coordinator import (
    ConnectedCarConfigEntry,
    ConnectedCarRuntimeData,
    VehicleCoordinator,
)
from .dashboard import async_setup_dashboard
from .errors import Stage, ha_error
from .state_store import VehicleStateStore
from .vehicle import Backend, Vehicle, VehicleError, VehicleState

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
    """Load every vehicle and start live updates.

    The cars and their states stored by the last run are shown at once, also
    while the car's cloud is down or slow (connection.py).
    """
    adapter = get_adapter(entry)
    backend = await _async_connect(hass, entry, adapter)
    state_store = VehicleStateStore(hass, entry)
    stored = await state_store.async_load()
    connection = BackendConnection(hass, entry, backend)
    vehicles = await connection.async_first_contact(stored.vehicles)
    coordinators = {
        vehicle.vin: VehicleCoordinator(
            hass,
            entry,
            backend,
            vehicle,
            stored.states.get(vehicle.vin),
            polling=connection.reached,
            pace=lambda: adapter.poll_interval(backend),
        )
        for vehicle in vehicles
    }
    if connection.reached:
        await _async_first_refresh(hass, entry, coordinators, stored.states)
    entry.runtime_data = ConnectedCarRuntimeData(
        adapter,
        backend,
        coordinators,
        connection,
        await async_create_departure_planners(hass, entry, coordinators),
    )
    for coordinator in coordinators.values():
        entry.async_on_unload(coordinator.live.close)  # gives up pending commands
    entry.async_on_unload(state_store.async_track(coordinators))
    async_follow_account(hass, entry)
    adapter.async_setup_entry(hass, entry)
    _remove_stale_devices(hass, entry, vehicles)
    connection.async_start(lambda: _async_start_live_updates(hass, entry))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await async_setup_car_home(hass, entry)
    await async_setup_dashboard(hass)
    return True


async def _async_first_refresh(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    coordinators: dict[str, VehicleCoordinator],
    restored: dict[str, VehicleState],
) -> None:
    """Fetch each car's state; a car with a stored state is not waited for long.

    Without a stored state setup fails (and is retried) when the fetch fails.
    """
    pending = [
        entry.async_create_background_task(
            hass, coordinator.async_refresh(), f"{coordinator.name} first refresh"
        )
        for vin, coordinator in coordinators.items()
        if vin in restored
    ]
    for vin, coordinator in coordinators.items():
        if vin not in restored:
            await coordinator.async_config_entry_first_refresh()
    if pending:
        await asyncio.wait(pending, timeout=STARTUP_CONTACT_WAIT)


@callback
def _async_start_live_updates(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry
) -> None:
    """Run the backend's own work and each car's stream; poll until it delivers."""
    runtime = entry.runtime_data
    backend = runtime.backend
    entry.async_create_background_task(hass, backend.run(), f"{DOMAIN} backend")
    for coordinator in runtime.coordinators.values():
        coordinator.async_start_polling()
        if backend.supports_stream:
            entry.async_create_background_task(
                hass,
                coordinator.async_run_stream(),
                f"{DOMAIN} stream {coordinator.name}",
            )


async def async_unload_entry(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry
) -> bool:
    """Unload the platforms; background tasks and the backend stop with the entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry
) -> None:
    """Delete what the entry stored: vehicle states, departure runs, backend data."""
    await VehicleStateStore(hass, entry).async_remove()
    await DepartureRuns(hass, entry).bounded.async_remove()
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
        backend = await adapter.async_create_backend(hass, entry)
    except VehicleError as err:
        raise ha_error(err, Stage.SETUP) from err
    entry.async_on_unload(backend.close)
    return backend


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
