"""Tesla's errors in the vehicle layer's hierarchy, and the one place they are mapped.

tesla-fleet-api raises its own classes, rooted in ``TeslaFleetError`` which
subclasses ``BaseException`` (an ``except Exception`` misses them), lets aiohttp's
errors through for statuses it does not know, and answers garbage with
``ValueError``. `api_call` wraps every library call and turns each of these into
exactly one of our exceptions. It maps by HTTP status where it can, so classes
added by newer library versions (``InvalidScope``, ``BadGateway``, ...) land in
the right place too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
import logging
import re
from typing import Any

import aiohttp
from tesla_fleet_api.exceptions import (
    InsufficientCredits,
    NotOnWhitelistFault,
    RateLimited,
    TeslaFleetError,
    TeslaFleetInformationFault,
    TeslaFleetMessageFault,
    TeslaFleetMessageFaultInactiveKey,
    TeslaFleetMessageFaultTimeExpired,
    TeslaFleetMessageFaultUnknownKeyId,
)

from ..exceptions import (
    AccountSetupError,
    CommandFailedError,
    CommandFailureReason,
    KeyNotPairedError,
    VehicleAllowanceError,
    VehicleAsleepError,
    VehicleAuthError,
    VehicleConnectionError,
    VehicleRateLimitError,
)
from .const import PAIRING_URL

_LOGGER = logging.getLogger(__name__)

HTTP_UNAUTHORIZED = 401
HTTP_PAYMENT_REQUIRED = 402
HTTP_FORBIDDEN = 403
HTTP_NOT_FOUND = 404
HTTP_TIMEOUT = 408
HTTP_PRECONDITION_FAILED = 412
HTTP_MISDIRECTED = 421
HTTP_UNPROCESSABLE = 422
HTTP_TOO_MANY_REQUESTS = 429

_BASE_URL = re.compile(r"use base URL: https://([-a-z0-9.]+)")
"""How a 421 names the user's region (Tesla's own SDK reads it the same way)."""


class TeslaApiError(VehicleConnectionError):
    """The API answered with an error that is neither ours to fix nor the user's."""

    def __init__(self, message: str, status: int | None, error: str | None) -> None:
        """Keep the HTTP status and the API's error key (for diagnostics)."""
        super().__init__(message)
        self.status = status
        self.error = error


class TeslaAuthError(VehicleAuthError):
    """The token was refused (401): only a new token helps."""

    def __init__(self, message: str, error: str | None = None) -> None:
        """Keep the API's error key (``invalid_token``, ``login_required``, ...)."""
        super().__init__(message)
        self.error = error


class TeslaForbiddenError(TeslaAuthError):
    """The token lacks a permission (403, e.g. a scope): a new token with it helps."""


class TeslaMissingScopesError(TeslaForbiddenError):
    """The owner did not grant a scope the call needs (403): sign in again granting it."""


class TeslaWrongRegionError(TeslaApiError):
    """The account lives in another region (421); `host` names it when Tesla did."""

    def __init__(self, message: str, error: str | None) -> None:
        """Read the right host out of Tesla's answer."""
        super().__init__(message, HTTP_MISDIRECTED, error)
        found = _BASE_URL.search(error or "")
        self.host = found.group(1) if found else None


class TeslaSigningRequiredError(TeslaApiError):
    """A REST command went to a car that takes only signed ones (403)."""


class TeslaSigningUnsupportedError(TeslaApiError):
    """A signed command went to a car without the command protocol (422, pre-2021 S/X)."""


class TeslaSessionExpiredError(TeslaApiError):
    """The car found a signed command expired; the library has re-synchronised."""


class TeslaSetupError(AccountSetupError):
    """The owner's app setup is incomplete; signing in again does not help."""


class TeslaNotRegisteredError(TeslaSetupError):
    """The app is not registered in the account's region (412) and could not be.

    Registration needs the app's client secret and the public key published on
    its domain; Tesla fetches it from there. `details`: ``region`` and
    ``public_key_url`` (empty where not known).
    """

    reason = "fleet_app_not_registered"

    def __init__(
        self, message: str, *, region: str = "", public_key_url: str = ""
    ) -> None:
        """Name the region and where Tesla looks for the public key."""
        super().__init__(
            message, {"region": region.upper(), "public_key_url": public_key_url}
        )


class TeslaKeyNotPairedError(KeyNotPairedError):
    """The car does not know the integration's command key: the owner must pair it."""

    def __init__(self, domain: str | None) -> None:
        """Name the pairing link when the app's domain is known."""
        self.domain = domain
        self.pairing_url = PAIRING_URL.format(domain=domain) if domain else None
        where = f": open {self.pairing_url} in the Tesla app" if domain else ""
        super().__init__(f"The command key is not paired with this car{where}")


class TeslaPaymentError(VehicleAllowanceError):
    """The account cannot pay for the call (402): credits or subscription.

    Retrying does not help until the owner acts; ``error`` says what is missing
    (``insufficient_credits``, ``subscription_required``, ...).
    """

    def __init__(self, message: str, error: str | None) -> None:
        """Keep the API's error key; there is no time to retry after."""
        super().__init__(message, None)
        self.error = error


class InsufficientCreditsError(TeslaPaymentError):
    """Teslemetry's credits are used up (402 ``insufficient_credits``)."""


class TeslaCommandRefusedError(CommandFailedError):
    """The car answered a command with ``result: false`` and a reason."""

    def __init__(self, command: str, car_reason: str) -> None:
        """Keep the car's own words next to our reason."""
        super().__init__(
            f"The car refused {command}: {car_reason or 'no reason given'}",
            refusal_reason(car_reason),
        )
        self.car_reason = car_reason


