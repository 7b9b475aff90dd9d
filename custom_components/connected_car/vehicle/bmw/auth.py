"""CarData sign-in: OAuth 2.0 device authorization with PKCE, and token refresh.

The user creates their own client ID in the MyBMW portal. We ask BMW for a
device code, the user approves it in a browser, and we poll the token endpoint
at the server's interval. Access and ID tokens live an hour; the refresh token
about two weeks and is rotated on every refresh.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
import hashlib
import json
import logging
import secrets
from typing import Any
from urllib.parse import urlencode

import aiohttp

from ..clock import Clock
from ..exceptions import VehicleAuthError, VehicleConnectionError
from .const import (
    DEVICE_CODE_GRANT,
    DEVICE_CODE_PATH,
    SCOPE,
    TOKEN_PATH,
    CarDataEndpoints,
)
from .errors import (
    OAUTH_ERRORS,
    AuthorizationPendingError,
    CarDataOAuthError,
    DeviceCodeExpiredError,
    InvalidGrantError,
    SlowDownError,
)

_LOGGER = logging.getLogger(__name__)

REQUEST_TIMEOUT = 30.0
"""Seconds before a request to the sign-in server counts as failed."""
REFRESH_MARGIN = timedelta(minutes=5)
"""Tokens are refreshed this long before they expire."""
REFRESH_RETRY_MIN = 30.0
REFRESH_RETRY_MAX = 300.0
SLOW_DOWN_STEP = 5
"""Seconds added to the poll interval on ``slow_down`` (RFC 8628 §3.5)."""
MAX_POLL_NETWORK_ERRORS = 3
"""Consecutive network errors after which polling for a device code gives up."""


def pkce_pair() -> tuple[str, str]:
    """Return a PKCE code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(64)  # 86 characters of [A-Za-z0-9_-]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


def normalize_client_id(client_id: str) -> str:
    """Return the client ID as BMW accepts it: trimmed and lower case.

    Upper-case client IDs made BMW's token endpoint fail after approval
    (``invalid_grant`` or a 500 ``invalid_access_token``).
    """
    return client_id.strip().lower()


