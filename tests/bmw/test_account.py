"""The account in Home Assistant: quota and repair issue, restarts, diagnostics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)

from custom_components.connected_car.const import CONTACT_RETRY_MAX, DOMAIN
from custom_components.connected_car.vehicle import signals
from tests.cardata.fixtures import eventually, make_car
from tests.simulation import set_open

from .conftest import settle

CALLS_LEFT = "sensor.bmw_cardata_api_calls_left"
DOOR = "binary_sensor.bmw_i4_m50_front_left_door"
LOCK = "binary_sensor.bmw_i4_m50_lock"


async def _press_refresh(hass: HomeAssistant) -> None:
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.bmw_i4_m50_refresh_data"},
        blocking=True,
    )
    await settle(hass)


async def test_quota_refusal_raises_a_repair_issue_until_calls_work(
    hass: HomeAssistant,
    bmw_loaded: MockConfigEntry,
    local_cardata,
    account,
    manual_clock,
    issue_registry: ir.IssueRegistry,
) -> None:
    entry = bmw_loaded
    assert hass.states.get(CALLS_LEFT).state == "45"
    # The refresh button spends a call when the last snapshot is old enough.
    await manual_clock.advance(20 * 60)
    await _press_refresh(hass)
    assert local_cardata.rest_requests[-1].path.endswith("/telematicData")
    assert hass.states.get(CALLS_LEFT).state == "44"
    assert (
        issue_registry.async_get_issue(
            DOMAIN, f"cardata_quota_exhausted_{entry.entry_id}"
        )
        is None
    )

    # Another app spent the account's calls: BMW answers 403 CU-429.
    account.counted_calls += [manual_clock.now()] * 44
    await manual_clock.advance(20 * 60)
    await _press_refresh(hass)
    assert local_cardata.rest_requests[-1].status == 403
    issue = issue_registry.async_get_issue(
        DOMAIN, f"cardata_quota_exhausted_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_key == "cardata_quota_exhausted"
    assert issue.severity is ir.IssueSeverity.WARNING
    midnight = datetime(2026, 1, 16, tzinfo=UTC)  # BMW's reset, in local time
    assert issue.translation_placeholders == {
        "account": entry.title,
        "until": dt_util.as_local(midnight).strftime("%Y-%m-%d %H:%M"),
    }
    assert hass.states.get(CALLS_LEFT).state == "0"
    # Values keep coming from the stream meanwhile; entities stay available.
    assert hass.states.get(LOCK).state == "off"
    requests = len(local_cardata.rest_requests)
    expiring = entry.data["token"]["expires_at"]
    await manual_clock.advance(60 * 60)
    # The tokens were refreshed meanwhile (a reload during the refresh is
    # test_tokens.py's business).
    await eventually(lambda: entry.data["token"]["expires_at"] != expiring)
    await _press_refresh(hass)
    assert len(local_cardata.rest_requests) == requests  # nothing sent while blocked
    # A restart keeps both the block and the issue.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(
        DOMAIN, f"cardata_quota_exhausted_{entry.entry_id}"
    )
    assert len(local_cardata.rest_requests) == requests
    assert hass.states.get(CALLS_LEFT).state == "0"

    # After BMW's window has room again a call succeeds and the issue goes.
    await manual_clock.advance(
        (datetime(2026, 1, 16, 7, 0, tzinfo=UTC) - manual_clock.now()).total_seconds()
    )
    backend = entry.runtime_data.backend
    while backend.budget.exhausted_at_bmw:
        await backend.run_plan()
        await manual_clock.advance(30 * 60)
        await _press_refresh(hass)
    await settle(hass)
    assert (
        issue_registry.async_get_issue(
            DOMAIN, f"cardata_quota_exhausted_{entry.entry_id}"
        )
        is None
    )
    assert int(hass.states.get(CALLS_LEFT).state) > 0


async def _open_the_door_and_stop(
    hass: HomeAssistant, entry: MockConfigEntry, cardata, account, clock
) -> datetime:
    """The car reports its door open; Home Assistant stops. Return the car's time."""
    car = next(iter(account.cars.values()))
    await cardata.publish_changes(account)
    set_open(car, signals.DOOR_FRONT_LEFT_OPEN, True)
    await clock.advance(10)
    opened_at = clock.now()
    await cardata.publish_changes(account)
    await eventually(lambda: hass.states.get(DOOR).state == "on")
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    return opened_at


