"""Fixtures of the local CarData, imported by the conftest files that need them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
import random
from unittest.mock import patch

import pytest
import pytest_socket

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.vehicle.simulator import MODELS
from custom_components.connected_car.vehicle.simulator.car import SimulatedCar
from tests.clock import ManualClock

from .broker import MosquittoBroker
from .server import FakeCarData

HOME = (48.1771, 11.5562)  # BMW Welt, Munich
EVENTUALLY_TIMEOUT = 10.0
ELECTRIC = MODELS[1]
COMBUSTION = MODELS[2]


@pytest.fixture(scope="session")
def mosquitto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MosquittoBroker]:
    """A real mosquitto broker with TLS for the whole session (stopped at the end)."""
    pytest_socket.enable_socket()  # to find a free port; tests re-enable per test
    try:
        broker = MosquittoBroker(Path(tmp_path_factory.mktemp("mosquitto")))
        broker.start()
    except RuntimeError as err:
        pytest.fail(f"The CarData tests need a real MQTT broker: {err}")
    finally:
        pytest_socket.disable_socket(allow_unix_socket=True)
    yield broker
    broker.stop()


@pytest.fixture
async def cardata(
    socket_enabled: None, mosquitto: MosquittoBroker, manual_clock: ManualClock
) -> AsyncIterator[FakeCarData]:
    """The fake CarData, serving on 127.0.0.1 on the test's clock."""
    fake = FakeCarData(manual_clock, mosquitto)
    await fake.start()
    yield fake
    await fake.stop()


def make_car(
    clock: ManualClock, *, name: str = "My BMW", seed: int = 1, electric: bool = True
) -> SimulatedCar:
    """Return a parked simulated car that drives only when told to."""
    return SimulatedCar(
        name=name,
        model=ELECTRIC if electric else COMBUSTION,
        rng=random.Random(seed),  # noqa: S311 - simulation
        home=HOME,
        now=clock.now(),
        auto_trips=False,
        read_only=True,
    )


async def eventually(
    predicate: Callable[[], object],
    timeout: float = EVENTUALLY_TIMEOUT,  # noqa: ASYNC109 - polls, no I/O to cancel
) -> None:
    """Wait (in real time) until predicate() is true: network I/O takes real time."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            msg = "condition not met in time"
            raise AssertionError(msg)
        await asyncio.sleep(0.01)


@contextmanager
def point_at(cardata: FakeCarData) -> Iterator[None]:
    """Make Home Assistant's CarData adapter use the fake and its clock."""
    adapter = ADAPTERS["bmw_cardata"]
    with (
        patch.object(adapter, "endpoints", cardata.endpoints()),
        patch.object(adapter, "make_clock", return_value=cardata.clock),
    ):
        yield
