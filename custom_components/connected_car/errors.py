"""The one place where vehicle-layer errors become Home Assistant errors.

Setup (building the backend, signing in, listing the cars), the coordinators'
updates and every command go through `ha_error`, so each kind of failure gets
the same translated message and the same consequence everywhere: refused
credentials start re-authentication, a rate limit tells HA when to retry, a
car's refusal names its reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ConfigEntryNotReady,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .const import DOMAIN
from .vehicle import (
    AccountSetupError,
    ClientRejectedError,
    CommandCancelledError,
    CommandFailedError,
    CommandNotSupportedError,
    CommandTimeoutError,
    KeyNotPairedError,
    VehicleAllowanceError,
    VehicleAsleepError,
    VehicleAuthError,
    VehicleError,
    VehicleRateLimitError,
)


class Stage(StrEnum):
    """What the integration was doing when the vehicle layer failed."""

    SETUP = "setup"
    """Setting an entry up: building its backend, signing in, listing the cars."""
    UPDATE = "update"
    """A coordinator fetching a car's state."""
    COMMAND = "command"
    """Sending a command (an entity, the departure plan or a voice request)."""


def ha_error(
    err: VehicleError,
    stage: Stage,
    placeholders: Mapping[str, str] | None = None,
) -> HomeAssistantError:
    """Return the Home Assistant error that reports err at stage.

    placeholders name the vehicle and the command of a command's messages.
    """
    if isinstance(err, VehicleAuthError):
        # A refused client needs a new (or re-activated) client, not only a
        # new sign-in: re-authentication asks for it (the backend's flow).
        error_class = (
            HomeAssistantError if stage is Stage.COMMAND else ConfigEntryAuthFailed
        )
        return error_class(
            translation_domain=DOMAIN,
            translation_key="client_rejected"
            if isinstance(err, ClientRejectedError)
            else "auth_failed",
        )
    if stage is Stage.SETUP and isinstance(err, AccountSetupError):
        # Retrying cannot help: the owner has to finish the setup at the maker.
        return ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key=f"account_setup_{err.reason}",
            translation_placeholders={"error": str(err), **err.details},
        )
    if stage is Stage.SETUP:
        return ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="setup_failed",
            translation_placeholders={"error": str(err)},
        )
    if stage is Stage.UPDATE:
        return _update_error(err)
    return _command_error(err, dict(placeholders or {}))


def _update_error(err: VehicleError) -> UpdateFailed:
    """Return the error of a failed update (a rate limit says when to retry)."""
    if isinstance(err, VehicleAllowanceError):
        return UpdateFailed(
            translation_domain=DOMAIN, translation_key="allowance_exhausted"
        )
    if isinstance(err, VehicleRateLimitError):
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            retry_after=err.retry_after,
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key="update_failed",
        translation_placeholders={"error": str(err)},
    )


def _command_error(  # noqa: PLR0911 - one translated message per kind of failure
    err: VehicleError, placeholders: dict[str, str]
) -> HomeAssistantError:
    """Return the error of a failed command (placeholders: vehicle, command)."""
    if isinstance(err, CommandNotSupportedError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="command_not_supported",
            translation_placeholders=placeholders,
        )
    if isinstance(err, CommandFailedError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=f"command_refused_{err.reason.value}",
            translation_placeholders=placeholders,
        )
    if isinstance(err, KeyNotPairedError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="command_key_not_paired",
            translation_placeholders=placeholders,
        )
    if isinstance(err, CommandCancelledError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="command_cancelled",
            translation_placeholders=placeholders,
        )
    if isinstance(err, CommandTimeoutError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="command_timeout",
            translation_placeholders=placeholders,
        )
    if isinstance(err, VehicleAllowanceError):
        return HomeAssistantError(
            translation_domain=DOMAIN, translation_key="allowance_exhausted"
        )
    if isinstance(err, VehicleRateLimitError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            translation_placeholders=placeholders,
        )
    if isinstance(err, VehicleAsleepError):
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="command_vehicle_asleep",
            translation_placeholders=placeholders,
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="command_unreachable",
        translation_placeholders={**placeholders, "error": str(err)},
    )
