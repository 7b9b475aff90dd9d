"""Builds the backend a config entry asks for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .const import (
    BACKEND_SIMULATED,
    CONF_BACKEND,
    CONF_CARS,
    CONF_NAMES,
    CONF_SEED,
    CONF_SIMULATION_SPEED,
    DEFAULT_CAR_NAME,
    DEFAULT_SIMULATION_SPEED,
)
from .vehicle.simulator import RealClock, SimulatedBackend, SimulationSettings

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from .vehicle import Backend


def simulated_car_names(data: Mapping[str, Any]) -> tuple[str, ...]:
    """Return one name per simulated car: the user's names, then numbered defaults."""
    count: int = data[CONF_CARS]
    names = [name.strip() for name in data.get(CONF_NAMES, []) if name.strip()]
    if count == 1 and not names:
        return (DEFAULT_CAR_NAME,)
    defaults = (f"{DEFAULT_CAR_NAME} {number}" for number in range(1, count + 1))
    return tuple(names[:count]) + tuple(defaults)[len(names) : count]


def create_backend(hass: HomeAssistant, entry: ConfigEntry) -> Backend:
    """Return a new backend for the entry (not yet logged in)."""
    backend_type = entry.data[CONF_BACKEND]
    if backend_type == BACKEND_SIMULATED:
        settings = SimulationSettings(
            names=simulated_car_names(entry.data),
            seed=entry.data[CONF_SEED],
            home=(hass.config.latitude, hass.config.longitude),
        )
        speed = entry.options.get(CONF_SIMULATION_SPEED, DEFAULT_SIMULATION_SPEED)
        return SimulatedBackend(settings, RealClock(time_scale=speed))
    msg = f"Unknown backend {backend_type}"
    raise ValueError(msg)
