"""The local Fleet API: Tesla's regional hosts, sign-in servers, partner endpoints, billing.

Served by `HttpsFake` for Tesla's real host names (na, eu and China's
``fleet-api.prd.cn.vn.cloud.tesla.cn``; the sign-in servers of auth.py). Per
request, in this order, as the shared samples and Tesla's documentation say:

1. the bearer token: unknown 401, expired 401 ``token expired (401)``;
2. partner endpoints (``partner_accounts``) take the app's partner token of the
   host's region: registration fetches the domain's public key (from
   `publish_key`), ``public_key`` returns what was registered;
3. owner endpoints: 412 while the app is not registered in the host's region,
   then ``users/region`` answers on any host, everything else 421 on the wrong
   host (the body names the right one, as does ``Alt-Svc``);
4. scopes: data needs ``vehicle_device_data``, GPS ``vehicle_location`` (else
   left out), commands ``vehicle_cmds`` (else 403 missing scopes);
5. per car ``command_signing``: REST commands to a "required" car 403
   "command protocol required", signed commands to an "off" car 422; signed
   commands go to the car's `VehicleProtocol` (vcp.py);
6. per car and UTC day quotas (data 200, commands 50, wakes 15, the 2024 limits):
   429 with ``RateLimit-*`` and ``Retry-After`` until midnight UTC;
7. billing: every answer below 500 to vehicle_data, wake_up, a command or
   signed_command is counted per car and kind (`billed`); the rest is free.

Assumed, not seen in public captures: the registration's answer and its error
when the domain serves no key (400), partner-token mistakes answered 401, the
quotas' exact numbers today, and that a protocol handshake is billed like a
command (it is a request to signed_command).
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter
import random
from typing import Any

from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_public_key,
)

from custom_components.connected_car.vehicle.simulator import SimulatedCar
from custom_components.connected_car.vehicle.utc_time import next_utc_midnight

from .auth import (
    AUTHORIZE_HOSTS,
    FLEET_HOSTS,
    TOKEN_HOSTS,
    FakeOwner,
    FakeTeslaAuth,
    Token,
)
from .cars import COMMANDS, FakeCar
from .encoder import sample, sample_document
from .https import HttpsFake, error, sample_error
from .vcp import VehicleProtocol

REGION_OF_HOST = {host: region for region, host in FLEET_HOSTS.items()}
DAILY_QUOTAS = {"data": 200, "command": 50, "wake": 15}
"""Per car and UTC day (2024, llamafilm/tesla-http-proxy-addon#122)."""


def billed_kind(path: str) -> str | None:
    """Return the billing category of a path (None: free)."""
    if path.endswith("/vehicle_data"):
        return "data"
    if path.endswith("/wake_up"):
        return "wake"
    if path.endswith("/signed_command") or "/command/" in path:
        return "command"
    return None


def point_of_pem(pem: str) -> bytes:
    """Return the uncompressed point of a PEM public key (what a car stores)."""
    key = load_pem_public_key(pem.encode())
    assert isinstance(key, ec.EllipticCurvePublicKey)
    return key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


class FakeFleet(HttpsFake):
    """Tesla's Fleet API and sign-in servers, served locally on the test's clock."""

    def __init__(self, clock: Any, *, seed: int = 1) -> None:
        """Serve on clock; wake delays come from a seeded random generator."""
        hosts = dict.fromkeys((*FLEET_HOSTS.values(), *AUTHORIZE_HOSTS, *TOKEN_HOSTS))
        super().__init__(clock, hosts)
        self.auth = FakeTeslaAuth(clock)
        self.rng = random.Random(seed)  # noqa: S311 - a test fake
        self.cars: dict[str, dict[str, FakeCar]] = {}
        """Per owner (subject), their cars by VIN."""
        self.protocols: dict[str, VehicleProtocol] = {}
        self.registrations: dict[tuple[str, str], tuple[str, bytes]] = {}
        """(client id, region) -> (domain, public key point)."""
        self.hosted_keys: dict[str, str] = {}
        """What each domain serves at /.well-known/appspecific/com.tesla.3p.public-key.pem."""
        self.quotas: dict[str, int] | None = dict(DAILY_QUOTAS)
        self._used: Counter[tuple[str, str, str]] = Counter()
        self.billed: dict[str, Counter[str]] = {}
        """Per VIN, billed requests by kind."""

    # -- set-up ------------------------------------------------------------------------

    def add_owner(self, subject: str, region: str) -> FakeOwner:
        """Create an account in region (na, eu, cn); it is who signs in there."""
        self.cars[subject] = {}
        return self.auth.add_owner(subject, region)

    def add_car(self, owner: FakeOwner, car: SimulatedCar, **kwargs: Any) -> FakeCar:
        """Give the owner a car (kwargs: FakeCar's, e.g. command_signing)."""
        fake = FakeCar(car, **kwargs)
        self.cars[owner.subject][car.vin] = fake
        self.protocols[car.vin] = VehicleProtocol(car.vin)
        return fake

    def publish_key(self, domain: str, public_pem: str) -> None:
        """Let domain serve an app's public key (what the owner uploads to their site)."""
        self.hosted_keys[domain] = public_pem

    def pair(self, vin: str, public_point: bytes) -> None:
        """Put a key on a car's keychain (the owner opened tesla.com/_ak/<domain>)."""
        self.protocols[vin].pair(public_point)

    def billed_totals(self) -> Counter[str]:
        """Return the billed requests of every car by kind."""
        total: Counter[str] = Counter()
        for counts in self.billed.values():
            total.update(counts)
        return total

    @property
    def rate_limited(self) -> int:
        """Return how many requests were answered 429."""
        return sum(1 for request in self.requests if request.status == 429)

    # -- time ---------------------------------------------------------------------------

    def tick(self) -> None:
        """Move every car to now; wake the woken."""
        now = self.clock.now()
        for cars in self.cars.values():
            for fake in cars.values():
                fake.advance(now)

    # -- HTTP -----------------------------------------------------------------------------

    async def handle(self, request: web.Request, host: str) -> web.StreamResponse:
        """Answer the sign-in servers or a region's Fleet API (and bill it)."""
        region = REGION_OF_HOST.get(host)
        if (response := self.take_fault(request.path)) is None:
            if region is None:
                return await self.auth.handle(request, host)
            response = await self._fleet(request, region)
        if region is None:
            return response
        parts = request.path.strip("/").split("/")
        kind = billed_kind(request.path)
        if kind and response.status < 500 and parts[:3] == ["api", "1", "vehicles"]:
            self.billed.setdefault(parts[3], Counter())[kind] += 1
        return response

    def _bearer(self, request: web.Request) -> Token | web.Response:
        header = request.headers.get("Authorization", "")
        token = self.auth.token(header.removeprefix("Bearer ").strip())
        if token is None:
            return error(401, "invalid bearer token")
        if self.auth.expired(token):
            return sample_error("fleet_error_401_token_expired")
        return token

    async def _fleet(self, request: web.Request, region: str) -> web.Response:  # noqa: PLR0911 - one answer per check
        token = self._bearer(request)
        if isinstance(token, web.Response):
            return token
        parts = request.path.strip("/").split("/")
        if parts[:3] == ["api", "1", "partner_accounts"]:
            return await self._partner(request, token, region, parts[3:])
        owner = token.owner
        if owner is None:
            return error(401, "invalid bearer token", "a partner token")
        if (token.client_id, region) not in self.registrations:
            body = sample("fleet_error_412_not_registered")
            body["error"] = body["error"].replace(
                "https://fleet-api.prd.na.vn.cloud.tesla.com",
                f"https://{FLEET_HOSTS[region]}",
            )
            return web.json_response(body, status=412)
        if parts == ["api", "1", "users", "region"]:
            return web.json_response(
                {
                    "response": {
                        "region": owner.region,
                        "fleet_api_base_url": f"https://{FLEET_HOSTS[owner.region]}",
                    }
                }
            )
        if owner.region != region:
            return self._wrong_region(owner.region)
        return await self._owner(request, token, owner, parts)

    def _wrong_region(self, region: str) -> web.Response:
        document = sample_document("fleet_error_421_wrong_region")
        url = f"https://{FLEET_HOSTS[region]}"
        body = dict(document["payload"])
        body["error"] = body["error"].replace(
            "https://fleet-api.prd.na.vn.cloud.tesla.com", url
        )
        return web.json_response(body, status=421, headers={"Alt-Svc": f"h2={url}"})

    async def _partner(
        self, request: web.Request, token: Token, region: str, rest: list[str]
    ) -> web.Response:
        if token.owner is not None or token.region != region:
            return error(
                401, "invalid bearer token", "needs a partner token of this region"
            )
        if not rest and request.method == "POST":
            domain = (await request.json()).get("domain")
            pem = self.hosted_keys.get(domain) if isinstance(domain, str) else None
            if pem is None:
                return error(400, "invalid_request", "public key download failed")
            point = point_of_pem(pem)
            self.registrations[(token.client_id, region)] = (domain, point)
            return web.json_response(
                {
                    "response": {
                        "client_id": token.client_id,
                        "domain": domain,
                        "public_key": point.hex(),
                    }
                }
            )
        if rest == ["public_key"]:
            registered = self.registrations.get((token.client_id, region))
            if registered is None or registered[0] != request.query.get("domain"):
                return error(404, "not_found")
            return web.json_response({"response": {"public_key": registered[1].hex()}})
        return error(404, "not_found")

    def _quota(self, vin: str, kind: str) -> web.Response | None:
        """Return a 429 when the car's daily quota of kind is used up, else count the call."""
        if self.quotas is None:
            return None
        now = self.clock.now()
        key = (vin, kind, now.date().isoformat())
        limit = self.quotas[kind]
        if self._used[key] >= limit:
            reset = int((next_utc_midnight(now) - now).total_seconds()) + 1
            return web.Response(
                status=429,
                text=f"Retry in {reset} seconds",
                headers={
                    "RateLimit-Limit": str(limit),
                    "RateLimit-Remaining": "0",
                    "RateLimit-Reset": str(reset),
                    "Retry-After": str(reset),
                },
            )
        self._used[key] += 1
        return None

    async def _owner(
        self, request: web.Request, token: Token, owner: FakeOwner, parts: list[str]
    ) -> web.Response:
        cars = self.cars[owner.subject]
        match parts:
            case ["api", "1", "products"]:
                products = [fake.product() for fake in cars.values()]
                products += sample("fleet_products")["response"][1:]  # energy sites
                return web.json_response({"response": products, "count": len(products)})
            case ["api", "1", "vehicles"]:
                entries = [fake.entry() for fake in cars.values()]
                return web.json_response({"response": entries, "count": len(entries)})
            case ["api", "1", "vehicles", "fleet_status"] if request.method == "POST":
                return await self._fleet_status(request, token, cars)
            case ["api", "1", "vehicles", vin, *rest] if vin in cars:
                return await self._vehicle(request, token, cars[vin], rest)
        return error(404, "not_found")

    async def _fleet_status(
        self, request: web.Request, token: Token, cars: dict[str, FakeCar]
    ) -> web.Response:
        vins = (await request.json()).get("vins") or []
        registered = self.registrations.get((token.client_id, token.region))
        paired = [
            vin
            for vin in vins
            if vin in cars
            and registered is not None
            and registered[1] in self.protocols[vin].paired
        ]
        return web.json_response(
            {
                "response": {
                    "key_paired_vins": paired,
                    "unpaired_vins": [vin for vin in vins if vin not in paired],
                    "vehicle_info": {
                        vin: {
                            "firmware_version": cars[vin].version,
                            "vehicle_command_protocol_required": cars[
                                vin
                            ].command_signing
                            == "required",
                        }
                        for vin in vins
                        if vin in cars
                    },
                }
            }
        )

    async def _vehicle(  # noqa: PLR0911 - one answer per endpoint and check
        self, request: web.Request, token: Token, fake: FakeCar, rest: list[str]
    ) -> web.Response:
        if not rest:
            return web.json_response({"response": fake.entry()})
        kind = billed_kind(request.path)
        if kind is None or request.method != ("GET" if kind == "data" else "POST"):
            return error(404, "not_found")
        needed = "vehicle_device_data" if kind != "command" else "vehicle_cmds"
        if needed not in token.scopes:
            return sample_error("fleet_error_403_missing_scopes")
        if (limited := self._quota(fake.vin, kind)) is not None:
            return limited
        if kind == "wake":
            fake.wake_up(self.clock.now(), self.rng)
            return web.json_response({"response": fake.entry()})
        if kind == "command":
            return await self._command(request, fake, rest)
        return fake.data_answer(
            request.query.get("endpoints"), token.scopes, self.clock.now()
        )

    async def _command(
        self, request: web.Request, fake: FakeCar, rest: list[str]
    ) -> web.Response:
        if rest == ["signed_command"]:
            if fake.command_signing == "off":
                return sample_error("fleet_error_422_protocol_not_supported")
        elif fake.command_signing == "required":
            return sample_error("fleet_error_403_command_protocol_required")
        if fake.state != "online":
            return sample_error("fleet_error_408_vehicle_offline")
        body = await request.json() if request.body_exists else {}
        if rest == ["signed_command"]:
            return self._signed(fake, body)
        kind = COMMANDS.get(rest[-1])
        if kind is None:
            return error(400, "invalid_command")
        result, reason = fake.execute(rest[-1], kind, (body or {}).get("driver_temp"))
        return web.json_response({"response": {"result": result, "reason": reason}})

    def _signed(self, fake: FakeCar, body: Any) -> web.Response:
        try:
            raw = base64.b64decode(body["routable_message"], validate=True)
        except (KeyError, TypeError, binascii.Error):
            return error(400, "invalid_request", "routable_message")
        answer = self.protocols[fake.vin].handle(raw, fake.execute)
        return web.json_response({"response": base64.b64encode(answer).decode()})
