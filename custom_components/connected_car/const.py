"""Constants of the Connected Car integration."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

DOMAIN: Final = "connected_car"

CONF_BACKEND: Final = "backend"
"""Entry data: the id of the entry's backend (backends/ has one adapter each)."""

# Options
CONF_POLL_INTERVAL: Final = "poll_interval"
"""Minutes between polls while no stream delivers."""
DEFAULT_POLL_INTERVAL: Final = 5
MIN_POLL_INTERVAL: Final = 1
MAX_POLL_INTERVAL: Final = 60

STREAM_RETRY_MIN: Final = timedelta(seconds=5)
STREAM_RETRY_MAX: Final = timedelta(minutes=10)

STARTUP_CONTACT_WAIT: Final = 3.0
"""Seconds setup waits for the backend when the cars are stored (connection.py)."""
CONTACT_RETRY_MIN: Final = 5.0
CONTACT_RETRY_MAX: Final = 600.0
"""Seconds between attempts to reach a backend that was down at startup."""

# Wake-up preconditioning (car_home/departure.py)
CONF_DEPARTURE_ALARM: Final = "departure_alarm"
"""Option: a timestamp sensor (e.g. the phone's next alarm) giving the departure."""
