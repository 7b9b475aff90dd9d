"""Voice: our sentences and HA's built-in intents, through the real default agent.

Every sentence goes through `conversation.async_converse` with the language it
is in; answers are checked against the live state of the simulated car and the
texts of our translation files.
"""

from __future__ import annotations

import ast
from functools import partial
import json
from typing import Any
from unittest.mock import patch

from homeassistant.components import conversation
from homeassistant.components.climate import HVACMode
from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
    async_should_expose,
)
from homeassistant.components.lock import LockState
from homeassistant.const import ATTR_ENTITY_ID, ATTR_TEMPERATURE
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import chat_session, device_registry as dr, intent
from homeassistant.helpers.intent import IntentResponseType
from homeassistant.setup import async_setup_component
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.car_home.voice.answers import DIRECTIONS
from custom_components.connected_car.car_home.voice.grammar import VoiceIntent
from custom_components.connected_car.car_home.voice.sentences import DATA_VOICE
from custom_components.connected_car.vehicle import signals
from custom_components.connected_car.vehicle.simulator import (
    SimulatedBackend,
    SimulationSettings,
)
from custom_components.connected_car.vehicle.simulator.car import _offset
from tests.clock import ManualClock
from tests.simulation import set_open

from .common import (
    async_advance,
    async_call_and_advance,
    async_converse_and_advance,
    speech,
)
from .conftest import INTEGRATION_DIR

CAR = "Simulated car"
LOCK = "lock.simulated_car"
HEATER = "climate.simulated_car_heater"

SAMPLES: dict[str, dict[VoiceIntent, tuple[str, ...]]] = {
    "en": {
        VoiceIntent.RANGE: ("How far can I drive?", "what's the range of my car"),
        VoiceIntent.FUEL: (
            "how much fuel do I have",
            "how full is the gas tank of the car",
        ),
        VoiceIntent.CHARGE: ("What's the battery level of my car?",),
        VoiceIntent.OPENINGS: ("Is anything open on the Simulated car?",),
        VoiceIntent.LOCATION: ("Where is my car?", "where did I park the car"),
        VoiceIntent.CLIMATE_START: ("warm up the Simulated car", "preheat my car"),
    },
    "de": {
        VoiceIntent.RANGE: ("Wie weit kann ich noch fahren?",),
        VoiceIntent.FUEL: ("Wie viel Sprit habe ich noch?",),
        VoiceIntent.CHARGE: ("Wie hoch ist der Ladestand vom Simulated car?",),
        VoiceIntent.OPENINGS: ("Ist am Auto noch etwas offen?",),
        VoiceIntent.LOCATION: ("Wo ist mein Auto?",),
        VoiceIntent.CLIMATE_START: (
            "Heize das Simulated car vor!",
            "mein Auto vorheizen",
        ),
    },
    "zh-Hans": {
        VoiceIntent.RANGE: ("我还能开多远？",),  # noqa: RUF001 - Chinese punctuation
        VoiceIntent.FUEL: ("油箱还有多少油",),
        VoiceIntent.CHARGE: ("Simulated car的电量是多少？",),  # noqa: RUF001 - Chinese punctuation
        VoiceIntent.OPENINGS: ("我的车有什么开着吗",),
        VoiceIntent.LOCATION: ("我的车在哪里？",),  # noqa: RUF001 - Chinese punctuation
        VoiceIntent.CLIMATE_START: ("预热Simulated car", "给我的车预热一下"),
    },
}
"""A few sentences per question, with exact answers (the corpus has hundreds)."""


def phrase(language: str, key: str, **placeholders: Any) -> str:
    """Return one of our answer texts, from the language's translation file."""
    path = INTEGRATION_DIR / "translations" / f"{language}.json"
    texts = json.loads(path.read_text(encoding="utf-8"))["common"]
    return texts[key].format(**placeholders)


def number(language: str, value: float, decimals: int = 0) -> str:
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if language == "de" else text


def value(hass: HomeAssistant, entity_id: str) -> float:
    return float(hass.states.get(entity_id).state)


