"""Reading Tesla's raw answers: vehicle_data sections and stream ``data`` fields.

The library hands over raw dictionaries. Nothing here raises on bad input: each
value that is missing, of the wrong type or out of its vocabulary is skipped and
reported as a `Problem`, the rest applies. Units are Tesla's fixed ones (miles,
°C, bar, kW, hours), independent of the car's display settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
import math
from typing import Any, cast

from .. import signals
from ..models import (
    Capabilities,
    CommandKind,
    Position,
    Reading,
    Signal,
    TemperatureRange,
)
from .const import CLIMATE_STEP, DEFAULT_CLIMATE_RANGE, OnlineState

KM_PER_MILE = 1.609344
KPA_PER_BAR = 100.0
MINUTES_PER_HOUR = 60.0


class Problem(StrEnum):
    """Kinds of bad input, each counted by the backend and logged once."""

    NOT_JSON = "not_json"
    NOT_AN_OBJECT = "not_an_object"
    MISSING_RESPONSE = "missing_response"
    UNKNOWN_VIN = "unknown_vin"
    MISSING_CREATED_AT = "missing_created_at"
    BAD_TIMESTAMP = "bad_timestamp"
    BAD_SECTION = "bad_section"
    WRONG_TYPE = "wrong_type"
    UNKNOWN_VALUE = "unknown_value"
    OUT_OF_RANGE = "out_of_range"
    STALE = "stale"
    STREAM_INTERRUPTED = "stream_interrupted"


class ParseError(Exception):
    """A value could not be read; `problem` says why."""

    def __init__(self, problem: Problem) -> None:
        """Keep the kind of problem."""
        super().__init__(problem.value)
        self.problem = problem


@dataclass(slots=True)
class Parsed:
    """Readings found in one answer or event, and what was wrong with the rest."""

    readings: list[Reading[Any]] = field(default_factory=list)
    problems: list[tuple[Problem, str]] = field(default_factory=list)
    """Each problem with the field it concerns (a key name, never a value)."""

    def add[T](self, signal: Signal[T], value: T, timestamp: datetime) -> None:
        """Keep a reading."""
        self.readings.append(Reading(signal, value, timestamp))


# -- values ----------------------------------------------------------------------


def _number(raw: object) -> float:
    if isinstance(raw, bool):
        raise ParseError(Problem.WRONG_TYPE)
    if isinstance(raw, str):  # some cars stream numbers as strings
        try:
            raw = float(raw)
        except ValueError:
            raise ParseError(Problem.WRONG_TYPE) from None
    if not isinstance(raw, int | float):
        raise ParseError(Problem.WRONG_TYPE)
    try:
        value = float(raw)  # an int beyond a float's range overflows
    except OverflowError:
        raise ParseError(Problem.OUT_OF_RANGE) from None
    if not math.isfinite(value):
        raise ParseError(Problem.WRONG_TYPE)
    return value


def _flag(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in {"true", "false"}:
        return raw.lower() == "true"
    raise ParseError(Problem.WRONG_TYPE)


def _open(raw: object) -> bool:
    """Doors, windows and trunks: 0 = closed, anything else open (REST ints)."""
    if isinstance(raw, bool):
        return raw
    return _number(raw) != 0


def _text(raw: object) -> str:
    if not isinstance(raw, str):
        raise ParseError(Problem.WRONG_TYPE)
    return raw


def _enum(raw: object, prefix: str, values: Mapping[str, Any]) -> Any:
    """Return the mapped value of a (possibly prefixed) enum string."""
    name = _text(raw).removeprefix(prefix)
    if name not in values:
        raise ParseError(Problem.UNKNOWN_VALUE)
    return values[name]


def _epoch(raw: object, scale: float) -> datetime:
    try:
        seconds = _number(raw) / scale
        return datetime.fromtimestamp(seconds, UTC)
    except (ParseError, OverflowError, OSError, ValueError):
        raise ParseError(Problem.BAD_TIMESTAMP) from None


def parse_created_at(raw: object) -> datetime:
    """Return a stream ``createdAt`` (``…Z`` with ms or ns digits) as aware UTC."""
    if not isinstance(raw, str):
        raise ParseError(
            Problem.MISSING_CREATED_AT if raw is None else Problem.BAD_TIMESTAMP
        )
    main, dot, rest = raw.removesuffix("Z").partition(".")
    digits = rest[: len(rest) - len(rest.lstrip("0123456789"))]
    offset = rest[len(digits) :]  # "+02:00" or ""
    fraction = f".{digits[:6]}" if dot and digits else ""  # Python takes at most µs
    try:
        parsed = datetime.fromisoformat(f"{main}{fraction}{offset}")
    except ValueError:
        raise ParseError(Problem.BAD_TIMESTAMP) from None
    return (
        parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    )


CHARGING_STATES: Mapping[str, str] = {
    "Disconnected": "disconnected",
    "NoPower": "no_power",
    "Starting": "starting",
    "Charging": "charging",
    "Stopped": "stopped",
    "Complete": "complete",
}
"""REST ``charging_state`` and stream ``DetailedChargeState`` (without its prefix)."""

_CLIMATE_POWER: Mapping[str, bool] = {
    "On": True,
    "Precondition": True,
    "Off": False,
    "OverheatProtect": False,
}
_WINDOW_STATES: Mapping[str, bool] = {
    "Closed": False,
    "PartiallyOpen": True,
    "Opened": True,
}
_MOVING_GEARS = frozenset({"D", "R"})


# -- the car ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VehicleProfile:
    """What a car has, from its vehicle_config and the account's scopes."""

    right_hand_drive: bool = False
    sunroof: bool = False
    commands: bool = True
    location: bool = True
    climate_range: tuple[float, float] = DEFAULT_CLIMATE_RANGE

    def doors(self) -> tuple[Signal[bool], ...]:
        """Return driver front, passenger front, driver rear, passenger rear."""
        if self.right_hand_drive:
            return (
                signals.DOOR_FRONT_RIGHT_OPEN,
                signals.DOOR_FRONT_LEFT_OPEN,
                signals.DOOR_REAR_RIGHT_OPEN,
                signals.DOOR_REAR_LEFT_OPEN,
            )
        return signals.DOORS

    def windows(self) -> tuple[Signal[bool], ...]:
        """Return the windows in the same order as `doors`."""
        if self.right_hand_drive:
            return (
                signals.WINDOW_FRONT_RIGHT_OPEN,
                signals.WINDOW_FRONT_LEFT_OPEN,
                signals.WINDOW_REAR_RIGHT_OPEN,
                signals.WINDOW_REAR_LEFT_OPEN,
            )
        return signals.WINDOWS

    def capabilities(self) -> Capabilities:
        """Return the signals and commands of this car."""
        reported: list[Signal[Any]] = [
            signals.RANGE,
            signals.BATTERY_LEVEL,
            signals.CHARGING_POWER,
            signals.CHARGE_TIME_REMAINING,
            signals.CHARGING,
            signals.CHARGING_STATE,
            signals.PLUGGED_IN,
            signals.CHARGE_LIMIT,
            signals.ODOMETER,
            *signals.TYRE_PRESSURES,
            signals.OUTSIDE_TEMPERATURE,
            signals.CABIN_TEMPERATURE,
            signals.CLIMATE_ACTIVE,
            signals.CLIMATE_TARGET_TEMPERATURE,
            signals.LOCKED,
            *signals.DOORS,
            *signals.WINDOWS,
            signals.TRUNK_OPEN,
            signals.HOOD_OPEN,
            signals.MOVING,
            signals.SOFTWARE_VERSION,
            signals.ONLINE_STATE,
        ]
        if self.sunroof:
            reported.append(signals.SUNROOF_OPEN)
        if self.location:
            reported.append(signals.LOCATION)
        low, high = self.climate_range
        return Capabilities.of(
            reported,
            commands=tuple(CommandKind) if self.commands else (),
            climate_temperatures=TemperatureRange(low, high, CLIMATE_STEP),
        )


