"""Adding a Tesla through Teslemetry: the token, checked; reauth; reconfigure; options."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.const import DOMAIN
from tests.tesla.fixtures import make_tesla_car
from tests.tesla.https import Fault

from .conftest import ACCOUNT_ID, CAR, TOKEN

NEW_TOKEN = "tm-ha-token-renewed-456789"
"""A second token of the same account (the fake's account id is the token's tail)."""


async def _token_form(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert "tesla" in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "tesla"}
    )
    assert result["type"] is FlowResultType.MENU  # Teslemetry or the Fleet API
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "tesla_teslemetry"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "tesla_teslemetry"
    assert result["description_placeholders"]["console"].startswith("https://")
    return result


async def _submit(hass: HomeAssistant, result: dict[str, Any], token: str) -> dict:
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_token": token}
    )


@pytest.mark.usefixtures("car_life")
async def test_happy_path(
    hass: HomeAssistant, local_teslemetry, account, fake_car
) -> None:
    result = await _submit(hass, await _token_form(hass), f"  {TOKEN}\n")
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"Teslemetry ({CAR})"
    assert result["data"] == {
        "backend": "tesla",
        "transport": "teslemetry",
        "api_token": TOKEN,
    }
    entry = result["result"]
    assert entry.unique_id == ACCOUNT_ID
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("lock.my_tesla") is not None
    # The check made two free calls (account, cars) before setup signed in.
    paths = [r.path for r in local_teslemetry.requests]
    assert paths[:3] == ["/api/metadata", "/api/1/products", "/api/metadata"]
    assert account.credits == 2000


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (None, "invalid_token"),
        (Fault(503, {"response": None, "error": "down"}), "teslemetry_cannot_connect"),
        (
            Fault(402, {"response": None, "error": "subscription_required"}),
            "teslemetry_payment_required",
        ),
        (Fault(200, {"region": "NA", "scopes": []}), "unknown"),  # no account id
    ],
    ids=["bad_token", "unreachable", "no_subscription", "no_account_id"],
)
async def test_errors_return_to_the_form(
    hass: HomeAssistant,
    local_teslemetry,
    account,
    fake_car,
    fault: Fault | None,
    error: str,
) -> None:
    form = await _token_form(hass)
    token = "not-a-token"
    if fault is not None:
        fault.path_contains = "/api/metadata"
        local_teslemetry.fail_next(fault)
        token = TOKEN
    result = await _submit(hass, form, token)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    result = await _submit(hass, result, TOKEN)  # then it works
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_an_account_without_cars(
    hass: HomeAssistant, local_teslemetry, account
) -> None:
    result = await _submit(hass, await _token_form(hass), TOKEN)
    assert result["errors"] == {"base": "tesla_no_vehicles"}


async def test_same_account_twice(
    hass: HomeAssistant, local_teslemetry, account, fake_car, tesla_entry
) -> None:
    tesla_entry.add_to_hass(hass)
    local_teslemetry.accounts[NEW_TOKEN] = account
    result = await _submit(hass, await _token_form(hass), NEW_TOKEN)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "tesla_already_configured"


async def test_title_names_every_car(
    hass: HomeAssistant, local_teslemetry, account, fake_car, manual_clock
) -> None:
    local_teslemetry.add_car(
        account, make_tesla_car(manual_clock, seed=2), display_name="Second"
    )
    result = await _submit(hass, await _token_form(hass), TOKEN)
    assert result["title"] == f"Teslemetry ({CAR}, Second)"


async def test_reauth_with_a_new_token(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    local_teslemetry,
    account,
) -> None:
    del local_teslemetry.accounts[TOKEN]  # revoked at Teslemetry
    local_teslemetry.accounts[NEW_TOKEN] = account
    result = await tesla_loaded.start_reauth_flow(hass)
    assert result["step_id"] == "tesla_reauth"
    assert result["description_placeholders"]["name"] == tesla_loaded.title
    result = await _submit(hass, result, TOKEN)  # the old one: refused
    assert result["errors"] == {"base": "invalid_token"}
    result = await _submit(hass, result, NEW_TOKEN)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert tesla_loaded.data["api_token"] == NEW_TOKEN
    await hass.async_block_till_done()
    assert tesla_loaded.state is ConfigEntryState.LOADED


async def test_reauth_with_another_accounts_token(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    local_teslemetry,
    manual_clock,
) -> None:
    other = local_teslemetry.add_account("tm-someone-else-000000")
    local_teslemetry.add_car(other, make_tesla_car(manual_clock, seed=3))
    result = await tesla_loaded.start_reauth_flow(hass)
    result = await _submit(hass, result, "tm-someone-else-000000")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "tesla_wrong_account"
    assert tesla_loaded.data["api_token"] == TOKEN


async def test_reconfigure_changes_the_token(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    local_teslemetry,
    account,
) -> None:
    local_teslemetry.accounts[NEW_TOKEN] = account
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_RECONFIGURE, "entry_id": tesla_loaded.entry_id},
    )
    assert result["step_id"] == "tesla_teslemetry"
    result = await _submit(hass, result, NEW_TOKEN)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "tesla_token_changed"
    assert tesla_loaded.data["api_token"] == NEW_TOKEN
    await hass.async_block_till_done()
    assert tesla_loaded.state is ConfigEntryState.LOADED


async def test_options_are_the_usual_ones(
    hass: HomeAssistant, tesla_loaded: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(tesla_loaded.entry_id)
    fields = {str(key) for key in result["data_schema"].schema}
    assert fields == {"poll_interval", "departure_alarm"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"poll_interval": 15}
    )
    assert dict(tesla_loaded.options) == {"poll_interval": 15}
    await hass.async_block_till_done()
    coordinator = next(iter(tesla_loaded.runtime_data.coordinators.values()))
    assert coordinator.poll_interval.total_seconds() == 900
