"""Reading CarData's key/value entries (MQTT ``data`` or REST ``telematicData``).

Nothing here raises on bad input: every problem is returned, so the caller can
log each kind once and carry on with the good entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
import math
from typing import Any

from .. import signals
from ..models import Position, Powertrain, Reading, Signal
from ..privacy import redact
from .keys import (
    NOT_A_VALUE,
    RULES_BY_KEY,
    Choice,
    Coordinate,
    Flag,
    KeyRule,
    Number,
    ValueKind,
)

POSITION_PAIR_WINDOW = timedelta(seconds=60)
"""Latitude and longitude arrive as separate messages (seen ~21 s apart);
parts further apart than this are not combined into one position."""
UNKNOWN_KEYS_KEPT = 400
"""Per vehicle, unknown keys remembered for diagnostics (the catalogue has 295)."""
UNKNOWN_VALUE_CHARS = 120
MAX_KEY_CHARS = 200
"""Longer keys are not remembered (the catalogue's longest has ~90 characters)."""


class Problem(StrEnum):
    """Kinds of bad input, each logged once by the backend."""

    NOT_JSON = "not_json"
    NOT_AN_OBJECT = "not_an_object"
    TOO_LARGE = "too_large"
    WRONG_TOPIC = "wrong_topic"
    WRONG_VIN = "wrong_vin"
    MISSING_DATA = "missing_data"
    BAD_ENTRY = "bad_entry"
    WRONG_TYPE = "wrong_type"
    UNEXPECTED_UNIT = "unexpected_unit"
    UNKNOWN_VALUE = "unknown_value"
    BAD_TIMESTAMP = "bad_timestamp"
    NOT_UTF8 = "not_utf8"
    TOO_DEEP = "too_deep"


@dataclass(frozen=True, slots=True)
class VehicleProfile:
    """Facts of a car that decide how its keys are read."""

    powertrain: Powertrain
    right_hand_drive: bool = False


@dataclass(slots=True)
class ParsedData:
    """Readings found in one batch of entries, and what was wrong with the rest."""

    readings: list[Reading[Any]] = field(default_factory=list)
    problems: list[tuple[Problem, str]] = field(default_factory=list)
    """Each problem with the key (or detail) it concerns."""
    unknown: dict[str, object] = field(default_factory=dict)
    """Keys not in our table, with their raw value."""


class _Skip(Exception):  # noqa: N818 - control flow, not an error
    """The entry holds no value (null, INVALID, -NA-): nothing to report."""


class _Bad(Exception):  # noqa: N818 - carries a Problem
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def parse_timestamp(raw: object) -> datetime:
    """Return a CarData timestamp (``…Z``, ``….000Z``, ``+0000``) as aware UTC."""
    if not isinstance(raw, str):
        raise _Bad(Problem.BAD_TIMESTAMP)
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise _Bad(Problem.BAD_TIMESTAMP) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59-05:00 has no UTC form
        raise _Bad(Problem.BAD_TIMESTAMP) from None


def _entry_timestamp(entry: Mapping[str, Any], fallback: datetime | None) -> datetime:
    """Return the entry's own time, else the message's; REST entries need their own."""
    raw = entry.get("timestamp")
    if raw is None:
        if fallback is None:
            raise _Bad(Problem.BAD_TIMESTAMP)
        return fallback
    return parse_timestamp(raw)


def _number(raw: object) -> float:
    if isinstance(raw, bool):
        raise _Bad(Problem.WRONG_TYPE)
    if isinstance(raw, int | float):
        try:
            number = float(raw)
        except OverflowError:  # an int too large for a float
            raise _Bad(Problem.WRONG_TYPE) from None
    elif isinstance(raw, str):
        if raw.strip().upper() in NOT_A_VALUE:
            raise _Skip
        try:
            number = float(raw.strip())
        except ValueError:
            raise _Bad(Problem.WRONG_TYPE) from None
    else:
        raise _Bad(Problem.WRONG_TYPE)
    if not math.isfinite(number):
        raise _Bad(Problem.WRONG_TYPE)
    return number


def _token(raw: object) -> str:
    if not isinstance(raw, str):
        raise _Bad(Problem.WRONG_TYPE)
    token = raw.strip().upper()
    if token in NOT_A_VALUE:
        raise _Skip
    return token


def parse_value(kind: ValueKind, raw: object, unit: object) -> object:
    """Return the value in our unit/vocabulary; raise _Skip or _Bad."""
    if raw is None:
        raise _Skip
    match kind:
        case Number(units=units, default_unit=default):
            if unit is not None and not isinstance(unit, str):
                raise _Bad(Problem.UNEXPECTED_UNIT)
            factor = units.get((unit or default).strip().lower())
            if factor is None:
                raise _Bad(Problem.UNEXPECTED_UNIT)
            value = round(_number(raw) * factor, 3)
            if not math.isfinite(value):  # 1e308 miles are no kilometres
                raise _Bad(Problem.WRONG_TYPE)
            return value
        case Flag(true=true, false=false):
            if isinstance(raw, bool):
                return raw
            token = _token(raw)
            if token in true:
                return True
            if token in false:
                return False
            raise _Bad(Problem.UNKNOWN_VALUE)
        case Choice(values=values):
            token = _token(raw)
            if token not in values:
                raise _Bad(Problem.UNKNOWN_VALUE)
            return values[token]
        case Coordinate(part=part):
            number = _number(raw)
            # Headings come as -180..180 or 0..360: store them as 0 <= h < 360.
            return number % 360.0 if part == "heading" else number


@dataclass(slots=True)
class _PositionParts:
    """The latest latitude, longitude and heading, each with its time."""

    parts: dict[str, tuple[float, datetime]] = field(default_factory=dict)

    def update(self, part: str, value: float, timestamp: datetime) -> bool:
        held = self.parts.get(part)
        if held is not None and held[1] > timestamp:
            return False
        self.parts[part] = (value, timestamp)
        return True

    def reading(self) -> Reading[Position] | None:
        latitude = self.parts.get("latitude")
        longitude = self.parts.get("longitude")
        if latitude is None or longitude is None:
            return None
        if abs(latitude[1] - longitude[1]) > POSITION_PAIR_WINDOW:
            return None  # one part still belongs to an older fix
        timestamp = max(latitude[1], longitude[1])
        heading = self.parts.get("heading")
        direction = (
            heading[0]
            if heading is not None
            and abs(heading[1] - timestamp) <= POSITION_PAIR_WINDOW
            else None
        )
        return Reading(
            signals.LOCATION,
            Position(latitude[0], longitude[0], None, direction),
            timestamp,
        )


class CarDataParser:
    """Turns one vehicle's CarData entries into readings of our signals."""

    def __init__(self, profile: VehicleProfile) -> None:
        """Read keys as they apply to this car (powertrain, driving side)."""
        self.profile = profile
        self._position = _PositionParts()
        self.unknown_keys: dict[str, str] = {}
        """Unknown keys seen so far with a short form of their last value."""

    def signal_for(self, rule: KeyRule) -> Signal[Any] | None:
        """Return the signal a rule feeds on this car, or None if it does not apply."""
        if (
            rule.powertrains is not None
            and self.profile.powertrain not in rule.powertrains
        ):
            return None
        if self.profile.right_hand_drive and rule.right_hand_drive is not None:
            return rule.right_hand_drive
        return rule.signal

    def parse(
        self, data: Mapping[str, object], fallback_timestamp: datetime | None = None
    ) -> ParsedData:
        """Parse entries ``{key: {value, unit, timestamp}}``; never raises.

        fallback_timestamp (the MQTT envelope's) is used for entries without
        their own; REST entries without one are skipped.
        """
        result = ParsedData()
        position_changed = False
        for key, entry in data.items():
            try:
                position_changed |= self._parse_entry(
                    key, entry, fallback_timestamp, result
                )
            except Exception:  # noqa: BLE001 - one odd entry must not cost the rest
                result.problems.append((Problem.BAD_ENTRY, _short_key(key)))
        if position_changed and (position := self._position.reading()) is not None:
            result.readings.append(position)
        return result

    def _parse_entry(  # noqa: PLR0911 - one return per way an entry ends
        self,
        key: object,
        entry: object,
        fallback_timestamp: datetime | None,
        result: ParsedData,
    ) -> bool:
        """Add one entry's reading or problem to result.

        Return whether a part of the position changed.
        """
        rule = RULES_BY_KEY.get(key) if isinstance(key, str) else None
        if rule is None:
            if isinstance(key, str) and len(key) <= MAX_KEY_CHARS:
                result.unknown[key] = entry
                self._remember_unknown(key, entry)
            return False
        signal = self.signal_for(rule)
        if signal is None:
            return False
        if not isinstance(entry, Mapping):
            result.problems.append((Problem.BAD_ENTRY, rule.key))
            return False
        try:
            value = parse_value(rule.kind, entry.get("value"), entry.get("unit"))
            timestamp = _entry_timestamp(entry, fallback_timestamp)
        except _Skip:
            return False
        except _Bad as bad:
            result.problems.append((bad.problem, rule.key))
            return False
        if isinstance(rule.kind, Coordinate):
            assert isinstance(value, float)  # noqa: S101 - Coordinate parses numbers
            return self._position.update(rule.kind.part, value, timestamp)
        result.readings.append(Reading(signal, value, timestamp))
        return False

    def _remember_unknown(self, key: str, entry: object) -> None:
        if key not in self.unknown_keys and len(self.unknown_keys) >= UNKNOWN_KEYS_KEPT:
            return
        value = entry.get("value") if isinstance(entry, Mapping) else entry
        self.unknown_keys[key] = repr(value)[:UNKNOWN_VALUE_CHARS]


def _short_key(key: object) -> str:
    """Return a key fit for a log line (keys are ours to name, values are not)."""
    return redact(key, limit=MAX_KEY_CHARS) if isinstance(key, str) else "?"


def applicable_signals(
    profile: VehicleProfile, *, has_sunroof: bool = True, doors: int = 4
) -> frozenset[Signal[Any]]:
    """Return the signals our table can give a car: its capabilities.

    Entities are created from these at setup, before the car ever sent one
    (many keys only arrive after a drive).
    """
    parser = CarDataParser(profile)
    found = {
        signal
        for rule in RULES_BY_KEY.values()
        if (signal := parser.signal_for(rule)) is not None
    }
    if not has_sunroof:
        found.discard(signals.SUNROOF_OPEN)
    if doors <= 3:  # noqa: PLR2004 - a three-door car has no rear doors
        found -= {
            signals.DOOR_REAR_LEFT_OPEN,
            signals.DOOR_REAR_RIGHT_OPEN,
            signals.WINDOW_REAR_LEFT_OPEN,
            signals.WINDOW_REAR_RIGHT_OPEN,
        }
    return frozenset(found)