def expected_answer(hass: HomeAssistant, language: str, query: VoiceIntent) -> str:
    """Return what the car should say now, from its entities' states."""
    if query is VoiceIntent.RANGE:
        km = value(hass, "sensor.simulated_car_remaining_range")
        distance = phrase(language, "distance_km", value=number(language, km))
        return phrase(language, "range", vehicle=CAR, distance=distance)
    if query is VoiceIntent.FUEL:
        liters = value(hass, "sensor.simulated_car_remaining_fuel")
        return phrase(
            language,
            "fuel_amount",
            vehicle=CAR,
            level=number(language, value(hass, "sensor.simulated_car_fuel_level")),
            amount=phrase(language, "volume_l", value=number(language, liters)),
        )
    if query is VoiceIntent.CHARGE:
        charging = hass.states.get("binary_sensor.simulated_car_charging").state == "on"
        return phrase(
            language,
            "charge_charging" if charging else "charge",
            vehicle=CAR,
            level=number(language, value(hass, "sensor.simulated_car_battery_level")),
        )
    if query is VoiceIntent.OPENINGS:
        assert hass.states.get(LOCK).state == LockState.LOCKED
        return phrase(language, "openings_closed_locked", vehicle=CAR)
    if query is VoiceIntent.LOCATION:
        assert hass.states.get("device_tracker.simulated_car_location").state == "home"
        return phrase(language, "location_home", vehicle=CAR)
    target = hass.states.get(HEATER).attributes[ATTR_TEMPERATURE]
    temperature = phrase(language, "temperature", value=number(language, target))
    return phrase(
        language, "precondition_started", vehicle=CAR, temperature=temperature
    )


@pytest.fixture
async def assist(hass: HomeAssistant) -> None:
    """Home Assistant's conversation integration, as a default install has it."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})


async def debug(
    hass_ws_client: WebSocketGenerator, sentences: list[str], language: str
) -> list[dict[str, Any] | None]:
    """Ask the default agent what each sentence would match (Assist debug page)."""
    client = await hass_ws_client()
    await client.send_json_auto_id(
        {
            "type": "conversation/agent/homeassistant/debug",
            "sentences": sentences,
            "language": language,
        }
    )
    message = await client.receive_json()
    assert message["success"], message
    return message["result"]["results"]


# ---------------------------------------------------------------------------
# Our sentences
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "de", "zh-Hans"])
async def test_every_sentence_answers_from_the_live_car(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
    language: str,
) -> None:
    """Each sample sentence gets its answer, in its language, from live state."""
    for query, sentences in SAMPLES[language].items():
        for sentence in sentences:
            result = await async_converse_and_advance(
                hass, manual_clock, sentence, language
            )
            assert speech(result) == expected_answer(hass, language, query), sentence
            if query is VoiceIntent.CLIMATE_START:
                assert hass.states.get(HEATER).state == HVACMode.HEAT_COOL
                await async_call_and_advance(
                    hass,
                    manual_clock,
                    "climate",
                    "turn_off",
                    {ATTR_ENTITY_ID: HEATER},
                )


@pytest.mark.parametrize("language", ["en", "de", "zh-Hans"])
async def test_samples_reach_our_sentences(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    language: str,
) -> None:
    """The default agent hands every sample to our sentence triggers."""
    samples = [s for sentences in SAMPLES[language].values() for s in sentences]
    for sample, result in zip(
        samples, await debug(hass_ws_client, samples, language), strict=True
    ):
        assert result is not None, sample
        assert result["source"] == "trigger", sample


async def test_answers_follow_the_car(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """Open items are named (translated), a car away is placed without an address."""
    car = next(iter(simulated_backend.cars.values()))
    set_open(car, signals.TRUNK_OPEN, True)
    set_open(car, signals.WINDOW_FRONT_LEFT_OPEN, True)
    await async_advance(hass, manual_clock, 20)

    answers = {
        language: speech(
            await async_converse_and_advance(hass, manual_clock, sentence, language)
        )
        for language, sentence in (
            ("en", "is anything open on the Simulated car"),
            ("de", "was ist am Simulated car offen"),
            ("zh-Hans", "Simulated car有什么开着吗"),
        )
    }
    assert answers == {
        "en": "Open on Simulated car: front left window and trunk. "
        "Simulated car is locked.",
        "de": "Offen an Simulated car: Fenster vorne links und Kofferraum. "
        "Simulated car ist verriegelt.",
        "zh-Hans": "Simulated car开着的有：左前车窗和后备箱。Simulated car已上锁。",  # noqa: RUF001 - Chinese punctuation
    }

    home = (hass.config.latitude, hass.config.longitude)
    car.position = _offset(home, 45, 3.0)
    car.wake()
    await async_advance(hass, manual_clock, 20)
    assert hass.states.get("device_tracker.simulated_car_location").state == "not_home"
    result = await async_converse_and_advance(
        hass, manual_clock, "where is my car", "en"
    )
    assert speech(result) == "Simulated car is about 3 kilometers northeast of home."
    result = await async_converse_and_advance(
        hass, manual_clock, "wo ist mein Auto", "de"
    )
    assert (
        speech(result) == "Simulated car ist etwa 3 Kilometer nordöstlich von zu Hause."
    )

    hass.states.async_set(
        "zone.office",
        "0",
        {
            "latitude": car.position[0],
            "longitude": car.position[1],
            "radius": 200,
            "friendly_name": "Office",
            "passive": False,
        },
    )
    with patch(
        "custom_components.connected_car.car_home.voice.answers.async_active_zone",
        return_value=hass.states.get("zone.office"),
    ):
        result = await async_converse_and_advance(
            hass, manual_clock, "where is my car", "en"
        )
    assert speech(result) == "Simulated car is at Office."


async def test_units_follow_the_users_unit_system(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    """US users hear miles, gallons and °F."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    km = value(hass, "sensor.simulated_car_remaining_range")
    result = await async_converse_and_advance(
        hass, manual_clock, "how far can I drive", "en"
    )
    assert speech(result) == f"Simulated car can drive about {km / 1.609344:.0f} miles."
    result = await async_converse_and_advance(
        hass, manual_clock, "how much fuel do I have", "en"
    )
    assert speech(result).endswith(" gallons.")
    result = await async_converse_and_advance(
        hass, manual_clock, "warm up my car", "en"
    )
    assert speech(result) == "Simulated car is warming up to 70 degrees."  # 21 °C


