"""Setting up and unloading entries, and the errors setup can meet."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle import (
    VehicleAuthError,
    VehicleConnectionError,
)
from custom_components.connected_car.vehicle.simulator import SimulatedBackend


async def test_setup_and_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A loaded entry unloads cleanly and its entities go away."""
    entry = init_integration
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("lock.simulated_car").state == "locked"

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get("lock.simulated_car").state == "unavailable"


@pytest.mark.parametrize("method", ["login", "list_vehicles", "fetch_state"])
@pytest.mark.usefixtures("patch_clock")
async def test_unreachable_backend_retries_setup(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, method: str
) -> None:
    """An unreachable car API makes Home Assistant retry setup later."""
    mock_config_entry.add_to_hass(hass)
    with patch.object(
        SimulatedBackend, method, side_effect=VehicleConnectionError("offline")
    ):
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


@pytest.mark.parametrize("method", ["login", "fetch_state"])
@pytest.mark.usefixtures("patch_clock")
async def test_refused_credentials_start_reauth(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, method: str
) -> None:
    """Refused credentials stop setup and ask the user to sign in again."""
    mock_config_entry.add_to_hass(hass)
    with patch.object(SimulatedBackend, method, side_effect=VehicleAuthError("no")):
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR

    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    result = await hass.config_entries.flow.async_configure(flows[0]["flow_id"], {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
