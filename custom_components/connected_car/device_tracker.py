"""Where the car is: a GPS tracker, so zones such as home work."""

from __future__ import annotations

from homeassistant.components.device_tracker import TrackerEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ConnectedCarConfigEntry, VehicleCoordinator
from .entity import ConnectedCarEntity
from .vehicle import Position, signals

PARALLEL_UPDATES = 0

LOCATION_DESCRIPTION = EntityDescription(key="location", translation_key="location")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a tracker for each vehicle that reports its position."""
    async_add_entities(
        ConnectedCarTracker(coordinator)
        for coordinator in entry.runtime_data.coordinators.values()
        if coordinator.vehicle.capabilities.has(signals.LOCATION)
    )
    async_add_entities(
        entry.runtime_data.adapter.entities(entry, Platform.DEVICE_TRACKER)
    )


class ConnectedCarTracker(ConnectedCarEntity, TrackerEntity):
    """The car's GPS position."""

    def __init__(self, coordinator: VehicleCoordinator) -> None:
        """Create the tracker of a vehicle."""
        super().__init__(coordinator, LOCATION_DESCRIPTION, (signals.LOCATION,))

    @property
    def _position(self) -> Position | None:
        return self.coordinator.data.value(signals.LOCATION)

    @property
    def latitude(self) -> float | None:
        """Return the latitude the car last reported."""
        return None if (position := self._position) is None else position.latitude

    @property
    def longitude(self) -> float | None:
        """Return the longitude the car last reported."""
        return None if (position := self._position) is None else position.longitude

    @property
    def location_accuracy(self) -> float:
        """Return the radius (m) of the fix; 0 when the API does not say."""
        position = self._position
        return 0 if position is None or position.accuracy is None else position.accuracy
