"""Existing installs keep working: release 0.1.0's entries and files still load.

tests/fixtures/release_0_1_0/ holds what release 0.1.0 wrote for a simulation
of two cars and for a BMW CarData account (config entries, registries, the
entities' restore data, vehicle states, the CarData account store). Each test
starts Home Assistant from those files and checks that the entities keep their
entity ids and unique ids, that nothing new is registered beside them, and that
the stored values (departure plan, last known car state, quota) are back.
"""

from __future__ import annotations

from collections.abc import Iterator
import copy
from datetime import datetime, timedelta
import json
from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_RESTORED
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle.bmw import QuotaBudget
from tests.cardata.fixtures import (
    cardata,
    eventually,
    make_car,
    mosquitto,
    point_at,
)
from tests.cardata.server import REFRESH_TOKEN_LIFETIME, FakeCarData
from tests.clock import DEFAULT_MANUAL_START, ManualClock
from tests.fixtures.release_0_1_0.startup import load_storage

__all__ = ["cardata", "mosquitto"]

RELEASE = Path(__file__).parent / "fixtures" / "release_0_1_0"
STORAGE = RELEASE / "storage"
CAPTURE = json.loads((RELEASE / "capture.json").read_text())
CAPTURED_AT = datetime.fromisoformat(CAPTURE["clock"])

pytestmark = pytest.mark.parametrize("load_registries", [False])


def stored(key: str) -> dict[str, Any]:
    """Return a stored file's content ({"version": ..., "data": ...})."""
    return json.loads((STORAGE / key).read_text())


def stored_entry(backend: str) -> dict[str, Any]:
    """Return the stored config entry of a backend."""
    entries = stored("core.config_entries")["data"]["entries"]
    return next(entry for entry in entries if entry["data"]["backend"] == backend)


def registered_entities(entry_id: str) -> set[tuple[str, str, str]]:
    """Return (entity id, platform, unique id) of the entry's stored entities."""
    return {
        (entity["entity_id"], entity["platform"], entity["unique_id"])
        for entity in stored("core.entity_registry")["data"]["entities"]
        if entity["config_entry_id"] == entry_id
    }


def registered_devices(entry_id: str) -> set[tuple[str, str]]:
    """Return the identifiers of the entry's stored devices."""
    return {
        tuple(identifier)
        for device in stored("core.device_registry")["data"]["devices"]
        if entry_id in device["config_entries"]
        for identifier in device["identifiers"]
    }


@pytest.fixture
def clock_start() -> datetime:
    """When the cars' clock starts: ten minutes after the files were written."""
    return CAPTURED_AT + timedelta(minutes=10)


@pytest.fixture
def manual_clock(clock_start: datetime) -> ManualClock:
    """The cars' clock."""
    return ManualClock(clock_start)


