"""Spoken answers about the cars, from their live state, in the asker's language.

Voice sentences (sentences.py) and LLM tools (intents.py) both answer through this
module: the same live state, the same car lookup by name and the same rules for
commands (run to the car's confirmation, never raise at the user).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
import logging
import math
import re
from typing import Any

from homeassistant.components.zone import async_active_zone
from homeassistant.const import (
    UnitOfLength,
    UnitOfTemperature,
    UnitOfVolume,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, translation
from homeassistant.util import language as language_util, location as location_util
from homeassistant.util.unit_conversion import TemperatureConverter

from ...const import DOMAIN
from ...coordinator import VehicleCoordinator
from ...vehicle import Command, CommandKind, Signal, VehicleState, signals
from ..common import is_at_home, loaded_cars

_LOGGER = logging.getLogger(__name__)

LANGUAGES = ("en", "de", "zh-Hans")
"""Languages the answers are written in; others get English."""

COMMAND_ANSWER_WAIT = 20.0
"""Seconds a spoken request waits for the car's confirmation before answering
that the command is still on its way (it then finishes in the background)."""

DIRECTIONS = ("n", "ne", "e", "se", "s", "sw", "w", "nw")
"""Compass points, clockwise from north (translation keys direction_<point>)."""


class Topic(StrEnum):
    """What a status question asks about."""

    RANGE = "range"
    FUEL = "fuel"
    CHARGE = "charge"
    OPENINGS = "openings"
    LOCATION = "location"
    ALL = "all"


@dataclass(slots=True)
class Answer:
    """What to say, the facts behind it (for LLMs), and whether it is a failure."""

    speech: str
    data: dict[str, Any] = field(default_factory=dict)
    failed: bool = False


# ---------------------------------------------------------------------------
# Phrases: the translated texts of one language
# ---------------------------------------------------------------------------


def answer_language(language: str | None) -> str:
    """Return the language of our translations that best fits the asker's."""
    if language and (matches := language_util.matches(language, list(LANGUAGES))):
        return matches[0]
    return "en"


class Phrases:
    """Answer texts (strings.json "common"), opening names and error messages."""

    def __init__(self, language: str, texts: Mapping[str, str]) -> None:
        """Keep the loaded texts of one language."""
        self.language = language
        self._texts = texts

    @classmethod
    async def async_load(cls, hass: HomeAssistant, language: str | None) -> Phrases:
        """Load the texts for the asker's language (English fills any gap)."""
        lang = answer_language(language)
        texts: dict[str, str] = {}
        for category in ("common", "entity", "exceptions"):
            texts.update(
                await translation.async_get_translations(hass, lang, category, [DOMAIN])
            )
        return cls(lang, texts)

    def _text(self, path: str) -> str:
        return self._texts.get(f"component.{DOMAIN}.{path}", path)

    def say(self, key: str, **placeholders: object) -> str:
        """Return the answer text key with its placeholders filled in."""
        return self._text(f"common.{key}").format(**placeholders)

    def error(self, err: HomeAssistantError) -> str:
        """Return a translated error of ours in this language (else its text)."""
        if err.translation_domain == DOMAIN and err.translation_key:
            template = self._text(f"exceptions.{err.translation_key}.message")
            return template.format(**(err.translation_placeholders or {}))
        return str(err)

    def opening(self, key: str) -> str:
        """Return the name of a door, window or lid, as written mid-sentence."""
        name = self._text(f"entity.binary_sensor.{key}.name")
        if self.language == "en":
            return name[:1].lower() + name[1:]
        return name

    def join(self, items: list[str]) -> str:
        """Join items into one phrase: 'a, b and c'."""
        if len(items) < 2:  # noqa: PLR2004 - one item needs no joining
            return "".join(items)
        separator = self.say("list_separator")
        if self.language != "zh-Hans":  # Chinese lists take no spaces
            separator += " "
        return self.say("list_and", first=separator.join(items[:-1]), last=items[-1])

    def number(self, value: float, decimals: int = 0) -> str:
        """Format a number as people of this language write it."""
        text = f"{value:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")  # "3.0" is said "3"
        return text.replace(".", ",") if self.language == "de" else text


