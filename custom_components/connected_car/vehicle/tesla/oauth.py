"""Signing in to Tesla with the owner's own app: PKCE, tokens, rotation, partner tokens.

Home Assistant's application credentials drive the authorize step in the
browser; the token endpoint is ours to choose per region (China has its own
sign-in server), so exchange, refresh and partner tokens go through `FleetOAuth`.

Refresh tokens are single use: once Tesla answers a refresh, the old refresh
token is dead. `FleetTokenManager` therefore hands the new tokens to its saver
(Home Assistant: the config entry) *before* anything uses them, and refreshes
one at a time, so two callers never spend the same refresh token (the second
would get ``login_required`` and sign the owner out).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
import hashlib
import json
import logging
import secrets
from typing import Any, Protocol
from urllib.parse import urlencode

import aiohttp

from ..clock import Clock, RealClock
from ..exceptions import VehicleConnectionError, VehicleRateLimitError
from ..utc_time import parse_aware_time
from .const import (
    ACCESS_TOKEN_REFRESH_MARGIN,
    AUTHORIZE_URLS,
    FLEET_API_HOSTS,
    PARTNER_SCOPES,
    SCOPES,
    TOKEN_URLS,
    Region,
)
from .errors import TeslaApiError, TeslaAuthError

_LOGGER = logging.getLogger(__name__)

HTTP_TOO_MANY_REQUESTS = 429
HTTP_SERVER_ERROR = 500
NEVER = datetime.min.replace(tzinfo=UTC)


def fleet_api_url(region: Region) -> str:
    """Return the base URL of a region's Fleet API (the tokens' audience)."""
    return f"https://{FLEET_API_HOSTS[region]}"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What an access token says about its owner (read, not verified)."""

    region: Region | None = None
    """From the ``ou_code`` claim (NA, EU, CN)."""
    scopes: frozenset[str] = frozenset()
    """From the ``scp`` claim: what the owner granted."""
    subject: str | None = None
    """From the ``sub`` claim: the owner's account id at Tesla (an entry's unique id)."""


def token_claims(access_token: str) -> TokenClaims:
    """Return the claims of a JWT access token; unreadable tokens have none.

    The signature is not checked: Tesla checks it on every call, we only learn
    the region and the granted scopes from it (as Home Assistant's Tesla Fleet
    integration does).
    """
    parts = access_token.split(".")
    if len(parts) != 3:  # noqa: PLR2004 - header, payload, signature
        return TokenClaims()
    try:
        payload = json.loads(
            base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        )
    except ValueError:
        return TokenClaims()
    if not isinstance(payload, Mapping):
        return TokenClaims()
    region: Region | None = None
    ou_code = payload.get("ou_code")
    if isinstance(ou_code, str) and ou_code.lower() in Region.__members__.values():
        region = Region(ou_code.lower())
    scopes = payload.get("scp")
    subject = payload.get("sub")
    return TokenClaims(
        region,
        frozenset(s for s in scopes if isinstance(s, str))
        if isinstance(scopes, list)
        else frozenset(),
        subject if isinstance(subject, str) and subject else None,
    )


