"""Setting a Tesla entry up when something is off: stored data, fields, credits."""

from __future__ import annotations

from datetime import timedelta
import logging

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle.tesla import stream_field_names
from tests.cardata.fixtures import eventually
from tests.tesla.fixtures import make_tesla_car
from tests.tesla.https import Fault

from .conftest import press_refresh, settle


@pytest.mark.parametrize(
    ("data", "state", "reauth"),
    [
        ({"transport": "tessie"}, ConfigEntryState.SETUP_ERROR, False),
        ({"api_token": ""}, ConfigEntryState.SETUP_ERROR, True),
    ],
    ids=["unknown_transport", "no_token"],
)
async def test_unusable_entry_data(
    hass: HomeAssistant,
    tesla_entry: MockConfigEntry,
    fake_car,
    data: dict[str, str],
    state: ConfigEntryState,
    reauth: bool,
) -> None:
    """A transport this version lacks fails setup; a missing token asks for one."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=tesla_entry.title,
        data={**tesla_entry.data, **data},
        unique_id=tesla_entry.unique_id,
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is state
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [f["context"]["source"] for f in flows] == (
        [SOURCE_REAUTH] if reauth else []
    )


async def test_fields_a_car_cannot_stream_are_noted(
    hass: HomeAssistant,
    setup_tesla,
    fake_car,
    local_teslemetry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, "custom_components.connected_car.backends")
    fake_car.stream_config = None
    fake_car.unstreamable = frozenset({"DCChargingPower"})
    await setup_tesla()
    await eventually(lambda: "My Tesla cannot stream DCChargingPower" in caplog.text)
    added = len(stream_field_names(location=True)) - 1
    assert f"My Tesla now streams {added} more fields through Teslemetry" in caplog.text


async def test_credits_exhausted_on_a_refresh_raise_the_issue_too(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    local_teslemetry,
    manual_clock,
    issue_registry: ir.IssueRegistry,
) -> None:
    coordinator = next(iter(tesla_loaded.runtime_data.coordinators.values()))
    local_teslemetry.fail_next(
        Fault(
            402,
            {"response": None, "error": "insufficient_credits"},
            path_contains="/vehicle_data",
        )
    )
    with pytest.raises(HomeAssistantError):
        await press_refresh(hass, manual_clock)
    assert coordinator.last_exception.translation_key == "allowance_exhausted"
    assert issue_registry.async_get_issue(
        DOMAIN, f"teslemetry_credits_exhausted_{tesla_loaded.entry_id}"
    )


async def test_cars_joining_or_leaving_the_account_are_seen_daily(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    local_teslemetry,
    account,
    manual_clock,
    device_registry: dr.DeviceRegistry,
) -> None:
    second = local_teslemetry.add_car(
        account, make_tesla_car(manual_clock, seed=2), display_name="Second"
    )
    local_teslemetry.fail_next(
        Fault(503, {"response": None, "error": "down"}, path_contains="/products")
    )
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(days=1))
    await eventually(lambda: not local_teslemetry.faults)  # tried, failed: no change
    await settle(hass)
    assert hass.states.get("lock.second") is None

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(days=2))
    await eventually(lambda: hass.states.get("lock.second") is not None)
    assert tesla_loaded.state is ConfigEntryState.LOADED

    del account.cars[second.vin]
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(days=4))
    await eventually(
        lambda: (
            device_registry.async_get_device(identifiers={(DOMAIN, second.vin)}) is None
        )
    )