# ---------------------------------------------------------------------------
# Finding the car a sentence names
# ---------------------------------------------------------------------------

_DETERMINERS = frozenset(
    # English, then German articles and possessives
    [
        "the",
        "a",
        "an",
        "my",
        "our",
        "your",
        "this",
        "that",
        "der",
        "die",
        "das",
        "dem",
        "den",
        "des",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "mein",
        "meine",
        "meinem",
        "meinen",
        "meiner",
        "meines",
        "unser",
        "unsere",
        "unserem",
        "unseren",
        "unserer",
        "unseres",
    ]
)
_ZH_DETERMINERS = ("我们的", "我家的", "我的", "这辆", "那辆", "的")
_GENERIC_CAR_WORDS = frozenset(
    ("car", "vehicle", "auto", "wagen", "fahrzeug", "车", "汽车", "车子", "爱车")
)
_NOT_A_NAME = frozenset(
    # Pronouns and car parts a `{car}` wildcard can take in where no name was
    # said: "how far can I drive", Chinese "我还能开多远" / "油箱还有多少油".
    ("i", "we", "ich", "wir", "我", "我们", "油箱", "车里", "电池")
)
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)


def normalize_name(text: str) -> str:
    """Return a name as compared: no case, punctuation, articles or spaces."""
    words = _PUNCTUATION.sub(" ", text.casefold()).split()
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    compact = "".join(words)
    stripped = True
    while stripped:
        stripped = False
        for prefix in _ZH_DETERMINERS:
            if compact.startswith(prefix) and len(compact) > len(prefix):
                compact = compact.removeprefix(prefix)
                stripped = True
    return compact


def is_generic_car(text: str | None) -> bool:
    """Return whether a spoken car reference names no car ("my car", "车").

    Chinese runs words together, so a wildcard can take in more than the car:
    "我的车的油箱" ("my car's tank") still means the car.
    """
    if text is None:
        return True
    name = normalize_name(text)
    if name in ("", *_GENERIC_CAR_WORDS, *_NOT_A_NAME):
        return True
    return any(name.startswith(f"{word}的") for word in _GENERIC_CAR_WORDS)


def car_name(hass: HomeAssistant, coordinator: VehicleCoordinator) -> str:
    """Return the car's name as the user sees it (their device name, if set)."""
    device = dr.async_get(hass).async_get_device({(DOMAIN, coordinator.vehicle.vin)})
    if device is not None and device.name_by_user:
        return device.name_by_user
    return coordinator.vehicle.name


def car_names(hass: HomeAssistant, coordinator: VehicleCoordinator) -> list[str]:
    """Return every name the car answers to (the user's name and the API's)."""
    names = [car_name(hass, coordinator), coordinator.vehicle.name]
    return list(dict.fromkeys(names))


def _names_match(name: str, wanted: str) -> bool:
    """Return whether a spoken (normalized) reference names the car called name."""
    known = normalize_name(name)
    return bool(known) and (wanted == known or wanted.startswith(f"{known}的"))


def async_find_car(
    hass: HomeAssistant, phrases: Phrases, spoken: str | None
) -> VehicleCoordinator | Answer:
    """Return the car a sentence means, or the answer explaining why there is none."""
    cars = loaded_cars(hass)
    if not cars:
        return Answer(phrases.say("no_cars"), failed=True)
    all_names = phrases.join([car_name(hass, car) for car in cars])
    if is_generic_car(spoken):
        if len(cars) == 1:
            return cars[0]
        return Answer(phrases.say("which_car", cars=all_names), failed=True)
    assert spoken is not None  # noqa: S101 - is_generic_car(None) is True
    wanted = normalize_name(spoken)
    found = [
        car
        for car in cars
        if any(_names_match(name, wanted) for name in car_names(hass, car))
    ]
    if len(found) == 1:
        return found[0]
    if found:
        return Answer(phrases.say("ambiguous_car", name=spoken.strip()), failed=True)
    return Answer(
        phrases.say("unknown_car", name=spoken.strip(), cars=all_names), failed=True
    )