def profile_from_config(
    config: Mapping[str, Any] | None,
    *,
    commands: bool,
    location: bool,
    climate_range: tuple[float, float] = DEFAULT_CLIMATE_RANGE,
) -> VehicleProfile:
    """Build a profile from a vehicle_config (None: not reported yet)."""
    config = config or {}
    sunroof = config.get("sun_roof_installed")  # null, true or a generation number
    return VehicleProfile(
        right_hand_drive=config.get("rhd") is True,
        sunroof=sunroof is True
        or (type(sunroof) is int and sunroof > 0)
        or (isinstance(sunroof, str) and sunroof not in {"", "0", "None"}),
        commands=commands,
        location=location,
        climate_range=climate_range,
    )


def climate_range_of(climate: object) -> tuple[float, float] | None:
    """Return the (min, max) target a car's climate_state allows, if sane."""
    if not isinstance(climate, Mapping):
        return None
    try:
        low = _number(climate.get("min_avail_temp"))
        high = _number(climate.get("max_avail_temp"))
    except ParseError:
        return None
    return (low, high) if 0 <= low < high <= 50 else None  # noqa: PLR2004 - sane °C


# -- vehicle_data ----------------------------------------------------------------

type _Field = tuple[str, Signal[Any], Callable[[object], Any]]