@dataclass(frozen=True, slots=True)
class Tokens:
    """The tokens of one signed-in CarData account."""

    gcid: str
    """The account's id: MQTT user name and our unique ID."""
    access_token: str
    id_token: str
    """The MQTT password."""
    refresh_token: str
    expires_at: datetime
    """When the access and ID token expire (the clock of whoever made them)."""
    scope: str = ""

    def expires_within(self, now: datetime, margin: timedelta) -> bool:
        """Return whether the tokens expire before now + margin."""
        return self.expires_at - margin <= now

    def as_dict(self) -> dict[str, str]:
        """Return the tokens for storage in a config entry."""
        return {
            "gcid": self.gcid,
            "access_token": self.access_token,
            "id_token": self.id_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.isoformat(),
            "scope": self.scope,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tokens:
        """Rebuild stored tokens; ValueError when they are not ours."""
        try:
            expires_at = datetime.fromisoformat(data["expires_at"])
            tokens = cls(
                gcid=data["gcid"],
                access_token=data["access_token"],
                id_token=data["id_token"],
                refresh_token=data["refresh_token"],
                expires_at=expires_at,
                scope=data.get("scope", ""),
            )
        except (KeyError, TypeError) as err:
            msg = f"Stored tokens are incomplete: {err}"
            raise ValueError(msg) from err
        if expires_at.tzinfo is None:
            msg = "Stored token expiry has no time zone"
            raise ValueError(msg)
        return tokens

    @classmethod
    def from_response(
        cls, payload: object, now: datetime, gcid: str | None = None
    ) -> Tokens:
        """Parse a token response; the GCID of the old tokens if BMW left it out."""
        if not isinstance(payload, Mapping):
            msg = "Token response is not a JSON object"
            raise VehicleConnectionError(msg)
        strings = ("access_token", "id_token", "refresh_token")
        account = payload.get("gcid") or gcid
        expires_in = payload.get("expires_in")
        if (
            not all(
                isinstance(payload.get(key), str) and payload[key] for key in strings
            )
            or not isinstance(account, str)
            or not account
            or not isinstance(expires_in, int | float)
            or isinstance(expires_in, bool)
        ):
            msg = "Token response lacks tokens, gcid or expires_in"
            raise VehicleConnectionError(msg)
        return cls(
            gcid=account,
            access_token=payload["access_token"],
            id_token=payload["id_token"],
            refresh_token=payload["refresh_token"],
            expires_at=now + timedelta(seconds=expires_in),
            scope=str(payload.get("scope", "")),
        )


@dataclass(frozen=True, slots=True)
class DeviceAuthorization:
    """A pending device code: what the user must enter, and how we poll."""

    client_id: str
    device_code: str
    user_code: str
    verification_uri: str
    interval: int
    expires_at: datetime
    code_verifier: str

    @classmethod
    def from_response(
        cls, body: Mapping[str, Any], client_id: str, verifier: str, now: datetime
    ) -> DeviceAuthorization:
        """Parse BMW's device code response."""
        try:
            return cls(
                client_id=client_id,
                device_code=_string(body, "device_code"),
                user_code=_string(body, "user_code"),
                verification_uri=_string(body, "verification_uri"),
                interval=max(int(body.get("interval", 5)), 1),
                expires_at=now + timedelta(seconds=int(body.get("expires_in", 300))),
                code_verifier=verifier,
            )
        except (TypeError, ValueError) as err:
            msg = f"Unexpected device code response: {err}"
            raise VehicleConnectionError(msg) from err

    @property
    def verification_url(self) -> str:
        """Return the link that opens the approval page with the code filled in.

        BMW's guide v1.5 no longer documents ``verification_uri_complete`` and
        tells clients to build it like this.
        """
        return f"{self.verification_uri}?{urlencode({'user_code': self.user_code})}"


class CarDataAuth:
    """Talks to BMW's sign-in server (device code, token, refresh)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        endpoints: CarDataEndpoints | None = None,
        request_timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        """Use the caller's HTTP session (Home Assistant's shared one)."""
        self._session = session
        self._base = (endpoints or CarDataEndpoints()).auth_base_url
        self._timeout = request_timeout

    async def _post(self, path: str, form: Mapping[str, str]) -> tuple[int, object]:
        """POST a form; return the status and JSON body, or raise connection errors."""
        try:
            async with asyncio.timeout(self._timeout):
                response = await self._session.post(
                    f"{self._base}{path}",
                    data=dict(form),
                    headers={"Accept": "application/json"},
                )
                async with response:
                    status = response.status
                    text = await response.text()
        except TimeoutError as err:
            msg = "BMW sign-in server did not answer in time"
            raise VehicleConnectionError(msg) from err
        except aiohttp.ClientError as err:
            msg = f"BMW sign-in server unreachable: {err}"
            raise VehicleConnectionError(msg) from err
        try:
            body: object = json.loads(text)
        except ValueError:
            body = None
        return status, body

    async def _post_expecting(
        self, path: str, form: Mapping[str, str]
    ) -> Mapping[str, Any]:
        """POST and return the 2xx JSON object; raise the mapped error otherwise."""
        status, body = await self._post(path, form)
        if (error := sign_in_error(status, body)) is not None:
            raise error
        assert isinstance(body, Mapping)  # noqa: S101 - sign_in_error checked it
        return body

    async def request_device_code(
        self, client_id: str, now: datetime
    ) -> DeviceAuthorization:
        """Ask for a device code the user approves in the browser (PKCE S256)."""
        client_id = normalize_client_id(client_id)
        verifier, challenge = pkce_pair()
        body = await self._post_expecting(
            DEVICE_CODE_PATH,
            {
                "client_id": client_id,
                "response_type": "device_code",
                "scope": SCOPE,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        return DeviceAuthorization.from_response(body, client_id, verifier, now)

    async def poll_device_token(
        self, authorization: DeviceAuthorization, now: datetime
    ) -> Tokens:
        """Try once to exchange the device code for tokens.

        Raises `AuthorizationPendingError` until the user approved.
        """
        body = await self._post_expecting(
            TOKEN_PATH,
            {
                "client_id": authorization.client_id,
                "grant_type": DEVICE_CODE_GRANT,
                "device_code": authorization.device_code,
                "code_verifier": authorization.code_verifier,
            },
        )
        return Tokens.from_response(body, now)

    async def refresh(self, client_id: str, tokens: Tokens, now: datetime) -> Tokens:
        """Exchange the refresh token for new tokens (a new refresh token too)."""
        body = await self._post_expecting(
            TOKEN_PATH,
            {
                "client_id": normalize_client_id(client_id),
                "grant_type": "refresh_token",
                "refresh_token": tokens.refresh_token,
            },
        )
        return Tokens.from_response(body, now, gcid=tokens.gcid)


async def wait_for_device_authorization(
    auth: CarDataAuth, authorization: DeviceAuthorization, clock: Clock
) -> Tokens:
    """Poll at the server's interval until the user approved (or it failed).

    Raises `DeviceCodeExpiredError`, `AccessDeniedError`, `InvalidGrantError`
    and the other OAuth errors as BMW sends them, and `VehicleConnectionError`
    after repeated network failures.
    """
    interval = authorization.interval
    network_errors = 0
    while True:
        await clock.sleep(interval)
        if clock.now() >= authorization.expires_at:
            error = "expired_token"
            raise DeviceCodeExpiredError(error, "device code expired")
        try:
            return await auth.poll_device_token(authorization, clock.now())
        except AuthorizationPendingError:
            network_errors = 0
        except SlowDownError:
            network_errors = 0
            interval += SLOW_DOWN_STEP
            _LOGGER.debug("BMW asked to poll slower: every %d s", interval)
        except VehicleConnectionError:
            network_errors += 1
            if network_errors >= MAX_POLL_NETWORK_ERRORS:
                raise


type TokenListener = Callable[[Tokens], None]


class TokenManager:
    """Keeps one account's tokens fresh; the single place that refreshes them.

    A refresh token BMW declares invalid (``invalid_grant``) makes the manager
    dead: every later use raises `VehicleAuthError` without asking BMW again,
    so nothing loops. Any other refresh failure is a `VehicleConnectionError`
    and is retried.
    """

    def __init__(
        self, auth: CarDataAuth, client_id: str, tokens: Tokens, clock: Clock
    ) -> None:
        """Start from stored tokens."""
        self._auth = auth
        self._client_id = client_id
        self._tokens = tokens
        self._clock = clock
        self._lock = asyncio.Lock()
        self._listeners: list[TokenListener] = []
        self._dead: InvalidGrantError | None = None
        self.refreshed_at: datetime | None = None
        self.refresh_count = 0

    @property
    def tokens(self) -> Tokens:
        """Return the current tokens (possibly about to expire)."""
        return self._tokens

    @property
    def dead(self) -> bool:
        """Return whether BMW refused the refresh token (sign in again)."""
        return self._dead is not None

    def add_listener(self, listener: TokenListener) -> Callable[[], None]:
        """Call listener with every new set of tokens; return a remover."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _raise_if_dead(self) -> None:
        if self._dead is not None:
            msg = "The CarData sign-in expired; sign in again"
            raise VehicleAuthError(msg) from self._dead

    async def valid_tokens(self) -> Tokens:
        """Return tokens valid for at least the refresh margin, refreshing first."""
        self._raise_if_dead()
        if self._tokens.expires_within(self._clock.now(), REFRESH_MARGIN):
            await self._refresh(only_if_expiring=True)
        return self._tokens

    async def access_token(self) -> str:
        """Return a valid access token for the REST API."""
        return (await self.valid_tokens()).access_token

    async def refresh(self) -> Tokens:
        """Refresh now, whatever the expiry (e.g. after BMW refused a token)."""
        await self._refresh(only_if_expiring=False)
        return self._tokens

    async def refresh_unless_newer(self, refused: Tokens, min_age: timedelta) -> None:
        """Refresh after BMW refused `refused`, unless that is already moot.

        Nothing happens when the tokens changed meanwhile (a refresh raced the
        refusal) or are younger than min_age (BMW's broker needs a moment to
        learn a new token; refreshing again would only rotate it once more).
        """
        async with self._lock:
            self._raise_if_dead()
            if self._tokens != refused:
                return
            now = self._clock.now()
            if self.refreshed_at is not None and now - self.refreshed_at < min_age:
                return
            await self._do_refresh(now)

    async def _refresh(self, *, only_if_expiring: bool) -> None:
        async with self._lock:
            self._raise_if_dead()
            now = self._clock.now()
            if only_if_expiring and not self._tokens.expires_within(
                now, REFRESH_MARGIN
            ):
                return  # another caller refreshed while we waited for the lock
            await self._do_refresh(now)

    async def _do_refresh(self, now: datetime) -> None:
        try:
            tokens = await self._auth.refresh(self._client_id, self._tokens, now)
        except InvalidGrantError as err:
            self._dead = err
            _LOGGER.warning("BMW refused the CarData refresh token: %s", err)
            self._raise_if_dead()
        except CarDataOAuthError as err:
            msg = f"Token refresh failed: {err}"
            raise VehicleConnectionError(msg) from err
        self._tokens = tokens
        self.refreshed_at = now
        self.refresh_count += 1
        for listener in list(self._listeners):
            listener(tokens)

    async def run(self) -> None:
        """Refresh shortly before every expiry, until cancelled or dead.

        Network failures are retried with backoff; a dead refresh token ends
        the loop (the caller learns it from `dead` and the raised error).
        """
        retry = REFRESH_RETRY_MIN
        while True:
            self._raise_if_dead()
            due = self._tokens.expires_at - REFRESH_MARGIN - self._clock.now()
            if due > timedelta(0):
                await self._clock.sleep(due.total_seconds())
            try:
                await self._refresh(only_if_expiring=True)
            except VehicleConnectionError as err:
                _LOGGER.info("Could not refresh CarData tokens, retrying: %s", err)
                await self._clock.sleep(retry)
                retry = min(retry * 2, REFRESH_RETRY_MAX)
            else:
                retry = REFRESH_RETRY_MIN


def _string(body: Mapping[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        msg = f"missing {key}"
        raise ValueError(msg)
    return value


def sign_in_error(status: int, body: object) -> Exception | None:
    """Return the error a sign-in server answer means, or None for success."""
    if isinstance(body, Mapping) and isinstance(error := body.get("error"), str):
        description = body.get("error_description")
        error_class = OAUTH_ERRORS.get(error, CarDataOAuthError)
        return error_class(error, description if isinstance(description, str) else None)
    if status >= 300 or not isinstance(body, Mapping):  # noqa: PLR2004
        return VehicleConnectionError(_describe_failure(status, body))
    return None


def _describe_failure(status: int, body: object) -> str:
    """Return a log-friendly description of an unexpected answer."""
    if isinstance(body, Mapping) and isinstance(fault := body.get("fault"), Mapping):
        # BMW's API gateway answers some failures with its own shape.
        detail = fault.get("detail")
        code = detail.get("errorcode") if isinstance(detail, Mapping) else None
        return f"HTTP {status}: {fault.get('faultstring')} ({code})"
    return f"HTTP {status} from the BMW sign-in server"
