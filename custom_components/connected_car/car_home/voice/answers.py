"""Spoken answers about the cars, from their live state, in the asker's language.

Voice sentences (sentences.py) and LLM tools (intents.py) both answer through
this module: the same live state, the same car lookup by name, the user's unit
system, and the same freshness rule (a car that has not reported for a while
is answered "as of 3 hours ago").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
import math
from typing import Any

from homeassistant.components.zone import async_active_zone
from homeassistant.const import (
    UnitOfLength,
    UnitOfPressure,
    UnitOfTemperature,
    UnitOfVolume,
)
from homeassistant.core import HomeAssistant
from homeassistant.util import location as location_util
from homeassistant.util.unit_conversion import PressureConverter

from ...coordinator import VehicleCoordinator
from ...vehicle import Signal, VehicleState, signals
from ..common import is_at_home
from .cars import async_find_cars, car_name
from .grammar import VoiceIntent
from .phrases import Answer, Phrases

DIRECTIONS = ("n", "ne", "e", "se", "s", "sw", "w", "nw")
"""Compass points, clockwise from north (translation keys direction_<point>)."""

STALE_AFTER = timedelta(minutes=15)
"""A car silent for longer is answered with the age of its data. Cars report
changes as they happen while awake; a parked car falls asleep and goes quiet."""

TYRE_SPREAD_KPA = 30.0
"""A tire this much below the fullest one is pointed out."""

_TYRE_POSITIONS = ("front_left", "front_right", "rear_left", "rear_right")


Topic = VoiceIntent
"""A status question's topic: one of the question intents (grammar.TOPICS)."""


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

    def now(self) -> datetime:
        """Return the time of the car's API (its clock may run faster than ours)."""
        return self.coordinator.live.backend.clock.now()

    def say(self, key: str, **placeholders: object) -> str:
        return self.phrases.say(key, vehicle=self.name, **placeholders)


# ---------------------------------------------------------------------------
# Values in the user's units
# ---------------------------------------------------------------------------


def distance(
    hass: HomeAssistant, phrases: Phrases, km: float, *, grouping: bool = False
) -> tuple[str, dict[str, Any]]:
    """Return a distance in the user's unit system: spoken, and as data."""
    units = hass.config.units
    value = units.length(km, UnitOfLength.KILOMETERS)
    unit = units.length_unit
    decimals = 1 if value < 10 else 0  # noqa: PLR2004 - "3.5 km", "120 km"
    spoken_value = phrases.number(value, decimals, grouping=grouping)
    key = "distance_mi" if unit == UnitOfLength.MILES else "distance_km"
    return (
        phrases.say(key, value=spoken_value),
        {"value": round(value, decimals), "unit": unit},
    )


def temperature(
    hass: HomeAssistant, phrases: Phrases, celsius: float
) -> tuple[str, dict[str, Any]]:
    """Return a temperature in the user's unit system: spoken, and as data."""
    units = hass.config.units
    value = units.temperature(celsius, UnitOfTemperature.CELSIUS)
    # Cars step in half degrees Celsius; Fahrenheit is said in whole degrees.
    decimals = 0 if units.temperature_unit == UnitOfTemperature.FAHRENHEIT else 1
    spoken = phrases.say("temperature", value=phrases.number(value, decimals))
    return spoken, {"value": round(value, 1), "unit": units.temperature_unit}


def _pressure(context: _Context, kpa: float) -> tuple[str, dict[str, Any]]:
    """Return a tire pressure: psi in US units, bar otherwise (as the sensors)."""
    if context.hass.config.units.pressure_unit == UnitOfPressure.PSI:
        unit, key, decimals = UnitOfPressure.PSI, "pressure_psi", 0
    else:
        unit, key, decimals = UnitOfPressure.BAR, "pressure_bar", 1
    value = PressureConverter.convert(kpa, UnitOfPressure.KPA, unit)
    return (
        context.phrases.say(key, value=context.phrases.number(value, decimals)),
        {"value": round(value, decimals + 1), "unit": unit},
    )


# ---------------------------------------------------------------------------
# Energy
# ---------------------------------------------------------------------------


def _range_answer(context: _Context) -> Answer:
    km = context.state.value(signals.RANGE)
    if km is None:
        return Answer(context.say("range_unknown"))
    spoken, data = distance(context.hass, context.phrases, km)
    return Answer(context.say("range", distance=spoken), {"range": data})


