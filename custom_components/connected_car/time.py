"""The departure time of a vehicle's wake-up preconditioning."""

from __future__ import annotations

from datetime import time

from homeassistant.components.time import TimeEntity, TimeEntityDescription
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from .car_home.departure import DepartureEntity
from .coordinator import ConnectedCarConfigEntry

PARALLEL_UPDATES = 0

DEPARTURE_TIME_DESCRIPTION = TimeEntityDescription(
    key="departure_time", translation_key="departure_time"
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a departure time for each vehicle that can precondition."""
    async_add_entities(
        DepartureTime(planner, DEPARTURE_TIME_DESCRIPTION)
        for planner in entry.runtime_data.departures.values()
    )
    async_add_entities(entry.runtime_data.adapter.entities(entry, Platform.TIME))


class DepartureTime(DepartureEntity, TimeEntity, RestoreEntity):
    """When the car should be warm (unless the alarm sensor says otherwise)."""

    async def async_added_to_hass(self) -> None:
        """Restore the time set before a restart."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_state()) is None:
            return
        try:
            restored = time.fromisoformat(last.state)
        except ValueError:
            return
        self.planner.async_update_settings(departure_time=restored)

    @property
    def native_value(self) -> time:
        """Return the departure time."""
        return self.planner.settings.departure_time

    async def async_set_value(self, value: time) -> None:
        """Set the departure time."""
        self.planner.async_update_settings(departure_time=value)
        self.async_write_ha_state()
