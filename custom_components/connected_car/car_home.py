"""The car <-> home loop: voice, departure plans and car events, per entry."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from .assist import async_setup_voice
from .coordinator import ConnectedCarConfigEntry


async def async_setup_car_home(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry
) -> None:
    """Start what links the entry's cars to the home; it all stops on unload."""
    await async_setup_voice(hass, entry)