def _energy_answer(context: _Context, asked: Signal[float]) -> Answer:
    """Answer about the fuel or the charge, whichever was asked.

    A car without it says so and answers for the other one; a car without a
    drive battery asked about its battery answers for its 12 V battery (the
    battery its owner means); a car reporting neither gets "I don't know".
    """
    if context.has(asked):
        return _ENERGY[asked][0](context)
    if asked is signals.BATTERY_LEVEL and context.has(
        signals.LOW_VOLTAGE_BATTERY_LEVEL
    ):
        return _battery_12v_answer(context)
    other = next((s for s in _ENERGY if s is not asked and context.has(s)), None)
    if other is None:
        return Answer(context.say("energy_not_reported"))
    answer = _ENERGY[other][0](context)
    return Answer(
        context.phrases.sentences(context.say(_ENERGY[asked][1]), answer.speech),
        answer.data,
    )


def _fuel_answer(context: _Context) -> Answer:
    phrases = context.phrases
    level = context.state.value(signals.FUEL_LEVEL)
    if level is None:
        return Answer(context.say("fuel_unknown"))
    data: dict[str, Any] = {"fuel_level": {"value": round(level), "unit": "%"}}
    liters = context.state.value(signals.FUEL_AMOUNT)
    if liters is None:
        return Answer(context.say("fuel", level=phrases.number(level)), data)
    units = context.hass.config.units
    amount = units.volume(liters, UnitOfVolume.LITERS)
    key = "volume_gal" if units.volume_unit == UnitOfVolume.GALLONS else "volume_l"
    data["fuel_amount"] = {"value": round(amount, 1), "unit": units.volume_unit}
    speech = context.say(
        "fuel_amount",
        level=phrases.number(level),
        amount=phrases.say(key, value=phrases.number(amount)),
    )
    return Answer(speech, data)


def _charge_answer(context: _Context) -> Answer:
    phrases = context.phrases
    level = context.state.value(signals.BATTERY_LEVEL)
    if level is None:
        return Answer(context.say("charge_unknown"))
    charging = bool(context.state.value(signals.CHARGING))
    key = "charge_charging" if charging else "charge"
    return Answer(
        context.say(key, level=phrases.number(level)),
        {"battery_level": {"value": round(level), "unit": "%"}, "charging": charging},
    )


def _charging_answer(context: _Context) -> Answer:
    phrases, state = context.phrases, context.state
    if not context.has(signals.CHARGING) and not context.has(signals.PLUGGED_IN):
        # Says "runs on fuel only" for such cars.
        return _energy_answer(context, signals.BATTERY_LEVEL)
    charging = state.value(signals.CHARGING)
    plugged_in = state.value(signals.PLUGGED_IN)
    if charging is None and plugged_in is None:
        return Answer(context.say("charging_unknown"))
    data: dict[str, Any] = {"charging": charging, "plugged_in": plugged_in}
    power = state.value(signals.CHARGING_POWER)
    if charging:
        if power:
            first = context.say("charging_power", power=phrases.number(power, 1))
            data["charging_power"] = {"value": power, "unit": "kW"}
        else:
            first = context.say("charging")
    elif plugged_in:
        first = context.say("charging_plugged_in")
    else:
        first = context.say("charging_unplugged")
    level = state.value(signals.BATTERY_LEVEL)
    if level is None:
        return Answer(first, data)
    data["battery_level"] = {"value": round(level), "unit": "%"}
    minutes = state.value(signals.CHARGE_TIME_REMAINING)
    if charging and minutes:
        data["time_to_full"] = {"value": round(minutes), "unit": "min"}
        second = phrases.say(
            "battery_level_until",
            level=phrases.number(level),
            duration=phrases.duration(minutes),
        )
    else:
        second = phrases.say("battery_level", level=phrases.number(level))
    return Answer(phrases.sentences(first, second), data)


def _mileage_answer(context: _Context) -> Answer:
    km = context.state.value(signals.ODOMETER)
    if km is None:
        return Answer(context.say("mileage_unknown"))
    spoken, data = distance(context.hass, context.phrases, km, grouping=True)
    return Answer(context.say("mileage", distance=spoken), {"odometer": data})