# ---------------------------------------------------------------------------
# Status answers
# ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    """What every status answer needs."""

    hass: HomeAssistant
    phrases: Phrases
    coordinator: VehicleCoordinator
    name: str

    @property
    def state(self) -> VehicleState:
        return self.coordinator.data

    def has(self, signal: Signal[Any]) -> bool:
        return self.coordinator.vehicle.capabilities.has(signal)


def _distance(context: _Context, km: float) -> tuple[str, dict[str, Any]]:
    """Return a distance in the user's unit system: spoken, and as data."""
    units = context.hass.config.units
    value = units.length(km, UnitOfLength.KILOMETERS)
    unit = units.length_unit
    decimals = 1 if value < 10 else 0  # noqa: PLR2004 - "3.5 km", "120 km"
    spoken_value = context.phrases.number(value, decimals)
    key = "distance_mi" if unit == UnitOfLength.MILES else "distance_km"
    return (
        context.phrases.say(key, value=spoken_value),
        {"value": round(value, decimals), "unit": unit},
    )


def _temperature(
    hass: HomeAssistant, phrases: Phrases, celsius: float
) -> tuple[str, dict[str, Any]]:
    """Return a temperature in the user's unit system: spoken, and as data."""
    units = hass.config.units
    value = units.temperature(celsius, UnitOfTemperature.CELSIUS)
    # Cars step in half degrees Celsius; Fahrenheit is said in whole degrees.
    decimals = 0 if units.temperature_unit == UnitOfTemperature.FAHRENHEIT else 1
    spoken = phrases.say("temperature", value=phrases.number(value, decimals))
    return spoken, {"value": round(value, 1), "unit": units.temperature_unit}


def _range_answer(context: _Context) -> Answer:
    phrases = context.phrases
    km = context.state.value(signals.RANGE)
    if km is None:
        return Answer(phrases.say("range_unknown", vehicle=context.name))
    spoken, data = _distance(context, km)
    return Answer(
        phrases.say("range", vehicle=context.name, distance=spoken), {"range": data}
    )


def _energy_answer(context: _Context, asked: Signal[float]) -> Answer:
    """Answer about the fuel or the charge, whichever was asked.

    A car without it says so and answers for the other one; a car reporting
    neither gets a plain "I don't know".
    """
    if context.has(asked):
        return _ENERGY[asked][0](context)
    other = next((s for s in _ENERGY if s is not asked and context.has(s)), None)
    if other is None:
        return Answer(context.phrases.say("energy_not_reported", vehicle=context.name))
    answer = _ENERGY[other][0](context)
    lacking = context.phrases.say(_ENERGY[asked][1], vehicle=context.name)
    return Answer(f"{lacking} {answer.speech}", answer.data)


def _fuel_answer(context: _Context) -> Answer:
    phrases = context.phrases
    level = context.state.value(signals.FUEL_LEVEL)
    if level is None:
        return Answer(phrases.say("fuel_unknown", vehicle=context.name))
    data: dict[str, Any] = {"fuel_level": {"value": round(level), "unit": "%"}}
    liters = context.state.value(signals.FUEL_AMOUNT)
    if liters is None:
        speech = phrases.say("fuel", vehicle=context.name, level=phrases.number(level))
        return Answer(speech, data)
    units = context.hass.config.units
    amount = units.volume(liters, UnitOfVolume.LITERS)
    key = "volume_gal" if units.volume_unit == UnitOfVolume.GALLONS else "volume_l"
    data["fuel_amount"] = {"value": round(amount, 1), "unit": units.volume_unit}
    speech = phrases.say(
        "fuel_amount",
        vehicle=context.name,
        level=phrases.number(level),
        amount=phrases.say(key, value=phrases.number(amount)),
    )
    return Answer(speech, data)


