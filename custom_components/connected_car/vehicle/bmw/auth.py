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
from datetime import UTC, datetime, timedelta
import hashlib
import logging
import math
import re
import secrets
from typing import Any
from urllib.parse import urlencode

import aiohttp

from ..clock import Clock
from ..exceptions import (
    ClientRejectedError,
    VehicleAuthError,
    VehicleConnectionError,
    VehicleRateLimitError,
)
from ..payloads import (
    BodyProblem,
    ProblemHandler,
    decode_json,
    read_body,
    retry_after_seconds,
)
from ..privacy import describe_error, redact
from ..supervision import Backoff
from .const import (
    DEVICE_CODE_GRANT,
    DEVICE_CODE_PATH,
    SCOPE,
    TOKEN_PATH,
    CarDataEndpoints,
)
from .errors import (
    CLIENT_REJECTED_ERRORS,
    OAUTH_ERRORS,
    TRANSIENT_OAUTH_ERRORS,
    AuthorizationPendingError,
    CarDataOAuthError,
    DeviceCodeExpiredError,
    InvalidGrantError,
    SignInUnavailableError,
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
MAX_POLL_INTERVAL = 60
"""Longest wait between two polls for a device code (a hostile interval is cut)."""
DEVICE_CODE_LIFETIME = (60, 1800)
"""Bounds of a device code's lifetime in seconds (BMW's: 300)."""
TOKEN_LIFETIME = (60, 24 * 3600)
"""Bounds of a token lifetime in seconds (BMW's: 3599); outside, it is clamped."""
HTTP_TOO_MANY_REQUESTS = 429
HTTP_SERVER_ERROR = 500
MAX_TOKEN_CHARS = 16 * 1024
TOKEN_PATTERN = re.compile(r"[\x21-\x7e]+")
"""Printable ASCII without spaces: what may go into a header or a form."""
ACCOUNT_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,128}")
"""A GCID: the MQTT user name and topic prefix, so no ``/``, ``+`` or ``#``."""
USER_CODE_PATTERN = re.compile(r"[A-Za-z0-9-]{1,64}")
MAX_URL_CHARS = 2048


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
        expires_in = _seconds(payload.get("expires_in"))
        if (
            not all(_is_token(payload.get(key)) for key in strings)
            or not isinstance(account, str)
            or not ACCOUNT_ID_PATTERN.fullmatch(account)
            or expires_in is None
        ):
            msg = "Token response lacks usable tokens, gcid or expires_in"
            raise VehicleConnectionError(msg)
        # A strange lifetime must not lose the (rotated) refresh token: clamp it.
        lifetime = min(max(expires_in, TOKEN_LIFETIME[0]), TOKEN_LIFETIME[1])
        scope = payload.get("scope")
        return cls(
            gcid=account,
            access_token=payload["access_token"],
            id_token=payload["id_token"],
            refresh_token=payload["refresh_token"],
            expires_at=now + timedelta(seconds=lifetime),
            scope=scope[:MAX_URL_CHARS] if isinstance(scope, str) else "",
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
        """Parse BMW's device code response (odd numbers are brought in bounds)."""
        try:
            device_code = _string(body, "device_code")
            user_code = _string(body, "user_code")
            verification_uri = _string(body, "verification_uri")
            interval = _seconds(body.get("interval", 5))
            lifetime = _seconds(body.get("expires_in", 300))
            # Sent form-encoded: any text will do, within reason.
            _require(len(device_code) <= MAX_TOKEN_CHARS, "unusable device_code")
            _require(USER_CODE_PATTERN.fullmatch(user_code), "unusable user_code")
            _require(
                verification_uri.startswith("https://")
                and _is_token(verification_uri, MAX_URL_CHARS),
                "unusable verification_uri",
            )
            _require(interval is not None, "interval is not a number")
            _require(lifetime is not None, "expires_in is not a number")
        except ValueError as err:
            msg = f"Unexpected device code response: {err}"
            raise VehicleConnectionError(msg) from err
        assert interval is not None  # noqa: S101 - checked above
        assert lifetime is not None  # noqa: S101 - checked above
        low, high = DEVICE_CODE_LIFETIME
        return cls(
            client_id=client_id,
            device_code=device_code,
            user_code=user_code,
            verification_uri=verification_uri,
            interval=int(min(max(interval, 1), MAX_POLL_INTERVAL)),
            expires_at=now + timedelta(seconds=min(max(lifetime, low), high)),
            code_verifier=verifier,
        )

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
        on_problem: ProblemHandler | None = None,
    ) -> None:
        """Use the caller's HTTP session (Home Assistant's shared one).

        on_problem counts and logs unreadable answers (the backend's).
        """
        self._session = session
        self._base = (endpoints or CarDataEndpoints()).auth_base_url
        self._timeout = request_timeout
        self.on_problem = on_problem

    async def _post(
        self, path: str, form: Mapping[str, str]
    ) -> tuple[int, object, float | None]:
        """POST a form; return status, JSON body and Retry-After, or raise.

        Raises only `VehicleConnectionError`: a body that is not readable JSON
        (too large, not UTF-8, too deep) is counted and returned as None.
        """
        try:
            async with asyncio.timeout(self._timeout):
                response = await self._session.post(
                    f"{self._base}{path}",
                    data=dict(form),
                    headers={"Accept": "application/json"},
                )
                async with response:
                    status = response.status
                    retry_after = response.headers.get("Retry-After")
                    raw = await read_body(response)
        except TimeoutError as err:
            msg = "BMW sign-in server did not answer in time"
            raise VehicleConnectionError(msg) from err
        except (aiohttp.ClientError, ValueError) as err:
            msg = f"BMW sign-in server unreachable: {describe_error(err)}"
            raise VehicleConnectionError(msg) from err
        body, problem = (
            (None, BodyProblem.TOO_LARGE) if raw is None else decode_json(raw)
        )
        if problem is not None and self.on_problem is not None:
            self.on_problem(problem.value, f"sign-in answer, HTTP {status}")
        # An HTTP-date is relative to real time, whatever clock the caller runs on.
        wait = retry_after_seconds(retry_after, datetime.now(UTC))
        return status, body, wait

    async def _post_expecting(
        self, path: str, form: Mapping[str, str]
    ) -> Mapping[str, Any]:
        """POST and return the 2xx JSON object; raise the mapped error otherwise."""
        status, body, retry_after = await self._post(path, form)
        if (error := sign_in_error(status, body, retry_after)) is not None:
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
    and the other OAuth errors as BMW sends them. A busy or unreachable
    sign-in server (``server_error``, ``temporarily_unavailable``, 5xx,
    timeouts, 429) is waited out with backoff, honouring Retry-After, until
    the code expires; if the last poll failed that way, its error is raised
    then instead of the expiry.
    """
    interval = authorization.interval
    backoff = Backoff(interval, MAX_POLL_INTERVAL)
    delay: float = interval
    last_failure: VehicleConnectionError | VehicleRateLimitError | None = None
    while True:
        await clock.sleep(delay)
        if clock.now() >= authorization.expires_at:
            if last_failure is not None:
                raise last_failure
            error = "expired_token"
            raise DeviceCodeExpiredError(error, "device code expired")
        try:
            return await auth.poll_device_token(authorization, clock.now())
        except AuthorizationPendingError:
            last_failure = None
            backoff.reset()
            delay = interval
        except SlowDownError:
            last_failure = None
            interval = min(interval + SLOW_DOWN_STEP, MAX_POLL_INTERVAL)
            backoff = Backoff(interval, MAX_POLL_INTERVAL)
            delay = interval
            _LOGGER.debug("BMW asked to poll slower: every %d s", interval)
        except (VehicleConnectionError, VehicleRateLimitError) as err:
            last_failure = err
            delay = backoff.next_delay(err)
            _LOGGER.debug("Sign-in poll failed, retrying in %.0f s: %s", delay, err)


type TokenListener = Callable[[Tokens], None]


def _retrieve_outcome(task: asyncio.Task[None]) -> None:
    """Mark a refresh's error as seen (its callers may all have gone)."""
    if not task.cancelled():
        task.exception()


