"""Fixtures of the local Teslemetry and Fleet API, imported by the conftest files that need them."""

from __future__ import annotations

from collections.abc import AsyncIterator
import random

import aiohttp
import pytest

from custom_components.connected_car.vehicle.simulator import MODELS
from custom_components.connected_car.vehicle.simulator.car import SimulatedCar
from tests.clock import ManualClock

from .fleet import FakeFleet
from .server import FakeTeslemetry

HOME = (37.4925, -121.9447)  # Tesla's Fremont factory
ELECTRIC = MODELS[1]


@pytest.fixture
async def teslemetry(
    socket_enabled: None, manual_clock: ManualClock
) -> AsyncIterator[FakeTeslemetry]:
    """The local Teslemetry, serving on 127.0.0.1 on the test's clock."""
    fake = FakeTeslemetry(manual_clock)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def tesla_session(
    teslemetry: FakeTeslemetry,
) -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP session that reaches Teslemetry's hosts at the fake (as HA injects its own)."""
    connector = aiohttp.TCPConnector(
        resolver=teslemetry.resolver(), ssl=teslemetry.client_ssl_context()
    )
    async with aiohttp.ClientSession(connector=connector) as session:
        yield session


def make_tesla_car(clock: ManualClock, *, seed: int = 1) -> SimulatedCar:
    """Return a parked, simulated electric car that drives only when told to."""
    return SimulatedCar(
        name="Tesla",
        model=ELECTRIC,
        rng=random.Random(seed),  # noqa: S311 - simulation
        home=HOME,
        now=clock.now(),
        auto_trips=False,
    )


@pytest.fixture
async def fleet(
    socket_enabled: None, manual_clock: ManualClock
) -> AsyncIterator[FakeFleet]:
    """The local Fleet API and sign-in servers, on 127.0.0.1 on the test's clock."""
    fake = FakeFleet(manual_clock)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def fleet_session(fleet: FakeFleet) -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP session that reaches Tesla's hosts at the local Fleet API."""
    connector = aiohttp.TCPConnector(
        resolver=fleet.resolver(), ssl=fleet.client_ssl_context()
    )
    async with aiohttp.ClientSession(connector=connector) as session:
        yield session