def _charge_answer(context: _Context) -> Answer:
    phrases = context.phrases
    level = context.state.value(signals.BATTERY_LEVEL)
    if level is None:
        return Answer(phrases.say("charge_unknown", vehicle=context.name))
    charging = bool(context.state.value(signals.CHARGING))
    key = "charge_charging" if charging else "charge"
    return Answer(
        phrases.say(key, vehicle=context.name, level=phrases.number(level)),
        {"battery_level": {"value": round(level), "unit": "%"}, "charging": charging},
    )


def _openings_answer(context: _Context) -> Answer:
    phrases = context.phrases
    if signals.anything_open(context.state) is None:
        return Answer(phrases.say("openings_unknown", vehicle=context.name))
    open_keys = signals.open_openings(context.state)
    locked = context.state.value(signals.LOCKED)
    data: dict[str, Any] = {"open": open_keys, "locked": locked}
    if open_keys:
        items = phrases.join([phrases.opening(key) for key in open_keys])
        return Answer(
            phrases.say("openings_open", vehicle=context.name, items=items), data
        )
    key = {
        True: "openings_closed_locked",
        False: "openings_closed_unlocked",
        None: "openings_closed",
    }[locked]
    return Answer(phrases.say(key, vehicle=context.name), data)


def _compass_point(bearing: float) -> str:
    return DIRECTIONS[round(bearing / 45) % len(DIRECTIONS)]


def _bearing(origin: tuple[float, float], target: tuple[float, float]) -> float:
    """Return the initial compass bearing from origin to target in degrees."""
    lat1, lat2 = math.radians(origin[0]), math.radians(target[0])
    delta_lon = math.radians(target[1] - origin[1])
    x = math.sin(delta_lon) * math.cos(lat2)
    y = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(
        delta_lon
    )
    return math.degrees(math.atan2(x, y)) % 360


def _location_answer(context: _Context) -> Answer:
    phrases, hass = context.phrases, context.hass
    position = context.state.value(signals.LOCATION)
    if position is None:
        return Answer(phrases.say("location_unknown", vehicle=context.name))
    zone = async_active_zone(
        hass, position.latitude, position.longitude, position.accuracy or 0
    )
    if zone is not None and zone.entity_id != "zone.home":
        return Answer(
            phrases.say("location_zone", vehicle=context.name, zone=zone.name),
            {"location": {"zone": zone.name}},
        )
    if zone is not None or is_at_home(hass, position.latitude, position.longitude):
        return Answer(
            phrases.say("location_home", vehicle=context.name),
            {"location": {"zone": "home"}},
        )
    home = (hass.config.latitude, hass.config.longitude)
    meters = location_util.distance(
        home[0], home[1], position.latitude, position.longitude
    )
    assert meters is not None  # noqa: S101 - home and position are both known
    spoken, distance = _distance(context, meters / 1000)
    point = _compass_point(_bearing(home, (position.latitude, position.longitude)))
    key = "location_driving" if context.state.value(signals.MOVING) else "location_away"
    speech = phrases.say(
        key,
        vehicle=context.name,
        distance=spoken,
        direction=phrases.say(f"direction_{point}"),
    )
    return Answer(
        speech, {"location": {"distance_from_home": distance, "direction": point}}
    )


_ENERGY: dict[Signal[float], tuple[Callable[[_Context], Answer], str]] = {
    signals.FUEL_LEVEL: (_fuel_answer, "no_fuel_tank"),
    signals.BATTERY_LEVEL: (_charge_answer, "no_battery"),
}
"""Each energy signal's answer, and what a car without it is said to lack."""

_TOPICS: dict[Topic, Callable[[_Context], Answer]] = {
    Topic.RANGE: _range_answer,
    Topic.FUEL: partial(_energy_answer, asked=signals.FUEL_LEVEL),
    Topic.CHARGE: partial(_energy_answer, asked=signals.BATTERY_LEVEL),
    Topic.OPENINGS: _openings_answer,
    Topic.LOCATION: _location_answer,
}


