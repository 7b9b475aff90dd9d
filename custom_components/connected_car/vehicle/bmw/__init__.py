"""BMW CarData: the official, read-only API for BMW and MINI cars (EU).

OAuth device-code sign-in, a REST API limited to 50 calls a day and an MQTT
stream. Home Assistant-free, like the rest of the vehicle layer.
"""

from .auth import (
    CarDataAuth,
    DeviceAuthorization,
    TokenManager,
    Tokens,
    normalize_client_id,
    wait_for_device_authorization,
)
from .backend import (
    AccountPersistence,
    BmwCarDataBackend,
    vehicle_from_basic_data,
)
from .const import CarDataEndpoints
from .errors import (
    AccessDeniedError,
    AuthorizationPendingError,
    CarDataApiError,
    CarDataOAuthError,
    DeviceCodeExpiredError,
    InvalidClientError,
    InvalidGrantError,
    InvalidRequestError,
    SlowDownError,
)
from .planner import PlannerSettings, RestPlanner
from .quota import QuotaBudget

__all__ = [
    "AccessDeniedError",
    "AccountPersistence",
    "AuthorizationPendingError",
    "BmwCarDataBackend",
    "CarDataApiError",
    "CarDataAuth",
    "CarDataEndpoints",
    "CarDataOAuthError",
    "DeviceAuthorization",
    "DeviceCodeExpiredError",
    "InvalidClientError",
    "InvalidGrantError",
    "InvalidRequestError",
    "PlannerSettings",
    "QuotaBudget",
    "RestPlanner",
    "SlowDownError",
    "TokenManager",
    "Tokens",
    "normalize_client_id",
    "vehicle_from_basic_data",
    "wait_for_device_authorization",
]
