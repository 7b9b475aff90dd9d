"""Fixtures for the HA-free CarData tests: the fake CarData and a backend on it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from custom_components.connected_car.vehicle.bmw import BmwCarDataBackend, Tokens
from tests.cardata.fixtures import cardata, make_car, mosquitto
from tests.cardata.server import FakeAccount, FakeCarData
from tests.clock import ManualClock
from tests.vehicle.bmw.persistence import MemoryPersistence

__all__ = ["cardata", "mosquitto"]


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP session, as Home Assistant would inject its own."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def account(cardata: FakeCarData, manual_clock: ManualClock) -> FakeAccount:
    """An account with one electric car (an i4 M50 by its basic data)."""
    owner = cardata.add_account()
    cardata.add_car(owner, make_car(manual_clock))
    return owner


@pytest.fixture
async def tokens(
    cardata: FakeCarData, account: FakeAccount, manual_clock: ManualClock
) -> Tokens:
    """Tokens of the account, as the device flow would have produced them."""
    return Tokens.from_response(await cardata.issue_tokens(account), manual_clock.now())


@pytest.fixture
def persistence() -> MemoryPersistence:
    """The account data store (Home Assistant's Store in production)."""
    return MemoryPersistence()


@pytest.fixture
async def backend(
    session: aiohttp.ClientSession,
    cardata: FakeCarData,
    account: FakeAccount,
    tokens: Tokens,
    persistence: MemoryPersistence,
    manual_clock: ManualClock,
) -> AsyncIterator[BmwCarDataBackend]:
    """A backend for the account, pointed at the fake; not yet logged in."""
    backend = BmwCarDataBackend(
        session=session,
        client_id=account.client_id,
        tokens=tokens,
        persistence=persistence,
        clock=manual_clock,
        endpoints=cardata.endpoints(),
    )
    yield backend
    await backend.close()


@pytest.fixture
async def running(backend: BmwCarDataBackend) -> AsyncIterator[BmwCarDataBackend]:
    """The backend logged in, its cars listed and its background work running."""
    await backend.login()
    await backend.list_vehicles()
    task = asyncio.create_task(backend.run())
    yield backend
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