async def test_restart_shows_the_last_known_state(
    hass: HomeAssistant,
    bmw_loaded: MockConfigEntry,
    local_cardata,
    account,
    manual_clock,
    hass_storage,
) -> None:
    """After a restart the last values are back at once, with the car's times."""
    entry = bmw_loaded
    car = next(iter(account.cars.values()))
    opened_at = await _open_the_door_and_stop(
        hass, entry, local_cardata, account, manual_clock
    )
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}.vehicle_state"]["data"]["states"]
    door = stored[car.vin][signals.DOOR_FRONT_LEFT_OPEN.key]
    assert door == {"value": True, "timestamp": opened_at.isoformat()}

    # BMW is down at the restart, and the car says nothing new: the stored
    # account data lists the car, the stored states fill the entities.
    local_cardata.rest_faults += [503] * 20
    await manual_clock.advance(2 * 3600)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(DOOR).state == "on"
    assert hass.states.get(LOCK).state == "off"
    assert hass.states.get("sensor.bmw_i4_m50_last_update_from_car").state == (
        opened_at.isoformat()
    )
    # An older reading arriving late does not overwrite the restored one.
    coordinator = entry.runtime_data.coordinators[car.vin]
    stale = coordinator.live.apply(
        [
            type(coordinator.data.get(signals.DOOR_FRONT_LEFT_OPEN))(
                signals.DOOR_FRONT_LEFT_OPEN, False, opened_at - timedelta(minutes=1)
            )
        ]
    )
    assert stale.rejected
    assert coordinator.live.state.value(signals.DOOR_FRONT_LEFT_OPEN) is True


async def test_diagnostics_are_redacted(
    hass: HomeAssistant,
    hass_client,
    bmw_loaded: MockConfigEntry,
    local_cardata,
    account,
    manual_clock,
    device_registry: dr.DeviceRegistry,
) -> None:
    entry = bmw_loaded
    car = next(iter(account.cars.values()))
    car.start_trip()  # a position away from home
    await manual_clock.advance(600)
    await local_cardata.publish_changes(account)
    coordinator = entry.runtime_data.coordinators[car.vin]
    await eventually(lambda: coordinator.data.value(signals.LOCATION) is not None)
    position = coordinator.data.value(signals.LOCATION)
    tokens = entry.data["token"]
    secrets = [
        tokens["access_token"],
        tokens["id_token"],
        tokens["refresh_token"],
        account.gcid,
        account.client_id,
        car.vin,
        f"{position.latitude:.4f}",
        f"{position.longitude:.4f}",
    ]
    account_device = device_registry.async_get_device(
        identifiers={(DOMAIN, f"account-{entry.entry_id}")}
    )
    vehicle_device = device_registry.async_get_device(identifiers={(DOMAIN, car.vin)})
    for diagnostics in (
        await get_diagnostics_for_config_entry(hass, hass_client, entry),
        await get_diagnostics_for_device(hass, hass_client, entry, account_device),
        await get_diagnostics_for_device(hass, hass_client, entry, vehicle_device),
    ):
        text = json.dumps(diagnostics)
        for secret in secrets:
            assert secret not in text
    full = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    backend = full["backend"]
    assert backend["quota"]["remaining"] == 45
    assert backend["stream"]["connected"] is True
    assert backend["client_id"] == "**REDACTED**"
    assert backend["vehicles"][0]["vin"] == "**REDACTED**"
    assert full["entry"]["data"]["token"] == "**REDACTED**"


