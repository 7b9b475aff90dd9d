"""What the car↔home features (events, departure plans, voice) mean alike.

Which cars there are, whether a car is at home, and when its cabin has reached
the climate target are each decided here once; the heater entity uses the same
cabin rule for its heating/cooling/idle action.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from homeassistant.core import HomeAssistant
from homeassistant.util import location as location_util

from ..const import DOMAIN
from ..coordinator import ConnectedCarConfigEntry, VehicleCoordinator
from ..vehicle import VehicleState, signals

CABIN_TOLERANCE = 0.5
"""°C the cabin may differ from the climate target and still count as there."""


def loaded_entries(hass: HomeAssistant) -> list[ConnectedCarConfigEntry]:
    """Return the loaded entries of this integration."""
    return hass.config_entries.async_loaded_entries(DOMAIN)


def loaded_cars(hass: HomeAssistant) -> list[VehicleCoordinator]:
    """Return the vehicles of every loaded entry, in setup order."""
    return [
        coordinator
        for entry in loaded_entries(hass)
        for coordinator in entry.runtime_data.coordinators.values()
    ]


def is_at_home(hass: HomeAssistant, latitude: float, longitude: float) -> bool:
    """Return whether a position lies within the home zone's radius."""
    config = hass.config
    return _within(
        config.latitude, config.longitude, config.radius, latitude, longitude
    )


@lru_cache(maxsize=1024)
def _within(
    home_latitude: float,
    home_longitude: float,
    radius: float,
    latitude: float,
    longitude: float,
) -> bool:
    """Return whether a position lies within radius meters of home.

    Remembered: each position a car reports is asked about twice (as the new
    one, then as the one before), and the distance is an iteration.
    """
    meters = location_util.distance(home_latitude, home_longitude, latitude, longitude)
    return meters is not None and meters <= radius


def car_at_home(hass: HomeAssistant, state: VehicleState) -> bool | None:
    """Return whether the car is at home (None: it has not said where it is)."""
    position = state.value(signals.LOCATION)
    if position is None:
        return None
    return is_at_home(hass, position.latitude, position.longitude)


class Cabin(StrEnum):
    """Where the cabin temperature is, measured against the climate target."""

    BELOW = "below"
    AT = "at"
    ABOVE = "above"


def cabin_versus_target(state: VehicleState) -> Cabin | None:
    """Return the cabin against the target, within `CABIN_TOLERANCE` (None: unknown)."""
    cabin = state.value(signals.CABIN_TEMPERATURE)
    target = state.value(signals.CLIMATE_TARGET_TEMPERATURE)
    if cabin is None or target is None:
        return None
    if cabin < target - CABIN_TOLERANCE:
        return Cabin.BELOW
    if cabin > target + CABIN_TOLERANCE:
        return Cabin.ABOVE
    return Cabin.AT
