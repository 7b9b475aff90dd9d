"""The car's central locking, confirmed by the car's own lock state."""

from __future__ import annotations

from typing import Any

from homeassistant.components.lock import LockEntity, LockEntityDescription
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ConnectedCarConfigEntry, VehicleCoordinator
from .entity import ConnectedCarEntity
from .vehicle import Command, CommandKind, Vehicle, signals

PARALLEL_UPDATES = 1

LOCK_DESCRIPTION = LockEntityDescription(key="lock", name=None)


def _has_lock(vehicle: Vehicle) -> bool:
    capabilities = vehicle.capabilities
    return (
        capabilities.has(signals.LOCKED)
        and capabilities.can(CommandKind.LOCK)
        and capabilities.can(CommandKind.UNLOCK)
    )


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a lock for each vehicle that can be locked remotely."""
    async_add_entities(
        ConnectedCarLock(coordinator)
        for coordinator in entry.runtime_data.coordinators.values()
        if _has_lock(coordinator.vehicle)
    )
    async_add_entities(entry.runtime_data.adapter.entities(entry, Platform.LOCK))


class ConnectedCarLock(ConnectedCarEntity, LockEntity):
    """The car itself as a lock: named like the car, so "lock My Car" works."""

    def __init__(self, coordinator: VehicleCoordinator) -> None:
        """Create the lock of a vehicle."""
        super().__init__(coordinator, LOCK_DESCRIPTION, (signals.LOCKED,))

    @property
    def is_locked(self) -> bool | None:
        """Return the lock state the car last reported."""
        return self.coordinator.data.value(signals.LOCKED)

    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the car; return once the car reports it locked."""
        await self._async_run(CommandKind.LOCK)

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the car; return once the car reports it unlocked."""
        await self._async_run(CommandKind.UNLOCK)

    async def _async_run(self, kind: CommandKind) -> None:
        """Show locking/unlocking while the car works on it, then its real state."""
        self._attr_is_locking = kind is CommandKind.LOCK
        self._attr_is_unlocking = kind is CommandKind.UNLOCK
        self.async_write_ha_state()
        try:
            await self.async_send_command(Command(kind))
        finally:
            self._attr_is_locking = self._attr_is_unlocking = False
            self.async_write_ha_state()
