"""The base of every Connected Car entity: one device per vehicle."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import VehicleCoordinator, Watches
from .vehicle import Command, CommandResult, Signal


def unique_id(owner: str, key: str) -> str:
    """Return an entity's unique id: its owner (a VIN, an account) and its key.

    Existing installs depend on these: never change the format.
    """
    return f"{owner}-{key}"


class ConnectedCarEntity(CoordinatorEntity[VehicleCoordinator]):
    """An entity of one vehicle, named by its translation key.

    Written when a signal it watches changes, and when the vehicle's
    availability changes; watching None means every change.
    """

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: VehicleCoordinator,
        description: EntityDescription,
        watches: Iterable[Signal[Any]] | None = None,
    ) -> None:
        """Attach the entity to its vehicle's device."""
        super().__init__(coordinator, None if watches is None else Watches.of(watches))
        self.entity_description = description
        vehicle = coordinator.vehicle
        self._attr_unique_id = unique_id(vehicle.vin, description.key)
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, vehicle.vin)},
            name=vehicle.name,
            manufacturer=vehicle.make,
            model=vehicle.model,
            serial_number=vehicle.vin,
            sw_version=vehicle.software_version,
        )

    @property
    def available(self) -> bool:
        """Return False only while the stream is down and fetching fails too.

        A failed fetch (a garbled answer to "refresh") is no outage while the
        stream still delivers the car's values.
        """
        return super().available or self.coordinator.live.streaming

    async def async_send_command(self, command: Command) -> CommandResult:
        """Send a command to the entity's car and wait for the car to confirm it."""
        return await self.coordinator.async_send_command(command)
