"""Config, reconfigure and options flows."""

from __future__ import annotations

from unittest.mock import MagicMock

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.backends.simulated import CONF_SIMULATION_SPEED
from custom_components.connected_car.const import (
    CONF_POLL_INTERVAL,
    DOMAIN,
)
from tests.clock import ManualClock

from .common import THREE_CARS, async_advance


async def _start_simulated_step(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["simulated", "bmw_cardata", "tesla"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "simulated"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "simulated"
    assert result["errors"] == {}
    return result["flow_id"]


@pytest.mark.usefixtures("patch_clock")
async def test_create_simulation(hass: HomeAssistant) -> None:
    """The user picks the simulation, names two of three cars, and gets them."""
    flow_id = await _start_simulated_step(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"cars": 3, "names": [" Family car ", "Van"], "seed": 7}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Simulated cars (seed 7)"
    assert result["data"] == {
        "backend": "simulated",
        "cars": 3,
        "names": ["Family car", "Van"],
        "seed": 7,
    }
    assert result["result"].unique_id == "simulated-7"
    await hass.async_block_till_done()

    devices = dr.async_entries_for_config_entry(
        dr.async_get(hass), result["result"].entry_id
    )
    assert sorted(device.name for device in devices) == [
        "Family car",
        "Simulated car 3",
        "Van",
    ]


async def test_duplicate_seed_aborts(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """A second simulation with the same seed would duplicate every car."""
    mock_config_entry.add_to_hass(hass)
    flow_id = await _start_simulated_step(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"cars": 1, "seed": mock_config_entry.data["seed"]}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize(
    ("names", "error"),
    [
        (["A", " "], "empty_name"),
        (["A", "B", "C"], "too_many_names"),
        (["Car", "car"], "duplicate_names"),
    ],
)
@pytest.mark.usefixtures("patch_clock")
async def test_bad_names_are_field_errors(
    hass: HomeAssistant, names: list[str], error: str
) -> None:
    """Bad names are reported on the names field, and the user can fix them."""
    flow_id = await _start_simulated_step(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"cars": 2, "names": names, "seed": 3}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"names": error}

    result = await hass.config_entries.flow.async_configure(
        flow_id, {"cars": 2, "names": ["A", "B"], "seed": 3}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("user_input", "field"),
    [
        ({"cars": 11, "seed": 1}, "cars"),
        ({"cars": 0, "seed": 1}, "cars"),
        ({"cars": 1, "seed": -1}, "seed"),
    ],
)
async def test_out_of_range_values_are_field_errors(
    hass: HomeAssistant, user_input: dict[str, int], field: str
) -> None:
    """Values outside the bounds are rejected on their field."""
    flow_id = await _start_simulated_step(hass)
    with pytest.raises(InvalidData) as err:
        await hass.config_entries.flow.async_configure(flow_id, user_input)
    assert set(err.value.schema_errors) == {field}


@pytest.mark.parametrize("entry_data", [THREE_CARS])
async def test_reconfigure_changes_cars(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Reconfigure renames and removes cars; removed cars lose their device."""
    entry = init_integration
    assert len(dr.async_entries_for_config_entry(device_registry, entry.entry_id)) == 3
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"cars": 1, "names": ["A", "B"]}
    )
    assert result["errors"] == {"names": "too_many_names"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"cars": 1, "names": ["Renamed"]}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    assert entry.data["cars"] == 1
    assert entry.data["seed"] == 1
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert [device.name for device in devices] == ["Renamed"]


async def test_options_flow(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
    patch_clock: MagicMock,
) -> None:
    """Options set the polling interval and the simulation speed, then reload."""
    entry = init_integration
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"

    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_POLL_INTERVAL: 0, CONF_SIMULATION_SPEED: 1}
        )

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_POLL_INTERVAL: 15, CONF_SIMULATION_SPEED: 30}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_POLL_INTERVAL: 15, CONF_SIMULATION_SPEED: 30}
    await async_advance(hass, manual_clock, 1)

    coordinator = next(iter(entry.runtime_data.coordinators.values()))
    assert coordinator.poll_interval.total_seconds() == 15 * 60
    assert patch_clock.call_args.args == (30,)
