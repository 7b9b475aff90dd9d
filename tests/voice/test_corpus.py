"""The voice corpus: how much of what people say about their car is understood.

Each language's corpus runs through Home Assistant's default conversation agent
against one simulated car (see harness.py). The per-language counts are printed
(`pytest -s` or the captured output of a failure) and each language must reach
95 %. Independently, no question may ever make a command reach the car.
"""

from __future__ import annotations

from functools import partial
from unittest.mock import patch

from homeassistant.components.conversation.default_agent import DefaultAgent
from homeassistant.core import HomeAssistant
import pytest

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.vehicle import Command, CommandKind
from custom_components.connected_car.vehicle.simulator import (
    SimulationSettings,
)
from tests.clock import ManualClock

from .harness import (
    CAR_NAME,
    LANGUAGES,
    UNDERSTOOD_MINIMUM,
    CorpusWorld,
    Outcome,
    load_corpus,
    report,
)


@pytest.fixture
def entry_data() -> dict[str, object]:
    """One plug-in hybrid with the corpus's car name."""
    return {"backend": "simulated", "cars": 1, "names": [CAR_NAME], "seed": 1}


async def run_corpus(
    hass: HomeAssistant, setup_integration, manual_clock: ManualClock, language: str
) -> list[Outcome]:
    """Ask every entry of the language's corpus; return the outcomes."""
    await CorpusWorld.async_prepare(hass)
    with patch.object(
        ADAPTERS["simulated"],
        "settings_factory",
        partial(SimulationSettings, auto_trips=False),
    ):
        entry = await setup_integration()
    world = await CorpusWorld.async_create(
        hass, manual_clock, entry.runtime_data.backend
    )
    _, entries = load_corpus(language)
    return [await world.async_ask(item) for item in entries]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("language", LANGUAGES)
async def test_corpus_is_understood(
    hass: HomeAssistant, setup_integration, manual_clock: ManualClock, language: str
) -> None:
    """At least 95 % of each language's corpus is understood; questions never act."""
    outcomes = await run_corpus(hass, setup_integration, manual_clock, language)
    summary = report(language, outcomes)
    print(summary)  # noqa: T201 - the measurement is the point of this test
    acted = [o.entry.text for o in outcomes if o.entry.is_question and o.sent]
    assert not acted, summary
    understood = sum(o.understood for o in outcomes) / len(outcomes)
    assert understood >= UNDERSTOOD_MINIMUM, summary


@pytest.mark.parametrize("language", LANGUAGES)
def test_corpus_is_large_and_varied(language: str) -> None:
    """At least 100 entries per language, every topic, no duplicates."""
    name, entries = load_corpus(language)
    assert name == CAR_NAME
    assert len(entries) >= 100
    texts = [e.text.casefold() for e in entries]
    assert len(set(texts)) == len(texts)


@pytest.mark.timeout(300)
async def test_english_near_misses_act_without_our_sentences(
    hass: HomeAssistant, setup_integration, manual_clock: ManualClock
) -> None:
    """The near misses are real: alone, HA's fuzzy matcher acts or answers off topic.

    HA 2026.2.3 has fuzzy matching for English only; the German and Chinese
    near misses are the same sentence shapes, kept for later HA versions.
    """
    language = "en"
    await CorpusWorld.async_prepare(hass)
    with (
        patch.object(
            ADAPTERS["simulated"],
            "settings_factory",
            partial(SimulationSettings, auto_trips=False),
        ),
        patch.object(
            DefaultAgent, "async_recognize_sentence_trigger", return_value=None
        ),
    ):
        entry = await setup_integration()
        world = await CorpusWorld.async_create(
            hass, manual_clock, entry.runtime_data.backend
        )
        _, entries = load_corpus(language)
        outcomes = [
            await world.async_ask(item) for item in entries if item.kind == "near_miss"
        ]
    assert outcomes
    assert not any(outcome.understood for outcome in outcomes)
    # Which intent the fuzzy matcher picks depends on what else HA knows (the
    # issue saw "what's the mileage of <car>" lock the car on a real server;
    # here it may be "no floor called ..."): most of them act or answer
    # something else, and some lock the car.
    acted = [o for o in outcomes if o.response_type == "action_done"]
    assert len(acted) >= 0.75 * len(outcomes)
    assert sum(o.sent == [Command(CommandKind.LOCK)] for o in outcomes) >= 5