@pytest.mark.parametrize(
    "entry_data",
    [
        {
            "backend": "simulated",
            "cars": 3,
            "names": ["Red car", "Blue car", "Van"],
            "seed": 1,
        }
    ],
)
async def test_several_cars_are_picked_by_name(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """A name picks the car, unknown names are said.

    A question without a name is answered for each car, a request asks which.
    """
    ranges = [
        value(hass, f"sensor.{car}_remaining_range")
        for car in ("red_car", "blue_car", "van")
    ]
    result = await async_converse_and_advance(
        hass, manual_clock, "how far can I drive", "en"
    )
    assert speech(result) == (
        f"Red car can drive about {ranges[0]:.0f} kilometers. "
        f"Blue car can drive about {ranges[1]:.0f} kilometers. "
        f"Van can drive about {ranges[2]:.0f} kilometers."
    )
    result = await async_converse_and_advance(
        hass, manual_clock, "我的车锁了吗", "zh-Hans"
    )
    assert speech(result) == "Red car已上锁。Blue car已上锁。Van已上锁。"
    for language, sentence in (("en", "warm up my car"), ("de", "heiz das Auto vor")):
        result = await async_converse_and_advance(
            hass, manual_clock, sentence, language
        )
        assert speech(result) == phrase(
            language,
            "which_car",
            cars={"en": "Red car, Blue car and Van", "de": "Red car, Blue car und Van"}[
                language
            ],
        )
    assert all(not car.climate_active for car in simulated_backend.cars.values())

    blue = value(hass, "sensor.blue_car_remaining_range")
    result = await async_converse_and_advance(
        hass, manual_clock, "how far can I drive with the Blue car", "en"
    )
    assert speech(result) == f"Blue car can drive about {blue:.0f} kilometers."

    result = await async_converse_and_advance(
        hass, manual_clock, "how much fuel does the Blue car have", "en"
    )
    battery = value(hass, "sensor.blue_car_battery_level")
    assert speech(result).startswith("Blue car runs on electricity only. ")
    assert f"is at {battery:.0f} percent" in speech(result)

    # A combustion car's battery is its 12 V battery.
    result = await async_converse_and_advance(
        hass, manual_clock, "what's the battery level of the Van", "en"
    )
    assert speech(result).startswith("The 12-volt battery of Van is at ")

    result = await async_converse_and_advance(
        hass, manual_clock, "wo steht der Van", "de"
    )
    assert speech(result) == "Van ist zu Hause."

    for language, sentence, name in (
        ("en", "what's the range of the Batmobile", "Batmobile"),
        ("de", "wie weit kann ich mit dem Käfer fahren", "Käfer"),
        ("zh-Hans", "甲壳虫还能开多远", "甲壳虫"),
    ):
        result = await async_converse_and_advance(
            hass, manual_clock, sentence, language
        )
        cars = {
            "en": "Red car, Blue car and Van",
            "de": "Red car, Blue car und Van",
            "zh-Hans": "Red car、Blue car和Van",
        }[language]
        assert speech(result) == phrase(language, "unknown_car", name=name, cars=cars)


async def test_renamed_car_answers_to_its_new_name(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    manual_clock: ManualClock,
) -> None:
    """A device renamed in HA is recognised (and called) by its new name."""
    device = next(
        iter(
            dr.async_entries_for_config_entry(
                device_registry, init_integration.entry_id
            )
        )
    )
    device_registry.async_update_device(device.id, name_by_user="Bumblebee")
    await hass.async_block_till_done()
    result = await async_converse_and_advance(
        hass, manual_clock, "where is Bumblebee", "en"
    )
    assert speech(result) == "Bumblebee is at home."
    result = await async_converse_and_advance(
        hass, manual_clock, "where is the Simulated car", "en"
    )
    assert speech(result) == "Bumblebee is at home."


async def test_read_only_car_explains_it_cannot_warm_up(
    hass: HomeAssistant,
    assist: None,
    setup_integration,
    manual_clock: ManualClock,
) -> None:
    """A car whose API only reads says so; status questions still work."""
    with patch.object(
        ADAPTERS["simulated"],
        "settings_factory",
        partial(SimulationSettings, read_only=True),
    ):
        await setup_integration()
    for language, sentence in (
        ("en", "warm up my car"),
        ("de", "heize mein Auto vor"),
        ("zh-Hans", "预热我的车"),
    ):
        result = await async_converse_and_advance(
            hass, manual_clock, sentence, language
        )
        assert speech(result) == phrase(
            language, "precondition_not_supported", vehicle=CAR
        )
    result = await async_converse_and_advance(
        hass, manual_clock, "how far can I drive", "en"
    )
    assert speech(result).startswith("Simulated car can drive about ")


async def test_refused_warm_up_is_explained_in_the_language(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """The car's refusal is the answer, translated; nothing is raised."""
    car = next(iter(simulated_backend.cars.values()))
    car.battery = 5.0
    car.fuel = 1.0
    result = await async_converse_and_advance(
        hass, manual_clock, "heize mein Auto vor", "de"
    )
    assert speech(result) == (
        "Simulated car hat den Befehl abgelehnt: Der Tankfüllstand ist zu niedrig."
    )
    assert hass.states.get(HEATER).state == HVACMode.OFF


async def test_unconfirmed_warm_up_is_reported_as_pending(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """A car slow to confirm gets "not confirmed yet" instead of a long silence."""
    simulated_backend.faults.ignore_commands = True
    with patch(
        "custom_components.connected_car.car_home.voice.actions.COMMAND_ANSWER_WAIT",
        0.05,
    ):
        result = await async_converse_and_advance(
            hass, manual_clock, "warm up my car", "en"
        )
    assert speech(result) == (
        "I asked Simulated car to warm up, but it has not confirmed yet."
    )


async def test_a_warm_car_is_not_started_twice(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    """Asking again while it warms up says so."""
    await async_converse_and_advance(hass, manual_clock, "warm up my car", "en")
    result = await async_converse_and_advance(
        hass, manual_clock, "预热我的车", "zh-Hans"
    )
    assert speech(result) == "Simulated car已经在预热到21度了。"


async def trigger_answer(hass: HomeAssistant, text: str, language: str) -> str | None:
    """Return what our sentence triggers answer, as LLM agents ask them (or None)."""
    user_input = conversation.ConversationInput(
        text=text,
        context=Context(),
        conversation_id=None,
        device_id=None,
        satellite_id=None,
        language=language,
        agent_id="conversation.home_assistant",
    )
    with (
        chat_session.async_get_chat_session(hass) as session,
        conversation.async_get_chat_log(hass, session, user_input) as chat_log,
    ):
        return await conversation.async_handle_sentence_triggers(
            hass, user_input, chat_log
        )


async def test_sentences_answer_in_llm_pipelines(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """LLM agents try trigger sentences first: ours answer there too."""
    km = value(hass, "sensor.simulated_car_remaining_range")
    assert await trigger_answer(hass, "wie weit kann ich fahren", "de") == (
        f"Simulated car kommt noch etwa {km:.0f} Kilometer weit."
    )


async def test_sentences_do_not_take_over_home_assistants(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """Everyday home sentences are not caught by our triggers."""
    for language, sentences in {
        "en": [
            "where is Paulus",
            "warm up the living room",
            "is anything open in the kitchen",
            "what is the battery level of my phone",
            "how much battery does the phone have",
            "turn on the heater",
            "lock the front door",
            "preheat the oven",
            "what is the temperature in the living room",
            "how far is it to the airport",
            "how full is the gas tank",
            "how much gas is left",
        ],
        "de": [
            "wo ist Paulus",
            "heize das Wohnzimmer vor",
            "wie hoch ist der Ladestand vom Handy",
            "schalte die Heizung ein",
            "ist im Wohnzimmer etwas offen",
            "wie voll ist der Tank",
            "wie hoch ist der Tankfüllstand",
        ],
        "zh-Hans": ["预热烤箱", "手机的电量是多少", "爸爸在哪里", "客厅有什么开着吗"],
    }.items():
        for sentence in sentences:
            assert await trigger_answer(hass, sentence, language) is None, sentence


async def test_where_is_a_person_still_reaches_home_assistant(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    """A person's whereabouts are answered by HA's own intent, not by us."""
    hass.states.async_set("person.paulus", "home", {"friendly_name": "Paulus"})
    async_expose_entity(hass, "conversation", "person.paulus", True)
    result = await async_converse_and_advance(
        hass, manual_clock, "where is Paulus", "en"
    )
    assert result.response.response_type is IntentResponseType.QUERY_ANSWER
    assert "car" not in speech(result)


async def test_sentences_detach_with_the_last_entry(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """Unloading the entry removes the sentences; loading brings them back."""
    assert await trigger_answer(hass, "how far can I drive", "en") is not None
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert DATA_VOICE not in hass.data
    assert await trigger_answer(hass, "how far can I drive", "en") is None
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert await trigger_answer(hass, "how far can I drive", "en") is not None


async def test_voice_works_when_conversation_starts_later(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    """Sentences attached before the conversation integration are still heard."""
    assert "conversation" not in hass.config.components
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    result = await async_converse_and_advance(
        hass, manual_clock, "where is my car", "en"
    )
    assert speech(result) == "Simulated car is at home."


async def test_no_car_loaded(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """The intents answer (not fail) when no car is loaded."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    response = await intent.async_handle(
        hass, "test", "ConnectedCarGetStatus", {}, language="de"
    )
    assert response.response_type is IntentResponseType.ERROR
    assert response.speech["plain"]["speech"] == phrase("de", "no_cars")


# ---------------------------------------------------------------------------
# Home Assistant's own intents on our entities
# ---------------------------------------------------------------------------


async def test_lock_needs_to_be_exposed_first(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """HA exposes the heater to Assist by itself, never the lock (nor do we)."""
    assert async_should_expose(hass, "conversation", HEATER)
    assert not async_should_expose(hass, "conversation", LOCK)


@pytest.mark.parametrize(
    ("language", "unlock", "lock", "ask", "set_temperature", "turn_on", "plan_on"),
    [
        (
            "en",
            "unlock Simulated car",
            "lock Simulated car",
            "is Simulated car locked",
            "set the temperature of Simulated car Heater to 23",
            "turn on Simulated car Heater",
            "turn on Simulated car Departure plan",
        ),
        (
            "de",
            "entriegle Simulated car",
            "verriegle Simulated car",
            "ist Simulated car abgeschlossen",
            "stelle die Temperatur von Simulated car Heater auf 23 Grad",
            "schalte Simulated car Heater ein",
            "schalte Simulated car Departure plan ein",
        ),
    ],
)
async def test_builtin_intents_control_the_car(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    language: str,
    unlock: str,
    lock: str,
    ask: str,
    set_temperature: str,
    turn_on: str,
    plan_on: str,
) -> None:
    """Once the lock is exposed, the car locks, unlocks, answers and heats.

    Home Assistant's own sentences ("lock Simulated car", "set the temperature
    of Simulated car Heater to 23") keep working; the ones our sentences also
    know run through the same entities.
    """
    car = next(iter(simulated_backend.cars.values()))
    async_expose_entity(hass, "conversation", LOCK, True)

    result = await async_converse_and_advance(hass, manual_clock, unlock, language)
    assert result.response.response_type is IntentResponseType.ACTION_DONE
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get(LOCK).state == LockState.UNLOCKED
    assert car.locked is False

    # Asking is ours now (Home Assistant's "is ... locked" is one of many).
    result = await async_converse_and_advance(hass, manual_clock, ask, language)
    assert speech(result) == phrase(language, "lock_unlocked", vehicle=CAR)

    result = await async_converse_and_advance(hass, manual_clock, lock, language)
    assert result.response.response_type is IntentResponseType.ACTION_DONE
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get(LOCK).state == LockState.LOCKED
    assert car.locked is True

    result = await async_converse_and_advance(hass, manual_clock, ask, language)
    assert speech(result) == phrase(language, "lock_locked", vehicle=CAR)

    result = await async_converse_and_advance(
        hass, manual_clock, set_temperature, language
    )
    assert result.response.response_type is IntentResponseType.ACTION_DONE
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get(HEATER).attributes[ATTR_TEMPERATURE] == 23
    assert car.climate_target == 23

    result = await async_converse_and_advance(hass, manual_clock, turn_on, language)
    assert result.response.response_type is IntentResponseType.ACTION_DONE
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get(HEATER).state == HVACMode.HEAT_COOL
    assert car.climate_active is True

    # The departure plan switch is exposed by default, like every switch.
    result = await async_converse_and_advance(hass, manual_clock, plan_on, language)
    assert result.response.response_type is IntentResponseType.ACTION_DONE
    assert hass.states.get("switch.simulated_car_departure_plan").state == "on"


def test_every_answer_text_exists() -> None:
    """Each answer key the voice code says is translated; no translated text is dead."""
    used: set[str] = set()
    constants: set[str] = set()
    for module in (INTEGRATION_DIR / "car_home" / "voice").glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        used |= {
            node.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "say"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        }
        # Keys chosen at run time ("charge" or "charge_charging") are string
        # constants too.
        constants |= {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
    # Keys built from parts: compass points, tire positions, counted phrases.
    used |= {f"direction_{point}" for point in DIRECTIONS}
    used |= {
        f"tyre_{position}"
        for position in ("front_left", "front_right", "rear_left", "rear_right")
    }
    used |= {
        f"{key}_{count}"
        for key in (
            "duration_minute",
            "duration_hour",
            "ago_minute",
            "ago_hour",
            "ago_day",
        )
        for count in ("one", "other")
    }
    assert len(used) > 80
    strings = json.loads((INTEGRATION_DIR / "strings.json").read_text())["common"]
    # dashboard_*: the car dashboard's headings (tests/test_dashboard.py).
    dashboard = {key for key in strings if key.startswith("dashboard_")}
    assert set(strings) - constants - used - dashboard == set()
    for language in ("en", "de", "zh-Hans"):
        texts = json.loads(
            (INTEGRATION_DIR / "translations" / f"{language}.json").read_text(
                encoding="utf-8"
            )
        )["common"]
        assert used <= set(texts), (language, used - set(texts))
