"""Fixtures for the HA-free Tesla tests: the local Teslemetry and a backend on it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest

from custom_components.connected_car.vehicle.tesla import (
    TeslaBackend,
    TeslemetryTransport,
)
from tests.clock import ManualClock
from tests.tesla.fixtures import (
    fleet,
    fleet_session,
    make_tesla_car,
    tesla_session,
    teslemetry,
)
from tests.tesla.fleet import FakeFleet
from tests.tesla.owner import FleetOwner
from tests.tesla.server import FakeAccount, FakeCar, FakeTeslemetry

__all__ = ["fleet", "fleet_session", "tesla_session", "teslemetry"]

TOKEN = "tm-owner-token-0123456789"


class MemoryStore:
    """The backend's persistence in memory (HA: a Store)."""

    def __init__(self) -> None:
        self.data: dict | None = None

    async def load(self) -> dict | None:
        return self.data

    def save(self, data: dict) -> None:
        self.data = data


@pytest.fixture
def account(teslemetry: FakeTeslemetry) -> FakeAccount:
    """A Teslemetry account with every scope."""
    return teslemetry.add_account(TOKEN)


@pytest.fixture
def fake_car(
    teslemetry: FakeTeslemetry, account: FakeAccount, manual_clock: ManualClock
) -> FakeCar:
    """A left-hand-drive car with a sunroof, online."""
    return teslemetry.add_car(account, make_tesla_car(manual_clock))


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def make_backend(
    tesla_session: aiohttp.ClientSession, manual_clock: ManualClock, store: MemoryStore
) -> Callable[..., TeslaBackend]:
    """Build backends on the fake (token overridable)."""

    def make(token: str = TOKEN, **kwargs) -> TeslaBackend:
        async def access_token() -> str:
            return token

        transport = TeslemetryTransport(tesla_session, access_token)
        return TeslaBackend(transport, clock=manual_clock, persistence=store, **kwargs)

    return make


@pytest.fixture
def make_owner(
    fleet: FakeFleet, fleet_session: aiohttp.ClientSession, manual_clock: ManualClock
) -> Callable[..., FleetOwner]:
    """Create owners of the local Fleet API (region: na, eu or cn)."""

    def make(region: str = "na", **kwargs) -> FleetOwner:
        return FleetOwner(fleet, fleet_session, manual_clock, region, **kwargs)

    return make


@pytest.fixture
async def backend(
    make_backend: Callable[..., TeslaBackend], fake_car: FakeCar
) -> AsyncIterator[TeslaBackend]:
    """A backend with its car listed (not streaming)."""
    backend = make_backend()
    await backend.login()
    await backend.list_vehicles()
    yield backend
    await backend.close()


@pytest.fixture
async def streaming(backend: TeslaBackend) -> AsyncIterator[TeslaBackend]:
    """The backend with its stream running and connected."""
    task = asyncio.create_task(backend.run())
    await eventually(lambda: backend.status.stream_connected)
    yield backend
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def eventually(predicate: Callable[[], object], timeout: float = 10.0) -> None:  # noqa: ASYNC109 - polls, no I/O to cancel
    """Wait (real time: network I/O) until predicate() is true."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            msg = "condition not met in time"
            raise AssertionError(msg)
        await asyncio.sleep(0.01)


def follow_changes[T](backend: TeslaBackend, value: Callable[[], T]) -> list[T]:
    """Return the list of value()'s new values as the backend's listeners hear them.

    Listeners also hear of every billed call (the month's counts): a value is
    appended only when it differs from the one before (at first: value() now).
    """
    seen: list[T] = []
    last = value()

    def changed() -> None:
        nonlocal last
        current = value()
        if current != last:
            seen.append(current)
            last = current

    backend.add_listener(changed)
    return seen
