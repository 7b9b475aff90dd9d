"""Tesla: a real car that locks, unlocks, heats and pushes its state.

`TeslaBackend` holds what every way to Tesla shares (parsing, sleeping cars,
waking, commands, counting, the monthly budget); a `TeslaTransport` makes the
calls: `TeslemetryTransport` (the paid service) or `FleetTransport` (Tesla's own
Fleet API with the owner's app, every region including China, signed commands).
Home Assistant-free, like the rest of the vehicle layer.
"""

from .backend import TeslaAccountStatus, TeslaBackend, TeslaPersistence, model_year
from .const import (
    AUTHORIZE_URLS,
    MONTHLY_ALLOWANCE_USD,
    PRICES_USD,
    REQUIREMENTS,
    SCOPES,
    TOKEN_URLS,
    CallKind,
    CommandSigning,
    OnlineState,
    Region,
)
from .errors import (
    InsufficientCreditsError,
    TeslaApiError,
    TeslaAuthError,
    TeslaCommandRefusedError,
    TeslaForbiddenError,
    TeslaKeyNotPairedError,
    TeslaMissingScopesError,
    TeslaNotRegisteredError,
    TeslaPaymentError,
    TeslaSetupError,
)
from .fleet import FleetApp, FleetTransport
from .keys import CommandKey, TeslaKeyError, pairing_url, public_key_url
from .logs import install_log_filter, redact
from .oauth import (
    AccessTokenSource,
    FleetOAuth,
    FleetTokenManager,
    FleetTokens,
    TokenClaims,
    pkce_challenge,
    pkce_pair,
    token_claims,
)
from .parsing import Problem, VehicleProfile, stream_field_names
from .planner import BudgetStatus, CostPlanner, CostSettings, MonthlyUsage
from .transport import AccountInfo, StreamFields, TeslaTransport, TeslemetryTransport

__all__ = [
    "AUTHORIZE_URLS",
    "MONTHLY_ALLOWANCE_USD",
    "PRICES_USD",
    "REQUIREMENTS",
    "SCOPES",
    "TOKEN_URLS",
    "AccessTokenSource",
    "AccountInfo",
    "BudgetStatus",
    "CallKind",
    "CommandKey",
    "CommandSigning",
    "CostPlanner",
    "CostSettings",
    "FleetApp",
    "FleetOAuth",
    "FleetTokenManager",
    "FleetTokens",
    "FleetTransport",
    "InsufficientCreditsError",
    "MonthlyUsage",
    "OnlineState",
    "Problem",
    "Region",
    "StreamFields",
    "TeslaAccountStatus",
    "TeslaApiError",
    "TeslaAuthError",
    "TeslaBackend",
    "TeslaCommandRefusedError",
    "TeslaForbiddenError",
    "TeslaKeyError",
    "TeslaKeyNotPairedError",
    "TeslaMissingScopesError",
    "TeslaNotRegisteredError",
    "TeslaPaymentError",
    "TeslaPersistence",
    "TeslaSetupError",
    "TeslaTransport",
    "TeslemetryTransport",
    "TokenClaims",
    "VehicleProfile",
    "install_log_filter",
    "model_year",
    "pairing_url",
    "pkce_challenge",
    "pkce_pair",
    "public_key_url",
    "redact",
    "stream_field_names",
    "token_claims",
]
