"""The local Teslemetry: REST (Fleet API paths + Teslemetry's own) and the SSE stream.

An aiohttp server on 127.0.0.1 with TLS from a throwaway CA. The libraries insist
on Teslemetry's real hosts (``api.teslemetry.com``, ``{region}.teslemetry.com``,
https), so nothing is patched: the client session gets a resolver that maps
those hosts to this server (`TeslaHostResolver`) and an SSL context trusting the
test CA. Requests are routed by Host header to a *service*; the Fleet API
(regional hosts, OAuth, partner endpoints) is meant to be added as more services
beside ``teslemetry`` and ``teslemetry_stream``.

Cars are the foundation's simulated cars on the test's clock: they fall asleep
when idle, answer 408 while asleep, wake 10-30 s after ``wake_up``, change state on
commands (seen in the next vehicle_data and as stream ``data`` events), refuse to
lock with a door open and answer a repeated command with ``already_set``.

Assumed, not seen in public captures: the refusal text for locking with a door
open (``"door open"``), whether vehicle_data costs credits (here it is free),
Teslemetry sending one ``state`` event per car on connect.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
import copy
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import json
import random
import re
import socket
import ssl
from typing import Any

from aiohttp import abc, web
from aiohttp.web_protocol import RequestHandler
import trustme

from custom_components.connected_car.vehicle.exceptions import CommandFailedError
from custom_components.connected_car.vehicle.models import Command, CommandKind
from custom_components.connected_car.vehicle.simulator import ManualClock, SimulatedCar

from .encoder import created_at, sample, sample_document, stream_fields, vehicle_data

TESLEMETRY_HOSTS = ("api.teslemetry.com", "na.teslemetry.com", "eu.teslemetry.com")
RATE_LIMIT = 30
RATE_WINDOW = timedelta(seconds=60)
WAKE_SECONDS = (10.0, 30.0)
CREDITS = {"command": 1, "wake_up": 20}
"""Teslemetry credit costs (teslemetry.com/pricing); vehicle_data: unverified, free here."""
ALL_SCOPES = sample("teslemetry_metadata")["scopes"]
COMMANDS = {
    "door_lock": CommandKind.LOCK,
    "door_unlock": CommandKind.UNLOCK,
    "auto_conditioning_start": CommandKind.START_CLIMATE,
    "auto_conditioning_stop": CommandKind.STOP_CLIMATE,
    "set_temps": CommandKind.SET_CLIMATE_TARGET,
    "flash_lights": CommandKind.FLASH_LIGHTS,
    "honk_horn": CommandKind.SOUND_HORN,
}


_STRAY_CHUNK = re.compile(rb"(\A|\r\n\r\n)0\r\n\r\n")


class _TolerantHandler(RequestHandler):
    r"""Ignores the empty chunked body aiohttp's client sends after a GET.

    aiohttp 3.13's client writes ``0\r\n\r\n`` after a bodiless GET made with
    ``chunked=True`` (teslemetry-stream does that) without announcing chunked
    encoding; aiohttp's server would read it as a new request and answer 400 into
    the stream. Teslemetry's servers evidently do not mind, so neither may we.
    """

    def data_received(self, data: bytes) -> None:
        """Drop a stray empty chunk after a request's headers, then parse."""
        cleaned = _STRAY_CHUNK.sub(rb"\1", data)
        if cleaned:
            super().data_received(cleaned)


class _TolerantServer(web.Server):
    def __call__(self) -> RequestHandler:
        return _TolerantHandler(self, loop=self._loop, **self._kwargs)


class _TolerantRunner(web.AppRunner):
    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = _TolerantServer
        return server