def _miles(raw: object) -> float:
    return round(_number(raw) * KM_PER_MILE, 3)


def _bar(raw: object) -> float:
    return round(_number(raw) * KPA_PER_BAR, 3)


def _version(raw: object) -> str:
    version = _text(raw).strip().split(" ")[0]
    if not version:
        raise ParseError(Problem.UNKNOWN_VALUE)
    return version


_CHARGE_FIELDS: tuple[_Field, ...] = (
    ("battery_level", signals.BATTERY_LEVEL, _number),
    ("battery_range", signals.RANGE, _miles),
    ("charger_power", signals.CHARGING_POWER, _number),
    ("minutes_to_full_charge", signals.CHARGE_TIME_REMAINING, _number),
    ("charge_limit_soc", signals.CHARGE_LIMIT, _number),
)
_CLIMATE_FIELDS: tuple[_Field, ...] = (
    ("inside_temp", signals.CABIN_TEMPERATURE, _number),
    ("outside_temp", signals.OUTSIDE_TEMPERATURE, _number),
    ("is_climate_on", signals.CLIMATE_ACTIVE, _flag),
    ("driver_temp_setting", signals.CLIMATE_TARGET_TEMPERATURE, _number),
)
_VEHICLE_FIELDS: tuple[_Field, ...] = (
    ("odometer", signals.ODOMETER, _miles),
    ("locked", signals.LOCKED, _flag),
    ("ft", signals.HOOD_OPEN, _open),
    ("rt", signals.TRUNK_OPEN, _open),
    ("car_version", signals.SOFTWARE_VERSION, _version),
    ("tpms_pressure_fl", signals.TYRE_PRESSURE_FRONT_LEFT, _bar),
    ("tpms_pressure_fr", signals.TYRE_PRESSURE_FRONT_RIGHT, _bar),
    ("tpms_pressure_rl", signals.TYRE_PRESSURE_REAR_LEFT, _bar),
    ("tpms_pressure_rr", signals.TYRE_PRESSURE_REAR_RIGHT, _bar),
)
_DOOR_KEYS = ("df", "pf", "dr", "pr")
_WINDOW_KEYS = ("fd_window", "fp_window", "rd_window", "rp_window")


def _apply_fields(
    result: Parsed,
    section: Mapping[str, Any],
    fields: Iterable[_Field],
    timestamp: datetime,
) -> None:
    for key, signal, convert in fields:
        raw = section.get(key)
        if raw is None:
            continue  # not reported by this car or firmware
        try:
            result.add(signal, convert(raw), timestamp)
        except ParseError as bad:
            result.problems.append((bad.problem, key))


def _section_time(section: Mapping[str, Any], fallback: datetime) -> datetime:
    try:
        return _epoch(section.get("timestamp"), 1000)
    except ParseError:
        return fallback


def parse_vehicle_data(
    data: object, profile: VehicleProfile, fetched_at: datetime
) -> Parsed:
    """Parse a vehicle_data ``response`` object (REST, or the stream's vehicle_data).

    Each section's values carry its own ``timestamp`` (epoch ms); a section
    without one gets fetched_at.
    """
    result = Parsed()
    if not isinstance(data, Mapping):
        result.problems.append((Problem.NOT_AN_OBJECT, "vehicle_data"))
        return result
    state = data.get("state")
    if state is not None:
        try:
            value = _enum(state, "", {s.value: s.value for s in OnlineState})
            result.add(signals.ONLINE_STATE, value, fetched_at)
        except ParseError as bad:
            result.problems.append((bad.problem, "state"))
    sections = {
        name: data.get(name)
        for name in ("charge_state", "climate_state", "drive_state", "vehicle_state")
    }
    for name, section in sections.items():
        if section is not None and not isinstance(section, Mapping):
            result.problems.append((Problem.BAD_SECTION, name))
            sections[name] = None
    if (charge := sections["charge_state"]) is not None:
        _parse_charge(result, charge, _section_time(charge, fetched_at))
    if (climate := sections["climate_state"]) is not None:
        _apply_fields(
            result, climate, _CLIMATE_FIELDS, _section_time(climate, fetched_at)
        )
    if (drive := sections["drive_state"]) is not None:
        _parse_drive(result, drive, _section_time(drive, fetched_at), profile)
    if (vehicle := sections["vehicle_state"]) is not None:
        _parse_body(result, vehicle, _section_time(vehicle, fetched_at), profile)
    return result


