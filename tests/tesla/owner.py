"""An owner of the local Fleet API with their own app, key and sign-in, as phase 2 will set up.

`FleetOwner` does what the owner and Home Assistant do at setup: register the
app on Tesla's (local) developer portal, publish the integration's public key on
the app's domain, sign in through the authorize page with PKCE, and build the
backend on the Fleet transport with a token manager that saves rotated tokens.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp

from custom_components.connected_car.vehicle.tesla import (
    CommandKey,
    CostSettings,
    FleetApp,
    FleetOAuth,
    FleetTokenManager,
    FleetTokens,
    FleetTransport,
    Region,
    TeslaBackend,
    pkce_pair,
)

from ..privacy import register_secret
from .cars import FakeCar
from .fixtures import make_tesla_car
from .fleet import FakeFleet

CLIENT_IDS = {
    "global": "00000000-0000-4000-8000-00000000c1d0",
    "cn": "00000000-0000-4000-8000-00000000c1c4",
}
CLIENT_SECRET = "ta-secret-0123456789abcdef"
REDIRECT_URI = "https://my.home-assistant.io/redirect/oauth"
DOMAIN = "tesla.example.org"


class FleetOwner:
    """One owner in one region with their app, the integration's key and tokens."""

    def __init__(
        self,
        fleet: FakeFleet,
        session: aiohttp.ClientSession,
        clock: Any,
        region: str = "na",
        *,
        subject: str | None = None,
    ) -> None:
        """Create the account, the app (once per realm) and a fresh command key."""
        self.fleet = fleet
        self.session = session
        self.clock = clock
        self.region = Region(region)
        realm = "cn" if region == "cn" else "global"
        self.client_id = CLIENT_IDS[realm]
        if self.client_id not in fleet.auth.apps:
            fleet.auth.add_app(self.client_id, CLIENT_SECRET, REDIRECT_URI, realm)
        self.account = fleet.add_owner(subject or f"owner-{region}", region)
        self.key = CommandKey.generate()
        register_secret(*self.key.private_pem().splitlines()[1:-1])  # never in a log
        fleet.publish_key(DOMAIN, self.key.public_pem)
        self.oauth = FleetOAuth(
            session, self.client_id, CLIENT_SECRET, region=self.region, clock=clock
        )
        self.saved: list[FleetTokens] = []
        """Every token set the manager saved, in order."""
        self.cars: list[FakeCar] = []
        self.last_manager: FleetTokenManager | None = None

    def add_car(self, *, seed: int = 1, paired: bool = True, **kwargs: Any) -> FakeCar:
        """Give the owner a car (paired with the key unless told otherwise)."""
        fake = self.fleet.add_car(
            self.account, make_tesla_car(self.clock, seed=seed), **kwargs
        )
        if paired:
            self.fleet.pair(fake.vin, self.key.public_point)
        self.cars.append(fake)
        return fake

    async def authorize(self, state: str = "state-1") -> tuple[str, str]:
        """Open the authorize page as the browser would; return (code, verifier)."""
        verifier, challenge = pkce_pair()
        url = self.oauth.authorize_url(REDIRECT_URI, state, challenge)
        async with self.session.get(url, allow_redirects=False) as response:
            assert response.status == 302, await response.text()
            location = response.headers["Location"]
        query = parse_qs(urlsplit(location).query)
        assert location.startswith(REDIRECT_URI)
        assert query["state"] == [state]
        return query["code"][0], verifier

    async def sign_in(self) -> FleetTokens:
        """Sign in with PKCE and exchange the code (what HA's OAuth flow does)."""
        code, verifier = await self.authorize()
        return await self.oauth.exchange_code(code, REDIRECT_URI, verifier)

    async def save(self, tokens: FleetTokens) -> None:
        """The integration's token storage (HA: the config entry)."""
        self.saved.append(tokens)

    def manager(self, tokens: FleetTokens) -> FleetTokenManager:
        """Return a token manager saving into `saved`."""
        return FleetTokenManager(self.oauth, tokens, save=self.save, clock=self.clock)

    def transport(
        self,
        tokens: FleetTokenManager,
        *,
        key: bool = True,
        region: Region | None = None,
    ) -> FleetTransport:
        """Return the Fleet transport of this owner's app."""
        return FleetTransport(
            self.session,
            tokens,
            app=FleetApp(self.oauth, DOMAIN),
            command_key=self.key if key else None,
            region=region,
        )

    async def backend(
        self,
        tokens: FleetTokens | None = None,
        *,
        persistence: Any = None,
        cost: CostSettings | None = None,
        **kwargs: Any,
    ) -> TeslaBackend:
        """Sign in (unless given tokens) and return a logged-in backend with its cars."""
        manager = self.manager(tokens or await self.sign_in())
        self.last_manager = manager
        backend = TeslaBackend(
            self.transport(manager),
            clock=self.clock,
            persistence=persistence,
            cost=cost or CostSettings(),
            **kwargs,
        )
        await backend.login()
        await backend.list_vehicles()
        return backend
