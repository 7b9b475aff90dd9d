"""Buttons: flash the lights, sound the horn, refresh now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import ConnectedCarConfigEntry
from .entity import ConnectedCarEntity
from .vehicle import Command, CommandKind, Vehicle

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ConnectedCarButtonDescription(ButtonEntityDescription):
    """A button: what pressing it does, and whether a vehicle has it."""

    command: CommandKind | None
    """The command a press sends; None: fetch the car's full state now."""
    exists_fn: Callable[[Vehicle], bool]


def _command_button(kind: CommandKind) -> ConnectedCarButtonDescription:
    """Describe a button that sends one command, on cars that take it."""
    return ConnectedCarButtonDescription(
        key=kind.value,
        translation_key=kind.value,
        command=kind,
        exists_fn=lambda vehicle: vehicle.capabilities.can(kind),
    )


BUTTONS: tuple[ConnectedCarButtonDescription, ...] = (
    _command_button(CommandKind.FLASH_LIGHTS),
    _command_button(CommandKind.SOUND_HORN),
    ConnectedCarButtonDescription(
        key="refresh",
        translation_key="refresh",
        entity_category=EntityCategory.DIAGNOSTIC,
        command=None,
        exists_fn=lambda _: True,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons each vehicle has."""
    async_add_entities(
        ConnectedCarButton(coordinator, description, watches=())
        for coordinator in entry.runtime_data.coordinators.values()
        for description in BUTTONS
        if description.exists_fn(coordinator.vehicle)
    )
    async_add_entities(entry.runtime_data.adapter.entities(entry, Platform.BUTTON))


class ConnectedCarButton(ConnectedCarEntity, ButtonEntity):
    """A button of a vehicle."""

    entity_description: ConnectedCarButtonDescription

    async def async_press(self) -> None:
        """Send the button's command, or fetch the car's state now."""
        if (kind := self.entity_description.command) is not None:
            await self.async_send_command(Command(kind))
            return
        coordinator = self.coordinator
        await coordinator.async_refresh()
        if not coordinator.last_update_success:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="refresh_failed",
                translation_placeholders={"vehicle": coordinator.vehicle.name},
            )