@dataclass(frozen=True, slots=True)
class FleetTokens:
    """An owner's tokens; never shown in full (repr hides them)."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: datetime

    @classmethod
    def from_response(cls, data: Mapping[str, Any], now: datetime) -> FleetTokens:
        """Read a token endpoint's answer; raise `TeslaApiError` if it is unusable."""
        access = data.get("access_token")
        refresh = data.get("refresh_token")
        lifetime = data.get("expires_in")
        if (
            not isinstance(access, str)
            or not access
            or not isinstance(lifetime, int | float)
            or isinstance(lifetime, bool)
        ):
            msg = "token: answer without an access token and lifetime"
            raise TeslaApiError(msg, None, None)
        return cls(
            access,
            refresh if isinstance(refresh, str) and refresh else None,
            now + timedelta(seconds=float(lifetime)),
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FleetTokens:
        """Rebuild stored tokens; raise `TeslaAuthError` if they cannot be used."""
        access = data.get("access_token")
        refresh = data.get("refresh_token")
        expires_at = parse_aware_time(data.get("expires_at")) or NEVER
        if not isinstance(access, str) or not isinstance(refresh, str | None):
            msg = "Stored Tesla tokens are unreadable: sign in again"
            raise TeslaAuthError(msg, "login_required")
        return cls(access, refresh, expires_at)

    def as_dict(self) -> dict[str, Any]:
        """Return the tokens for the caller's secret storage (config entry)."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.isoformat(),
        }

    @property
    def claims(self) -> TokenClaims:
        """Return what the access token says (region, scopes)."""
        return token_claims(self.access_token)


def pkce_pair() -> tuple[str, str]:
    """Return a fresh PKCE ``(code_verifier, code_challenge)`` (S256)."""
    verifier = secrets.token_urlsafe(64)
    return verifier, pkce_challenge(verifier)


def pkce_challenge(verifier: str) -> str:
    """Return the S256 code challenge of a code verifier."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class FleetOAuth:
    """Tesla's token endpoint of one region, with the owner's app (client id/secret)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        client_id: str,
        client_secret: str | None,
        *,
        region: Region = Region.NA,
        clock: Clock | None = None,
    ) -> None:
        """Use the caller's HTTP session; region picks the sign-in server."""
        self._session = session
        self.client_id = client_id
        self._client_secret = client_secret
        self.region = region
        self._clock: Clock = clock or RealClock()
        self._partner_tokens: dict[Region, FleetTokens] = {}

    def __repr__(self) -> str:
        """Name the region only (no client id or secret)."""
        return f"FleetOAuth(region={self.region.value})"

    def authorize_url(
        self,
        redirect_uri: str,
        state: str,
        code_challenge: str,
        scopes: Iterable[str] = SCOPES,
    ) -> str:
        """Return the URL the owner opens to sign in (auth.tesla.cn for China)."""
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": " ".join(scopes),
                "state": state,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{AUTHORIZE_URLS[self.region]}?{query}"

    @property
    def token_url(self) -> str:
        """Return the token endpoint of this region's sign-in server."""
        return TOKEN_URLS[self.region]

    async def exchange_code(
        self, code: str, redirect_uri: str, code_verifier: str | None
    ) -> FleetTokens:
        """Exchange the authorization code (and its PKCE verifier) for tokens."""
        form = {
            "grant_type": "authorization_code",
            "client_id": self.client_id,
            "code": code,
            "audience": fleet_api_url(self.region),
            "redirect_uri": redirect_uri,
        }
        if self._client_secret:
            form["client_secret"] = self._client_secret
        if code_verifier:
            form["code_verifier"] = code_verifier
        return FleetTokens.from_response(await self._post(form), self._clock.now())

    async def refresh(self, refresh_token: str) -> FleetTokens:
        """Spend refresh_token (single use) for new tokens, a new refresh token among them."""
        form = {
            "grant_type": "refresh_token",
            "client_id": self.client_id,
            "refresh_token": refresh_token,
        }
        return FleetTokens.from_response(await self._post(form), self._clock.now())

    async def partner_token(self, region: Region) -> str:
        """Return the app's own token for region's partner endpoints (client credentials)."""
        held = self._partner_tokens.get(region)
        now = self._clock.now()
        if held is not None and held.expires_at - now > timedelta(
            seconds=ACCESS_TOKEN_REFRESH_MARGIN
        ):
            return held.access_token
        if not self._client_secret:
            msg = "partner token: the app's client secret is not known"
            raise TeslaAuthError(msg, "unauthorized_client")
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self._client_secret,
            "audience": fleet_api_url(region),
            "scope": " ".join(PARTNER_SCOPES),
        }
        tokens = FleetTokens.from_response(await self._post(form), now)
        self._partner_tokens[region] = tokens
        return tokens.access_token

    async def _post(self, form: Mapping[str, str]) -> Mapping[str, Any]:
        """POST a form to the token endpoint; raise our errors for its failures."""
        what = f"token ({form['grant_type']})"
        try:
            async with self._session.post(self.token_url, data=dict(form)) as response:
                status = response.status
                retry_after = response.headers.get("Retry-After")
                try:
                    data: object = await response.json(content_type=None)
                except ValueError:
                    data = None
        except (aiohttp.ClientError, TimeoutError) as err:
            msg = f"{what}: {type(err).__name__}"
            raise VehicleConnectionError(msg) from None
        if error := _token_error(what, status, data, retry_after):
            raise error
        assert isinstance(data, Mapping)  # noqa: S101 - checked by _token_error
        return data


