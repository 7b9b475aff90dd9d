"""Tesla's sign-in servers, local: authorize with PKCE, token exchange, refresh, partner tokens.

``auth.tesla.com`` (authorize) and ``fleet-auth.prd.vn.cloud.tesla.com`` (tokens)
serve North America and Europe, ``auth.tesla.cn`` both for China; each knows
only its own apps and owners. What it does, as Tesla's documentation and the
shared samples describe:

- authorize: checks the app and its redirect URI, signs in the owner the test
  named (`FakeTeslaAuth.sign_in_as`) and redirects with a code carrying the
  owner's region prefix (``NA_...``) and the state;
- authorization_code: the app's id and secret, the code (single use, 10 min),
  the same redirect URI and, if the authorize step sent a challenge, the PKCE
  verifier whose S256 is that challenge;
- refresh_token: single use; the answer holds a new one, and presenting a used
  one answers 401 ``login_required``;
- client_credentials: a partner token (no refresh token) for the audience's region.

Access tokens are JWTs with the claims of the shared sample (``ou_code``,
``scp``, ``exp`` 8 h later); the signature is random bytes: the fake knows its
tokens by heart, and clients do not check signatures.

Assumed, not seen in public captures: the code's lifetime, the error keys for a
wrong PKCE verifier (``invalid_auth_code``), the ``ou_code`` of Chinese owners
(``CN``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import hashlib
import json
import secrets
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from ..privacy import register_secret
from .encoder import sample

GLOBAL, CHINA = "global", "cn"
AUTHORIZE_HOSTS = {"auth.tesla.com": GLOBAL, "auth.tesla.cn": CHINA}
TOKEN_HOSTS = {
    "fleet-auth.prd.vn.cloud.tesla.com": GLOBAL,
    "auth.tesla.com": GLOBAL,  # Home Assistant's Tesla Fleet still posts here
    "auth.tesla.cn": CHINA,
}
FLEET_HOSTS = {
    "na": "fleet-api.prd.na.vn.cloud.tesla.com",
    "eu": "fleet-api.prd.eu.vn.cloud.tesla.com",
    "cn": "fleet-api.prd.cn.vn.cloud.tesla.cn",
}
ALL_SCOPES = tuple(sample("teslemetry_metadata")["scopes"])
"""Every scope Tesla knows (Teslemetry's metadata lists the owner's Tesla scopes)."""
TOKEN_LIFETIME = timedelta(hours=8)
CODE_LIFETIME = timedelta(minutes=10)


def realm_of(region: str) -> str:
    """Return the sign-in realm of a region (China has its own)."""
    return CHINA if region == "cn" else GLOBAL


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def s256(verifier: str) -> str:
    """Return the PKCE S256 challenge of a verifier."""
    return _b64(hashlib.sha256(verifier.encode()).digest())


@dataclass
class FakeApp:
    """An app registered on Tesla's developer portal (China's for Chinese apps)."""

    client_id: str
    client_secret: str
    redirect_uri: str
    realm: str = GLOBAL


@dataclass
class FakeOwner:
    """A Tesla account: where it lives and what it lets apps do."""

    subject: str
    region: str
    grants: set[str] = field(default_factory=lambda: set(ALL_SCOPES))
    """Scopes the owner ticks on the consent screen (requested ones outside are dropped)."""


@dataclass
class Token:
    """An access token the fake issued."""

    client_id: str
    owner: FakeOwner | None
    """None: a partner token (the app itself)."""
    scopes: frozenset[str]
    expires_at: datetime
    region: str
    """The owner's region, or the partner token's audience region."""


@dataclass
class _Code:
    client_id: str
    owner: FakeOwner
    redirect_uri: str
    challenge: str | None
    scopes: frozenset[str]
    expires_at: datetime
    used: bool = False


@dataclass
class _Refresh:
    client_id: str
    owner: FakeOwner
    scopes: frozenset[str]
    used: bool = False


def _oauth_error(status: int, key: str, description: str = "") -> web.Response:
    return web.json_response(
        {"error": key, "error_description": description}, status=status
    )


class FakeTeslaAuth:
    """The sign-in servers' state and answers (served by the local Fleet API)."""

    def __init__(self, clock: Any) -> None:
        """Issue tokens on clock (the test's)."""
        self.clock = clock
        self.apps: dict[str, FakeApp] = {}
        self.owners: dict[str, FakeOwner] = {}
        self.sign_in_as: dict[str, FakeOwner] = {}
        """Per realm, who signs in when the browser opens the authorize page."""
        self.tokens: dict[str, Token] = {}
        self.token_lifetime = TOKEN_LIFETIME
        self.include_ou_code = True
        """False: tokens without the ``ou_code`` claim (the client must ask)."""
        self._codes: dict[str, _Code] = {}
        self._refresh: dict[str, _Refresh] = {}
        self.grants: list[str] = []
        """grant_type of every token request answered 200, in order."""

    def add_app(
        self, client_id: str, client_secret: str, redirect_uri: str, realm: str = GLOBAL
    ) -> FakeApp:
        """Register an app."""
        app = FakeApp(client_id, client_secret, redirect_uri, realm)
        register_secret(client_id, client_secret)  # no log line may hold them
        self.apps[client_id] = app
        return app

    def add_owner(self, subject: str, region: str) -> FakeOwner:
        """Create an account living in region (na, eu, cn) and let it sign in."""
        owner = FakeOwner(subject, region)
        register_secret(subject)  # the account id
        self.owners[subject] = owner
        self.sign_in_as[realm_of(region)] = owner
        return owner

    def token(self, value: str) -> Token | None:
        """Return the token a bearer header names (None: unknown)."""
        return self.tokens.get(value)

    def expired(self, token: Token) -> bool:
        """Return whether the token's time is over."""
        return self.clock.now() >= token.expires_at

    def refresh_token_spent(self, value: str) -> bool:
        """Return whether a refresh token was used (or revoked): re-use is refused."""
        return self._refresh[value].used

    def revoke_refresh_tokens(self) -> None:
        """Refuse every refresh token issued so far (the owner changed the password)."""
        for held in self._refresh.values():
            held.used = True

    # -- tokens ---------------------------------------------------------------------

    def _jwt(
        self,
        client_id: str,
        owner: FakeOwner | None,
        scopes: frozenset[str],
        region: str,
    ) -> str:
        now = self.clock.now()
        realm = realm_of(region)
        claims: dict[str, Any] = {
            "iss": "https://auth.tesla.cn/oauth2/v3/nts"
            if realm == CHINA
            else "https://auth.tesla.com/oauth2/v3/nts",
            "azp": client_id,
            "sub": owner.subject if owner else client_id,
            "aud": [
                f"https://{host}"
                for key, host in FLEET_HOSTS.items()
                if realm_of(key) == realm
            ],
            "scp": sorted(scopes),
            "exp": int((now + self.token_lifetime).timestamp()),
            "iat": int(now.timestamp()),
        }
        if owner is not None and self.include_ou_code:
            claims["ou_code"] = owner.region.upper()
        header = {"alg": "RS256", "typ": "JWT", "kid": "fake"}
        token = ".".join(
            (
                _b64(json.dumps(header).encode()),
                _b64(json.dumps(claims).encode()),
                _b64(secrets.token_bytes(64)),
            )
        )
        self.tokens[token] = Token(
            client_id, owner, scopes, now + self.token_lifetime, region
        )
        return token

    def _issue(
        self, client_id: str, owner: FakeOwner, scopes: frozenset[str]
    ) -> dict[str, Any]:
        refresh = None
        if "offline_access" in scopes:
            refresh = f"{owner.region.upper()}_{secrets.token_urlsafe(24)}"
            self._refresh[refresh] = _Refresh(client_id, owner, scopes)
            register_secret(refresh)
        answer = {
            "access_token": self._jwt(client_id, owner, scopes, owner.region),
            "id_token": _b64(secrets.token_bytes(32)),
            "expires_in": int(self.token_lifetime.total_seconds()),
            "token_type": "Bearer",
        }
        if refresh:
            answer["refresh_token"] = refresh
        return answer

    # -- HTTP -------------------------------------------------------------------------

    async def handle(self, request: web.Request, host: str) -> web.Response:
        """Answer the authorize page or the token endpoint."""
        if request.path == "/oauth2/v3/authorize" and host in AUTHORIZE_HOSTS:
            return self._authorize(request, AUTHORIZE_HOSTS[host])
        if (
            request.path == "/oauth2/v3/token"
            and request.method == "POST"
            and host in TOKEN_HOSTS
        ):
            return await self._token(request, TOKEN_HOSTS[host])
        return _oauth_error(404, "not_found")

    def _authorize(self, request: web.Request, realm: str) -> web.Response:
        query = request.query
        app = self.apps.get(query.get("client_id", ""))
        if app is None or app.realm != realm:
            return _oauth_error(400, "unauthorized_client")
        if query.get("redirect_uri") != app.redirect_uri:
            return _oauth_error(400, "invalid_redirect_url")
        if query.get("response_type") != "code":
            return _oauth_error(400, "invalid_request")
        challenge = query.get("code_challenge")
        if challenge and query.get("code_challenge_method") != "S256":
            return _oauth_error(400, "invalid_request", "only S256")
        owner = self.sign_in_as.get(realm)
        if owner is None:
            return _oauth_error(400, "login_required")
        requested = set(query.get("scope", "").split())
        code = f"{owner.region.upper()}_{secrets.token_urlsafe(24)}"
        register_secret(code)
        self._codes[code] = _Code(
            app.client_id,
            owner,
            app.redirect_uri,
            challenge,
            frozenset(requested & owner.grants),
            self.clock.now() + CODE_LIFETIME,
        )
        target = f"{app.redirect_uri}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        return web.Response(status=302, headers={"Location": target})

    def _client(self, form: Any, realm: str, *, secret: bool) -> FakeApp | None:
        app = self.apps.get(form.get("client_id", ""))
        if app is None or app.realm != realm:
            return None
        if secret and form.get("client_secret") != app.client_secret:
            return None
        return app

    async def _token(self, request: web.Request, realm: str) -> web.Response:  # noqa: PLR0911 - one answer per grant and failure
        form = await request.post()
        grant = form.get("grant_type")
        if grant == "refresh_token":
            app = self._client(form, realm, secret=False)
            held = self._refresh.get(str(form.get("refresh_token", "")))
            if app is None:
                return _oauth_error(401, "unauthorized_client")
            if held is None or held.used or held.client_id != app.client_id:
                return _oauth_error(
                    401, "login_required", "The refresh_token has already been used"
                )
            held.used = True
            self.grants.append("refresh_token")
            return web.json_response(
                self._issue(app.client_id, held.owner, held.scopes)
            )
        app = self._client(form, realm, secret=True)
        if app is None:
            return _oauth_error(
                401,
                "unauthorized_client",
                "We don't recognize this client_id and client_secret combination",
            )
        if grant == "client_credentials":
            region = next(
                (
                    key
                    for key, host in FLEET_HOSTS.items()
                    if form.get("audience") == f"https://{host}"
                ),
                None,
            )
            if region is None or realm_of(region) != realm:
                return _oauth_error(400, "invalid_request", "audience")
            scopes = frozenset(str(form.get("scope", "")).split())
            self.grants.append("client_credentials")
            return web.json_response(
                {
                    "access_token": self._jwt(app.client_id, None, scopes, region),
                    "expires_in": int(self.token_lifetime.total_seconds()),
                    "token_type": "Bearer",
                }
            )
        if grant != "authorization_code":
            return _oauth_error(400, "unsupported_grant_type")
        code = self._codes.get(str(form.get("code", "")))
        if (
            code is None
            or code.used
            or code.client_id != app.client_id
            or self.clock.now() > code.expires_at
        ):
            return _oauth_error(400, "invalid_auth_code")
        if form.get("redirect_uri") != code.redirect_uri:
            return _oauth_error(400, "invalid_redirect_url")
        if (
            code.challenge is not None
            and s256(str(form.get("code_verifier", ""))) != code.challenge
        ):
            return _oauth_error(400, "invalid_auth_code", "PKCE verification failed")
        code.used = True
        self.grants.append("authorization_code")
        return web.json_response(self._issue(app.client_id, code.owner, code.scopes))
