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

Size matters: Home Assistant matches every trigger sentence against everything
said to Assist, and parses and compiles trigger sentences in its event loop
whenever triggers change. So templates are compiled into few, compact
sentences (`compile_templates`) that accept exactly the same sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
import re

from hassil import Intents, SlotList, TextSlotList, WildcardSlotList, recognize_all


class VoiceIntent(StrEnum):
    """What a sentence or an LLM asks for. Questions first: the earlier wins a tie.

    The questions are the status topics (answers.py, the LLM tool's `topic`).
    """

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
    TIRE_PRESSURE = "tire_pressure"
    OUTSIDE_TEMPERATURE = "outside_temperature"
    CABIN_TEMPERATURE = "cabin_temperature"
    CLIMATE = "climate"
    AT_HOME = "at_home"
    LOCATION = "location"
    FRESHNESS = "freshness"
    ALL = "all"
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
TOPICS = tuple(intent for intent in VoiceIntent if intent not in REQUESTS)
"""The questions: what a status answer can be about."""

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
    spaces: bool = True
    """Whether words are separated by spaces (not in Chinese)."""


_FRAGMENT = re.compile(r"<\w+>")
_TEMPLATE_SYNTAX = re.compile(r"[^\w\s'-]")
_FLAT = re.compile(r"^([(\[])([^()\[\]<>{}]*)([)\]])$")
_NOUN = re.compile(r"<\w+_n>")
_WILDCARD = re.compile(r"\{(\w+)\}")
WRAPPERS = ("<pre>", "<ask>", "<ask2>", "<tell>", "<post>")
"""Optional fillers most templates start or end with; kept outside the body."""


def sentence_name(name: str) -> str:
    """Return a car name as it can appear in a template (no syntax, no punctuation)."""
    return " ".join(_TEMPLATE_SYNTAX.sub(" ", name).split())


def _alternatives(items: Iterable[str]) -> str:
    unique = list(dict.fromkeys(item for item in items if item))
    return "(" + "|".join(unique) + ")"


def _is_group(template: str) -> bool:
    """Return whether a template is one (...) or [...] group."""
    if not template.startswith(("(", "[")):
        return False
    depth = 0
    for index, char in enumerate(template):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth == 0 and index != len(template) - 1:
                return False
    return True


def _factor(token_lists: list[list[str]], separator: str) -> str:
    """Return one template for several: shared leading tokens said once (a trie)."""
    if len(token_lists) == 1 and all(token_lists[0]):
        return separator.join(token_lists[0])  # one branch left: nothing to share
    children: dict[str, list[list[str]]] = {}
    ends = False
    for tokens in token_lists:
        if tokens:
            children.setdefault(tokens[0], []).append(tokens[1:])
        else:
            ends = True
    parts = [
        separator.join(part for part in (token, _factor(rests, separator)) if part)
        for token, rests in children.items()
    ]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(" + "|".join(parts) + ")"
    if not ends:
        return body
    return (
        body.replace("(", "[", 1)[:-1] + "]"
        if _is_group(body) and body[0] == "("
        else f"[{body}]"
    )


def _compact(value: str) -> str:
    """Return a flat alternation with shared beginnings factored out.

    "(mein|meine|meinem)" becomes "mein[e|em]": hassil tries alternatives one
    by one, and a shared beginning is then tried (and compiled) only once.
    """
    match = _FLAT.match(value)
    if match is None or match.group(1) + match.group(3) not in ("()", "[]"):
        return value
    items = match.group(2).split("|")
    factored = _factor([list(item) for item in items if item], "")
    optional = match.group(1) == "[" or "" in items
    if _is_group(factored) and (factored[0] == "[" or not optional):
        return factored
    return f"[{factored}]" if optional else f"({factored})"


@lru_cache(maxsize=16)
def _fragments(language: Language, names: tuple[str, ...]) -> dict[str, str]:
    """Return the language's fragments, compacted, with the names filled in."""
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
    return {
        name: _compact(value)
        for name, value in {**language.fragments, **name_fragments}.items()
    }


def expand(language: Language, template: str, names: Iterable[str]) -> str:
    """Return a template in plain hassil syntax, with the names filled in."""
    return _fill(template, _fragments(language, tuple(names)))


def _fill(template: str, fragments: Mapping[str, str]) -> str:
    """Return a template with its fragments filled in (they nest)."""

    def replace(match: re.Match[str]) -> str:
        return fragments[match.group(0)]

    text = template
    for _ in range(10):  # fragments nest a few levels deep
        expanded = _FRAGMENT.sub(replace, text)
        if expanded == text:
            break
        text = expanded
    return " ".join(text.split())


def _tokens(template: str, *, spaces: bool) -> list[str]:
    """Split a template into its top-level parts.

    With spaces: at the spaces outside groups. Without (Chinese): around each
    fragment and group, so "<pre><car>的<续航_n>" still shares its beginnings.
    """
    tokens: list[str] = []
    depth = 0
    current = ""
    for char in template:
        if depth == 0 and not spaces and char in "([<" and current:
            tokens.append(current)
            current = ""
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if depth == 0 and char.isspace() and spaces:
            if current:
                tokens.append(current)
            current = ""
            continue
        current += char
        if depth == 0 and not spaces and char in ")]>":
            tokens.append(current)
            current = ""
    if current:
        tokens.append(current)
    return tokens