def _tyres_answer(context: _Context) -> Answer:
    phrases = context.phrases
    known = {
        position: kpa
        for position, signal in zip(
            _TYRE_POSITIONS, signals.TYRE_PRESSURES, strict=True
        )
        if (kpa := context.state.value(signal)) is not None
    }
    if not known:
        return Answer(context.say("tyres_unknown"))
    spoken = {position: _pressure(context, kpa) for position, kpa in known.items()}
    data = {"tire_pressure": {position: value[1] for position, value in spoken.items()}}
    values = {value[0] for value in spoken.values()}
    if len(known) == len(_TYRE_POSITIONS) and len(values) == 1:
        speech = context.say("tyres_all", pressure=values.pop())
    else:
        items = [
            phrases.say(
                "tyre_item",
                position=phrases.say(f"tyre_{position}"),
                pressure=value[0],
            )
            for position, value in spoken.items()
        ]
        speech = context.say("tyres_each", items=phrases.join(items))
    lowest = min(known, key=known.__getitem__)
    if max(known.values()) - known[lowest] >= TYRE_SPREAD_KPA:
        speech = phrases.sentences(
            speech, phrases.say("tyre_low", position=phrases.say(f"tyre_{lowest}"))
        )
    return Answer(speech, data)


def _battery_12v_answer(context: _Context) -> Answer:
    phrases, state = context.phrases, context.state
    level = state.value(signals.LOW_VOLTAGE_BATTERY_LEVEL)
    volts = state.value(signals.LOW_VOLTAGE_BATTERY_VOLTAGE)
    data: dict[str, Any] = {}
    if volts is not None:
        data["12v_battery_voltage"] = {"value": volts, "unit": "V"}
    if level is not None:
        data["12v_battery_level"] = {"value": round(level), "unit": "%"}
        return Answer(context.say("lv_battery", level=phrases.number(level)), data)
    if volts is not None:
        return Answer(
            context.say("lv_battery_voltage", voltage=phrases.number(volts, 1)), data
        )
    return Answer(context.say("lv_battery_unknown"))


# ---------------------------------------------------------------------------
# Temperatures and climate
# ---------------------------------------------------------------------------


def _climate_on(context: _Context) -> str | None:
    """Return "the heater is on, set to 21 degrees" while it runs, else None."""
    if not context.state.value(signals.CLIMATE_ACTIVE):
        return None
    target = context.state.value(signals.CLIMATE_TARGET_TEMPERATURE)
    if target is None:
        return context.say("climate_on")
    spoken, _ = temperature(context.hass, context.phrases, target)
    return context.say("climate_on_target", temperature=spoken)


def _cabin_answer(context: _Context) -> Answer:
    celsius = context.state.value(signals.CABIN_TEMPERATURE)
    if celsius is None:
        return Answer(context.say("cabin_temperature_unknown"))
    spoken, data = temperature(context.hass, context.phrases, celsius)
    speech = context.say("cabin_temperature", temperature=spoken)
    return Answer(
        context.phrases.sentences(speech, _climate_on(context) or ""),
        {"cabin_temperature": data},
    )


def _outside_answer(context: _Context) -> Answer:
    celsius = context.state.value(signals.OUTSIDE_TEMPERATURE)
    if celsius is None:
        return Answer(context.say("outside_temperature_unknown"))
    spoken, data = temperature(context.hass, context.phrases, celsius)
    return Answer(
        context.say("outside_temperature", temperature=spoken),
        {"outside_temperature": data},
    )


def _climate_answer(context: _Context) -> Answer:
    phrases, state = context.phrases, context.state
    active = state.value(signals.CLIMATE_ACTIVE)
    data: dict[str, Any] = {}
    if active is not None:
        data["climate_on"] = active
        first = _climate_on(context) or context.say("climate_off")
    elif (mode := state.value(signals.PRECONDITIONING_STATE)) is not None:
        data["preconditioning"] = mode
        first = context.say(
            "climate_state",
            state=phrases.entity_state("sensor", "preconditioning_state", mode),
        )
    else:
        return Answer(context.say("climate_unknown"))
    cabin = state.value(signals.CABIN_TEMPERATURE)
    if cabin is None:
        return Answer(first, data)
    spoken, data["cabin_temperature"] = temperature(context.hass, phrases, cabin)
    return Answer(
        phrases.sentences(first, phrases.say("cabin_now", temperature=spoken)), data
    )