class TeslaHostResolver(abc.AbstractResolver):
    """Resolves the fake's host names to 127.0.0.1 and its port; nothing else."""

    def __init__(self, hosts: dict[str, int]) -> None:
        """Map each host name to the local port serving it."""
        self.hosts = hosts

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[abc.ResolveResult]:
        """Return 127.0.0.1 with the fake's port, or fail like DNS would."""
        if host not in self.hosts:
            msg = f"unknown host {host} (only the local Tesla fake resolves)"
            raise OSError(msg)
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": self.hosts[host],
                "family": socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        """Nothing to release."""


@dataclass
class FakeCar:
    """One car at the fake: physics, equipment and what the cloud knows of it."""

    car: SimulatedCar
    right_hand_drive: bool = False
    sunroof: bool = True
    version: str = "2026.14.6"
    display_name: str = "Test"
    config_in_products: bool = True
    """False: the products entry has no vehicle_config (streaming cars, per HA tests)."""
    offline: bool = False
    """Never comes online (a car in a garage without reception)."""
    wake_at: datetime | None = None
    commands: list[str] = field(default_factory=list)

    @property
    def vin(self) -> str:
        """Return the car's VIN."""
        return self.car.vin

    @property
    def state(self) -> str:
        """Return online, asleep or offline as the cloud reports it."""
        if self.offline:
            return "offline"
        return "asleep" if self.car.asleep else "online"


@dataclass
class FakeAccount:
    """A Teslemetry account: its token, cars, scopes and credits."""

    token: str
    region: str = "NA"
    scopes: list[str] = field(default_factory=lambda: list(ALL_SCOPES))
    cars: dict[str, FakeCar] = field(default_factory=dict)
    credits: int = 2000
    calls: deque[datetime] = field(default_factory=deque)


