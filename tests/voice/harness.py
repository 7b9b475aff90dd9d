"""Runs the voice corpus through Home Assistant's real conversation agent.

The corpus (tests/voice/corpus/<language>.yaml) holds what people say; this
module sets up the world the corpus is written for, asks each entry through
`conversation.async_converse` (HA's default agent, with fuzzy matching on, as a
default install has it) and judges the answer from the outside:

* a question is understood when no command reached the car and the answer is
  on its topic: it contains the value the car reports for that topic (range,
  levels, mileage, pressures, temperatures, in the user's units) or, for yes/no
  topics, names the thing asked about (door, trunk, lock, heater ...);
* a request is understood when exactly its command reached the car and the
  answer is no error.

Error answers ("Sorry, I am not aware of any device called trunk") never count,
even when they repeat the word asked about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import math
from pathlib import Path
import re

from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.intent import IntentResponseType
from homeassistant.setup import async_setup_component
import yaml

from custom_components.connected_car.vehicle import Command, CommandKind, signals
from custom_components.connected_car.vehicle.simulator import (
    SimulatedBackend,
)
from custom_components.connected_car.vehicle.simulator.car import SimulatedCar
from tests.clock import ManualClock

from ..common import async_advance, async_converse_and_advance, speech
from ..simulation import inject

CORPUS_DIR = Path(__file__).parent / "corpus"
LANGUAGES = ("en", "de", "zh-Hans")
UNDERSTOOD_MINIMUM = 0.95
"""Share of a language's corpus that must be understood."""

CAR_NAME = "Golf"
"""The name of the corpus's car (every corpus file says so)."""
OFFICE = "Office"
"""The zone the car is parked in (location answers must name it)."""
OFFICE_OFFSET = (0.018, 0.027)
"""Degrees north and east of home: about 2.8 km away, outside the home zone."""
CABIN_CELSIUS = 14.0
"""Cabin temperature of the scenario (the outside is colder, a winter day)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing a person says, with what it is about."""

    language: str
    text: str
    topic: str
    kind: str
    """"question", "request" or "near_miss" (a question HA's fuzzy matching acts on)."""
    temperature: float | None = None

    @property
    def is_question(self) -> bool:
        """Return whether this entry must not change anything."""
        return self.kind != "request"