# ---------------------------------------------------------------------------
# Lock, doors, windows and lids
# ---------------------------------------------------------------------------


def _lock_sentence(context: _Context) -> str | None:
    locked = context.state.value(signals.LOCKED)
    if locked is None:
        return None
    return context.say("lock_locked" if locked else "lock_unlocked")


def _lock_answer(context: _Context) -> Answer:
    sentence = _lock_sentence(context)
    if sentence is None:
        return Answer(context.say("lock_unknown"))
    return Answer(sentence, {"locked": context.state.value(signals.LOCKED)})


def _opening_names(context: _Context, keys: list[str]) -> str:
    return context.phrases.join(
        [context.phrases.entity_name("binary_sensor", key) for key in keys]
    )


def _openings_answer(context: _Context) -> Answer:
    phrases = context.phrases
    if signals.anything_open(context.state) is None:
        return Answer(context.say("openings_unknown"))
    open_keys = signals.open_openings(context.state)
    locked = context.state.value(signals.LOCKED)
    data: dict[str, Any] = {"open": open_keys, "locked": locked}
    if open_keys:
        speech = context.say("openings_open", items=_opening_names(context, open_keys))
        return Answer(phrases.sentences(speech, _lock_sentence(context) or ""), data)
    key = {
        True: "openings_closed_locked",
        False: "openings_closed_unlocked",
        None: "openings_closed",
    }[locked]
    return Answer(context.say(key), data)


def _group_answer(
    openings: tuple[Signal[bool], ...], closed_key: str, open_key: str
) -> Callable[[_Context], Answer]:
    """Answer about some of the openings: all doors, all windows, the trunk ..."""

    def answer(context: _Context) -> Answer:
        known = {
            signal.key: value
            for signal in openings
            if (value := context.state.value(signal)) is not None
        }
        if not known:
            return Answer(context.say("openings_unknown"))
        open_keys = [key for key, is_open in known.items() if is_open]
        data = {"open": open_keys, "closed": [k for k in known if k not in open_keys]}
        if not open_keys:
            return Answer(context.say(closed_key), data)
        if len(openings) == 1:
            return Answer(context.say(open_key), data)
        return Answer(
            context.say(open_key, items=_opening_names(context, open_keys)), data
        )

    return answer


# ---------------------------------------------------------------------------
# Where the car is, and how fresh the data is
# ---------------------------------------------------------------------------


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
    hass = context.hass
    position = context.state.value(signals.LOCATION)
    if position is None:
        return Answer(context.say("location_unknown"))
    zone = async_active_zone(
        hass, position.latitude, position.longitude, position.accuracy or 0
    )
    if zone is not None and zone.entity_id != "zone.home":
        return Answer(
            context.say("location_zone", zone=zone.name),
            {"location": {"zone": zone.name}, "at_home": False},
        )
    if zone is not None or is_at_home(hass, position.latitude, position.longitude):
        return Answer(
            context.say("location_home"),
            {"location": {"zone": "home"}, "at_home": True},
        )
    home = (hass.config.latitude, hass.config.longitude)
    meters = location_util.distance(
        home[0], home[1], position.latitude, position.longitude
    )
    assert meters is not None  # noqa: S101 - home and position are both known
    spoken, data = distance(hass, context.phrases, meters / 1000)
    point = _compass_point(_bearing(home, (position.latitude, position.longitude)))
    key = "location_driving" if context.state.value(signals.MOVING) else "location_away"
    speech = context.say(
        key, distance=spoken, direction=context.phrases.say(f"direction_{point}")
    )
    return Answer(
        speech,
        {
            "location": {"distance_from_home": data, "direction": point},
            "at_home": False,
        },
    )


def _at_home_answer(context: _Context) -> Answer:
    where = _location_answer(context)
    at_home = where.data.get("at_home")
    if at_home is None:
        return where
    if at_home:
        return Answer(context.say("at_home_yes"), where.data)
    return Answer(
        context.phrases.sentences(context.say("at_home_no"), where.speech), where.data
    )


def _freshness_answer(context: _Context) -> Answer:
    updated = context.state.last_updated
    if updated is None:
        return Answer(context.say("freshness_unknown"))
    age = max(context.now() - updated, timedelta(0))
    return Answer(
        context.say("freshness", age=context.phrases.ago(age)),
        {
            "last_update": updated.isoformat(),
            "age_minutes": round(age.total_seconds() / 60),
        },
    )


