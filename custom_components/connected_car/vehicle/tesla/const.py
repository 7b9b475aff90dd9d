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


class Region(StrEnum):
    """A Fleet API region: where the owner's account and cars live."""

    NA = "na"
    """North America and Asia-Pacific (other than China)."""
    EU = "eu"
    """Europe, the Middle East and Africa."""
    CN = "cn"
    """China: its own sign-in server, developer portal and API host."""


FLEET_API_HOSTS: Final = {
    Region.NA: "fleet-api.prd.na.vn.cloud.tesla.com",
    Region.EU: "fleet-api.prd.eu.vn.cloud.tesla.com",
    Region.CN: "fleet-api.prd.cn.vn.cloud.tesla.cn",
}
"""Every host the transport talks to; an answer naming another host is not followed."""

AUTHORIZE_URLS: Final = {
    Region.NA: "https://auth.tesla.com/oauth2/v3/authorize",
    Region.EU: "https://auth.tesla.com/oauth2/v3/authorize",
    Region.CN: "https://auth.tesla.cn/oauth2/v3/authorize",
}
TOKEN_URLS: Final = {
    Region.NA: "https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/token",
    Region.EU: "https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/token",
    Region.CN: "https://auth.tesla.cn/oauth2/v3/token",
}
"""Token exchange, refresh and partner tokens; North America and Europe share one."""

SCOPES: Final = (
    "openid",
    "offline_access",
    "user_data",
    "vehicle_device_data",
    "vehicle_location",
    "vehicle_cmds",
    "vehicle_charging_cmds",
)
"""What the owner's sign-in asks for: data, location, commands, charging, refresh."""
PARTNER_SCOPES: Final = ("openid", "vehicle_device_data", "vehicle_cmds")

ACCESS_TOKEN_REFRESH_MARGIN: Final = 300.0
"""Seconds before an access token expires (they live 8 h) that it is renewed."""

PUBLIC_KEY_PATH: Final = "/.well-known/appspecific/com.tesla.3p.public-key.pem"
"""Where on the owner's domain Tesla fetches the app's public key."""
PAIRING_URL: Final = "https://tesla.com/_ak/{domain}"
"""Opened in the Tesla app on the owner's phone to add the key to a car."""


class CommandSigning(StrEnum):
    """A car's ``command_signing`` in the products list."""

    REQUIRED = "required"
    ALLOWED = "allowed"
    OFF = "off"
    """Pre-2021 Model S and X: REST commands only (signed ones answer 422)."""


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


PRICES_USD: Final = {
    CallKind.FREE: 0.0,
    CallKind.DATA: 1 / 500,
    CallKind.WAKE: 1 / 50,
    CallKind.COMMAND: 1 / 1000,
}
"""Fleet API prices per request (pay per use since 2025-02); answers >= 500 are free."""
MONTHLY_ALLOWANCE_USD: Final = 10.0
"""What Tesla takes off every month's Fleet API bill."""
BILLED_BELOW_STATUS: Final = 500