def _parse_charge(result: Parsed, charge: Mapping[str, Any], at: datetime) -> None:
    _apply_fields(result, charge, _CHARGE_FIELDS, at)
    raw = charge.get("charging_state")
    if raw is None:
        return
    try:
        state = _enum(raw, "", CHARGING_STATES)
    except ParseError as bad:
        result.problems.append((bad.problem, "charging_state"))
        return
    _add_charging_state(result, state, at)


def _add_charging_state(result: Parsed, state: str, at: datetime) -> None:
    result.add(signals.CHARGING_STATE, state, at)
    result.add(signals.CHARGING, state in {"starting", "charging"}, at)
    result.add(signals.PLUGGED_IN, state != "disconnected", at)


def _parse_drive(
    result: Parsed, drive: Mapping[str, Any], at: datetime, profile: VehicleProfile
) -> None:
    gear = drive.get("shift_state")
    speed = drive.get("speed")
    try:
        moving = (isinstance(gear, str) and gear in _MOVING_GEARS) or (
            speed is not None and _number(speed) > 0
        )
        result.add(signals.MOVING, moving, at)
    except ParseError as bad:
        result.problems.append((bad.problem, "speed"))
    if not profile.location or drive.get("latitude") is None:
        return  # location_data not asked for (or not granted)
    try:
        heading = drive.get("heading")
        position = Position(
            _number(drive.get("latitude")),
            _number(drive.get("longitude")),
            None,
            None if heading is None else _number(heading) % 360,
        )
        fix_time = at
        if drive.get("gps_as_of") is not None:
            fix_time = _epoch(drive.get("gps_as_of"), 1)
        result.add(signals.LOCATION, position, fix_time)
    except ParseError as bad:
        result.problems.append((bad.problem, "location"))


def _parse_body(
    result: Parsed, vehicle: Mapping[str, Any], at: datetime, profile: VehicleProfile
) -> None:
    _apply_fields(result, vehicle, _VEHICLE_FIELDS, at)
    openings = (
        *zip(_DOOR_KEYS, profile.doors(), strict=True),
        *zip(_WINDOW_KEYS, profile.windows(), strict=True),
    )
    for key, signal in openings:
        _apply_fields(result, vehicle, ((key, signal, _open),), at)
    if not profile.sunroof:
        return
    percent = vehicle.get("vehicle_state_sun_roof_percent_open")
    state = vehicle.get("sun_roof_state")
    try:
        if percent is not None:
            result.add(signals.SUNROOF_OPEN, _number(percent) > 0, at)
        elif state is not None:
            result.add(signals.SUNROOF_OPEN, _text(state) in {"open", "vent"}, at)
    except ParseError as bad:
        result.problems.append((bad.problem, "sun_roof"))


# -- stream data ---------------------------------------------------------------------

_STREAM_FIELDS: Mapping[str, tuple[Signal[Any], Callable[[object], Any]]] = {
    "BatteryLevel": (signals.BATTERY_LEVEL, _number),
    "RatedRange": (signals.RANGE, _miles),
    "Odometer": (signals.ODOMETER, _miles),
    "InsideTemp": (signals.CABIN_TEMPERATURE, _number),
    "OutsideTemp": (signals.OUTSIDE_TEMPERATURE, _number),
    "HvacLeftTemperatureRequest": (signals.CLIMATE_TARGET_TEMPERATURE, _number),
    "ChargeLimitSoc": (signals.CHARGE_LIMIT, _number),
    "Locked": (signals.LOCKED, _flag),
    "Version": (signals.SOFTWARE_VERSION, _version),
    "TpmsPressureFl": (signals.TYRE_PRESSURE_FRONT_LEFT, _bar),
    "TpmsPressureFr": (signals.TYRE_PRESSURE_FRONT_RIGHT, _bar),
    "TpmsPressureRl": (signals.TYRE_PRESSURE_REAR_LEFT, _bar),
    "TpmsPressureRr": (signals.TYRE_PRESSURE_REAR_RIGHT, _bar),
    "HvacPower": (
        signals.CLIMATE_ACTIVE,
        lambda raw: _enum(raw, "HvacPowerState", _CLIMATE_POWER),
    ),
    "TimeToFullCharge": (
        signals.CHARGE_TIME_REMAINING,
        lambda raw: round(_number(raw) * MINUTES_PER_HOUR, 1),
    ),
    "Gear": (
        signals.MOVING,
        lambda raw: _text(raw).removeprefix("ShiftState") in _MOVING_GEARS,
    ),
}
_STREAM_WINDOWS = ("FdWindow", "FpWindow", "RdWindow", "RpWindow")
_STREAM_DOORS = ("DriverFront", "PassengerFront", "DriverRear", "PassengerRear")
_CHARGING_POWER_FIELDS = ("ACChargingPower", "DCChargingPower")