@dataclass
class Fault:
    """A canned answer for the next matching REST request."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: str | None = None
    """A body sent as is (text/html), instead of JSON."""
    path_contains: str = ""


@dataclass
class RequestRecord:
    """One request the fake received."""

    at: datetime
    host: str
    method: str
    path: str
    status: int


class _Stream:
    """One open SSE connection."""

    def __init__(self, account: FakeAccount) -> None:
        self.account = account
        self.lines: asyncio.Queue[str | None] = asyncio.Queue()


def fault_from_sample(name: str, **overrides: Any) -> Fault:
    """Return a fault answering like a shared error sample (status, headers, body)."""
    document = sample_document(name)
    payload = document["payload"]
    headers = dict(document.get("_headers", {}))
    if isinstance(payload, str):
        return Fault(
            document["_http_status"], headers=headers, raw=payload, **overrides
        )
    return Fault(document["_http_status"], payload, headers, **overrides)


class FakeTeslemetry:
    """Teslemetry's REST API and stream, served locally on the test's clock."""

    def __init__(self, clock: ManualClock, *, seed: int = 1) -> None:
        """Serve on clock; wake delays come from a seeded random generator."""
        self.clock = clock
        self.rng = random.Random(seed)  # noqa: S311 - a test fake
        self.accounts: dict[str, FakeAccount] = {}
        self.faults: list[Fault] = []
        self.requests: list[RequestRecord] = []
        self.rate_limit: int | None = RATE_LIMIT
        self.wake_seconds = WAKE_SECONDS
        self.streams: list[_Stream] = []
        self.stream_refusals: list[int] = []
        """Statuses for the next stream connections (401, 503, ...)."""
        self.ca = trustme.CA()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Serve HTTPS on a free port of 127.0.0.1."""
        app = web.Application(middlewares=[self._route])
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        certificate = self.ca.issue_cert(*TESLEMETRY_HOSTS, "*.teslemetry.com")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        self._runner = _TolerantRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=context)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """End every stream and stop the server."""
        self.end_streams()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def port(self) -> int:
        """Return the port the fake listens on."""
        assert self._port is not None
        return self._port

    def resolver(self) -> TeslaHostResolver:
        """Return a resolver sending Teslemetry's hosts here."""
        return TeslaHostResolver(dict.fromkeys(TESLEMETRY_HOSTS, self.port))

    def client_ssl_context(self) -> ssl.SSLContext:
        """Return an SSL context that trusts the fake's CA (and only it)."""
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    # -- accounts and cars ------------------------------------------------------------

    def add_account(self, token: str, **kwargs: Any) -> FakeAccount:
        """Create an account reachable with token."""
        account = FakeAccount(token, **kwargs)
        self.accounts[token] = account
        return account

    def add_car(
        self, account: FakeAccount, car: SimulatedCar, **kwargs: Any
    ) -> FakeCar:
        """Give the account a car."""
        fake = FakeCar(car, **kwargs)
        account.cars[car.vin] = fake
        return fake

    def fail_next(self, fault: Fault, times: int = 1) -> None:
        """Answer the next matching REST request(s) with fault."""
        self.faults.extend([fault] * times)

    # -- time --------------------------------------------------------------------------

    def tick(self) -> None:
        """Move every car to now; wake the woken; stream what changed."""
        now = self.clock.now()
        for account in self.accounts.values():
            for fake in account.cars.values():
                self._advance(account, fake, now)

    def _advance(self, account: FakeAccount, fake: FakeCar, now: datetime) -> None:
        was = fake.state
        changes = fake.car.advance_to(now)
        if fake.wake_at is not None and now >= fake.wake_at:
            fake.wake_at = None
            fake.car.wake()
            changes += fake.car.collect_changes()
        if fake.state != was:
            self.push(
                account,
                {"vin": fake.vin, "state": fake.state, "createdAt": created_at(now)},
            )
        self._stream_changes(account, fake, changes)

    def _stream_changes(
        self, account: FakeAccount, fake: FakeCar, changes: list[Any]
    ) -> None:
        fields = stream_fields(
            fake.car, changes, right_hand_drive=fake.right_hand_drive
        )
        if fields:
            self.push(
                account,
                {
                    "data": fields,
                    "createdAt": created_at(self.clock.now()),
                    "vin": fake.vin,
                },
            )

    # -- the stream ----------------------------------------------------------------------

    def push(self, account: FakeAccount, event: dict[str, Any]) -> None:
        """Send an event (a ``data:`` line and the blank line ending it) to the account."""
        self.push_line(account, f"data: {json.dumps(event)}")
        self.push_line(account, "")

    def push_line(self, account: FakeAccount, line: str) -> None:
        """Send one raw line (an event, a keep-alive "", garbage) to the account's streams."""
        for stream in self.streams:
            if stream.account is account:
                stream.lines.put_nowait(line)

    def end_streams(self) -> None:
        """End every open stream cleanly (the server closes the response)."""
        for stream in self.streams:
            stream.lines.put_nowait(None)

    # -- HTTP --------------------------------------------------------------------------

    @web.middleware
    async def _route(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        host = request.host.split(":")[0]
        self.tick()
        if host not in TESLEMETRY_HOSTS:
            response: web.StreamResponse = web.json_response(
                {"error": "unknown host"}, status=421
            )
        elif request.path.startswith("/sse"):
            response = await self._sse(request)
        else:
            response = await self._rest(request)
        self.requests.append(
            RequestRecord(
                self.clock.now(), host, request.method, request.path, response.status
            )
        )
        return response

    async def _not_found(self, request: web.Request) -> web.Response:
        return web.json_response({"response": None, "error": "not_found"}, status=404)

    def _account(self, request: web.Request) -> FakeAccount | web.Response:
        header = request.headers.get("Authorization", "")
        token = (
            header.removeprefix("Bearer ").strip()
            if header.startswith("Bearer ")
            else ""
        )
        token = token or request.query.get("token", "")
        if not token:
            return _error(401, "missing_token")
        account = self.accounts.get(token)
        if account is None:
            return _error(401, "invalid_token")
        return account

    def _rate_limited(self, account: FakeAccount) -> web.Response | None:
        now = self.clock.now()
        while account.calls and account.calls[0] <= now - RATE_WINDOW:
            account.calls.popleft()
        if self.rate_limit is not None and len(account.calls) >= self.rate_limit:
            retry = int((account.calls[0] + RATE_WINDOW - now).total_seconds()) + 1
            fault = fault_from_sample("fleet_error_429_rate_limited")
            return web.Response(
                status=429,
                text=f"Retry in {retry} seconds",
                headers={
                    **fault.headers,
                    "Retry-After": str(retry),
                    "RateLimit-Reset": str(retry),
                },
            )
        account.calls.append(now)
        return None

    async def _rest(self, request: web.Request) -> web.Response:  # noqa: PLR0911 - one answer per path
        for fault in list(self.faults):
            if fault.path_contains in request.path:
                self.faults.remove(fault)
                return _fault_response(fault)
        account = self._account(request)
        if isinstance(account, web.Response):
            return account
        if (limited := self._rate_limited(account)) is not None:
            return limited
        parts = request.path.strip("/").split("/")
        match parts:
            case ["api", "metadata"]:
                return web.json_response(self._metadata(account))
            case ["api", "1", "products"]:
                products = [self._product(fake) for fake in account.cars.values()]
                products += sample("fleet_products")["response"][1:]  # energy sites
                return web.json_response({"response": products, "count": len(products)})
            case ["api", "1", "vehicles", vin]:
                if (fake := account.cars.get(vin)) is None:
                    return _error(404, "not_found")
                return web.json_response({"response": self._vehicle(fake)})
            case ["api", "1", "vehicles", vin, "vehicle_data"]:
                return self._vehicle_data(account, vin, request)
            case ["api", "1", "vehicles", vin, "wake_up"] if request.method == "POST":
                return self._wake_up(account, vin)
            case ["api", "1", "vehicles", vin, "command", name] if (
                request.method == "POST"
            ):
                body = await request.json() if request.can_read_body else {}
                return self._command(account, vin, name, body or {})
        return _error(404, "not_found")

    def _metadata(self, account: FakeAccount) -> dict[str, Any]:
        metadata = copy.deepcopy(sample("teslemetry_metadata"))
        template = next(iter(metadata["vehicles"].values()))
        metadata.update(
            uid=f"uid-{account.token[-6:]}",
            region=account.region,
            scopes=list(account.scopes),
            vehicles={
                vin: {**template, "firmware": fake.version}
                for vin, fake in account.cars.items()
            },
        )
        return metadata

    def _vehicle(self, fake: FakeCar) -> dict[str, Any]:
        entry = copy.deepcopy(sample("fleet_vehicle_online")["response"])
        entry.update(vin=fake.vin, display_name=fake.display_name, state=fake.state)
        return entry

    def _product(self, fake: FakeCar) -> dict[str, Any]:
        entry = copy.deepcopy(sample("fleet_products")["response"][0])
        entry.update(vin=fake.vin, display_name=fake.display_name, state=fake.state)
        if fake.config_in_products:
            entry["vehicle_config"].update(
                rhd=fake.right_hand_drive,
                sun_roof_installed=True if fake.sunroof else None,
            )
        else:
            entry.pop("vehicle_config")
        return entry

    def _vehicle_data(
        self, account: FakeAccount, vin: str, request: web.Request
    ) -> web.Response:
        if (fake := account.cars.get(vin)) is None:
            return _error(404, "not_found")
        if fake.state != "online":
            return _sample_error("fleet_error_408_vehicle_offline")
        raw = request.query.get("endpoints")
        endpoints = set(raw.split(";")) if raw else None
        if (
            endpoints
            and "location_data" in endpoints
            and "vehicle_location" not in account.scopes
        ):
            endpoints.discard("location_data")
        data = vehicle_data(
            fake.car,
            state=fake.state,
            endpoints=endpoints,
            right_hand_drive=fake.right_hand_drive,
            sunroof=fake.sunroof,
            version=fake.version,
            now=self.clock.now(),
        )
        return web.json_response({"response": data})

    def _spend(self, account: FakeAccount, kind: str) -> web.Response | None:
        cost = CREDITS[kind]
        if account.credits < cost:
            return _sample_error("teslemetry_errors")
        account.credits -= cost
        self.push(
            account,
            {
                "credits": {
                    "type": kind,
                    "cost": cost,
                    "name": kind,
                    "balance": account.credits,
                },
                "createdAt": created_at(self.clock.now()),
            },
        )
        return None

    def _wake_up(self, account: FakeAccount, vin: str) -> web.Response:
        if (fake := account.cars.get(vin)) is None:
            return _error(404, "not_found")
        if (refused := self._spend(account, "wake_up")) is not None:
            return refused
        if fake.state == "asleep" and fake.wake_at is None:
            fake.wake_at = self.clock.now() + timedelta(
                seconds=self.rng.uniform(*self.wake_seconds)
            )
        return web.json_response({"response": self._vehicle(fake)})

    def _command(  # noqa: PLR0911 - one answer per outcome
        self, account: FakeAccount, vin: str, name: str, body: dict[str, Any]
    ) -> web.Response:
        if (fake := account.cars.get(vin)) is None:
            return _error(404, "not_found")
        if "vehicle_cmds" not in account.scopes:
            return _sample_error("fleet_error_403_missing_scopes")
        if fake.state != "online":
            return _sample_error("fleet_error_408_vehicle_offline")
        if (kind := COMMANDS.get(name)) is None:
            return _error(400, "invalid_command")
        if (refused := self._spend(account, "command")) is not None:
            return refused
        fake.commands.append(name)
        car = fake.car
        target = body.get("driver_temp")
        already = {
            CommandKind.LOCK: car.locked,
            CommandKind.UNLOCK: not car.locked,
            CommandKind.START_CLIMATE: car.climate_active,
            CommandKind.STOP_CLIMATE: not car.climate_active,
            CommandKind.SET_CLIMATE_TARGET: car.climate_target == target,
        }.get(kind, False)
        if already:
            return web.json_response(sample("fleet_command_false_already_set"))
        try:
            car.execute(Command(kind, target))
        except CommandFailedError as err:
            reason = (
                "door open" if err.reason.value == "door_open" else err.reason.value
            )
            return web.json_response({"response": {"result": False, "reason": reason}})
        finally:
            self._stream_changes(account, fake, car.collect_changes())
        return web.json_response(sample("fleet_command_ok"))

    async def _sse(self, request: web.Request) -> web.StreamResponse:
        if self.stream_refusals:
            status = self.stream_refusals.pop(0)
            return _error(status, "invalid_token" if status == 401 else "unavailable")
        account = self._account(request)
        if isinstance(account, web.Response):
            return account
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        stream = _Stream(account)
        self.streams.append(stream)
        for fake in account.cars.values():  # a snapshot of each car's state
            event = {
                "vin": fake.vin,
                "state": fake.state,
                "createdAt": created_at(self.clock.now()),
            }
            stream.lines.put_nowait(f"data: {json.dumps(event)}")
            stream.lines.put_nowait("")
        try:
            while (line := await stream.lines.get()) is not None:
                await response.write(f"{line}\n".encode())
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self.streams.remove(stream)
        return response


def _error(status: int, error: str, description: str = "") -> web.Response:
    return web.json_response(
        {"response": None, "error": error, "error_description": description},
        status=status,
    )


def _sample_error(name: str) -> web.Response:
    return _fault_response(fault_from_sample(name))


def _fault_response(fault: Fault) -> web.Response:
    if fault.raw is not None:
        return web.Response(
            status=fault.status,
            text=fault.raw,
            content_type="text/html" if fault.raw.startswith("<") else "text/plain",
            headers=fault.headers,
        )
    return web.json_response(fault.body, status=fault.status, headers=fault.headers)
