"""The sentence grammar without Home Assistant: validity, safety, classification.

The trigger sentences are matched with hassil exactly as Home Assistant's
default agent matches conversation triggers (one Intents object, every {slot} a
wildcard), so these tests are fast and still say what Assist would catch.
"""

from __future__ import annotations

import re

from hassil import Intents, WildcardSlotList, recognize
from homeassistant.components.conversation.trigger import has_no_punctuation
from homeassistant.const import UnitOfTemperature
import pytest

from custom_components.connected_car.car_home.voice.grammar import (
    REQUESTS,
    VoiceIntent,
    classify,
    trigger_sentences,
)
from custom_components.connected_car.car_home.voice.languages import LANGUAGES
from custom_components.connected_car.car_home.voice.numbers import (
    SpokenTemperature,
    parse_temperature,
)

from .harness import CAR_NAME, load_corpus

NAMES = (CAR_NAME, "Simulated car")


def trigger_intents(names: tuple[str, ...] = NAMES) -> Intents:
    """Return the trigger sentences as Home Assistant's default agent holds them."""
    sentences = trigger_sentences(LANGUAGES.values(), names)
    intents = Intents.from_dict(
        {"language": "en", "intents": {"0": {"data": [{"sentences": sentences}]}}}
    )
    for sentence in sentences:
        for slot in re.findall(r"\{(\w+)\}", sentence):
            intents.slot_lists[slot] = WildcardSlotList(slot)
    return intents


@pytest.fixture(scope="module")
def trigger() -> Intents:
    """The trigger of one car called Golf and one called Simulated car."""
    return trigger_intents()


def caught(trigger: Intents, text: str) -> bool:
    """Return whether Home Assistant would hand the sentence to our trigger."""
    return recognize(text, trigger) is not None


@pytest.mark.timeout(300)
def test_trigger_sentences_are_valid_for_any_name() -> None:
    """No punctuation (HA's trigger schema), parseable, whatever the car's name."""
    odd_names = ("Mom's car (blue)!", "Ä.B.C", "x|y", "[a] {b} <c>", "!!!", "小白")
    sentences = trigger_sentences(LANGUAGES.values(), odd_names)
    assert has_no_punctuation(sentences) == sentences
    intents = trigger_intents(odd_names)
    assert caught(intents, "where is Mom's car blue")
    assert caught(intents, "小白在哪")
    assert trigger_sentences(LANGUAGES.values(), ())  # no car: still valid


@pytest.mark.timeout(300)  # compiles every language's grammar
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_trigger_catches_what_the_classifier_understands(
    trigger: Intents, language: str
) -> None:
    """The compact trigger accepts every corpus sentence the templates accept."""
    _, entries = load_corpus(language)
    understood = [
        entry.text
        for entry in entries
        if classify(entry.text, [LANGUAGES[language]], NAMES) is not None
    ]
    assert len(understood) > 0.9 * len(entries)
    assert [text for text in understood if not caught(trigger, text)] == []


HOME_SENTENCES = {
    "en": (
        "turn on the kitchen light",
        "turn on the heater",
        "turn off the heater",
        "is the heater on",
        "turn up the heat",
        "turn on the air conditioning",
        "is the ac on",
        "set the temperature to 21",
        "set the living room temperature to 22 degrees",
        "what's the temperature",
        "what is the temperature in the living room",
        "what's the outside temperature",
        "how warm is it outside",
        "is it cold outside",
        "what's the weather like",
        "is the front door open",
        "is the window open",
        "are the windows closed",
        "is the back door locked",
        "lock the front door",
        "unlock the back door",
        "open the garage door",
        "is the garage door open",
        "is anything open in the kitchen",
        "where is Paulus",
        "where are my keys",
        "what is the battery level of my phone",
        "how much battery does the phone have",
        "is my phone charging",
        "warm up the living room",
        "preheat the oven",
        "start the dishwasher",
        "cancel the timer",
        "set a timer for 10 minutes",
        "what time is it",
        "how far is it to the airport",
        "how full is the gas tank",
        "how much gas is left",
        "turn on the range hood",
        "close the blinds",
        "is anyone home",
        "turn on Simulated car Departure plan",
        "set the temperature of Simulated car Heater to 23",
        "what is the temperature of Simulated car Heater",
    ),
    "de": (
        "schalte das Licht in der Küche an",
        "schalte die Heizung ein",
        "schalte die Heizung aus",
        "ist die Heizung an",
        "mach die Klimaanlage an",
        "stelle die Temperatur auf 21 Grad",
        "wie warm ist es im Wohnzimmer",
        "wie ist die Temperatur",
        "wie kalt ist es draußen",
        "wie ist das Wetter",
        "ist die Haustür offen",
        "ist das Fenster offen",
        "sind die Fenster zu",
        "ist die Hintertür zu",
        "schließ die Haustür ab",
        "ist die Haustür abgeschlossen",
        "öffne das Garagentor",
        "ist im Wohnzimmer etwas offen",
        "wo ist Paulus",
        "wie hoch ist der Ladestand vom Handy",
        "lädt das Handy",
        "heize das Wohnzimmer vor",
        "heiz den Backofen vor",
        "stell einen Timer auf 10 Minuten",
        "wie spät ist es",
        "wie voll ist der Tank",
        "wie hoch ist der Tankfüllstand",
        "ist das Dachfenster offen",
        "schließ die Rollläden",
        "ist jemand zu Hause",
        "schalte Simulated car Departure plan ein",
        "stelle die Temperatur von Simulated car Heater auf 23 Grad",
    ),
    "zh-Hans": (
        "打开客厅的灯",
        "打开空调",
        "关掉空调",
        "空调开着吗",
        "把空调调到26度",
        "客厅温度多少",
        "外面冷吗",
        "今天天气怎么样",
        "门关了吗",
        "窗户关了吗",
        "大门锁了吗",
        "把门锁上",
        "锁门",
        "预热烤箱",
        "手机的电量是多少",
        "手机在充电吗",
        "爸爸在哪里",
        "客厅有什么开着吗",
        "定一个十分钟的计时器",
        "现在几点",
        "车库门开着吗",
        "打开车库门",
        "暖气开了吗",
        "家里冷不冷",
        "电视开着吗",
    ),
}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("language", list(HOME_SENTENCES))
def test_home_sentences_are_left_to_home_assistant(
    trigger: Intents, language: str
) -> None:
    """What Home Assistant (or nobody) understands about the home is not caught."""
    assert [t for t in HOME_SENTENCES[language] if caught(trigger, t)] == []


