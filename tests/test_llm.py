"""LLM tools: our intents as tools of Home Assistant's built-in "assist" LLM API."""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.components.climate import HVACMode
from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
)
from homeassistant.const import ATTR_TEMPERATURE
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent, llm
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from voluptuous_openapi import convert

from custom_components.connected_car.car_home.voice.grammar import TOPICS
from custom_components.connected_car.car_home.voice.intents import (
    INTENT_CAR_LOCK,
    INTENT_CAR_PRECONDITION,
    INTENT_CAR_STATUS,
    INTENT_CAR_STOP_PRECONDITION,
    INTENT_CAR_UNLOCK,
)
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock

HEATER = "climate.simulated_car_heater"


@pytest.fixture
async def assist(hass: HomeAssistant) -> None:
    """The conversation integration (it sets up `intent`, which loads our intents)."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})


async def api_instance(hass: HomeAssistant, language: str = "en") -> llm.APIInstance:
    """Return the assist API as an LLM conversation agent gets it."""
    return await llm.async_get_api(
        hass,
        llm.LLM_API_ASSIST,
        llm.LLMContext(
            platform="test_llm",
            context=Context(),
            language=language,
            assistant="conversation",
            device_id=None,
        ),
    )


async def call_tool(
    hass: HomeAssistant,
    clock: ManualClock,
    name: str,
    args: dict[str, Any],
    language: str = "en",
) -> dict[str, Any]:
    """Call a tool as an LLM would; move the car's clock while a command waits."""
    api = await api_instance(hass, language)
    task = asyncio.ensure_future(api.async_call_tool(llm.ToolInput(name, args)))
    for _ in range(600):
        done, _pending = await asyncio.wait({task}, timeout=0.02)
        if done:
            break
        await clock.advance(1)
    return dict(await task)


