"""The departure plan switch: wake-up preconditioning on or off."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.restore_state import RestoreEntity

from .car_home.departure import DepartureEntity, DepartureRun
from .coordinator import ConnectedCarConfigEntry

PARALLEL_UPDATES = 0

DEPARTURE_PLAN_DESCRIPTION = SwitchEntityDescription(
    key="departure_plan", translation_key="departure_plan"
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a departure plan switch for each vehicle that can precondition."""
    async_add_entities(
        DeparturePlanSwitch(planner, DEPARTURE_PLAN_DESCRIPTION)
        for planner in entry.runtime_data.departures.values()
    )
    async_add_entities(entry.runtime_data.adapter.entities(entry, Platform.SWITCH))


class DeparturePlanSwitch(DepartureEntity, SwitchEntity, RestoreEntity):
    """Turns the plan on or off; shows and keeps what it does next."""

    _attr_entity_category = None  # the plan itself is a control, not a setting

    async def async_added_to_hass(self) -> None:
        """Restore whether the plan is on (what it did is stored by the planner)."""
        await super().async_added_to_hass()
        if (last := await self.async_get_last_state()) is not None:
            self.planner.async_update_settings(enabled=last.state == STATE_ON)
        if (
            not self.planner.run_stored
            and (extra := await self.async_get_last_extra_data()) is not None
            and isinstance(run := extra.as_dict().get("run"), dict)
        ):  # what release 0.1.0 kept here
            self.planner.async_restore_run(DepartureRun.from_dict(run))
        self.async_on_remove(self.planner.async_add_listener(self.async_write_ha_state))

    @property
    def is_on(self) -> bool:
        """Return whether the plan is on."""
        return self.planner.settings.enabled

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return when the plan acts next and what it takes the departure from."""
        planner = self.planner
        return {
            "next_departure": planner.next_departure,
            "next_start": planner.next_start,
            "departure_source": planner.departure_source,
        }

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn the plan on."""
        self.planner.async_update_settings(enabled=True)
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn the plan off (a started climate is still stopped if the car stays)."""
        self.planner.async_update_settings(enabled=False)
        self.async_write_ha_state()
