"""Constants of the Tesla backend: requirements, hosts, timings, API vocabulary."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

REQUIREMENTS: Final = ("tesla-fleet-api>=1.4.2,<2", "teslemetry-stream>=0.9.0,<2")
"""What the integration's manifest must list for this backend.

Lower bounds: the versions Home Assistant 2026.2 ships for its own Tesla
integrations, so installing ours never replaces theirs; every newer 1.x works too
(HA 2026.11 ships tesla-fleet-api 1.19.0). Our code uses only the API both ends
share (tests/vehicle/tesla/test_requirements.py resolves these specifiers)."""

TESLEMETRY_API: Final = "https://api.teslemetry.com"
TESLEMETRY_DOMAIN: Final = "teslemetry.com"
"""Regional stream hosts are ``{region}.teslemetry.com`` (from the account's metadata)."""

LIBRARY_LOGGERS: Final = ("tesla_fleet_api", "teslemetry_stream")
"""Loggers of the libraries; their records are filtered of tokens, VINs and payloads."""

WAKE_TIMEOUT: Final = 60.0
"""Seconds a woken car gets to come online (a cloud wake typically takes 10-30 s)."""
WAKE_POLL_INTERVAL: Final = 5.0
"""Seconds between the free state checks while a car wakes."""
STREAM_RETRY_MIN: Final = 5.0
STREAM_RETRY_MAX: Final = 600.0

VEHICLE_DATA_ENDPOINTS: Final = (
    "charge_state",
    "climate_state",
    "drive_state",
    "vehicle_config",
    "vehicle_state",
)
LOCATION_ENDPOINT: Final = "location_data"
"""Asked for only with the ``vehicle_location`` scope (cars show a location icon)."""

SCOPE_COMMANDS: Final = "vehicle_cmds"
SCOPE_LOCATION: Final = "vehicle_location"

DEFAULT_CLIMATE_RANGE: Final = (15.0, 28.0)
"""°C bounds of the climate target until the car reports its own."""
CLIMATE_STEP: Final = 0.5
"""Tesla takes cabin targets in 0.5 °C steps."""

DONE_REASONS: Final = frozenset({"already_set"})
"""``result: false`` reasons meaning the car is already where the command wants it."""


class OnlineState(StrEnum):
    """A car's reachability, as the cloud reports it (plus our own "waking")."""

    ONLINE = "online"
    WAKING = "waking"
    ASLEEP = "asleep"
    OFFLINE = "offline"


class CallKind(StrEnum):
    """Kinds of API calls, counted because each costs differently."""

    FREE = "free"
    """Vehicle list and state: no charge, never wakes the car."""
    DATA = "data"
    WAKE = "wake"
    COMMAND = "command"
