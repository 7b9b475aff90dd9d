"""Buttons: flash the lights, sound the horn, refresh now."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import ConnectedCarConfigEntry, VehicleCoordinator
from .entity import ConnectedCarEntity
from .helpers import async_send_command
from .vehicle import Command, CommandKind, Vehicle

PARALLEL_UPDATES = 1


async def _async_refresh(coordinator: VehicleCoordinator) -> None:
    """Fetch the full state now; tell the user when that failed."""
    await coordinator.async_refresh()
    if not coordinator.last_update_success:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="refresh_failed",
            translation_placeholders={"vehicle": coordinator.vehicle.name},
        )


def _command_press(
    kind: CommandKind,
) -> Callable[[VehicleCoordinator], Awaitable[None]]:
    async def press(coordinator: VehicleCoordinator) -> None:
        await async_send_command(coordinator, Command(kind))

    return press


@dataclass(frozen=True, kw_only=True)
class ConnectedCarButtonDescription(ButtonEntityDescription):
    """A button: what pressing it does, and whether a vehicle has it."""

    press_fn: Callable[[VehicleCoordinator], Awaitable[None]]
    exists_fn: Callable[[Vehicle], bool]


BUTTONS: tuple[ConnectedCarButtonDescription, ...] = (
    ConnectedCarButtonDescription(
        key="flash_lights",
        translation_key="flash_lights",
        press_fn=_command_press(CommandKind.FLASH_LIGHTS),
        exists_fn=lambda vehicle: vehicle.capabilities.can(CommandKind.FLASH_LIGHTS),
    ),
    ConnectedCarButtonDescription(
        key="sound_horn",
        translation_key="sound_horn",
        press_fn=_command_press(CommandKind.SOUND_HORN),
        exists_fn=lambda vehicle: vehicle.capabilities.can(CommandKind.SOUND_HORN),
    ),
    ConnectedCarButtonDescription(
        key="refresh",
        translation_key="refresh",
        entity_category=EntityCategory.DIAGNOSTIC,
        press_fn=_async_refresh,
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
        ConnectedCarButton(coordinator, description)
        for coordinator in entry.runtime_data.coordinators.values()
        for description in BUTTONS
        if description.exists_fn(coordinator.vehicle)
    )


class ConnectedCarButton(ConnectedCarEntity, ButtonEntity):
    """A button of a vehicle."""

    entity_description: ConnectedCarButtonDescription

    async def async_press(self) -> None:
        """Carry out the button's action."""
        await self.entity_description.press_fn(self.coordinator)