async def test_a_new_car_on_the_account_appears(
    hass: HomeAssistant,
    bmw_loaded: MockConfigEntry,
    local_cardata,
    account,
    manual_clock,
    device_registry: dr.DeviceRegistry,
) -> None:
    """The daily vehicle list notices a new car; the entry reloads with it."""
    entry = bmw_loaded
    second = make_car(manual_clock, name="X2", seed=7, electric=False)
    local_cardata.add_car(account, second, "rest_basicData_X2_M35i_CONV")
    await manual_clock.advance(24 * 3600)
    await entry.runtime_data.backend.run_plan()
    await hass.async_block_till_done()
    await eventually(lambda: second.vin in entry.runtime_data.coordinators)
    await hass.async_block_till_done()
    device = device_registry.async_get_device(identifiers={(DOMAIN, second.vin)})
    assert device.name == "BMW X2 M35i xDrive"
    assert hass.states.get("sensor.bmw_x2_m35i_xdrive_fuel_level") is not None
    # The account device was kept through the reload.
    assert device_registry.async_get_device(
        identifiers={(DOMAIN, f"account-{entry.entry_id}")}
    )


async def test_removing_the_entry_deletes_its_data(
    hass: HomeAssistant, bmw_loaded: MockConfigEntry, hass_storage
) -> None:
    entry = bmw_loaded
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    keys = [key for key in hass_storage if key.startswith(DOMAIN)]
    assert len(keys) == 2  # vehicle states and the account's data
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert not [key for key in hass_storage if key.startswith(DOMAIN)]


async def test_bad_stream_input_does_not_disturb_home_assistant(
    hass: HomeAssistant, bmw_loaded, local_cardata, account, manual_clock, caplog
) -> None:
    vin = next(iter(account.cars))
    for payload in (b"{not json", b"[]", json.dumps({"vin": vin}).encode()) * 3:
        await local_cardata.publish(account, vin, payload)
    car = account.cars[vin]
    await local_cardata.publish_changes(account)
    set_open(car, signals.TRUNK_OPEN, True)
    await manual_clock.advance(10)
    await local_cardata.publish_changes(account)
    await eventually(
        lambda: hass.states.get("binary_sensor.bmw_i4_m50_trunk").state == "on"
    )
    for kind in ("not_json", "not_an_object", "missing_data"):
        assert caplog.text.count(f"({kind}:") == 1
    assert hass.states.get(DOOR).state == "off"


async def test_restart_with_bmw_down_shows_the_stored_state_and_recovers(
    hass: HomeAssistant,
    bmw_loaded: MockConfigEntry,
    local_cardata,
    account,
    manual_clock,
) -> None:
    """Issue 12: sign-in and REST down at the restart: no more unavailable entities."""
    entry = bmw_loaded
    opened_at = await _open_the_door_and_stop(
        hass, entry, local_cardata, account, manual_clock
    )

    await manual_clock.advance(2 * 3600)  # the tokens must be refreshed first
    local_cardata.token_faults += [(503, None)] * 2
    local_cardata.rest_faults += [503] * 20
    with patch("custom_components.connected_car.connection.STARTUP_CONTACT_WAIT", 1):
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert not entry.runtime_data.connection.reached
    assert hass.states.get(DOOR).state == "on"
    assert hass.states.get(LOCK).state == "off"
    assert hass.states.get("sensor.bmw_i4_m50_last_update_from_car").state == (
        opened_at.isoformat()
    )
    assert hass.states.get(CALLS_LEFT).state == "45"  # the stored quota, at once

    # BMW answers again: the stream comes up without anyone doing anything.
    for _ in range(3):
        await manual_clock.advance(CONTACT_RETRY_MAX)
        await settle(hass)
    await eventually(lambda: entry.runtime_data.connection.reached)
    await eventually(
        lambda: hass.states.get("binary_sensor.bmw_cardata_live_stream").state == "on"
    )
    assert hass.states.get(DOOR).state == "on"
