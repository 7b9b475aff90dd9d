"""Fixtures: the local Teslemetry wired into Home Assistant, and a Tesla entry.

Home Assistant's Tesla adapter gets the test's HTTP session (it resolves
Teslemetry's real host names to the local fake, whose CA it trusts) and the
test's clock; nothing of the libraries is patched. The fake's cars live on
the same clock: a task moves them on every few simulated seconds, so a car
falls asleep, wakes and streams its changes as time passes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle import Signal
from tests.cardata.fixtures import eventually
from tests.clock import ManualClock
from tests.common import async_advance
from tests.simulation import set_open, set_plugged_in
from tests.tesla.entries import backend_of, call
from tests.tesla.fixtures import make_tesla_car, tesla_session, teslemetry
from tests.tesla.server import FakeAccount, FakeCar, FakeTeslemetry

__all__ = ["backend_of", "call", "tesla_session", "teslemetry"]

TOKEN = "tm-ha-token-0123456789"
ACCOUNT_ID = "uid-456789"
"""What the local Teslemetry answers as the token's account id (its last digits)."""
CAR = "My Tesla"
STATUS = "sensor.my_tesla_status"
TICK_SECONDS = 5.0
"""Simulated seconds between two moves of the fake's cars."""


@pytest.fixture
def local_teslemetry(
    teslemetry: FakeTeslemetry,
    tesla_session: aiohttp.ClientSession,
    manual_clock: ManualClock,
) -> Iterator[FakeTeslemetry]:
    """Point Home Assistant's Tesla adapter at the local Teslemetry and the test clock."""
    adapter = ADAPTERS["tesla"]
    with (
        patch.object(adapter, "make_session", return_value=tesla_session),
        patch.object(adapter, "make_clock", return_value=manual_clock),
    ):
        yield teslemetry


@pytest.fixture
async def car_life(
    local_teslemetry: FakeTeslemetry, manual_clock: ManualClock
) -> AsyncIterator[None]:
    """Move the fake's cars on (and stream their changes) as the test clock runs."""

    async def live() -> None:
        while True:
            await manual_clock.sleep(TICK_SECONDS)
            local_teslemetry.tick()

    task = asyncio.create_task(live())
    yield
    task.cancel()


@pytest.fixture
def account(local_teslemetry: FakeTeslemetry) -> FakeAccount:
    """The owner's Teslemetry account, with every scope."""
    return local_teslemetry.add_account(TOKEN)


@pytest.fixture
def fake_car(
    local_teslemetry: FakeTeslemetry, account: FakeAccount, manual_clock: ManualClock
) -> FakeCar:
    """A parked Tesla with a sunroof, online, plugged in and charging."""
    return local_teslemetry.add_car(
        account, make_tesla_car(manual_clock), display_name=CAR
    )


@pytest.fixture
def tesla_entry(account: FakeAccount) -> MockConfigEntry:
    """A Tesla entry as the config flow makes it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=f"Teslemetry ({CAR})",
        data={"backend": "tesla", "transport": "teslemetry", "api_token": TOKEN},
        unique_id=ACCOUNT_ID,
    )


@pytest.fixture
def setup_tesla(
    hass: HomeAssistant, tesla_entry: MockConfigEntry, car_life: None
) -> Callable[[], Coroutine[Any, Any, MockConfigEntry]]:
    """Return a function that sets the Tesla entry up (tests prepare the cars first)."""

    async def setup() -> MockConfigEntry:
        tesla_entry.add_to_hass(hass)
        await hass.config_entries.async_setup(tesla_entry.entry_id)
        await hass.async_block_till_done()
        return tesla_entry

    return setup


@pytest.fixture
async def tesla_loaded(
    setup_tesla: Callable[[], Coroutine[Any, Any, MockConfigEntry]],
    fake_car: FakeCar,
) -> MockConfigEntry:
    """The Tesla entry, set up, its stream connected and its cars streaming."""
    entry = await setup_tesla()
    await eventually(
        lambda: all(c.live.streaming for c in entry.runtime_data.coordinators.values())
    )
    return entry


async def press_refresh(hass: HomeAssistant, clock: ManualClock) -> None:
    """Press the car's "refresh data" button."""
    await call(
        hass,
        clock,
        "button",
        "press",
        {ATTR_ENTITY_ID: "button.my_tesla_refresh_data"},
    )


async def fall_asleep(hass: HomeAssistant, car: FakeCar, clock: ManualClock) -> None:
    """Unplug the car and leave it alone until it sleeps (and HA shows it)."""
    set_plugged_in(car.car, False)
    await async_advance(hass, clock, 660)  # ten idle minutes, then asleep
    await eventually(lambda: hass.states.get(STATUS).state == "asleep")


async def see_streamed(
    hass: HomeAssistant,
    clock: ManualClock,
    car: FakeCar,
    opening: Signal[bool],
    entity_id: str,
    *,
    is_open: bool = True,
) -> None:
    """Open (or close) something on the car; wait until the stream shows it in HA."""
    set_open(car.car, opening, is_open)
    await async_advance(hass, clock, TICK_SECONDS)
    expected = "on" if is_open else "off"
    await eventually(lambda: hass.states.get(entity_id).state == expected)


async def settle(hass: HomeAssistant) -> None:
    """Let network I/O and Home Assistant catch up (real time, briefly)."""
    await asyncio.sleep(0.05)
    await hass.async_block_till_done()