def _merge_nouns(templates: Iterable[str]) -> list[str]:
    """Merge templates that differ only in their one noun fragment (`<..._n>`).

    "what's the <range_n> of <car>" and "what's the <fuel_n> of <car>" become
    "what's the (<range_n>|<fuel_n>) of <car>": the same sentences, said once.
    """
    families: dict[str, list[str]] = {}
    merged: list[str] = []
    for template in templates:
        nouns = _NOUN.findall(template)
        if len(nouns) != 1:
            merged.append(template)
            continue
        families.setdefault(_NOUN.sub("<n>", template), []).append(nouns[0])
    for shape, nouns in families.items():
        merged.append(shape.replace("<n>", _alternatives(sorted(set(nouns)))))
    return merged


def compile_templates(language: Language, templates: Iterable[str]) -> list[str]:
    """Return templates as a few compact sentences: the same sentences, said once.

    Templates of one noun family are merged, grouped by the fillers they start
    and end with (said once per group), and factored by shared beginnings.
    """
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[list[str]]] = {}
    for template in _merge_nouns(templates):
        tokens = _tokens(template, spaces=language.spaces)
        start = 0
        while start < len(tokens) and tokens[start] in WRAPPERS:
            start += 1
        end = len(tokens)
        while end > start and tokens[end - 1] in WRAPPERS:
            end -= 1
        key = (tuple(tokens[:start]), tuple(tokens[end:]))
        groups.setdefault(key, []).append(tokens[start:end])
    separator = " " if language.spaces else ""
    sentences = []
    for (prefix, suffix), bodies in groups.items():
        body = _factor(bodies, separator)
        if prefix or suffix:
            body = body if _is_group(body) else f"({body})"
        sentences.append(separator.join([*prefix, body, *suffix]))
    return sentences


def trigger_sentences(languages: Iterable[Language], names: Iterable[str]) -> list[str]:
    """Return the conversation trigger's sentences: every language, every intent."""
    names = list(names)
    return [
        expand(language, sentence, names)
        for language in languages
        for sentence in _compiled(language)
    ]


@lru_cache(maxsize=16)
def _compiled(language: Language) -> tuple[str, ...]:
    """Return all of the language's templates compiled (they never change)."""
    return tuple(
        compile_templates(
            language,
            [t for templates in language.templates.values() for t in templates],
        )
    )


@dataclass(frozen=True, slots=True)
class Understood:
    """What a sentence was classified as, with its wildcards."""

    intent: VoiceIntent
    language: str
    car: str | None
    temperature: str | None


NAME_SLOT = "car_name"
"""The classifier's list of known car names (the trigger has them inline)."""
_NAME_LISTS = {NAMES: f"{{{NAME_SLOT}}}", "<names_s>": f"{{{NAME_SLOT}_s}}"}


@lru_cache(maxsize=4)
def _intents(language: Language) -> Intents:
    """Return the language's intents, compiled once: names come as slot lists."""
    fragments = {
        **{name: _compact(value) for name, value in language.fragments.items()},
        **_NAME_LISTS,
    }
    sentences = {
        intent: [
            _fill(sentence, fragments)
            for sentence in compile_templates(language, templates)
        ]
        for intent, templates in language.templates.items()
    }
    intents = Intents.from_dict(
        {
            "language": language.code,
            "intents": {
                intent.value: {"data": [{"sentences": texts}]}
                for intent, texts in sentences.items()
            },
        }
    )
    # Like the conversation trigger, every other {slot} is a wildcard.
    for texts in sentences.values():
        for text in texts:
            for slot in _WILDCARD.findall(text):
                if not slot.startswith(NAME_SLOT):
                    intents.slot_lists[slot] = WildcardSlotList(slot)
    return intents


def _name_lists(language: Language, names: Iterable[str]) -> dict[str, SlotList]:
    """Return the names as the classifier's slot lists (value: the name as set)."""
    plain: dict[str, str] = {}
    possessive: dict[str, str] = {}
    for name in names:
        if cleaned := sentence_name(name):
            plain[cleaned] = name
            for variant in (f"{cleaned}{language.possessive}", f"{cleaned}s", cleaned):
                possessive[variant] = name
    if not plain:
        plain = possessive = {"connected car without a name": ""}
    return {
        NAME_SLOT: TextSlotList.from_tuples(plain.items(), allow_template=False),
        f"{NAME_SLOT}_s": TextSlotList.from_tuples(
            possessive.items(), allow_template=False
        ),
    }


def classify(
    text: str, languages: Iterable[Language], names: Iterable[str]
) -> Understood | None:
    """Return the intent of a sentence, trying the languages in order.

    Of several matching intents the first in `VoiceIntent` wins, so a sentence
    that could be a question and a request is a question.
    """
    names = list(names)
    for language in languages:
        best = None
        for result in recognize_all(
            text, _intents(language), slot_lists=_name_lists(language, names)
        ):
            intent = VoiceIntent(result.intent.name)
            if best is None or PRIORITY[intent] < PRIORITY[best[0]]:
                best = (intent, result)
        if best is not None:
            intent, result = best
            slots = {
                name: entity.text.strip() for name, entity in result.entities.items()
            }
            known = next(
                (
                    entity.value
                    for name, entity in result.entities.items()
                    if name.startswith(NAME_SLOT) and entity.value
                ),
                None,
            )
            return Understood(
                intent,
                language.code,
                slots.get(CAR_SLOT) or known,
                slots.get(TEMPERATURE_SLOT) or None,
            )
    return None