@pytest.fixture
async def release_storage(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> dict[str, Any]:
    """Home Assistant started from the release's files."""
    for path in STORAGE.iterdir():
        hass_storage[path.name] = json.loads(path.read_text())
    await load_storage(hass)
    return hass_storage


async def load_entry(hass: HomeAssistant, backend: str) -> MockConfigEntry:
    """Add the stored entry of a backend as Home Assistant reads it, set it up."""
    data = copy.deepcopy(stored_entry(backend))
    entry = MockConfigEntry(
        domain=data["domain"],
        entry_id=data["entry_id"],
        title=data["title"],
        data=data["data"],
        options=data["options"],
        unique_id=data["unique_id"],
        version=data["version"],
        minor_version=data["minor_version"],
        source=data["source"],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


def assert_same_entities_and_devices(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Every stored entity is back under its id, and there is nothing new."""
    entity_registry = er.async_get(hass)
    current = {
        (entity.entity_id, entity.platform, entity.unique_id)
        for entity in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    }
    assert current == registered_entities(entry.entry_id)
    for entity_id, _, _ in current:
        registered = entity_registry.async_get(entity_id)
        assert registered is not None
        if registered.disabled_by is not None:
            continue
        state = hass.states.get(entity_id)
        assert state is not None, f"{entity_id} has no entity any more"
        assert ATTR_RESTORED not in state.attributes
    devices = {
        identifier
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        )
        for identifier in device.identifiers
    }
    assert devices == registered_devices(entry.entry_id)


# A simulation starts its cars afresh on every start; on the clock's usual start
# (before the capture) the stored readings are the newest and must show.
@pytest.mark.parametrize("clock_start", [DEFAULT_MANUAL_START])
async def test_simulation_of_release_0_1_0(
    hass: HomeAssistant,
    release_storage: dict[str, Any],
    patch_clock: MagicMock,
) -> None:
    entry = await load_entry(hass, "simulated")
    assert_same_entities_and_devices(hass, entry)
    assert dict(entry.options) == stored_entry("simulated")["options"]
    # The departure plan set before the update is back.
    assert hass.states.get("switch.family_car_departure_plan").state == "on"
    assert hass.states.get("time.family_car_departure_time").state == "06:45:00"
    lead = hass.states.get("number.family_car_preconditioning_lead_time")
    assert float(lead.state) == 25
    below = hass.states.get("number.family_car_precondition_only_below")
    assert float(below.state) == -20
    assert hass.states.get("switch.simulated_car_2_departure_plan").state == "off"
    # The stored vehicle states were read: the trip's odometer is back.
    states = stored(f"{DOMAIN}.{entry.entry_id}.vehicle_state")["data"]
    entity_registry = er.async_get(hass)
    for vin, readings in states.items():
        entity_id = entity_registry.async_get_entity_id(
            "sensor", DOMAIN, f"{vin}-odometer"
        )
        assert (
            float(hass.states.get(entity_id).state) == (readings["odometer"]["value"])
        )


@pytest.fixture
def local_cardata(
    cardata: FakeCarData, patch_clock: MagicMock
) -> Iterator[FakeCarData]:
    """The fake CarData, knowing the account and the tokens of the stored entry."""
    data = stored_entry("bmw_cardata")["data"]
    tokens = data["token"]
    account = cardata.add_account(client_id=data["client_id"])
    del cardata.accounts[account.gcid]
    account.gcid = tokens["gcid"]
    cardata.accounts[account.gcid] = account
    car = make_car(cardata.clock, name="i4")
    cardata.add_car(account, car)
    account.silent_car = True  # the car said nothing since: stored values hold
    cardata.access_tokens[tokens["access_token"]] = (
        account.gcid,
        datetime.fromisoformat(tokens["expires_at"]),
    )
    cardata.refresh_tokens[tokens["refresh_token"]] = (
        account.gcid,
        account.client_id,
        CAPTURED_AT + REFRESH_TOKEN_LIFETIME,
    )
    account.id_token = tokens["id_token"]
    with point_at(cardata):
        yield cardata


async def test_cardata_account_of_release_0_1_0(
    hass: HomeAssistant, release_storage: dict[str, Any], local_cardata: FakeCarData
) -> None:
    account = next(iter(local_cardata.accounts.values()))
    await local_cardata.broker_accepts_current_token(account)
    vin = next(iter(account.cars))
    entry = await load_entry(hass, "bmw_cardata")
    assert vin in entry.runtime_data.coordinators
    assert_same_entities_and_devices(hass, entry)
    # The last known state is back, with the car's own time.
    readings = stored(f"{DOMAIN}.{entry.entry_id}.vehicle_state")["data"][vin]
    assert readings["door_front_left_open"]["value"] is True
    assert hass.states.get("binary_sensor.bmw_i4_m50_front_left_door").state == "on"
    last_update = max(reading["timestamp"] for reading in readings.values())
    assert datetime.fromisoformat(
        hass.states.get("sensor.bmw_i4_m50_last_update_from_car").state
    ) == datetime.fromisoformat(last_update)
    # The quota counts the calls made before the update.
    account_store = next(
        value["data"]
        for key, value in release_storage.items()
        if key.startswith(f"{DOMAIN}.bmw_cardata.")
    )
    budget = QuotaBudget.from_dict(account_store["budget"])
    spent_before = budget.used(local_cardata.clock.now())
    assert spent_before > 0
    calls_left = int(hass.states.get("sensor.bmw_cardata_api_calls_left").state)
    assert calls_left == budget.limit - spent_before - len(account.counted_calls)
    await eventually(
        lambda: hass.states.get("binary_sensor.bmw_cardata_live_stream").state == "on"
    )
    assert not ir.async_get(hass).issues
