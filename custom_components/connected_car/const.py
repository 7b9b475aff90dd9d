"""Constants of the Connected Car integration."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

DOMAIN: Final = "connected_car"

CONF_BACKEND: Final = "backend"
BACKEND_SIMULATED: Final = "simulated"
BACKEND_BMW_CARDATA: Final = "bmw_cardata"

# BMW CarData settings (config entry data)
CONF_CLIENT_ID: Final = "client_id"
"""The client ID the owner created in the MyBMW portal (CarData section)."""
CONF_TOKEN: Final = "token"  # noqa: S105 - a key, not a secret
"""The CarData tokens (refreshed and saved back by the integration)."""

# Simulated backend settings (config entry data)
CONF_CARS: Final = "cars"
CONF_NAMES: Final = "names"
CONF_SEED: Final = "seed"
MIN_CARS: Final = 1
MAX_CARS: Final = 10
MAX_SEED: Final = 2**31 - 1
DEFAULT_CAR_NAME: Final = "Simulated car"

# Options
CONF_POLL_INTERVAL: Final = "poll_interval"
"""Minutes between polls while no stream delivers."""
DEFAULT_POLL_INTERVAL: Final = 5
MIN_POLL_INTERVAL: Final = 1
MAX_POLL_INTERVAL: Final = 60
CONF_SIMULATION_SPEED: Final = "simulation_speed"
"""How many times faster than real time the simulated cars live."""
DEFAULT_SIMULATION_SPEED: Final = 1
MAX_SIMULATION_SPEED: Final = 120

STREAM_RETRY_MIN: Final = timedelta(seconds=5)
STREAM_RETRY_MAX: Final = timedelta(minutes=10)

# Wake-up preconditioning (car_home/departure.py)
CONF_DEPARTURE_ALARM: Final = "departure_alarm"
"""Option: a timestamp sensor (e.g. the phone's next alarm) giving the departure."""