_LOCATION_FIELDS = ("GpsHeading", "Location")


def stream_field_names(*, location: bool) -> tuple[str, ...]:
    """Return every stream field `StreamParser` reads (position ones with location).

    A car streams only the fields its configuration names; position fields are
    asked for only where the owner granted location.
    """
    names = (
        *_STREAM_FIELDS,
        *_STREAM_WINDOWS,
        "DoorState",
        "DetailedChargeState",
        *_CHARGING_POWER_FIELDS,
    )
    return names + _LOCATION_FIELDS if location else names


@dataclass(slots=True)
class StreamParser:
    """Turns one car's stream ``data`` fields into readings.

    Remembers the last heading: ``GpsHeading`` and ``Location`` arrive as
    separate fields, often in separate events.
    """

    profile: VehicleProfile
    heading: float | None = None

    def parse(self, data: Mapping[str, Any], at: datetime) -> Parsed:
        """Parse the changed fields of one event; null means "not available"."""
        result = Parsed()
        # The heading first: it belongs to a Location in the same event.
        ordered = sorted(data.items(), key=lambda item: item[0] != "GpsHeading")
        for name, raw in ordered:
            if raw is None:
                continue
            try:
                self._field(result, name, raw, at)
            except ParseError as bad:
                result.problems.append((bad.problem, name))
        power = [data.get(name) for name in _CHARGING_POWER_FIELDS]
        if any(value is not None for value in power):
            try:
                kilowatts = max(_number(value) for value in power if value is not None)
                result.add(signals.CHARGING_POWER, kilowatts, at)
            except ParseError as bad:
                result.problems.append((bad.problem, "ChargingPower"))
        return result

    def _field(self, result: Parsed, name: str, raw: object, at: datetime) -> None:
        if (known := _STREAM_FIELDS.get(name)) is not None:
            signal, convert = known
            result.add(signal, convert(raw), at)
        elif name in _STREAM_WINDOWS:
            window = self.profile.windows()[_STREAM_WINDOWS.index(name)]
            result.add(window, _enum(raw, "WindowState", _WINDOW_STATES), at)
        elif name == "DoorState":
            self._doors(result, raw, at)
        elif name == "DetailedChargeState":
            state = _enum(raw, "DetailedChargeState", CHARGING_STATES)
            _add_charging_state(result, state, at)
        elif name == "GpsHeading":
            self.heading = _number(raw) % 360
        elif name == "Location" and self.profile.location:
            if not isinstance(raw, Mapping):
                raise ParseError(Problem.WRONG_TYPE)
            position = Position(
                _number(raw.get("latitude")),
                _number(raw.get("longitude")),
                None,
                self.heading,
            )
            result.add(signals.LOCATION, position, at)

    def _doors(self, result: Parsed, raw: object, at: datetime) -> None:
        if not isinstance(raw, Mapping):
            raise ParseError(Problem.WRONG_TYPE)
        for key, signal in (
            *zip(_STREAM_DOORS, self.profile.doors(), strict=True),
            ("TrunkFront", signals.HOOD_OPEN),
            ("TrunkRear", signals.TRUNK_OPEN),
        ):
            if (value := raw.get(key)) is not None:
                try:
                    result.add(signal, _flag(value), at)
                except ParseError as bad:
                    result.problems.append((bad.problem, f"DoorState.{key}"))


def parse_online_state(raw: object) -> OnlineState:
    """Return the state of a vehicle entry or stream ``state`` event."""
    reported = {s.value: s for s in OnlineState if s is not OnlineState.WAKING}
    return cast("OnlineState", _enum(raw, "", reported))