def _token_error(
    what: str, status: int, data: object, retry_after: str | None
) -> Exception | None:
    """Return our exception for a token endpoint's failed answer (None: it worked)."""
    if status == HTTP_TOO_MANY_REQUESTS:
        return VehicleRateLimitError(f"{what}: rate limited", _seconds(retry_after))
    if status >= HTTP_SERVER_ERROR or not isinstance(data, Mapping):
        return TeslaApiError(f"{what}: HTTP {status}", status, None)
    if status >= 400:  # noqa: PLR2004 - client errors
        error = data.get("error")
        error = error if isinstance(error, str) else None
        return TeslaAuthError(f"{what}: refused ({error or status})", error)
    return None


def _seconds(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


type TokenSaver = Callable[[FleetTokens], Awaitable[None]]
"""Stores new tokens durably (Home Assistant: updates the config entry)."""


class AccessTokenSource(Protocol):
    """Where the Fleet transport gets its bearer token (HA: the OAuth2 session)."""

    async def access_token(self) -> str:
        """Return a valid access token, refreshing it first when needed."""

    def token_rejected(self) -> None:
        """Note that the API refused the token: refresh before the next use."""


class FleetTokenManager:
    """Keeps an owner's tokens valid; saves rotated refresh tokens before using them.

    Contract with `save` (Home Assistant: write the config entry):

    1. the refresh request spends the old refresh token at Tesla;
    2. ``await save(new_tokens)`` runs before anyone gets the new access token;
    3. only then are the new tokens held in place of the old ones.

    A refresh answered with ``login_required`` (the refresh token was used
    before, or the owner changed their password) raises `TeslaAuthError`: only
    signing in again helps. Should `save` fail, the new tokens are kept in
    memory (the old ones are dead at Tesla anyway) and saving is tried again on
    the next `access_token` call.
    """

    def __init__(
        self,
        oauth: FleetOAuth,
        tokens: FleetTokens,
        *,
        save: TokenSaver,
        clock: Clock | None = None,
        margin: float = ACCESS_TOKEN_REFRESH_MARGIN,
    ) -> None:
        """Start from stored tokens; nothing is sent until a token is asked for."""
        self._oauth = oauth
        self._tokens = tokens
        self._save = save
        self._clock: Clock = clock or RealClock()
        self._margin = timedelta(seconds=margin)
        self._lock = asyncio.Lock()
        self._unsaved = False
        self.refreshes = 0

    def __repr__(self) -> str:
        """Name nothing secret."""
        return f"FleetTokenManager(expires_at={self._tokens.expires_at.isoformat()})"

    @property
    def tokens(self) -> FleetTokens:
        """Return the tokens held now."""
        return self._tokens

    async def access_token(self) -> str:
        """Return a valid access token; refresh (once, for all callers) when due."""
        async with self._lock:
            if self._unsaved:
                await self._store(self._tokens)
            if self._tokens.expires_at - self._clock.now() <= self._margin:
                await self._refresh()
            return self._tokens.access_token

    def token_rejected(self) -> None:
        """Treat the access token as expired: the next call refreshes it."""
        self._tokens = replace(self._tokens, expires_at=NEVER)

    async def _refresh(self) -> None:
        refresh_token = self._tokens.refresh_token
        if refresh_token is None:
            msg = "No refresh token (the sign-in lacked offline_access): sign in again"
            raise TeslaAuthError(msg, "login_required")
        tokens = await self._oauth.refresh(refresh_token)
        if tokens.refresh_token is None:  # Tesla always rotates; keep ours otherwise
            tokens = replace(tokens, refresh_token=refresh_token)
        self.refreshes += 1
        await self._store(tokens)
        self._tokens = tokens

    async def _store(self, tokens: FleetTokens) -> None:
        try:
            await self._save(tokens)
        except Exception as err:  # noqa: BLE001 - the caller's storage may fail in any way
            self._unsaved = True
            _LOGGER.warning(
                "Could not save the renewed Tesla tokens (%s); trying again on the next call",
                type(err).__name__,
            )
        else:
            self._unsaved = False