class TokenManager:
    """Keeps one account's tokens fresh; the single place that refreshes them.

    A refresh runs to its end even when every caller waiting for it is
    cancelled (an entry reloading): BMW rotates the refresh token as it
    answers, so an answer thrown away would sign the account out. Its new
    tokens still reach the listeners; `settled` waits for it.

    A refresh token BMW declares invalid (``invalid_grant``) makes the manager
    dead: every later use raises `VehicleAuthError` without asking BMW again,
    so nothing loops. A client BMW no longer accepts (``invalid_client``,
    ``unauthorized_client``) is just as final and raises the distinct
    `ClientRejectedError`. A rate limit is a `VehicleRateLimitError`; any
    other refresh failure a `VehicleConnectionError`, retried.
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
        self._dead: CarDataOAuthError | None = None
        self._in_flight: asyncio.Task[None] | None = None
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

    @property
    def client_rejected(self) -> bool:
        """Return whether BMW refused the client itself (not only the sign-in)."""
        return self._dead is not None and self._dead.error in CLIENT_REJECTED_ERRORS

    def _raise_if_dead(self) -> None:
        if self._dead is None:
            return
        if self.client_rejected:
            msg = "BMW no longer accepts the CarData client ID; check it in the portal"
            raise ClientRejectedError(msg) from self._dead
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

    @property
    def refreshing(self) -> bool:
        """Return whether a refresh is under way (maybe for no caller any more)."""
        return self._in_flight is not None and not self._in_flight.done()

    async def settled(self) -> None:
        """Wait until no refresh is under way (its outcome does not matter here)."""
        if (task := self._in_flight) is not None and not task.done():
            await asyncio.wait({task})

    async def _do_refresh(self, now: datetime) -> None:
        """Refresh, or join the refresh under way; it survives our cancellation."""
        if self._in_flight is None or self._in_flight.done():
            self._in_flight = asyncio.get_running_loop().create_task(
                self._refresh_and_keep(now), name="CarData token refresh"
            )
            self._in_flight.add_done_callback(_retrieve_outcome)
        await asyncio.shield(self._in_flight)

    async def _refresh_and_keep(self, now: datetime) -> None:
        try:
            tokens = await self._auth.refresh(self._client_id, self._tokens, now)
        except CarDataOAuthError as err:
            if not isinstance(err, InvalidGrantError) and (
                err.error not in CLIENT_REJECTED_ERRORS
            ):
                msg = f"Token refresh failed: {err}"
                raise VehicleConnectionError(msg) from err
            self._dead = err
            _LOGGER.warning("BMW refused the CarData token refresh: %s", err)
            self._raise_if_dead()
        self._tokens = tokens
        self.refreshed_at = now
        self.refresh_count += 1
        for listener in list(self._listeners):
            listener(tokens)

    async def run(self) -> None:
        """Refresh shortly before every expiry, until cancelled or dead.

        Network failures are retried with backoff, rate limits after their
        Retry-After; a dead refresh token ends the loop (the caller learns it
        from `dead` and the raised error).
        """
        backoff = Backoff(REFRESH_RETRY_MIN, REFRESH_RETRY_MAX)
        while True:
            self._raise_if_dead()
            due = self._tokens.expires_at - REFRESH_MARGIN - self._clock.now()
            if due > timedelta(0):
                await self._clock.sleep(due.total_seconds())
            try:
                await self._refresh(only_if_expiring=True)
            except (VehicleConnectionError, VehicleRateLimitError) as err:
                delay = backoff.next_delay(err)
                _LOGGER.info(
                    "Could not refresh CarData tokens, retrying in %.0f s: %s",
                    delay,
                    err,
                )
                await self._clock.sleep(delay)
            else:
                backoff.reset()


def _string(body: Mapping[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        msg = f"missing {key}"
        raise ValueError(msg)
    return value


def _require(condition: object, problem: str) -> None:
    if not condition:
        raise ValueError(problem)


def _is_token(value: object, limit: int = MAX_TOKEN_CHARS) -> bool:
    """Return whether value can be sent as a token (header, form, password)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= limit
        and TOKEN_PATTERN.fullmatch(value) is not None
    )


