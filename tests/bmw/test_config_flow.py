"""Adding a BMW CarData account: portal steps, device code, every error."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle.bmw import CarDataEndpoints
from tests.cardata.broker import free_port
from tests.cardata.fixtures import eventually, make_car

from .flows import approve_and_finish, finish_progress


async def _client_id_form(hass: HomeAssistant) -> dict:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert "bmw_cardata" in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "bmw_cardata"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "bmw_cardata"
    assert result["errors"] == {}
    assert result["description_placeholders"]["portal"].startswith("https://")
    return result


async def test_happy_path(
    hass: HomeAssistant, local_cardata, account, manual_clock, device_registry
) -> None:
    """Client ID (pasted in upper case with spaces), code, approval, entry."""
    result = await _client_id_form(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": f" {account.client_id.upper()} "}
    )
    code = local_cardata.pending_code()
    # Nobody approved yet: the flow keeps waiting, polling every 5 s.
    flow = hass.config_entries.flow._progress[result["flow_id"]]
    task = flow.async_get_progress_task()
    for _ in range(3):
        polls = len(code.polls)
        await manual_clock.advance(5)
        await eventually(lambda polls=polls: len(code.polls) > polls)
    assert not task.done()
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "BMW CarData (BMW i4 M50)"
    assert result["description"] == "read_only"  # no lock to expose
    assert result["result"].unique_id == account.gcid
    data = result["data"]
    assert data["backend"] == "bmw_cardata"
    assert data["client_id"] == account.client_id
    assert data["token"]["id_token"] == account.id_token
    assert data["token"]["gcid"] == account.gcid
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    vin = next(iter(account.cars))
    assert device_registry.async_get_device(identifiers={(DOMAIN, vin)})
    # The flow's check listed the cars once; setup did not ask again.
    paths = [r.path.rsplit("/", 1)[-1] for r in local_cardata.rest_requests]
    assert paths == [
        "mappings",
        "basicData",
        "containers",
        "containers",
        "telematicData",
    ]


async def test_slow_down_is_honoured(hass, local_cardata, account, manual_clock):
    result = await _client_id_form(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": account.client_id}
    )
    code = local_cardata.pending_code()
    await manual_clock.advance(5)
    await eventually(lambda: len(code.polls) == 1)
    code.polls[-1] += timedelta(seconds=2)  # BMW thinks we polled later
    await manual_clock.advance(5)
    await eventually(lambda: len(code.polls) == 2)  # too early: slow_down
    assert code.interval == 10
    local_cardata.approve(code.user_code)
    result = await finish_progress(hass, manual_clock, result, seconds=10)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    spacing = code.polls[-1] - code.polls[-2]
    assert spacing == timedelta(seconds=10)


@pytest.mark.parametrize(
    ("user_does", "error"),
    [
        ("deny", "access_denied"),
        ("nothing", "code_expired"),
        ("invalid_grant", "login_rejected"),
    ],
)
async def test_sign_in_failures_return_to_the_form(
    hass, local_cardata, account, manual_clock, user_does, error
) -> None:
    result = await _client_id_form(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": account.client_id}
    )
    code = local_cardata.pending_code()
    seconds = 5
    if user_does == "deny":
        local_cardata.deny(code.user_code)
    elif user_does == "invalid_grant":
        local_cardata.invalid_grant_after_approval = True
        local_cardata.approve(code.user_code)
    else:
        seconds = 305  # five minutes pass
    result = await finish_progress(hass, manual_clock, result, seconds=seconds)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "bmw_cardata"
    assert result["errors"] == {"base": error}
    # The user can try again right away, with the client ID filled in.
    local_cardata.invalid_grant_after_approval = False
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": account.client_id}
    )
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("client_id", "error"),
    [
        ("not-a-client-id", {"client_id": "invalid_client_id"}),
        ("00000000-0000-4000-8000-000000000000", {"client_id": "unknown_client_id"}),
    ],
)
async def test_client_id_errors(hass, local_cardata, account, client_id, error):
    result = await _client_id_form(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": client_id}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == error


async def test_bmw_unreachable(hass, local_cardata, account):
    result = await _client_id_form(hass)
    with patch.object(
        ADAPTERS["bmw_cardata"],
        "endpoints",
        CarDataEndpoints(auth_base_url=f"http://127.0.0.1:{free_port()}"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"client_id": account.client_id}
        )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_client_refused_and_server_errors(
    hass, local_cardata, account, manual_clock
):
    result = await _client_id_form(hass)
    with patch(
        "custom_components.connected_car.vehicle.bmw.auth.SCOPE",
        "openid cardata:api:read cardata:streaming:vehicle.body.hood.isOpen",
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {"client_id": account.client_id}
        )
    assert result["errors"] == {"client_id": "client_id_refused"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": account.client_id}
    )
    # BMW's sign-in keeps failing: retried (with backoff) until the code
    # expires, then the form says why (issue 12: no abort after 3 errors).
    local_cardata.token_faults += [(500, None)] * 100
    for sent in range(1, 5):
        await manual_clock.advance(60)
        await eventually(
            lambda sent=sent: len(local_cardata.token_faults) <= 100 - sent
        )
    result = await finish_progress(hass, manual_clock, result, seconds=300)
    assert result["errors"] == {"base": "cannot_connect"}


async def test_api_not_enabled_for_the_client(hass, local_cardata, account):
    account.api_subscribed = False
    result = await _client_id_form(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": account.client_id}
    )
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "api_not_enabled"}


async def test_account_without_cars(hass, local_cardata, manual_clock):
    empty = local_cardata.add_account()
    result = await _client_id_form(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": empty.client_id}
    )
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_vehicles"


async def test_same_account_twice(hass, local_cardata, account, bmw_entry):
    bmw_entry.add_to_hass(hass)
    result = await _client_id_form(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": account.client_id}
    )
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "account_already_configured"


async def test_abandoned_flow_stops_polling(hass, local_cardata, account, manual_clock):
    result = await _client_id_form(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": account.client_id}
    )
    flow = hass.config_entries.flow._progress[result["flow_id"]]
    task = flow.async_get_progress_task()
    hass.config_entries.flow.async_abort(result["flow_id"])
    await hass.async_block_till_done()
    assert task.cancelled() or task.done()


async def test_reconfigure_changes_the_client_id(
    hass, local_cardata, account, setup_bmw, manual_clock
) -> None:
    entry = await setup_bmw()
    account.client_id = (
        "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"  # a new client in the portal
    )
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "bmw_cardata"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": account.client_id}
    )
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "client_id_changed"
    assert entry.data["client_id"] == account.client_id
    assert entry.data["token"]["id_token"] == account.id_token
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_with_another_account_aborts(
    hass, local_cardata, account, setup_bmw, manual_clock
) -> None:
    entry = await setup_bmw()
    other = local_cardata.add_account()
    local_cardata.add_car(other, make_car(manual_clock, seed=9))
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": other.client_id}
    )
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data["client_id"] == account.client_id


async def test_entry_title_lists_cars(hass, local_cardata, account, manual_clock):
    local_cardata.add_car(
        account,
        make_car(manual_clock, seed=5, electric=False),
        "rest_basicData_X2_M35i_CONV",
    )
    result = await _client_id_form(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"client_id": account.client_id}
    )
    result = await approve_and_finish(hass, local_cardata, result)
    assert result["title"] == "BMW CarData (BMW i4 M50, BMW X2 M35i xDrive)"
    await hass.async_block_till_done()
    devices = dr.async_entries_for_config_entry(
        dr.async_get(hass), result["result"].entry_id
    )
    assert sorted(d.name for d in devices) == [
        "BMW CarData",
        "BMW X2 M35i xDrive",
        "BMW i4 M50",
    ]


async def test_setup_error_is_retried(hass, local_cardata, account, bmw_entry):
    """Network errors during the first setup: Home Assistant retries later."""
    local_cardata.rest_faults.append(503)
    bmw_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(bmw_entry.entry_id)
    await hass.async_block_till_done()
    assert bmw_entry.state is ConfigEntryState.SETUP_RETRY


async def test_broken_stored_tokens_ask_to_sign_in(hass, local_cardata, account):
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={"backend": "bmw_cardata", "client_id": account.client_id, "token": {}},
        unique_id=account.gcid,
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
