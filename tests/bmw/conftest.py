"""Fixtures: the local CarData wired into Home Assistant, and a CarData entry."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from typing import Any
from unittest.mock import MagicMock

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle.bmw import Tokens
from tests.cardata.fixtures import cardata, eventually, make_car, mosquitto, point_at
from tests.cardata.server import FakeAccount, FakeCarData
from tests.clock import ManualClock

__all__ = ["cardata", "mosquitto"]


@pytest.fixture
def local_cardata(
    cardata: FakeCarData, patch_clock: MagicMock
) -> Iterator[FakeCarData]:
    """Point the integration at the fake CarData, on the test's clock."""
    with point_at(cardata):
        yield cardata


@pytest.fixture
def account(local_cardata: FakeCarData, manual_clock: ManualClock) -> FakeAccount:
    """A BMW account with one i4 M50 (simulated electric car)."""
    owner = local_cardata.add_account()
    local_cardata.add_car(owner, make_car(manual_clock, name="i4"))
    return owner


@pytest.fixture
async def bmw_entry(
    local_cardata: FakeCarData, account: FakeAccount, manual_clock: ManualClock
) -> MockConfigEntry:
    """A CarData config entry with fresh tokens, as the config flow makes it."""
    tokens = Tokens.from_response(
        await local_cardata.issue_tokens(account), manual_clock.now()
    )
    return MockConfigEntry(
        domain=DOMAIN,
        title="BMW CarData (BMW i4 M50)",
        data={
            "backend": "bmw_cardata",
            "client_id": account.client_id,
            "token": tokens.as_dict(),
        },
        unique_id=account.gcid,
    )


@pytest.fixture
def setup_bmw(
    hass: HomeAssistant, bmw_entry: MockConfigEntry
) -> Callable[[], Coroutine[Any, Any, MockConfigEntry]]:
    """Return a function that sets the CarData entry up."""

    async def setup() -> MockConfigEntry:
        bmw_entry.add_to_hass(hass)
        await hass.config_entries.async_setup(bmw_entry.entry_id)
        await hass.async_block_till_done()
        return bmw_entry

    return setup


@pytest.fixture
async def bmw_loaded(
    setup_bmw: Callable[[], Coroutine[Any, Any, MockConfigEntry]],
) -> MockConfigEntry:
    """The CarData entry, set up, with its stream connected."""
    entry = await setup_bmw()
    backend = entry.runtime_data.backend
    await eventually(lambda: backend.stream_client.connected)
    await eventually(
        lambda: all(c.live.streaming for c in entry.runtime_data.coordinators.values())
    )
    return entry


async def settle(hass: HomeAssistant) -> None:
    """Let network I/O and Home Assistant catch up (real time, briefly)."""
    await asyncio.sleep(0.05)
    await hass.async_block_till_done()
