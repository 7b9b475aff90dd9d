"""Home Assistant-free vehicle layer: models, backends and the command lifecycle.

Nothing in this package imports `homeassistant`; a test enforces it.
"""

from .backend import AccountStatus, Backend
from .exceptions import (
    ClientRejectedError,
    CommandCancelledError,
    CommandFailedError,
    CommandFailureReason,
    CommandNotSupportedError,
    CommandTimeoutError,
    VehicleAuthError,
    VehicleCommandError,
    VehicleConnectionError,
    VehicleError,
    VehicleRateLimitError,
)
from .live import LiveVehicle
from .models import (
    Capabilities,
    Command,
    CommandKind,
    CommandOutcome,
    CommandResult,
    Position,
    Powertrain,
    Reading,
    Signal,
    StateUpdate,
    StreamEvent,
    StreamStatus,
    TemperatureRange,
    Unit,
    Vehicle,
    VehicleState,
)

__all__ = [
    "AccountStatus",
    "Backend",
    "Capabilities",
    "ClientRejectedError",
    "Command",
    "CommandCancelledError",
    "CommandFailedError",
    "CommandFailureReason",
    "CommandKind",
    "CommandNotSupportedError",
    "CommandOutcome",
    "CommandResult",
    "CommandTimeoutError",
    "LiveVehicle",
    "Position",
    "Powertrain",
    "Reading",
    "Signal",
    "StateUpdate",
    "StreamEvent",
    "StreamStatus",
    "TemperatureRange",
    "Unit",
    "Vehicle",
    "VehicleAuthError",
    "VehicleCommandError",
    "VehicleConnectionError",
    "VehicleError",
    "VehicleRateLimitError",
    "VehicleState",
]
