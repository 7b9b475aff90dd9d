"""CarData's errors, as subclasses of the vehicle layer's one hierarchy."""

from __future__ import annotations

from ..exceptions import VehicleAuthError, VehicleConnectionError
from ..privacy import redact

MAX_ERROR_CODE = 64
"""Characters of an error code we keep (BMW's are short; a hostile one is not)."""


class CarDataOAuthError(VehicleAuthError):
    """The token endpoint answered with an OAuth error (``{"error": ...}``)."""

    def __init__(self, error: str, description: str | None = None) -> None:
        """Keep the OAuth error code; the (redacted, shortened) description is for logs."""
        error = redact(error, limit=MAX_ERROR_CODE)
        description = None if description is None else redact(description)
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description


class SignInUnavailableError(VehicleConnectionError):
    """The sign-in server is busy or failing: try again later.

    ``server_error``, ``temporarily_unavailable`` or a 5xx answer; nothing is
    wrong with the sign-in itself.
    """

    def __init__(self, error: str, description: str | None = None) -> None:
        """Keep the OAuth error code (or ``HTTP <status>``)."""
        error = redact(error, limit=MAX_ERROR_CODE)
        detail = f"{error}: {redact(description)}" if description else error
        super().__init__(f"BMW sign-in server unavailable ({detail})")
        self.error = error


class AuthorizationPendingError(CarDataOAuthError):
    """The user has not yet approved the device code: poll again later."""


class SlowDownError(CarDataOAuthError):
    """We polled too fast: add 5 s to the interval (RFC 8628)."""


class DeviceCodeExpiredError(CarDataOAuthError):
    """The device code expired before the user approved it: start again."""


class AccessDeniedError(CarDataOAuthError):
    """The user (or BMW's partner sync) declined the authorization."""


class InvalidGrantError(CarDataOAuthError):
    """The grant (refresh token or device code) is invalid, expired or revoked.

    For a refresh token this is the one error only the user can fix: sign in
    again. Everything else is retried.
    """


class InvalidClientError(CarDataOAuthError):
    """BMW does not know the client ID (or it was deleted in the portal)."""


class InvalidRequestError(CarDataOAuthError):
    """BMW refused the request's parameters (e.g. a malformed client ID)."""


class CarDataTokenRejectedError(VehicleAuthError):
    """The REST API refused the access token (401, CU-100/101/102).

    The backend answers this by refreshing the token and trying once more; it
    never starts a reauthentication by itself.
    """


class CarDataApiError(VehicleConnectionError):
    """The REST API answered with an error other than quota or token."""

    def __init__(self, status: int, code: str | None, message: str) -> None:
        """Keep the HTTP status and CarData's error id (e.g. CU-103)."""
        code = None if code is None else redact(code, limit=MAX_ERROR_CODE)
        super().__init__(f"HTTP {status} {code or ''} {redact(message)}".strip())
        self.status = status
        self.code = code


OAUTH_ERRORS: dict[str, type[CarDataOAuthError]] = {
    "authorization_pending": AuthorizationPendingError,
    "slow_down": SlowDownError,
    "expired_token": DeviceCodeExpiredError,
    "access_denied": AccessDeniedError,
    "invalid_grant": InvalidGrantError,
    "invalid_client": InvalidClientError,
    "invalid_request": InvalidRequestError,
}
"""OAuth error codes of BMW's token endpoints and the class each raises."""

TRANSIENT_OAUTH_ERRORS = frozenset({"server_error", "temporarily_unavailable"})
"""OAuth error codes that mean "try again later" (RFC 6749 §4.1.2.1)."""
CLIENT_REJECTED_ERRORS = frozenset({"invalid_client", "unauthorized_client"})
"""OAuth error codes on refresh that only a new or re-enabled client can fix."""