def _seconds(value: object) -> float | None:
    """Return value as a finite number of seconds (huge ones huge), or None."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except OverflowError:  # an int beyond floats: callers clamp it anyway
        return 1e300 if value > 0 else -1e300
    return seconds if math.isfinite(seconds) else None


def sign_in_error(
    status: int, body: object, retry_after: float | None = None
) -> Exception | None:
    """Return the error a sign-in server answer means, or None for success."""
    if status == HTTP_TOO_MANY_REQUESTS:
        return VehicleRateLimitError(
            "BMW sign-in server: too many requests", retry_after
        )
    if isinstance(body, Mapping) and isinstance(error := body.get("error"), str):
        description = body.get("error_description")
        text = description if isinstance(description, str) else None
        if error in TRANSIENT_OAUTH_ERRORS:
            return SignInUnavailableError(error, text)
        error_class = OAUTH_ERRORS.get(error, CarDataOAuthError)
        return error_class(error, text)
    if status >= HTTP_SERVER_ERROR:
        return SignInUnavailableError(f"HTTP {status}", _describe_failure(status, body))
    if status >= 300 or not isinstance(body, Mapping):  # noqa: PLR2004
        return VehicleConnectionError(_describe_failure(status, body))
    return None


def _describe_failure(status: int, body: object) -> str:
    """Return a log-friendly description of an unexpected answer."""
    if isinstance(body, Mapping) and isinstance(fault := body.get("fault"), Mapping):
        # BMW's API gateway answers some failures with its own shape.
        detail = fault.get("detail")
        code = detail.get("errorcode") if isinstance(detail, Mapping) else None
        return redact(f"HTTP {status}: {fault.get('faultstring')} ({code})")
    return f"HTTP {status} from the BMW sign-in server"