async def test_tools_are_offered_with_descriptions_and_parameters(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """Both intents are tools of the assist API, with schemas LLMs can read."""
    api = await api_instance(hass)
    tools = {tool.name: tool for tool in api.tools}
    status = tools[INTENT_CAR_STATUS]
    precondition = tools[INTENT_CAR_PRECONDITION]
    assert "range" in status.description
    assert "preconditioning" in precondition.description
    status_schema = convert(status.parameters)
    assert set(status_schema["properties"]) == {"name", "topic"}
    assert status_schema["properties"]["topic"]["enum"] == [
        topic.value for topic in TOPICS
    ]
    assert "without changing anything" in status.description
    assert "description" in status_schema["properties"]["name"]
    precondition_schema = convert(precondition.parameters)
    assert set(precondition_schema["properties"]) == {"name", "temperature"}
    assert precondition_schema.get("required", []) == []


async def test_status_tool_reports_live_facts(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    """The status tool gives the facts (speech slots) in the user's units."""
    result = await call_tool(hass, manual_clock, INTENT_CAR_STATUS, {})
    assert result["response_type"] == "query_answer"
    facts = result["speech_slots"]
    range_km = float(hass.states.get("sensor.simulated_car_remaining_range").state)
    assert facts["vehicle"] == "Simulated car"
    assert facts["range"] == {"value": round(range_km), "unit": "km"}
    assert facts["fuel_level"]["value"] == round(
        float(hass.states.get("sensor.simulated_car_fuel_level").state)
    )
    assert facts["battery_level"]["value"] == round(
        float(hass.states.get("sensor.simulated_car_battery_level").state)
    )
    assert facts["open"] == []
    assert facts["locked"] is True
    assert facts["location"] == {"zone": "home"}
    assert "climate_on" not in facts  # only said while it runs
    speech = result["speech"]["plain"]["speech"]
    assert speech.startswith(
        f"Simulated car can drive about {range_km:.0f} kilometers."
    )
    assert "Simulated car is at home." in speech

    result = await call_tool(
        hass, manual_clock, INTENT_CAR_STATUS, {"topic": "openings"}, "de"
    )
    assert result["speech"]["plain"]["speech"] == (
        "An Simulated car ist alles geschlossen, und es ist verriegelt."
    )


async def test_unknown_car_is_an_error_the_llm_can_relay(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    """A name no car has is an error response with the spoken explanation."""
    result = await call_tool(
        hass, manual_clock, INTENT_CAR_STATUS, {"name": "Batmobile", "topic": "range"}
    )
    assert result["response_type"] == "error"
    assert result["data"]["code"] == "failed_to_handle"
    assert result["speech"]["plain"]["speech"] == (
        "I don't know a car called Batmobile. Your cars are: Simulated car."
    )


async def test_invalid_topic_is_rejected(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """The slot schema guards the tool's arguments."""
    api = await api_instance(hass)
    with pytest.raises(intent.InvalidSlotInfo):
        await api.async_call_tool(llm.ToolInput(INTENT_CAR_STATUS, {"topic": "tyre"}))


async def test_precondition_tool_waits_for_the_car(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """The tool starts the climate at the asked temperature, confirmed by the car."""
    car = next(iter(simulated_backend.cars.values()))
    result = await call_tool(
        hass,
        manual_clock,
        INTENT_CAR_PRECONDITION,
        {"name": "simulated car", "temperature": 22.3},
    )
    assert result["response_type"] == "action_done"
    assert result["speech_slots"]["confirmed"] is True
    assert result["speech_slots"]["target_temperature"] == {
        "value": 22.5,
        "unit": "°C",
    }
    assert result["speech"]["plain"]["speech"] == (
        "Simulated car is warming up to 22.5 degrees."
    )
    assert car.climate_active is True
    assert car.climate_target == 22.5
    state = hass.states.get(HEATER)
    assert state.state == HVACMode.HEAT_COOL
    assert state.attributes[ATTR_TEMPERATURE] == 22.5


async def test_precondition_tool_reports_refusal(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """A refusal is a failed response carrying the car's reason."""
    car = next(iter(simulated_backend.cars.values()))
    car.battery = 5.0
    car.fuel = 1.0
    result = await call_tool(hass, manual_clock, INTENT_CAR_PRECONDITION, {})
    assert result["response_type"] == "error"
    assert result["speech"]["plain"]["speech"] == (
        "Simulated car refused the command: the fuel level is too low."
    )
    assert car.climate_active is False


async def test_tools_that_change_the_car_say_so(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """Every tool but the status starts with "Changes the car"."""
    api = await api_instance(hass)
    tools = {tool.name: tool for tool in api.tools}
    for name in (
        INTENT_CAR_PRECONDITION,
        INTENT_CAR_STOP_PRECONDITION,
        INTENT_CAR_LOCK,
        INTENT_CAR_UNLOCK,
    ):
        assert tools[name].description.startswith("Changes the car:"), name
    assert "anyone" in tools[INTENT_CAR_UNLOCK].description
    assert "Changes the car" not in tools[INTENT_CAR_STATUS].description


async def test_stop_and_lock_tools(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """Stop warming up; unlock only once the lock is exposed; lock again."""
    car = next(iter(simulated_backend.cars.values()))
    await call_tool(hass, manual_clock, INTENT_CAR_PRECONDITION, {})
    assert car.climate_active
    result = await call_tool(hass, manual_clock, INTENT_CAR_STOP_PRECONDITION, {})
    assert (
        result["speech"]["plain"]["speech"] == "Simulated car has stopped warming up."
    )
    assert not car.climate_active

    result = await call_tool(hass, manual_clock, INTENT_CAR_UNLOCK, {}, "de")
    assert result["response_type"] == "error"
    assert "nicht freigegeben" in result["speech"]["plain"]["speech"]
    assert car.locked
    async_expose_entity(hass, "conversation", "lock.simulated_car", True)
    result = await call_tool(hass, manual_clock, INTENT_CAR_UNLOCK, {})
    assert result["speech_slots"] == {"vehicle": "Simulated car", "locked": False}
    assert not car.locked
    result = await call_tool(
        hass, manual_clock, INTENT_CAR_LOCK, {"name": "simulated car"}
    )
    assert result["speech"]["plain"]["speech"] == "Simulated car is locked now."
    assert car.locked
