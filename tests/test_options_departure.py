"""The options flow's alarm source, and the setup's last screen about the lock."""

from __future__ import annotations

from functools import partial
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import translation
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.backends.simulated import CONF_SIMULATION_SPEED
from custom_components.connected_car.const import (
    CONF_DEPARTURE_ALARM,
    CONF_POLL_INTERVAL,
    DOMAIN,
)
from custom_components.connected_car.vehicle.simulator import SimulationSettings
from tests.clock import ManualClock

from .common import async_advance

ALARM = "sensor.phone_next_alarm"
PLAN = "switch.simulated_car_departure_plan"


def field_names(result: dict) -> set[str]:
    return {str(key) for key in result["data_schema"].schema}


async def test_alarm_source_is_chosen_in_the_options(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    """The alarm sensor is stored as entered, and the plan follows it after reload."""
    hass.states.async_set(
        ALARM, "2030-01-01T06:00:00+00:00", {"device_class": "timestamp"}
    )
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert CONF_DEPARTURE_ALARM in field_names(result)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_POLL_INTERVAL: 5, CONF_SIMULATION_SPEED: 1, CONF_DEPARTURE_ALARM: ALARM},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        CONF_POLL_INTERVAL: 5,
        CONF_SIMULATION_SPEED: 1,
        CONF_DEPARTURE_ALARM: ALARM,
    }
    await async_advance(hass, manual_clock, 1)
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": PLAN}, blocking=True
    )
    assert hass.states.get(PLAN).attributes["departure_source"] == "alarm"

    # Cleared again: the fixed departure time.
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_POLL_INTERVAL: 5, CONF_SIMULATION_SPEED: 1}
    )
    await async_advance(hass, manual_clock, 1)
    assert CONF_DEPARTURE_ALARM not in init_integration.options
    assert hass.states.get(PLAN).attributes["departure_source"] == "time"


async def test_no_alarm_field_without_a_car_that_can_precondition(
    hass: HomeAssistant, setup_integration
) -> None:
    """A read-only account has no departure plan, so no alarm option."""
    with patch.object(
        ADAPTERS["simulated"],
        "settings_factory",
        partial(SimulationSettings, read_only=True),
    ):
        entry = await setup_integration()
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert CONF_DEPARTURE_ALARM not in field_names(result)


async def test_alarm_field_offered_while_the_entry_is_not_loaded(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Unknown cars (entry not loaded): the option is offered."""
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(mock_config_entry.entry_id)
    assert CONF_DEPARTURE_ALARM in field_names(result)


@pytest.mark.usefixtures("patch_clock")
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Settings → Voice assistants → Expose"),
        ("de", "Einstellungen → Sprachassistenten → Freigeben"),
        ("zh-Hans", "设置 → 语音助手 → 公开"),
    ],
)
async def test_last_setup_screen_points_to_exposing_the_lock(
    hass: HomeAssistant, language: str, words: str
) -> None:
    """The flow ends on the default "created" text, which tells how to expose the lock."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "simulated"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"cars": 1, "names": [], "seed": 3}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["description"] is None  # the frontend shows create_entry.default
    texts = await translation.async_get_translations(hass, language, "config", [DOMAIN])
    assert words in texts[f"component.{DOMAIN}.config.create_entry.default"]
    await hass.async_block_till_done()