# ---------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------

_ENERGY: dict[Signal[float], tuple[Callable[[_Context], Answer], str]] = {
    signals.FUEL_LEVEL: (_fuel_answer, "no_fuel_tank"),
    signals.BATTERY_LEVEL: (_charge_answer, "no_battery"),
}
"""Each energy signal's answer, and what a car without it is said to lack."""

_TOPICS: dict[Topic, Callable[[_Context], Answer]] = {
    Topic.RANGE: _range_answer,
    Topic.FUEL: partial(_energy_answer, asked=signals.FUEL_LEVEL),
    Topic.CHARGE: partial(_energy_answer, asked=signals.BATTERY_LEVEL),
    Topic.CHARGING: _charging_answer,
    Topic.MILEAGE: _mileage_answer,
    Topic.TIRE_PRESSURE: _tyres_answer,
    Topic.BATTERY_12V: _battery_12v_answer,
    Topic.CABIN_TEMPERATURE: _cabin_answer,
    Topic.OUTSIDE_TEMPERATURE: _outside_answer,
    Topic.CLIMATE: _climate_answer,
    Topic.LOCK: _lock_answer,
    Topic.OPENINGS: _openings_answer,
    Topic.DOORS: _group_answer(signals.DOORS, "doors_closed", "openings_open"),
    Topic.WINDOWS: _group_answer(signals.WINDOWS, "windows_closed", "openings_open"),
    Topic.TRUNK: _group_answer((signals.TRUNK_OPEN,), "trunk_closed", "trunk_open"),
    Topic.HOOD: _group_answer((signals.HOOD_OPEN,), "hood_closed", "hood_open"),
    Topic.SUNROOF: _group_answer(
        (signals.SUNROOF_OPEN,), "sunroof_closed", "sunroof_open"
    ),
    Topic.LOCATION: _location_answer,
    Topic.AT_HOME: _at_home_answer,
    Topic.FRESHNESS: _freshness_answer,
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
    elif context.has(signals.LOCKED):
        answers.append(_lock_answer(context))
    if context.has(signals.LOCATION):
        answers.append(_location_answer(context))
    if climate := _climate_on(context):
        answers.append(Answer(climate, {"climate_on": True}))
    data: dict[str, Any] = {}
    for answer in answers:
        data.update(answer.data)
    return Answer(context.phrases.sentences(*(a.speech for a in answers)), data)


def _with_age(context: _Context, answer: Answer) -> Answer:
    """Say how old the data is when the car has been quiet for a while."""
    updated = context.state.last_updated
    if updated is None:
        return answer
    age = context.now() - updated
    if age <= STALE_AFTER:
        return answer
    # Translations may not start with a space (hassfest), so it is added here.
    suffix = context.phrases.space + context.phrases.say(
        "as_of", age=context.phrases.ago(age)
    )
    speech = answer.speech
    end = speech[-1:] if speech[-1:] in (".", "。", "?", "？") else ""  # noqa: RUF001
    answer.speech = f"{speech.removesuffix(end)}{suffix}{end}"
    answer.data["data_age_minutes"] = round(age.total_seconds() / 60)
    return answer


def car_status(
    hass: HomeAssistant, phrases: Phrases, coordinator: VehicleCoordinator, topic: Topic
) -> Answer:
    """Answer a question about one car from its live state."""
    context = _Context(hass, phrases, coordinator, car_name(hass, coordinator))
    answer = _full_status(context) if topic is Topic.ALL else _TOPICS[topic](context)
    if topic is not Topic.FRESHNESS:
        answer = _with_age(context, answer)
    answer.data = {"vehicle": context.name, **answer.data}
    return answer


async def async_status_answer(
    hass: HomeAssistant, language: str | None, spoken_name: str | None, topic: Topic
) -> Answer:
    """Answer a question about the car it names, or about each car."""
    phrases = await Phrases.async_load(hass, language)
    found = async_find_cars(hass, phrases, spoken_name)
    if isinstance(found, Answer):
        return found
    answers = [car_status(hass, phrases, car, topic) for car in found]
    if len(answers) == 1:
        return answers[0]
    return Answer(
        phrases.sentences(*(answer.speech for answer in answers)),
        {"cars": [answer.data for answer in answers]},
    )
