"""Numbers of a vehicle's departure plan: lead time and temperature threshold."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntityDescription,
    NumberMode,
    RestoreNumber,
)
from homeassistant.const import Platform, UnitOfTemperature, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .car_home.departure import DepartureEntity
from .coordinator import ConnectedCarConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DepartureNumberDescription(NumberEntityDescription):
    """A number setting of the departure plan: the settings field it sets."""

    setting: str


DEPARTURE_NUMBERS: tuple[DepartureNumberDescription, ...] = (
    DepartureNumberDescription(
        key="departure_lead_time",
        translation_key="departure_lead_time",
        setting="lead_minutes",
        device_class=NumberDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        native_min_value=5,
        native_max_value=60,
        native_step=5,
        mode=NumberMode.BOX,
    ),
    DepartureNumberDescription(
        key="departure_max_outside_temperature",
        translation_key="departure_max_outside_temperature",
        setting="max_outside_temperature",
        device_class=NumberDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        native_min_value=-20,
        native_max_value=30,
        native_step=0.5,
        mode=NumberMode.BOX,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the departure numbers for each vehicle that can precondition."""
    async_add_entities(
        DepartureNumber(planner, description)
        for planner in entry.runtime_data.departures.values()
        for description in DEPARTURE_NUMBERS
    )
    async_add_entities(entry.runtime_data.adapter.entities(entry, Platform.NUMBER))


class DepartureNumber(DepartureEntity, RestoreNumber):
    """A number of the departure plan, restored after a restart."""

    entity_description: DepartureNumberDescription

    async def async_added_to_hass(self) -> None:
        """Restore the value set before a restart."""
        await super().async_added_to_hass()
        last = await self.async_get_last_number_data()
        if last is None or last.native_value is None:
            return
        value = min(
            max(last.native_value, self.native_min_value), self.native_max_value
        )
        self.planner.async_update_settings(**{self.entity_description.setting: value})

    @property
    def native_value(self) -> float:
        """Return the setting."""
        value: float = getattr(self.planner.settings, self.entity_description.setting)
        return value

    async def async_set_native_value(self, value: float) -> None:
        """Change the setting."""
        self.planner.async_update_settings(**{self.entity_description.setting: value})
        self.async_write_ha_state()
