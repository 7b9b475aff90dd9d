"""The fake CarData: BMW's sign-in server, REST API and stream publisher.

An aiohttp server on 127.0.0.1 that answers like BMW does (status codes and
bodies from the real samples in tests/fixtures/cardata), on a clock the test
controls: device codes expire after 300 s, tokens after 3599 s, refresh tokens
rotate on every use, the REST API allows 50 calls per account in any 24 hours
and then answers HTTP 403 ``CU-429``. Every issued ID token becomes the only
password the real mosquitto broker accepts for the account. The simulated cars
(the foundation's physics) publish their changes in CarData's format.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import hashlib
import json
from pathlib import Path
import secrets
import string
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from custom_components.connected_car.vehicle.bmw import CarDataEndpoints
from custom_components.connected_car.vehicle.simulator import SimulatedCar
from tests.clock import ManualClock

from ..privacy import register_secret
from .broker import MosquittoBroker, Publisher
from .encoder import CarDataEncoder, rest_time

FIXTURES = Path(__file__).parent.parent / "fixtures" / "cardata"
DEVICE_CODE_SECONDS = 300
POLL_INTERVAL = 5
TOKEN_SECONDS = 3599
REFRESH_TOKEN_LIFETIME = timedelta(days=14)
QUOTA = 50
QUOTA_WINDOW = timedelta(hours=24)
MAX_CONTAINERS = 10
VERIFICATION_URI = "https://customer.bmwgroup.com/oneid/link"


def sample(name: str) -> Any:
    """Return the payload of a real sample (tests/fixtures/cardata/samples)."""
    document = json.loads((FIXTURES / "samples" / f"{name}.json").read_text())
    return document["payload"]


def sample_status(name: str) -> int:
    """Return the HTTP status recorded with a real sample."""
    document = json.loads((FIXTURES / "samples" / f"{name}.json").read_text())
    return int(document.get("_http_status", 200))


def catalogue_keys() -> set[str]:
    """Return every key of BMW's telematics data catalogue."""
    return {
        item["key"] for item in json.loads((FIXTURES / "catalogue.json").read_text())
    }


def _gcid() -> str:
    raw = secrets.token_hex(16)
    return f"{raw[:8]}-{raw[8:12]}-4{raw[13:16]}-8{raw[17:20]}-{raw[20:]}"


def _user_code() -> str:
    return "".join(secrets.choice(string.ascii_letters) for _ in range(8))


def _id_token() -> str:
    """Return a JWT-shaped ID token of realistic length (~1.3 kB)."""
    header = base64.urlsafe_b64encode(b'{"typ":"JWT","alg":"RS256"}').decode()
    return f"{header}.{secrets.token_urlsafe(900)}.{secrets.token_urlsafe(256)}"


@dataclass
class FakeAccount:
    """One BMW account: its client ID, cars and what it spent."""

    gcid: str
    client_id: str
    cars: dict[str, SimulatedCar] = field(default_factory=dict)
    basic_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    api_subscribed: bool = True
    streaming_subscribed: bool = True
    encoder: CarDataEncoder = field(default_factory=CarDataEncoder)
    silent_car: bool = False
    """The car never sent anything yet: snapshots hold only nulls (real sample)."""
    counted_calls: list[datetime] = field(default_factory=list)
    containers: list[dict[str, Any]] = field(default_factory=list)
    id_token: str | None = None

    def calls_in_window(self, now: datetime) -> int:
        """Return the quota calls counted in the 24 hours before now."""
        return sum(1 for call in self.counted_calls if call > now - QUOTA_WINDOW)


@dataclass
class DeviceCode:
    """A device code waiting for the user."""

    client_id: str
    device_code: str
    user_code: str
    challenge: str
    expires_at: datetime
    interval: int = POLL_INTERVAL
    status: str = "pending"
    polls: list[datetime] = field(default_factory=list)


@dataclass
class RestRequest:
    """One request the REST API received."""

    at: datetime
    method: str
    path: str
    status: int
    gcid: str | None