@pytest.mark.parametrize(
    ("language", "text", "intent"),
    [
        ("en", "is the heater on in the car", VoiceIntent.CLIMATE),
        ("en", "turn on the heater in the car", VoiceIntent.CLIMATE_START),
        ("en", "did I lock my car", VoiceIntent.LOCK),
        ("en", "lock my car", VoiceIntent.LOCK_CAR),
        ("en", "are the doors of the Golf locked", VoiceIntent.LOCK),
        ("en", "are the doors of the Golf closed", VoiceIntent.DOORS),
        ("en", "how many miles does the golf have left", VoiceIntent.RANGE),
        ("en", "how many miles does the golf have", VoiceIntent.MILEAGE),
        ("en", "set the car to 21 degrees", VoiceIntent.CLIMATE_SET),
        ("de", "wie viele Kilometer hat das Auto noch", VoiceIntent.RANGE),
        ("de", "wie viele Kilometer hat das Auto", VoiceIntent.MILEAGE),
        ("de", "ist das Auto zu Hause", VoiceIntent.AT_HOME),
        ("zh-Hans", "车门锁好了吗", VoiceIntent.LOCK),
        ("zh-Hans", "车门关好了吗", VoiceIntent.DOORS),
        ("zh-Hans", "锁车", VoiceIntent.LOCK_CAR),
    ],
)
def test_classification(language: str, text: str, intent: VoiceIntent) -> None:
    """Similar sentences go to their own intent."""
    understood = classify(text, [LANGUAGES[language]], NAMES)
    assert understood is not None
    assert understood.intent is intent


def test_questions_win_over_requests() -> None:
    """Every question intent ranks before every request intent."""
    order = list(VoiceIntent)
    assert all(
        order.index(question) < order.index(request)
        for question in VoiceIntent
        if question not in REQUESTS
        for request in REQUESTS
    )


def test_wildcards_name_unknown_cars_and_temperatures() -> None:
    """A name no car has, and a spoken temperature, come out of the wildcards."""
    understood = classify(
        "what's the range of the Batmobile", LANGUAGES.values(), NAMES
    )
    assert understood is not None
    assert (understood.intent, understood.car) == (VoiceIntent.RANGE, "the Batmobile")
    understood = classify("heat the car to 22 degrees", LANGUAGES.values(), NAMES)
    assert understood is not None
    assert understood.temperature == "22"
    assert classify("turn on the kitchen light", LANGUAGES.values(), NAMES) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22", SpokenTemperature(22, None)),
        ("21.5 degrees", SpokenTemperature(21.5, None)),
        ("21,5 Grad", SpokenTemperature(21.5, None)),
        ("twenty one degrees", SpokenTemperature(21, None)),
        (
            "seventy degrees fahrenheit",
            SpokenTemperature(70, UnitOfTemperature.FAHRENHEIT),
        ),
        ("einundzwanzig Grad", SpokenTemperature(21, None)),
        ("zwanzig", SpokenTemperature(20, None)),
        (
            "zweiundzwanzig Grad Celsius",
            SpokenTemperature(22, UnitOfTemperature.CELSIUS),
        ),
        ("二十二度", SpokenTemperature(22, None)),
        ("十八度", SpokenTemperature(18, None)),
        ("二十二点五度", SpokenTemperature(22.5, None)),
        ("22度", SpokenTemperature(22, None)),
        ("华氏七十度", SpokenTemperature(70, UnitOfTemperature.FAHRENHEIT)),
        ("the maximum", None),
        ("21 or 22", None),
        ("一二三", None),
    ],
)
def test_spoken_temperatures(text: str, expected: SpokenTemperature | None) -> None:
    """Digits and number words in three languages; anything unclear is None."""
    assert parse_temperature(text) == expected


def test_the_unit_may_follow_the_number() -> None:
    """In "to 72 degrees fahrenheit" the wildcard has the number, the sentence the unit."""
    assert parse_temperature("72", "heat the car to 72 degrees fahrenheit") == (
        SpokenTemperature(72, UnitOfTemperature.FAHRENHEIT)
    )