def refusal_reason(car_reason: str) -> CommandFailureReason:
    """Return our reason for a Tesla ``reason`` text."""
    text = car_reason.lower()
    if "door" in text or "closure" in text or "trunk" in text:
        return CommandFailureReason.DOOR_OPEN
    if "moving" in text or "drive" in text:
        return CommandFailureReason.VEHICLE_MOVING
    if "battery" in text or "energy" in text:
        return CommandFailureReason.LOW_BATTERY
    return CommandFailureReason.REJECTED


def _error_key(data: object) -> str | None:
    if isinstance(data, Mapping):
        error = data.get("error")
        return error if isinstance(error, str) else None
    return None


def _seconds(value: object) -> float | None:
    try:
        seconds = float(str(value))
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _from_library(what: str, err: TeslaFleetError) -> Exception:
    """Return our exception for one of the library's."""
    if isinstance(
        err,
        NotOnWhitelistFault
        | TeslaFleetMessageFaultUnknownKeyId
        | TeslaFleetMessageFaultInactiveKey,
    ):
        return TeslaKeyNotPairedError(None)
    if isinstance(err, TeslaFleetMessageFaultTimeExpired):
        return TeslaSessionExpiredError(
            f"{what}: the car found the command expired", None, "time_expired"
        )
    if isinstance(err, TeslaFleetMessageFault | TeslaFleetInformationFault):
        fault = type(err).__name__
        return TeslaApiError(
            f"{what}: the car refused the signed message ({fault})", None, fault
        )
    if isinstance(err, RateLimited):
        data = err.data if isinstance(err.data, Mapping) else {}
        retry_after = _seconds(data.get("after"))
        if retry_after is None:
            retry_after = _seconds(data.get("reset"))
        return VehicleRateLimitError(f"{what}: rate limited", retry_after)
    error = _error_key(err.data)
    if isinstance(err, InsufficientCredits):
        return InsufficientCreditsError(f"{what}: no Teslemetry credits left", error)
    return from_status(what, err.status, error or err.message)


def from_status(what: str, status: int | None, error: str | None) -> Exception:  # noqa: PLR0911 - one answer per status
    """Return our exception for an HTTP error status (library class or not)."""
    if status == HTTP_UNAUTHORIZED:
        return TeslaAuthError(f"{what}: token refused ({error or 'no reason'})", error)
    if status == HTTP_PAYMENT_REQUIRED:
        if error == "insufficient_credits":
            return InsufficientCreditsError(
                f"{what}: no Teslemetry credits left", error
            )
        return TeslaPaymentError(f"{what}: payment required ({error})", error)
    text = (error or "").lower()
    if status == HTTP_FORBIDDEN:
        if "command protocol required" in text:
            return TeslaSigningRequiredError(
                f"{what}: the car takes signed commands only", status, error
            )
        if "missing scopes" in text or text == "invalid_scope":
            return TeslaMissingScopesError(
                f"{what}: the sign-in did not grant a needed permission", error
            )
        return TeslaForbiddenError(f"{what}: not permitted ({error})", error)
    if status == HTTP_TIMEOUT:
        return VehicleAsleepError(f"{what}: the car is asleep or offline")
    if status == HTTP_PRECONDITION_FAILED:
        return TeslaNotRegisteredError(
            f"{what}: the app is not registered in this region"
        )
    if status == HTTP_MISDIRECTED:
        return TeslaWrongRegionError(f"{what}: the account is in another region", error)
    if status == HTTP_UNPROCESSABLE and "command protocol" in text:
        return TeslaSigningUnsupportedError(
            f"{what}: the car does not take signed commands", status, error
        )
    if status == HTTP_TOO_MANY_REQUESTS:
        return VehicleRateLimitError(f"{what}: rate limited", None)
    return TeslaApiError(f"{what}: HTTP {status} {error or ''}".strip(), status, error)


async def api_call[T](what: str, call: Awaitable[T]) -> T:
    """Await one library call; raise only the vehicle layer's exceptions.

    what names the call in messages: never a VIN, token or position.
    """
    try:
        return await call
    except TeslaFleetError as err:
        mapped = _from_library(what, err)
    except aiohttp.ClientResponseError as err:
        # Statuses the library has no class for (e.g. 502 in 1.4.2 with a JSON
        # body), and the stream's connect (aiohttp raises for its status).
        mapped = from_status(what, err.status, None)
    except (aiohttp.ClientError, TimeoutError) as err:
        mapped = VehicleConnectionError(f"{what}: {type(err).__name__}")
    except ValueError as err:  # a body that claims JSON but is not
        mapped = TeslaApiError(f"{what}: unreadable answer ({err})", None, None)
    _LOGGER.debug("Tesla call failed: %s", mapped)
    raise mapped


def command_answer(data: object) -> tuple[bool, str]:
    """Return ``(result, reason)`` of a command's answer; raise if unreadable."""
    response = data.get("response") if isinstance(data, Mapping) else None
    if not isinstance(response, Mapping) or not isinstance(
        result := response.get("result"), bool
    ):
        msg = "command: answer without a result"
        raise TeslaApiError(msg, None, None)
    reason = response.get("reason")
    return result, reason if isinstance(reason, str) else ""


def response_of(what: str, data: object) -> Any:
    """Return the ``response`` of a Fleet API envelope; raise if there is none."""
    if isinstance(data, Mapping) and "response" in data:
        return data["response"]
    msg = f"{what}: answer without a response"
    raise TeslaApiError(msg, None, None)