class FakeCarData:
    """Sign-in server, REST API and stream publisher of a local CarData."""

    def __init__(self, clock: ManualClock, broker: MosquittoBroker) -> None:
        """Serve on the test's clock, with logins checked by broker."""
        self.clock = clock
        self.broker = broker
        self.publisher = Publisher(broker)
        self.accounts: dict[str, FakeAccount] = {}
        self.device_codes: dict[str, DeviceCode] = {}
        self.access_tokens: dict[str, tuple[str, datetime]] = {}
        self.refresh_tokens: dict[str, tuple[str, str, datetime]] = {}
        self.rest_requests: list[RestRequest] = []
        self.token_requests: list[dict[str, str]] = []
        self.token_faults: list[tuple[Any, ...]] = []
        """Answers for the next token requests: (status, JSON body, raw bytes or
        None[, headers])."""
        self.hold_refresh_answers: asyncio.Event | None = None
        """While set to an event: refreshes rotate the tokens at once but are
        answered only once it is set (a slow network, a reload in between)."""
        self.rest_faults: list[int | tuple[Any, ...]] = []
        """Answers for the next REST requests: a status, or (status, text or raw
        bytes[, headers])."""
        self.delay = 0.0
        """Seconds (real time) every answer takes: a slow BMW."""
        self.invalid_grant_after_approval = False
        self.broker_follows_tokens = True
        """False: new ID tokens reach the broker only when a test says so."""
        self.reuse_id_token = False
        """True: a refresh keeps the ID token (the broker is not reloaded)."""
        self.catalogue = catalogue_keys()
        self.server: TestServer | None = None

    # -- lifecycle -----------------------------------------------------------------

    async def start(self) -> None:
        """Start the HTTP server on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_post("/gcdm/oauth/device/code", self._device_code)
        app.router.add_post("/gcdm/oauth/token", self._token)
        app.router.add_route("*", "/customers/{tail:.*}", self._rest)
        # No access log: its request lines hold VINs, which the privacy guard
        # (tests/privacy.py) would rightly report; they are the fake's, not ours.
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server(access_log=None)

    async def stop(self) -> None:
        """Stop the server and the publisher."""
        await self.publisher.close()
        if self.server is not None:
            await self.server.close()

    @property
    def base_url(self) -> str:
        """Return the server's URL."""
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    def endpoints(self) -> CarDataEndpoints:
        """Return endpoints pointing the integration at this fake."""
        return CarDataEndpoints(
            auth_base_url=self.base_url,
            api_base_url=self.base_url,
            mqtt_host="127.0.0.1",
            mqtt_port=self.broker.port,
            tls_context=self.broker.client_tls_context(),
        )

    # -- accounts and cars -------------------------------------------------------------

    def add_account(self, client_id: str | None = None) -> FakeAccount:
        """Create an account with its portal client ID (a lower-case UUID)."""
        account = FakeAccount(gcid=_gcid(), client_id=client_id or _gcid())
        self.accounts[account.gcid] = account
        register_secret(account.gcid, account.client_id, account.client_id.upper())
        return account

    def add_car(
        self,
        account: FakeAccount,
        car: SimulatedCar,
        basic_data: dict[str, Any] | str = "rest_basicData_i4_M50_BEV",
    ) -> None:
        """Map a simulated car to the account with a real basicData body."""
        account.cars[car.vin] = car
        account.basic_data[car.vin] = (
            dict(sample(basic_data)) if isinstance(basic_data, str) else basic_data
        )

    def account_of_client(self, client_id: str) -> FakeAccount | None:
        """Return the account whose portal created client_id."""
        return next(
            (a for a in self.accounts.values() if a.client_id == client_id), None
        )

    # -- the user in the browser --------------------------------------------------------

    def pending_code(self) -> DeviceCode:
        """Return the newest device code (what the user would type)."""
        return list(self.device_codes.values())[-1]

    def approve(self, user_code: str) -> None:
        """The user signs in and approves the code."""
        self._code_by_user_code(user_code).status = "approved"

    def deny(self, user_code: str) -> None:
        """The user (or BMW's partner sync) declines."""
        self._code_by_user_code(user_code).status = "denied"

    def _code_by_user_code(self, user_code: str) -> DeviceCode:
        return next(c for c in self.device_codes.values() if c.user_code == user_code)

    # -- tokens ---------------------------------------------------------------------------

    async def issue_tokens(self, account: FakeAccount) -> dict[str, Any]:
        """Return a token response for account and make the ID token the MQTT password."""
        now = self.clock.now()
        access_token = secrets.token_urlsafe(32)
        refresh_token = secrets.token_urlsafe(32)
        self.access_tokens[access_token] = (
            account.gcid,
            now + timedelta(seconds=TOKEN_SECONDS),
        )
        self.refresh_tokens[refresh_token] = (
            account.gcid,
            account.client_id,
            now + REFRESH_TOKEN_LIFETIME,
        )
        register_secret(access_token, refresh_token)
        if not (self.reuse_id_token and account.id_token):
            account.id_token = _id_token()
            register_secret(account.id_token)
            if self.broker_follows_tokens:
                await self.broker_accepts_current_token(account)
        return {
            "gcid": account.gcid,
            "token_type": "Bearer",
            "access_token": access_token,
            "refresh_token": refresh_token,
            "scope": "cardata:api:read openid cardata:streaming:read authenticate_user",
            "expires_in": TOKEN_SECONDS,
            "id_token": account.id_token,
        }

    async def broker_accepts_current_token(self, account: FakeAccount) -> None:
        """Make the account's current ID token its only MQTT password."""
        await self.broker.set_password(
            account.gcid, account.id_token if account.streaming_subscribed else None
        )

    def revoke_refresh_tokens(self, account: FakeAccount) -> None:
        """Make every refresh token of the account invalid (e.g. expired)."""
        for token, (gcid, _, _) in list(self.refresh_tokens.items()):
            if gcid == account.gcid:
                del self.refresh_tokens[token]

    async def _device_code(self, request: web.Request) -> web.Response:
        form = await request.post()
        if self.delay:
            await asyncio.sleep(self.delay)
        client_id = str(form.get("client_id", ""))
        scope = str(form.get("scope", "")).split()
        if (
            form.get("response_type") != "device_code"
            or form.get("code_challenge_method") != "S256"
            or not form.get("code_challenge")
            or any(item.startswith("cardata:streaming:vehicle.") for item in scope)
            or not {"openid", "cardata:api:read", "cardata:streaming:read"}
            <= set(scope)
        ):
            return web.json_response(
                sample("auth_device_user_error_invalid_request"), status=400
            )
        if self.account_of_client(client_id) is None:
            return web.json_response(
                {"error": "invalid_client", "error_description": "Unknown client"},
                status=401,
            )
        code = DeviceCode(
            client_id=client_id,
            device_code=f"eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.{secrets.token_urlsafe(96)}",
            user_code=_user_code(),
            challenge=str(form["code_challenge"]),
            expires_at=self.clock.now() + timedelta(seconds=DEVICE_CODE_SECONDS),
        )
        self.device_codes[code.device_code] = code
        register_secret(code.device_code)
        return web.json_response(
            {
                "user_code": code.user_code,
                "device_code": code.device_code,
                "interval": code.interval,
                "verification_uri": VERIFICATION_URI,
                "expires_in": DEVICE_CODE_SECONDS,
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        self.token_requests.append(form)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.token_faults:
            status, body, *headers = self.token_faults.pop(0)
            extra = headers[0] if headers else None
            if isinstance(body, bytes):
                return web.Response(status=status, body=body, headers=extra)
            if body is None:
                return web.Response(status=status, text="upstream error", headers=extra)
            return web.json_response(body, status=status, headers=extra)
        if form.get("grant_type") == "refresh_token":
            answer = await self._refresh(form)  # rotated now, answered when released
            if self.hold_refresh_answers is not None:
                await self.hold_refresh_answers.wait()
            return answer
        if form.get("grant_type") == "urn:ietf:params:oauth:grant-type:device_code":
            return await self._device_token(form)
        return _oauth_error("unsupported_grant_type", 400)

    async def _device_token(self, form: dict[str, str]) -> web.Response:  # noqa: PLR0911 - one answer per BMW case
        now = self.clock.now()
        code = self.device_codes.get(form.get("device_code", ""))
        if code is None:
            return web.json_response(
                sample("auth_token_error_invalid_grant"), status=400
            )
        if form.get("client_id") != code.client_id:
            return _oauth_error("invalid_client", 401)
        if now >= code.expires_at:
            return _oauth_error("expired_token", 401)
        too_fast = bool(code.polls) and now - code.polls[-1] < timedelta(
            seconds=code.interval
        )
        code.polls.append(now)
        if too_fast:
            code.interval += 5
            return _oauth_error("slow_down", 400)
        if code.status == "pending":
            return web.json_response(
                sample("auth_token_poll_authorization_pending"),
                status=sample_status("auth_token_poll_authorization_pending"),
            )
        if code.status == "denied":
            return web.json_response(
                sample("auth_token_error_access_denied"),
                status=sample_status("auth_token_error_access_denied"),
            )
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if challenge != code.challenge or self.invalid_grant_after_approval:
            return web.json_response(
                sample("auth_token_error_invalid_grant"), status=400
            )
        del self.device_codes[code.device_code]
        account = self.account_of_client(code.client_id)
        assert account is not None
        return web.json_response(await self.issue_tokens(account))

    async def _refresh(self, form: dict[str, str]) -> web.Response:
        held = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
        if held is None or held[2] <= self.clock.now():
            return web.json_response(
                sample("auth_token_error_invalid_grant"), status=400
            )
        gcid, client_id, _ = held
        if form.get("client_id") != client_id:
            return web.json_response(
                sample("auth_token_error_invalid_grant"), status=400
            )
        return web.json_response(await self.issue_tokens(self.accounts[gcid]))

    # -- REST ---------------------------------------------------------------------------

    def counted_calls(self, account: FakeAccount) -> int:
        """Return how many quota calls the account made, ever."""
        return len(account.counted_calls)

    def max_calls_in_any_window(self, account: FakeAccount) -> int:
        """Return the most quota calls counted within any 24 hours."""
        calls = sorted(account.counted_calls)
        best = 0
        start = 0
        for end, call in enumerate(calls):
            while call - calls[start] >= QUOTA_WINDOW:
                start += 1
            best = max(best, end - start + 1)
        return best

    async def _rest(self, request: web.Request) -> web.Response:
        now = self.clock.now()
        response, gcid = await self._rest_answer(request, now)
        self.rest_requests.append(
            RestRequest(now, request.method, request.path, response.status, gcid)
        )
        return response

    async def _rest_answer(  # noqa: PLR0911 - one answer per BMW case
        self, request: web.Request, now: datetime
    ) -> tuple[web.Response, str | None]:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.rest_faults:
            fault = self.rest_faults.pop(0)
            if isinstance(fault, tuple):
                status, body, *headers = fault
                extra = headers[0] if headers else None
                if isinstance(body, bytes):
                    return web.Response(status=status, body=body, headers=extra), None
                return web.Response(status=status, text=body, headers=extra), None
            return _api_error(fault, "CU-500" if fault >= 500 else "CU-400"), None
        authorization = request.headers.get("Authorization", "")
        if not authorization.startswith("Bearer "):
            return _api_error(401, "CU-100", "No token sent"), None
        held = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if held is None:
            return _api_error(401, "CU-101", "Authentication error"), None
        gcid, expires_at = held
        if now >= expires_at:
            return _api_error(401, "CU-102", "Token expired"), gcid
        if request.headers.get("x-version") != "v1":
            return _api_error(400, "CU-400", "Bad request"), gcid
        account = self.accounts[gcid]
        if not account.api_subscribed:
            return _api_error(403, "CU-103", "Token-scope is not CarData"), gcid
        if account.calls_in_window(now) >= QUOTA:
            return web.json_response(sample("rest_error_cu429_quota"), status=403), gcid
        account.counted_calls.append(now)
        return await self._endpoint(request, account, now), gcid

    async def _endpoint(  # noqa: PLR0911 - one answer per BMW case
        self, request: web.Request, account: FakeAccount, now: datetime
    ) -> web.Response:
        parts = request.path.strip("/").split("/")
        method = request.method
        if method == "GET" and parts == ["customers", "vehicles", "mappings"]:
            return web.json_response(
                [
                    {
                        "vin": vin,
                        "mappedSince": "2025-03-27T17:48:41.435Z",
                        "mappingType": "PRIMARY",
                    }
                    for vin in account.cars
                ]
            )
        if parts[:2] == ["customers", "containers"] and len(parts) == 2:
            if method == "GET":
                return web.json_response(
                    {
                        "containers": [
                            {key: c[key] for key in ("containerId", "name", "state")}
                            for c in account.containers
                        ]
                    }
                )
            if method == "POST":
                return await self._create_container(request, account, now)
        if (
            method == "GET"
            and len(parts) == 4
            and parts[:2] == ["customers", "vehicles"]
        ):
            vin, what = parts[2], parts[3]
            if len(vin) != 17 or vin.upper() != vin:
                return _api_error(400, "CU-120", "Format of parameter VIN is invalid")
            if vin not in account.cars:
                return _api_error(403, "CU-104", "No permission for specified VIN")
            if what == "basicData":
                return web.json_response(account.basic_data[vin])
            if what == "telematicData":
                return self._telematic(request, account, vin)
        return _api_error(404, "CU-400", "Bad request")

    async def _create_container(
        self, request: web.Request, account: FakeAccount, now: datetime
    ) -> web.Response:
        body = await request.json()
        keys = body.get("technicalDescriptors")
        if not isinstance(keys, list) or not keys:
            return _api_error(400, "CU-401", "Parameter Invalid")
        if any(key not in self.catalogue for key in keys):
            return _api_error(400, "CU-402", "Telematic key is invalid")
        if len(account.containers) >= MAX_CONTAINERS:
            return _api_error(403, "CU-124", "Maximum number of containers reached")
        container = {
            "containerId": "".join(
                secrets.choice(string.ascii_uppercase + string.digits)
                for _ in range(13)
            ),
            "name": body.get("name", ""),
            "purpose": body.get("purpose", ""),
            "state": "ACTIVE",
            "created": rest_time(now),
            "technicalDescriptors": keys,
        }
        account.containers.append(container)
        return web.json_response(container, status=201)

    def _telematic(
        self, request: web.Request, account: FakeAccount, vin: str
    ) -> web.Response:
        container = next(
            (
                c
                for c in account.containers
                if c["containerId"] == request.query.get("containerId")
                and c["state"] == "ACTIVE"
            ),
            None,
        )
        if container is None:
            return _api_error(403, "CU-105", "No permission for specified containerId")
        car = account.cars[vin]
        readings = [] if account.silent_car else car.reported_state().readings.values()
        return web.json_response(
            {
                "telematicData": account.encoder.rest_snapshot(
                    readings, container["technicalDescriptors"]
                )
            }
        )

    # -- stream ---------------------------------------------------------------------------

    async def publish_changes(self, account: FakeAccount) -> int:
        """Advance the account's cars to now and publish what they report."""
        count = 0
        for vin, car in account.cars.items():
            readings = car.advance_to(self.clock.now())
            for message in account.encoder.stream_messages(
                vin, account.gcid, readings, self.clock.now()
            ):
                await self.publish(account, vin, json.dumps(message).encode())
                count += 1
        return count

    async def publish(self, account: FakeAccount, vin: str, payload: bytes) -> None:
        """Publish raw bytes on the car's topic (for malformed-input tests too)."""
        await self.publisher.publish(f"{account.gcid}/{vin}", payload)

    def rest_count(self, predicate: Callable[[RestRequest], bool] | None = None) -> int:
        """Return how many REST requests matched predicate (all by default)."""
        return sum(1 for r in self.rest_requests if predicate is None or predicate(r))


def _oauth_error(error: str, status: int) -> web.Response:
    return web.json_response(
        {"error": error, "error_description": error}, status=status
    )


def _api_error(status: int, code: str, message: str = "") -> web.Response:
    return web.json_response(
        {"exveErrorId": code, "exveErrorMsg": message, "exveErrorRef": "fake"},
        status=status,
    )
