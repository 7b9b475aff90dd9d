"""Tesla: a real car that locks, unlocks, heats and pushes its state.

`TeslaBackend` holds what every way to Tesla shares (parsing, sleeping cars,
waking, commands, counting); a `TeslaTransport` makes the calls. Teslemetry is
the first transport. Home Assistant-free, like the rest of the vehicle layer.
"""

from .backend import AccountStatus, TeslaBackend, TeslaPersistence, model_year
from .const import REQUIREMENTS, CallKind, OnlineState
from .errors import (
    InsufficientCreditsError,
    TeslaApiError,
    TeslaAuthError,
    TeslaCommandRefusedError,
    TeslaForbiddenError,
    TeslaPaymentError,
)
from .logs import install_log_filter, redact
from .parsing import Problem, VehicleProfile
from .transport import AccountInfo, TeslaTransport, TeslemetryTransport

__all__ = [
    "REQUIREMENTS",
    "AccountInfo",
    "AccountStatus",
    "CallKind",
    "InsufficientCreditsError",
    "OnlineState",
    "Problem",
    "TeslaApiError",
    "TeslaAuthError",
    "TeslaBackend",
    "TeslaCommandRefusedError",
    "TeslaForbiddenError",
    "TeslaPaymentError",
    "TeslaPersistence",
    "TeslaTransport",
    "TeslemetryTransport",
    "VehicleProfile",
    "install_log_filter",
    "model_year",
    "redact",
]
