"""Home Assistant-free vehicle layer: models, backends and the command lifecycle.

Nothing in this package imports `homeassistant`; a test enforces it.
"""

from .backend import AccountStatus, Backend
from .exceptions import (
    CommandFailedError,
    CommandFailureReason,
    CommandNotSupportedError,
    CommandTimeoutError,
    VehicleAllowanceError,
    VehicleAsleepError,
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
    "Command",
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
    "VehicleAllowanceError",
    "VehicleAsleepError",
    "VehicleAuthError",
    "VehicleCommandError",
    "VehicleConnectionError",
    "VehicleError",
    "VehicleRateLimitError",
    "VehicleState",
]