def _full_status(context: _Context) -> Answer:
    """Answer every topic the car has, in one go."""
    answers: list[Answer] = [_range_answer(context)]
    if context.has(signals.FUEL_LEVEL):
        answers.append(_fuel_answer(context))
    if context.has(signals.BATTERY_LEVEL):
        answers.append(_charge_answer(context))
    if any(context.has(s) for s in signals.OPENINGS):
        answers.append(_openings_answer(context))
    if context.has(signals.LOCATION):
        answers.append(_location_answer(context))
    data: dict[str, Any] = {}
    for answer in answers:
        data.update(answer.data)
    climate = context.state.value(signals.CLIMATE_ACTIVE)
    if climate is not None:
        data["preconditioning"] = climate
    return Answer(" ".join(answer.speech for answer in answers), data)


async def async_status_answer(
    hass: HomeAssistant, language: str | None, spoken_name: str | None, topic: Topic
) -> Answer:
    """Answer a question about one car from its live state."""
    phrases = await Phrases.async_load(hass, language)
    found = async_find_car(hass, phrases, spoken_name)
    if isinstance(found, Answer):
        return found
    context = _Context(hass, phrases, found, car_name(hass, found))
    answer = _full_status(context) if topic is Topic.ALL else _TOPICS[topic](context)
    answer.data = {"vehicle": context.name, **answer.data}
    return answer


# ---------------------------------------------------------------------------
# Warming the car up
# ---------------------------------------------------------------------------


async def async_precondition_answer(
    hass: HomeAssistant,
    language: str | None,
    spoken_name: str | None,
    temperature: float | None = None,
) -> Answer:
    """Start preconditioning, wait (a while) for the car to confirm, and say how it went.

    A car whose API cannot do it gets an explanation; a command that fails gets
    the car's reason. Nothing is raised: the speaker always hears an answer.
    """
    phrases = await Phrases.async_load(hass, language)
    found = async_find_car(hass, phrases, spoken_name)
    if isinstance(found, Answer):
        return found
    coordinator, name = found, car_name(hass, found)
    vehicle = coordinator.vehicle
    temperatures = vehicle.capabilities.climate_temperatures
    if not vehicle.capabilities.can_precondition or temperatures is None:
        return Answer(
            phrases.say("precondition_not_supported", vehicle=name),
            {"vehicle": name},
            failed=True,
        )
    target = coordinator.data.value(signals.CLIMATE_TARGET_TEMPERATURE)
    if temperature is not None:
        celsius = TemperatureConverter.convert(
            temperature, hass.config.units.temperature_unit, UnitOfTemperature.CELSIUS
        )
        target = temperatures.nearest(celsius)
    if target is None:
        target = temperatures.nearest((temperatures.minimum + temperatures.maximum) / 2)
    spoken_target, target_data = _temperature(hass, phrases, target)
    data = {"vehicle": name, "target_temperature": target_data}
    if coordinator.data.value(signals.CLIMATE_ACTIVE) and temperature is None:
        return Answer(
            phrases.say(
                "precondition_already", vehicle=name, temperature=spoken_target
            ),
            data,
        )
    task = coordinator.config_entry.async_create_background_task(
        hass,
        coordinator.async_send_command(Command(CommandKind.START_CLIMATE, target)),
        f"{DOMAIN} preconditioning {vehicle.name}",
    )
    done, _ = await asyncio.wait({task}, timeout=COMMAND_ANSWER_WAIT)
    if not done:
        task.add_done_callback(_log_late_outcome)
        return Answer(
            phrases.say("precondition_pending", vehicle=name),
            {**data, "confirmed": False},
        )
    try:
        task.result()
    except HomeAssistantError as err:
        return Answer(phrases.error(err), data, failed=True)
    return Answer(
        phrases.say("precondition_started", vehicle=name, temperature=spoken_target),
        {**data, "confirmed": True},
    )


def _log_late_outcome(task: asyncio.Task[Any]) -> None:
    """Log how a command ended that the speaker stopped waiting for."""
    if task.cancelled():
        return
    if (err := task.exception()) is not None:
        _LOGGER.warning("Preconditioning requested by voice failed: %s", err)
