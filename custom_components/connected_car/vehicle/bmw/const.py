"""Fixed facts of BMW CarData: where it lives and what it allows.

Production endpoints are the defaults of `CarDataEndpoints`; tests build their
own to point the client at a local fake. TLS verification is never switched off:
a test passes an SSL context that trusts its own CA instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
import ssl
from typing import Final

AUTH_BASE_URL: Final = "https://customer.bmwgroup.com"
API_BASE_URL: Final = "https://api-cardata.bmwgroup.com"
MQTT_HOST: Final = "customer.streaming-cardata.bmwgroup.com"
MQTT_PORT: Final = 9000

DEVICE_CODE_PATH: Final = "/gcdm/oauth/device/code"
TOKEN_PATH: Final = "/gcdm/oauth/token"  # noqa: S105 - a path, not a secret
SCOPE: Final = "authenticate_user openid cardata:api:read cardata:streaming:read"
DEVICE_CODE_GRANT: Final = "urn:ietf:params:oauth:grant-type:device_code"
API_VERSION_HEADER: Final = {"x-version": "v1"}

DAILY_CALL_LIMIT: Final = 50
"""REST calls BMW allows per account in 24 hours; more gives HTTP 403 CU-429."""
QUOTA_WINDOW: Final = timedelta(hours=24)

MQTT_KEEPALIVE: Final = 30
"""Seconds; BMW's broker drops connections with longer keepalives (~75 s)."""

CONTAINER_NAME_PREFIX: Final = "Home Assistant Connected Car"
"""Our telematic container is named this plus a hash of its keys (reused by name)."""


@dataclass(frozen=True, slots=True)
class CarDataEndpoints:
    """Where the client finds CarData; production unless a test says otherwise."""

    auth_base_url: str = AUTH_BASE_URL
    api_base_url: str = API_BASE_URL
    mqtt_host: str = MQTT_HOST
    mqtt_port: int = MQTT_PORT
    tls_context: ssl.SSLContext | None = None
    """Verifying context for the MQTT connection; None = the system's CAs."""
