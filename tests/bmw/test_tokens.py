"""Tokens in Home Assistant: refreshed and saved, the stream re-made, reauth."""

from __future__ import annotations

import asyncio

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.event import async_track_state_change_event
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle import VehicleConnectionError, signals
from custom_components.connected_car.vehicle.bmw.auth import REFRESH_MARGIN
from tests.cardata.fixtures import eventually
from tests.simulation import set_open

from .conftest import settle
from .flows import approve_and_finish

DOOR = "binary_sensor.bmw_i4_m50_front_left_door"
BATTERY = "sensor.bmw_i4_m50_battery_level"
UNTIL_REFRESH = 3599 - REFRESH_MARGIN.total_seconds()


def _record_states(hass: HomeAssistant, entity_ids: list[str]) -> list[str]:
    seen: list[str] = []

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        if (state := event.data["new_state"]) is not None:
            seen.append(state.state)

    async_track_state_change_event(hass, entity_ids, changed)
    return seen


async def _reauth_after_refresh(hass: HomeAssistant, clock) -> list:
    """Let the next token refresh happen; return the reauth flow it started."""
    await clock.advance(UNTIL_REFRESH)
    await eventually(lambda: hass.config_entries.flow.async_progress_by_handler(DOMAIN))
    await settle(hass)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    return flows


async def _open_door(hass, cardata, account, clock, is_open: bool) -> None:
    car = next(iter(account.cars.values()))
    await cardata.publish_changes(account)  # the car catches up with the clock
    set_open(car, signals.DOOR_FRONT_LEFT_OPEN, is_open)
    await clock.advance(10)
    await cardata.publish_changes(account)
    expected = "on" if is_open else "off"
    await eventually(lambda: hass.states.get(DOOR).state == expected)


async def test_refresh_is_saved_and_the_stream_follows_without_a_gap(
    hass: HomeAssistant,
    bmw_loaded: MockConfigEntry,
    local_cardata,
    account,
    mosquitto,
    manual_clock,
    caplog,
) -> None:
    entry = bmw_loaded
    backend = entry.runtime_data.backend
    runtime = entry.runtime_data
    seen = _record_states(hass, [DOOR, BATTERY])
    old_tokens = dict(entry.data["token"])
    log_offset = len(mosquitto.log())

    await manual_clock.advance(UNTIL_REFRESH)
    await eventually(lambda: entry.data["token"]["id_token"] == account.id_token)
    new_tokens = entry.data["token"]
    assert new_tokens["refresh_token"] != old_tokens["refresh_token"]
    assert new_tokens["expires_at"] > old_tokens["expires_at"]
    # Saved without a reload: the same backend and coordinators are running.
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is runtime
    # The broker saw our client log in with the new ID token (only it works).
    await eventually(lambda: mosquitto.connections_of(account.gcid, log_offset) == 1)
    assert not await mosquitto.accepts(account.gcid, old_tokens["id_token"])
    await eventually(lambda: backend.stream_client.connected)
    # And data flows on; no entity went unavailable meanwhile.
    await _open_door(hass, local_cardata, account, manual_clock, True)
    assert STATE_UNAVAILABLE not in seen
    for coordinator in runtime.coordinators.values():
        assert coordinator.live.streaming
    assert "Live updates of" not in caplog.text  # no outage was logged


async def test_dead_refresh_token_starts_reauth_and_recovers(
    hass: HomeAssistant,
    bmw_loaded: MockConfigEntry,
    local_cardata,
    account,
    manual_clock,
    caplog,
) -> None:
    """Only invalid_grant asks the user; a new sign-in brings everything back."""
    entry = bmw_loaded
    local_cardata.revoke_refresh_tokens(account)  # e.g. two weeks offline
    requests = len(local_cardata.token_requests)
    flows = await _reauth_after_refresh(hass, manual_clock)
    assert len(local_cardata.token_requests) == requests + 1  # no refresh loop

    result = await hass.config_entries.flow.async_configure(flows[0]["flow_id"], {})
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.data["token"]["id_token"] == account.id_token
    backend = entry.runtime_data.backend
    assert backend.signed_out is None
    await eventually(lambda: backend.stream_client.connected)
    await _open_door(hass, local_cardata, account, manual_clock, True)


