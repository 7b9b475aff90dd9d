"""The car <-> home loop: car events, departure plans and voice, per entry."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from ..coordinator import ConnectedCarConfigEntry
from .departure import async_create_departure_planners, async_start_departure_plans
from .events import async_start_events
from .voice.sentences import async_setup_voice

__all__ = ["async_create_departure_planners", "async_setup_car_home"]


async def async_setup_car_home(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry
) -> None:
    """Start what links the entry's cars to the home; it all stops on unload.

    Called once the platforms are set up: the devices exist (events name them)
    and the departure entities have restored their settings.
    """
    async_start_events(hass, entry)
    async_start_departure_plans(entry)
    await async_setup_voice(hass, entry)