def load_corpus(language: str) -> tuple[str, list[Entry]]:
    """Return the car name and the entries of a language's corpus file."""
    data = yaml.safe_load((CORPUS_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
    assert data["language"] == language
    entries: list[Entry] = []
    kinds = {"questions": "question", "requests": "request", "near": "near_miss"}
    for section, topics in data.items():
        kind = next(
            (k for prefix, k in kinds.items() if section.startswith(prefix)), None
        )
        if kind is None:
            continue
        for topic, items in topics.items():
            for item in items:
                if isinstance(item, str):
                    entries.append(Entry(language, item, topic, kind))
                else:
                    entries.append(
                        Entry(
                            language,
                            item["text"],
                            topic,
                            kind,
                            float(item["temperature"]),
                        )
                    )
    return data["car"], entries


# ---------------------------------------------------------------------------
# What an on-topic answer contains
# ---------------------------------------------------------------------------

KEYWORDS: dict[str, dict[str, str]] = {
    "charging": {
        "en": r"charg|plugged",
        "de": r"lädt|lade|geladen|angesteckt|eingesteckt|kabel",
        "zh-Hans": r"充电|充满|充电枪|插",
    },
    "heater": {
        "en": r"heat|warm|precondition|climate",
        "de": r"heiz|vorklimati|klima|warm|wärm",
        "zh-Hans": r"预热|空调|暖风|加热|制热|暖气",
    },
    "lock": {
        "en": r"\block|unlock",
        "de": r"verriegelt|entriegelt|abgeschlossen|aufgeschlossen|abgesperrt|zugesperrt",
        "zh-Hans": r"锁",
    },
    "doors": {"en": r"door", "de": r"tür", "zh-Hans": r"门"},
    "windows": {"en": r"window", "de": r"fenster", "zh-Hans": r"窗"},
    "trunk": {
        "en": r"trunk|boot|tailgate",
        "de": r"kofferraum|heckklappe",
        "zh-Hans": r"后备箱|后备厢|尾门",
    },
    "hood": {
        "en": r"hood|bonnet",
        "de": r"motorhaube|haube",
        "zh-Hans": r"引擎盖|发动机盖|机盖|前盖",
    },
    "sunroof": {"en": r"sunroof", "de": r"schiebedach", "zh-Hans": r"天窗"},
    "location": {"en": OFFICE, "de": OFFICE, "zh-Hans": OFFICE},
    "freshness": {
        "en": r"\bago\b|just now|second|minute",
        "de": r"\bvor\b|gerade eben|sekunde|minute",
        "zh-Hans": r"前|刚刚|秒|分钟",
    },
}
"""Per yes/no topic: what an answer on that topic says, per language (regex)."""

_MINUS = "-\u2212"  # hyphen-minus and the minus sign
_NUMBER = re.compile(rf"[{_MINUS}]?\d+(?:[.,\u202f ]\d+)*")


def numbers_in(text: str) -> set[float]:
    """Return every number a text may say, reading separators both ways."""
    found: set[float] = set()
    for said in _NUMBER.findall(text):
        sign = -1.0 if said[0] in _MINUS else 1.0
        token = said.lstrip(_MINUS)
        found.add(sign * float(re.sub(r"[.,\u202f ]", "", token)))  # 23,456 / 23.456
        if len(parts := re.split(r"[.,]", token)) == 2:
            whole, fraction = parts
            found.add(sign * float(f"{whole.replace(' ', '')}.{fraction}"))  # 2,5 / 2.5
        found.update(
            sign * float(part)
            for part in re.split(r"[\s\u202f]", token)
            if part.isdigit()
        )
    return found


def says_value(text: str, value: float | None, tolerance: float) -> bool:
    """Return whether the text says value (rounded as speech rounds it)."""
    if value is None:
        return False
    return any(math.isclose(n, value, abs_tol=tolerance) for n in numbers_in(text))


def _value_checks(
    car: SimulatedCar, hass: HomeAssistant
) -> dict[str, list[tuple[float | None, float]]]:
    """Return per value topic: (value in the user's units, tolerance) pairs, any may match."""
    state = car.reported_state()
    value = state.value
    assert hass.config.units.length_unit == "km"  # the corpus runs metric
    tyres = [value(tyre) for tyre in signals.TYRE_PRESSURES]
    return {
        "range": [(value(signals.RANGE), 1.0)],
        "status": [(value(signals.RANGE), 1.0)],
        "fuel": [(value(signals.FUEL_LEVEL), 1.0), (value(signals.FUEL_AMOUNT), 0.6)],
        "battery": [(value(signals.BATTERY_LEVEL), 1.0)],
        "mileage": [(value(signals.ODOMETER), 1.0)],
        "tyres": [(None if t is None else t / 100, 0.06) for t in tyres],
        "battery_12v": [
            (value(signals.LOW_VOLTAGE_BATTERY_LEVEL), 1.0),
            (value(signals.LOW_VOLTAGE_BATTERY_VOLTAGE), 0.1),
        ],
        "cabin_temperature": [(value(signals.CABIN_TEMPERATURE), 0.5)],
        "outside_temperature": [(value(signals.OUTSIDE_TEMPERATURE), 0.5)],
    }


def on_topic(hass: HomeAssistant, car: SimulatedCar, entry: Entry, answer: str) -> bool:
    """Return whether an answer is about the entry's topic."""
    values = _value_checks(car, hass)
    if entry.topic in values:
        return any(says_value(answer, v, tol) for v, tol in values[entry.topic])
    if entry.topic == "openings":
        # Two things are open: a window and the sunroof; both must be named.
        return on_keyword(entry.language, "windows", answer) and on_keyword(
            entry.language, "sunroof", answer
        )
    return on_keyword(entry.language, entry.topic, answer)


def on_keyword(language: str, topic: str, answer: str) -> bool:
    """Return whether an answer names what a yes/no topic is about."""
    return re.search(KEYWORDS[topic][language], answer, re.IGNORECASE) is not None


# ---------------------------------------------------------------------------
# Requests: what must reach the car
# ---------------------------------------------------------------------------

REQUEST_COMMANDS: dict[str, CommandKind] = {
    "heater_start": CommandKind.START_CLIMATE,
    "heater_stop": CommandKind.STOP_CLIMATE,
    "lock": CommandKind.LOCK,
    "unlock": CommandKind.UNLOCK,
    "flash_lights": CommandKind.FLASH_LIGHTS,
    "sound_horn": CommandKind.SOUND_HORN,
}


def commands_fit(entry: Entry, sent: list[Command]) -> bool:
    """Return whether the commands that reached the car are the entry's."""
    if entry.is_question:
        return not sent
    if entry.topic == "heater_set":
        # Start at the temperature, or set it (and maybe start).
        kinds = [command.kind for command in sent]
        targets = [c.target_temperature for c in sent if c.target_temperature]
        return (
            bool(targets)
            and all(math.isclose(t, entry.temperature or 0) for t in targets)
            and set(kinds)
            <= {CommandKind.START_CLIMATE, CommandKind.SET_CLIMATE_TARGET}
        )
    return [command.kind for command in sent] == [REQUEST_COMMANDS[entry.topic]]


# ---------------------------------------------------------------------------
# The world of the corpus
# ---------------------------------------------------------------------------


@dataclass
class Outcome:
    """What happened to one entry."""

    entry: Entry
    answer: str
    response_type: str
    sent: list[Command]
    understood: bool


@dataclass
class CorpusWorld:
    """One car, set up as the corpus files describe, and a record of commands."""

    hass: HomeAssistant
    clock: ManualClock
    backend: SimulatedBackend
    car: SimulatedCar
    sent: list[Command] = field(default_factory=list)

    @staticmethod
    async def async_prepare(hass: HomeAssistant) -> None:
        """Set up Assist and the office zone (before the integration)."""
        assert await async_setup_component(hass, "homeassistant", {})
        assert await async_setup_component(hass, "conversation", {})
        assert await async_setup_component(
            hass,
            "zone",
            {
                "zone": [
                    {
                        "name": OFFICE,
                        "latitude": hass.config.latitude + OFFICE_OFFSET[0],
                        "longitude": hass.config.longitude + OFFICE_OFFSET[1],
                        "radius": 250,
                    }
                ]
            },
        )

    @classmethod
    async def async_create(
        cls, hass: HomeAssistant, clock: ManualClock, backend: SimulatedBackend
    ) -> CorpusWorld:
        """Park the car at the office, expose the lock, record commands."""
        office = hass.states.get("zone.office")
        assert office is not None
        car = next(iter(backend.cars.values()))
        car.position = (office.attributes["latitude"], office.attributes["longitude"])
        for state in hass.states.async_all("lock"):
            # The user followed the docs: the lock is exposed to Assist.
            async_expose_entity(hass, "conversation", state.entity_id, True)
        world = cls(hass, clock, backend, car)
        send = backend.send

        async def recording_send(vin: str, command: Command) -> None:
            world.sent.append(command)
            await send(vin, command)

        backend.send = recording_send  # type: ignore[method-assign]
        return world

    async def async_reset(self, entry: Entry) -> None:
        """Put the car back into the scenario (as the entry needs it)."""
        car = self.car
        car.climate_active = entry.topic == "heater_stop"
        car.climate_started = car.now if car.climate_active else None
        car.climate_target = 21.0
        car.locked = entry.topic == "unlock"
        car.plugged_in = True
        car.battery = min(car.battery, 60.0)
        car.cabin = CABIN_CELSIUS
        for key in car.open:
            car.open[key] = False
        car.open[signals.WINDOW_REAR_RIGHT_OPEN.key] = True
        car.open[signals.SUNROOF_OPEN.key] = True
        car.wake()
        inject(self.backend, car.vin, car.collect_changes())
        await async_advance(self.hass, self.clock, 0)
        self.sent.clear()

    async def async_ask(self, entry: Entry) -> Outcome:
        """Say the entry to the default agent and judge the answer."""
        await self.async_reset(entry)
        result = await async_converse_and_advance(
            self.hass, self.clock, entry.text, entry.language
        )
        answer = speech(result)
        response_type = result.response.response_type
        sent = list(self.sent)
        understood = response_type is not IntentResponseType.ERROR and commands_fit(
            entry, sent
        )
        if understood and entry.is_question:
            understood = on_topic(self.hass, self.car, entry, answer)
        return Outcome(entry, answer, response_type.value, sent, understood)


def report(language: str, outcomes: list[Outcome]) -> str:
    """Return the per-language summary and every entry not understood."""
    total = len(outcomes)
    understood = sum(outcome.understood for outcome in outcomes)
    headline = f"voice corpus {language}: {understood}/{total} understood"
    lines = [f"{headline} ({understood / total:.1%})"]
    for kind, label in (
        ("question", "questions"),
        ("request", "requests"),
        ("near_miss", "near misses"),
    ):
        of_kind = [o for o in outcomes if o.entry.kind == kind]
        if of_kind:
            ok = sum(o.understood for o in of_kind)
            lines.append(f"  {label}: {ok}/{len(of_kind)}")
    acted = [o for o in outcomes if o.entry.is_question and o.sent]
    lines.append(f"  questions that reached the car with a command: {len(acted)}")
    lines.extend(
        f"  ✗ [{o.entry.topic}] {o.entry.text!r} -> {o.response_type}: "
        f"{o.answer!r} {[c.kind.value for c in o.sent]}"
        for o in outcomes
        if not o.understood
    )
    return "\n".join(lines)
