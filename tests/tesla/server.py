"""The local Teslemetry: REST (Fleet API paths + Teslemetry's own) and the SSE stream.

Served by `HttpsFake` (https.py) for Teslemetry's real hosts; the cars are
`FakeCar`s (cars.py) on the test's clock, their changes also streamed as
Teslemetry ``data`` events.

Assumed, not seen in public captures: whether vehicle_data costs credits (here
it is free), Teslemetry sending one ``state`` event per car on connect.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import json
import random
from typing import Any

from aiohttp import web

from custom_components.connected_car.vehicle.simulator import SimulatedCar
from tests.clock import ManualClock

from .auth import ALL_SCOPES
from .cars import COMMANDS, WAKE_SECONDS, FakeCar
from .encoder import created_at, sample, stream_fields
from .https import (
    Fault,
    HttpsFake,
    RequestRecord,
    error,
    fault_from_sample,
    sample_error,
)

__all__ = [
    "FakeAccount",
    "FakeCar",
    "FakeTeslemetry",
    "Fault",
    "RequestRecord",
    "fault_from_sample",
]

TESLEMETRY_HOSTS = ("api.teslemetry.com", "na.teslemetry.com", "eu.teslemetry.com")
RATE_LIMIT = 30
RATE_WINDOW = timedelta(seconds=60)
CREDITS = {"command": 1, "wake_up": 20}
"""Teslemetry credit costs (teslemetry.com/pricing); vehicle_data: unverified, free here."""


@dataclass
class FakeAccount:
    """A Teslemetry account: its token, cars, scopes and credits."""

    token: str
    region: str = "NA"
    scopes: list[str] = field(default_factory=lambda: list(ALL_SCOPES))
    cars: dict[str, FakeCar] = field(default_factory=dict)
    credits: int = 2000
    calls: deque[datetime] = field(default_factory=deque)


class _Stream:
    """One open SSE connection."""

    def __init__(self, account: FakeAccount) -> None:
        self.account = account
        self.lines: asyncio.Queue[str | None] = asyncio.Queue()


class FakeTeslemetry(HttpsFake):
    """Teslemetry's REST API and stream, served locally on the test's clock."""

    def __init__(self, clock: ManualClock, *, seed: int = 1) -> None:
        """Serve on clock; wake delays come from a seeded random generator."""
        super().__init__(clock, TESLEMETRY_HOSTS)
        self.rng = random.Random(seed)  # noqa: S311 - a test fake
        self.accounts: dict[str, FakeAccount] = {}
        self.rate_limit: int | None = RATE_LIMIT
        self.wake_seconds = WAKE_SECONDS
        self.streams: list[_Stream] = []
        self.stream_refusals: list[int] = []
        """Statuses for the next stream connections (401, 503, ...)."""

    def wildcards(self) -> tuple[str, ...]:
        """Cover every regional host."""
        return ("*.teslemetry.com",)

    async def stop(self) -> None:
        """End every stream and stop the server."""
        self.end_streams()
        await super().stop()

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

    # -- time --------------------------------------------------------------------------

    def tick(self) -> None:
        """Move every car to now; wake the woken; stream what changed."""
        now = self.clock.now()
        for account in self.accounts.values():
            for fake in account.cars.values():
                was, changes = fake.advance(now)
                if fake.state != was:
                    self.push(
                        account,
                        {
                            "vin": fake.vin,
                            "state": fake.state,
                            "createdAt": created_at(now),
                        },
                    )
                self._stream_changes(account, fake, changes)

    def _stream_changes(
        self, account: FakeAccount, fake: FakeCar, changes: list[Any]
    ) -> None:
        fields = fake.streamed(
            stream_fields(fake.car, changes, right_hand_drive=fake.right_hand_drive)
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

    async def handle(self, request: web.Request, host: str) -> web.StreamResponse:
        """Answer the stream or a REST call."""
        if request.path.startswith("/sse"):
            return await self._sse(request)
        return await self._rest(request)

    def _account(self, request: web.Request) -> FakeAccount | web.Response:
        header = request.headers.get("Authorization", "")
        token = (
            header.removeprefix("Bearer ").strip()
            if header.startswith("Bearer ")
            else ""
        )
        token = token or request.query.get("token", "")
        if not token:
            return error(401, "missing_token")
        account = self.accounts.get(token)
        if account is None:
            return error(401, "invalid_token")
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
        if (faulty := self.take_fault(request.path)) is not None:
            return faulty
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
                products = [fake.product() for fake in account.cars.values()]
                products += sample("fleet_products")["response"][1:]  # energy sites
                return web.json_response({"response": products, "count": len(products)})
            case ["api", "config", vin]:
                return await self._stream_config(account, vin, request)
            case ["api", "1", "vehicles", vin]:
                if (fake := account.cars.get(vin)) is None:
                    return error(404, "not_found")
                return web.json_response({"response": fake.entry()})
            case ["api", "1", "vehicles", vin, "vehicle_data"]:
                return self._vehicle_data(account, vin, request)
            case ["api", "1", "vehicles", vin, "wake_up"] if request.method == "POST":
                return self._wake_up(account, vin)
            case ["api", "1", "vehicles", vin, "command", name] if (
                request.method == "POST"
            ):
                body = await request.json() if request.body_exists else {}
                return self._command(account, vin, name, body or {})
        return error(404, "not_found")

    async def _stream_config(
        self, account: FakeAccount, vin: str, request: web.Request
    ) -> web.Response:
        """Read (GET) or extend (PATCH) a car's stream configuration."""
        if (fake := account.cars.get(vin)) is None:
            return error(404, "not_found")
        if request.method == "PATCH":
            body = await request.json()
            fields = body.get("fields") if isinstance(body, dict) else None
            if not isinstance(fields, dict):
                return error(400, "invalid_request")
            ignored = fake.configure_stream(fields)
            answer: dict[str, Any] = {"response": {"updated_vehicles": 1}}
            if ignored:
                answer["ignoredFields"] = ignored
            return web.json_response(answer)
        if fake.stream_config is None:
            return error(404, "not_found")
        return web.json_response(fake.stream_config)

    def _metadata(self, account: FakeAccount) -> dict[str, Any]:
        metadata = sample("teslemetry_metadata")
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

    def _vehicle_data(
        self, account: FakeAccount, vin: str, request: web.Request
    ) -> web.Response:
        if (fake := account.cars.get(vin)) is None:
            return error(404, "not_found")
        return fake.data_answer(
            request.query.get("endpoints"), account.scopes, self.clock.now()
        )

    def _spend(self, account: FakeAccount, kind: str) -> web.Response | None:
        cost = CREDITS[kind]
        if account.credits < cost:
            return sample_error("teslemetry_errors")
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
            return error(404, "not_found")
        if (refused := self._spend(account, "wake_up")) is not None:
            return refused
        fake.wake_up(self.clock.now(), self.rng)
        return web.json_response({"response": fake.entry()})

    def _command(
        self, account: FakeAccount, vin: str, name: str, body: dict[str, Any]
    ) -> web.Response:
        if (fake := account.cars.get(vin)) is None:
            return error(404, "not_found")
        if "vehicle_cmds" not in account.scopes:
            return sample_error("fleet_error_403_missing_scopes")
        if fake.state != "online":
            return sample_error("fleet_error_408_vehicle_offline")
        if (kind := COMMANDS.get(name)) is None:
            return error(400, "invalid_command")
        if (refused := self._spend(account, "command")) is not None:
            return refused
        result, reason = fake.execute(name, kind, body.get("driver_temp"))
        self._stream_changes(account, fake, fake.car.collect_changes())
        return web.json_response({"response": {"result": result, "reason": reason}})

    async def _sse(self, request: web.Request) -> web.StreamResponse:
        if self.stream_refusals:
            status = self.stream_refusals.pop(0)
            return error(status, "invalid_token" if status == 401 else "unavailable")
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
