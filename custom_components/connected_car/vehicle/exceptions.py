"""The one exception hierarchy raised by the vehicle layer and its backends."""

from __future__ import annotations

from enum import StrEnum
import math

MAX_RETRY_AFTER = 48 * 3600.0
"""Longest wait an API's Retry-After is taken for (seconds)."""


class VehicleError(Exception):
    """Base of every error raised by the vehicle layer."""


class VehicleConnectionError(VehicleError):
    """The car's API (or the simulated car) could not be reached or answered garbage."""


class VehicleAsleepError(VehicleConnectionError):
    """The car is asleep or offline and did not come online in time.

    Nothing was carried out; the car's last known values still stand.
    """


class VehicleAuthError(VehicleError):
    """The credentials were refused; only the user can fix this (re-authentication)."""


class ClientRejectedError(VehicleAuthError):
    """The API no longer accepts this integration's client (app) registration.

    Permanent, like any auth error, but signing in again with the same client
    cannot help: the client was deleted or disabled at the car maker's portal
    and the user must create or re-enable it (a repair for Home Assistant).
    """


class AccountSetupError(VehicleError):
    """The account or app at the car maker is not ready for this integration.

    Only the owner can fix it there (signing in again does not help): `reason`
    names what is missing (Home Assistant has a translated message for each),
    `details` fills that message in (no secret, no VIN).
    """

    reason: str = "incomplete"

    def __init__(self, message: str, details: dict[str, str] | None = None) -> None:
        """Keep the message and what fills in the owner's explanation."""
        super().__init__(message)
        self.details: dict[str, str] = dict(details or {})


class VehicleRateLimitError(VehicleError):
    """The API refused the call because a quota or rate limit was hit."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        """Store how many seconds the API asked us to wait, when it said so.

        A wait that is not a number, negative or longer than
        `MAX_RETRY_AFTER` (a hostile or broken header) is bounded.
        """
        super().__init__(message)
        self.retry_after: float | None = None
        if isinstance(retry_after, int | float) and not isinstance(retry_after, bool):
            try:
                wait = float(retry_after)
            except OverflowError:
                wait = MAX_RETRY_AFTER
            if not math.isnan(wait):
                self.retry_after = min(max(wait, 0.0), MAX_RETRY_AFTER)


class VehicleAllowanceError(VehicleRateLimitError):
    """The account's paid allowance (credits, subscription) is used up.

    Waiting does not help: calls fail until the owner tops the account up.
    """


class CommandFailureReason(StrEnum):
    """Why a car refused a command; each value has a translated message in HA."""

    DOOR_OPEN = "door_open"
    LOW_BATTERY = "low_battery"
    LOW_FUEL = "low_fuel"
    VEHICLE_MOVING = "vehicle_moving"
    REJECTED = "rejected"


class VehicleCommandError(VehicleError):
    """Base of the command errors."""


class CommandNotSupportedError(VehicleCommandError):
    """The backend or vehicle has no such command; nothing was sent."""


class CommandFailedError(VehicleCommandError):
    """The car or its API reported that the command was not carried out."""

    def __init__(self, message: str, reason: CommandFailureReason) -> None:
        """Keep the machine-readable reason next to the message."""
        super().__init__(message)
        self.reason = reason


class KeyNotPairedError(VehicleCommandError):
    """The car does not know the integration's key; the owner must add it to the car.

    Nothing was carried out. Signing in again does not help: the key is paired
    in the car maker's app, near the car.
    """


class CommandCancelledError(VehicleCommandError):
    """The command was given up before it was sent (e.g. the car was unloaded)."""


class CommandTimeoutError(VehicleCommandError):
    """The command was accepted but the car's state never confirmed it in time.

    The outcome is unknown: the car may still carry it out later. Also raised
    when confirming failed after the car acknowledged (a failed poll, an
    unload): an acknowledged command is never reported as not sent.
    """
