"""The sentence grammar: what each language's sentences about the car look like.

Each language (languages/<code>.py) describes its sentences as hassil templates
built from shared fragments: `<car>` is any way of naming the car (the loaded
cars' names, "my car", "das Auto", "我的车" ...), `<cars>` the same as a
possessive, and so on. The fragments keep the templates short while every
template accepts the whole variety of articles, possessives, fillers and word
orders of the language; `expand` turns them into plain hassil syntax.

All templates of all languages are attached as one conversation trigger (see
sentences.py): Home Assistant runs every matching trigger's callback, so with
one trigger per intent a sentence matching a question and a request would do
both. Instead `classify` tells which intent a caught sentence is, and a question
always wins over a request: a question never acts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
import re

from hassil import Intents, WildcardSlotList, recognize_all


class VoiceIntent(StrEnum):
    """What a sentence asks for. Questions first: the earlier wins a tie."""

    # Questions; the values are the status topics of answers.py.
    OPENINGS = "openings"
    DOORS = "doors"
    WINDOWS = "windows"
    TRUNK = "trunk"
    HOOD = "hood"
    SUNROOF = "sunroof"
    LOCK = "lock"
    CHARGING = "charging"
    BATTERY_12V = "12v_battery"
    CHARGE = "charge"
    FUEL = "fuel"
    RANGE = "range"
    MILEAGE = "mileage"
    TYRES = "tire_pressure"
    OUTSIDE_TEMPERATURE = "outside_temperature"
    CABIN_TEMPERATURE = "cabin_temperature"
    CLIMATE = "climate"
    AT_HOME = "at_home"
    LOCATION = "location"
    FRESHNESS = "freshness"
    STATUS = "all"
    # Requests: they change the car.
    CLIMATE_STOP = "climate_stop"
    CLIMATE_SET = "climate_set"
    CLIMATE_START = "climate_start"
    LOCK_CAR = "lock_car"
    UNLOCK_CAR = "unlock_car"

    @property
    def is_request(self) -> bool:
        """Return whether this intent changes the car."""
        return self in REQUESTS


REQUESTS = frozenset(
    {
        VoiceIntent.CLIMATE_STOP,
        VoiceIntent.CLIMATE_SET,
        VoiceIntent.CLIMATE_START,
        VoiceIntent.LOCK_CAR,
        VoiceIntent.UNLOCK_CAR,
    }
)
PRIORITY = {intent: index for index, intent in enumerate(VoiceIntent)}

CAR_SLOT = "car"
"""Wildcard for a car name nobody set up ("what's the range of the Batmobile")."""
TEMPERATURE_SLOT = "temperature"
"""Wildcard for a spoken temperature ("22", "twenty two degrees", "二十二度")."""

NAMES = "<names>"
"""Fragment the builder fills in: the loaded cars' names, as alternatives."""


@dataclass(frozen=True, slots=True, eq=False)
class Language:
    """One language's sentences: fragments and per-intent templates."""

    code: str
    fragments: Mapping[str, str]
    """`<name>` -> template text; may use other fragments and the name fragments."""
    templates: Mapping[VoiceIntent, tuple[str, ...]]
    possessive: str = ""
    """How a name is made possessive in `<names_s>` ("'s" in English)."""


_FRAGMENT = re.compile(r"<\w+>")
_TEMPLATE_SYNTAX = re.compile(r"[^\w\s'-]")


def sentence_name(name: str) -> str:
    """Return a car name as it can appear in a template (no syntax, no punctuation)."""
    return " ".join(_TEMPLATE_SYNTAX.sub(" ", name).split())


def _alternatives(items: Iterable[str]) -> str:
    unique = list(dict.fromkeys(item for item in items if item))
    return "(" + "|".join(unique) + ")"


def expand(language: Language, template: str, names: Iterable[str]) -> str:
    """Return a template in plain hassil syntax, with the names filled in."""
    cleaned = [cleaned for name in names if (cleaned := sentence_name(name))]
    if not cleaned:
        # No car loaded: a name nobody can say keeps the templates valid.
        cleaned = ["connected car without a name"]
    name_fragments = {
        NAMES: _alternatives(cleaned),
        "<names_s>": _alternatives(
            variant
            for name in cleaned
            for variant in (f"{name}{language.possessive}", f"{name}s", name)
        ),
    }
    fragments = {**language.fragments, **name_fragments}

    def replace(match: re.Match[str]) -> str:
        return fragments[match.group(0)]

    text = template
    for _ in range(10):  # fragments nest a few levels deep
        expanded = _FRAGMENT.sub(replace, text)
        if expanded == text:
            break
        text = expanded
    return " ".join(text.split())


def build_sentences(language: Language, names: Iterable[str]) -> dict[VoiceIntent, list[str]]:
    """Return the language's templates per intent, expanded for these names."""
    names = list(names)
    return {
        intent: [expand(language, template, names) for template in templates]
        for intent, templates in language.templates.items()
    }


@dataclass(frozen=True, slots=True)
class Understood:
    """What a sentence was classified as, with its wildcards."""

    intent: VoiceIntent
    language: str
    car: str | None
    temperature: str | None


_WILDCARD = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=8)
def _intents(language: Language, names: tuple[str, ...]) -> Intents:
    sentences = build_sentences(language, names)
    intents = Intents.from_dict(
        {
            "language": language.code,
            "intents": {
                intent.value: {"data": [{"sentences": templates}]}
                for intent, templates in sentences.items()
            },
        }
    )
    # Like the conversation trigger, every {slot} is a wildcard.
    for templates in sentences.values():
        for template in templates:
            for slot in _WILDCARD.findall(template):
                intents.slot_lists[slot] = WildcardSlotList(slot)
    return intents


def classify(
    text: str, languages: Iterable[Language], names: Iterable[str]
) -> Understood | None:
    """Return the intent of a sentence, trying the languages in order.

    Of several matching intents the first in `VoiceIntent` wins, so a sentence
    that could be a question and a request is a question.
    """
    key = tuple(sorted(set(names)))
    for language in languages:
        best = None
        for result in recognize_all(text, _intents(language, key)):
            intent = VoiceIntent(result.intent.name)
            if best is None or PRIORITY[intent] < PRIORITY[best[0]]:
                best = (intent, result)
        if best is not None:
            intent, result = best
            slots = {name: entity.text.strip() for name, entity in result.entities.items()}
            return Understood(
                intent,
                language.code,
                slots.get(CAR_SLOT) or None,
                slots.get(TEMPERATURE_SLOT) or None,
            )
    return None
