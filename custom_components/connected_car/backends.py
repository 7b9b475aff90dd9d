"""Builds the backend a config entry asks for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util.ssl import client_context

from .cardata import CarDataStore
from .const import (
    BACKEND_BMW_CARDATA,
    BACKEND_SIMULATED,
    CONF_BACKEND,
    CONF_CARS,
    CONF_CLIENT_ID,
    CONF_NAMES,
    CONF_SEED,
    CONF_SIMULATION_SPEED,
    CONF_TOKEN,
    DEFAULT_CAR_NAME,
    DEFAULT_SIMULATION_SPEED,
    DOMAIN,
)
from .vehicle.bmw import (
    AccountPersistence,
    BmwCarDataBackend,
    CarDataEndpoints,
    Tokens,
)
from .vehicle.simulator import Clock, RealClock, SimulatedBackend, SimulationSettings

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


CARDATA_ENDPOINTS: CarDataEndpoints | None = None
"""Where BMW CarData lives; None is BMW's servers (tests point it at a fake)."""


def cardata_clock() -> Clock:
    """Return the clock of CarData timekeeping (token expiry, quota, polling)."""
    return RealClock()


def cardata_endpoints() -> CarDataEndpoints:
    """Return the CarData endpoints in use."""
    return CARDATA_ENDPOINTS or CarDataEndpoints()


def create_cardata_backend(
    hass: HomeAssistant,
    client_id: str,
    tokens: Tokens,
    persistence: AccountPersistence,
) -> BmwCarDataBackend:
    """Return a CarData backend using Home Assistant's HTTP session and CAs."""
    endpoints = cardata_endpoints()
    return BmwCarDataBackend(
        session=async_get_clientsession(hass),
        client_id=client_id,
        tokens=tokens,
        persistence=persistence,
        clock=cardata_clock(),
        endpoints=endpoints,
        tls_context=endpoints.tls_context or client_context(),
    )


def create_backend(hass: HomeAssistant, entry: ConfigEntry) -> Backend:
    """Return a new backend for the entry (not yet logged in)."""
    backend_type = entry.data[CONF_BACKEND]
    if backend_type == BACKEND_BMW_CARDATA:
        try:
            tokens = Tokens.from_dict(entry.data[CONF_TOKEN])
        except (KeyError, ValueError) as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            ) from err
        return create_cardata_backend(
            hass,
            entry.data[CONF_CLIENT_ID],
            tokens,
            CarDataStore(hass, tokens.gcid),
        )
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