async def test_reauth_with_another_account_is_refused(
    hass: HomeAssistant, bmw_loaded, local_cardata, account, manual_clock
) -> None:
    entry = bmw_loaded
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    other = local_cardata.add_account(client_id=account.client_id)
    account.client_id = "ffffffff-0000-4000-8000-000000000000"  # now the other's
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.unique_id == account.gcid != other.gcid


async def test_expired_sign_in_at_startup_asks_to_sign_in(
    hass: HomeAssistant, setup_bmw, bmw_entry, local_cardata, account, manual_clock
) -> None:
    """Home Assistant was off for weeks: the refresh token died meanwhile."""
    local_cardata.revoke_refresh_tokens(account)
    await manual_clock.advance(2 * 3600)  # the access token expired too
    entry = await setup_bmw()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_sign_in_server_down_at_startup_retries(
    hass: HomeAssistant, setup_bmw, local_cardata, account, manual_clock
) -> None:
    await manual_clock.advance(2 * 3600)  # a refresh is needed first
    local_cardata.token_faults.append((503, None))
    entry = await setup_bmw()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)


async def test_refused_client_id_asks_the_user_instead_of_retrying(
    hass: HomeAssistant,
    bmw_loaded: MockConfigEntry,
    local_cardata,
    account,
    manual_clock,
) -> None:
    """Issue 12: invalid_client on refresh was retried forever, silently.

    Re-authentication (not a repair issue: only a new sign-in with an active
    client helps) opens on the client ID, saying what happened at BMW.
    """
    local_cardata.token_faults += [(401, {"error": "invalid_client"})] * 5
    requests = len(local_cardata.token_requests)
    flows = await _reauth_after_refresh(hass, manual_clock)
    backend = bmw_loaded.runtime_data.backend
    assert backend.tokens.client_rejected
    assert backend.diagnostics()["tokens"]["client_rejected"] is True
    await manual_clock.advance(3600)
    await settle(hass)
    assert len(local_cardata.token_requests) == requests + 1  # asked once, not again

    assert flows[0]["step_id"] == "bmw_cardata"  # no "confirm" with a dead client
    result = hass.config_entries.flow._progress[flows[0]["flow_id"]].cur_step
    assert result["errors"] == {"base": "client_rejected"}
    assert result["description_placeholders"]["portal"].startswith("https://")
    # The owner activates the client in the portal again and confirms it here.
    local_cardata.token_faults.clear()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": account.client_id}
    )
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert bmw_loaded.state is ConfigEntryState.LOADED
    assert not bmw_loaded.runtime_data.backend.tokens.client_rejected
    assert bmw_loaded.reason is None


async def test_a_reload_during_a_token_refresh_keeps_the_rotated_token(
    hass: HomeAssistant,
    bmw_loaded: MockConfigEntry,
    local_cardata,
    account,
    manual_clock,
) -> None:
    """BMW rotates the refresh token as it answers: the answer must not be lost."""
    entry = bmw_loaded
    old_refresh_token = entry.data["token"]["refresh_token"]
    local_cardata.hold_refresh_answers = asyncio.Event()
    requests = len(local_cardata.token_requests)
    await manual_clock.advance(UNTIL_REFRESH)
    await eventually(lambda: len(local_cardata.token_requests) == requests + 1)
    assert old_refresh_token not in local_cardata.refresh_tokens  # used up at BMW

    # The entry reloads (options changed, a new car, ...) while BMW answers.
    reload = hass.async_create_task(hass.config_entries.async_reload(entry.entry_id))
    await eventually(lambda: entry.state is ConfigEntryState.UNLOAD_IN_PROGRESS)
    # The next start cannot take the old token meanwhile.
    with pytest.raises(VehicleConnectionError):
        ADAPTERS["bmw_cardata"].create_backend(hass, entry)
    local_cardata.hold_refresh_answers.set()
    assert await reload
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    saved = entry.data["token"]["refresh_token"]
    assert saved != old_refresh_token
    assert saved in local_cardata.refresh_tokens  # the one BMW holds now
    assert entry.runtime_data.backend.tokens.tokens.refresh_token == saved
    # And the next refresh works: nobody is asked to sign in again.
    local_cardata.hold_refresh_answers = None
    await manual_clock.advance(UNTIL_REFRESH)
    await eventually(lambda: entry.data["token"]["refresh_token"] != saved)
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)
