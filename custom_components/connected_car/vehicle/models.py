"""Typed models of a vehicle, its signals and its commands.

Everything here is immutable: a new `VehicleState` is made for every change, so a
snapshot handed to Home Assistant never changes underneath it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
import math
from types import MappingProxyType
from typing import Any, cast


class Unit(StrEnum):
    """Canonical units of signal values (the strings Home Assistant uses too)."""

    KILOMETERS = "km"
    LITERS = "L"
    PERCENT = "%"
    KILOPASCAL = "kPa"
    VOLT = "V"
    CELSIUS = "°C"
    KILOWATT = "kW"
    MINUTES = "min"
    METERS = "m"


MAX_LATITUDE = 90.0
MAX_LONGITUDE = 180.0
FULL_CIRCLE = 360.0
MAX_TEXT_LENGTH = 255
"""Longest text value a signal may hold (Home Assistant's limit for a state)."""
MAX_CLOCK_SKEW = timedelta(minutes=10)
"""How far a reading's timestamp may lie ahead of our clock (car clocks drift a
little; a reading from further ahead would freeze its signal, since the newest
timestamp wins)."""
EARLIEST_TIMESTAMP = datetime(2000, 1, 1, tzinfo=UTC)
"""Readings stamped before this come from an unset car clock, not from a car."""


@dataclass(frozen=True, slots=True)
class Position:
    """A GPS fix of the car."""

    latitude: float
    longitude: float
    accuracy: float | None = None
    """Radius in meters the car is within, when the API says."""
    heading: float | None = None
    """Degrees clockwise from north."""

    def is_valid(self) -> bool:
        """Return whether the coordinates are numbers on Earth."""
        return (
            _is_number(self.latitude)
            and _is_number(self.longitude)
            and abs(self.latitude) <= MAX_LATITUDE
            and abs(self.longitude) <= MAX_LONGITUDE
            and (
                self.accuracy is None
                or (_is_number(self.accuracy) and self.accuracy >= 0)
            )
            and (
                self.heading is None
                or (_is_number(self.heading) and 0 <= self.heading <= FULL_CIRCLE)
            )
        )


def _is_number(value: object) -> bool:
    """Return whether value is a finite int or float (bool is not a number here).

    An int too large for a float is not a number either: nothing downstream
    (unit conversion, Home Assistant's state) could hold it.
    """
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


@dataclass(frozen=True, slots=True)
class Signal[T]:
    """One kind of value a car reports, in a canonical unit."""

    key: str
    value_type: type[T]
    unit: Unit | None = None
    valid_range: tuple[float, float] | None = None
    choices: tuple[str, ...] | None = None
    """The only values a text signal may take (None: any short text)."""

    def accepts(self, value: object) -> bool:  # noqa: PLR0911 - one per type
        """Return whether value is a well-formed value of this signal."""
        if self.value_type is float:
            if type(value) is float:  # the usual case, spared the general checks
                if not math.isfinite(value):
                    return False
            elif not _is_number(value):
                return False
            low, high = self.valid_range or (-math.inf, math.inf)
            return low <= cast("float", value) <= high
        if self.value_type is Position:
            return isinstance(value, Position) and value.is_valid()
        if self.value_type is str:
            if type(value) is not str:
                return False
            if self.choices is not None:
                return value in self.choices
            return len(value) <= MAX_TEXT_LENGTH
        return type(value) is self.value_type


@dataclass(frozen=True, slots=True)
class Reading[T]:
    """A value of one signal with the time the car measured it (the car's clock)."""

    signal: Signal[T]
    value: T
    timestamp: datetime


class RejectReason(StrEnum):
    """Why a reading from a backend was not applied."""

    MALFORMED = "malformed"
    """Not a value this signal can hold (type, range, vocabulary, size)."""
    STALE = "stale"
    """Older than the reading held (streams repeat and reorder)."""
    NAIVE_TIMESTAMP = "naive_timestamp"
    """A timestamp without a time zone: it cannot be ordered."""
    BAD_TIMESTAMP = "bad_timestamp"
    """Not a time, or one that cannot be expressed in UTC."""
    FUTURE_TIMESTAMP = "future_timestamp"
    """Stamped more than `MAX_CLOCK_SKEW` ahead of our clock."""
    ANCIENT_TIMESTAMP = "ancient_timestamp"
    """Stamped before `EARLIEST_TIMESTAMP` (an unset car clock)."""


@dataclass(frozen=True, slots=True)
class RejectedReading:
    """A reading left out of a merge, with the reason."""

    reading: Reading[Any]
    reason: RejectReason


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What merging readings into a state produced."""

    state: VehicleState
    changed: tuple[Reading[Any], ...]
    rejected: tuple[RejectedReading, ...]


_NOT_KNOWN = object()


@dataclass(frozen=True, slots=True)
class VehicleState:
    """The latest known reading of every signal of one vehicle."""

    readings: Mapping[str, Reading[Any]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    _last_updated: object = field(
        default=_NOT_KNOWN, init=False, repr=False, compare=False
    )
    """`last_updated`, once known: asked on every update, it is not recounted."""

    def get[T](self, signal: Signal[T]) -> Reading[T] | None:
        """Return the latest reading of signal, if the car ever sent one."""
        return cast("Reading[T] | None", self.readings.get(signal.key))

    def value[T](self, signal: Signal[T]) -> T | None:
        """Return the latest value of signal, or None when unknown."""
        reading = self.readings.get(signal.key)
        return None if reading is None else cast("T", reading.value)

    @property
    def last_updated(self) -> datetime | None:
        """Return the car's time of its most recent reading."""
        latest = self._last_updated
        if latest is _NOT_KNOWN:
            latest = max((r.timestamp for r in self.readings.values()), default=None)
            object.__setattr__(self, "_last_updated", latest)
        return cast("datetime | None", latest)

    def merge(
        self, readings: Iterable[Reading[Any]], now: datetime | None = None
    ) -> MergeResult:
        """Return a new state with the readings applied; never raises.

        Malformed readings, readings older than the one held (streams deliver
        out of order and repeat themselves) and, given the current time `now`,
        readings stamped more than `MAX_CLOCK_SKEW` ahead of it are rejected
        with their reason; equal ones are no-ops. Applied timestamps are in UTC.
        """
        held_readings = self.readings
        # dict() of a proxy goes key by key; the copy() of the dict behind it
        # is copied at once (this runs on every pushed update).
        merged = dict(
            held_readings.copy()
            if type(held_readings) is MappingProxyType
            else held_readings
        )
        changed: list[Reading[Any]] = []
        rejected: list[RejectedReading] = []
        latest = None if now is None else now + MAX_CLOCK_SKEW
        for reading in readings:
            checked = _checked(reading, latest)
            if isinstance(checked, RejectReason):
                rejected.append(RejectedReading(reading, checked))
                continue
            held = merged.get(checked.signal.key)
            if held is not None:
                if checked.timestamp < held.timestamp:
                    rejected.append(RejectedReading(reading, RejectReason.STALE))
                    continue
                if checked == held:
                    continue
            merged[checked.signal.key] = checked
            changed.append(checked)
        if not changed:
            return MergeResult(self, (), tuple(rejected))
        state = VehicleState(MappingProxyType(merged))
        # No reading is replaced by an older one (stale ones are rejected), so
        # the newest is the newest held or applied.
        newest = max(reading.timestamp for reading in changed)
        held = self.last_updated
        object.__setattr__(
            state, "_last_updated", newest if held is None else max(held, newest)
        )
        return MergeResult(state, tuple(changed), tuple(rejected))


def _checked(  # noqa: PLR0911 - one return per reason
    reading: Reading[Any], latest: datetime | None
) -> Reading[Any] | RejectReason:
    """Return the reading with its timestamp in UTC, or why it cannot apply.

    Anything a backend hands over is checked here, whatever its type: a
    broken reading is a reason, never an exception.
    """
    try:
        signal: object = reading.signal  # typed, but a backend may hand over anything
        if not isinstance(signal, Signal) or not signal.accepts(reading.value):
            return RejectReason.MALFORMED
        timestamp: object = reading.timestamp
        if type(timestamp) is datetime and timestamp.tzinfo is UTC:
            # The usual case: already in UTC, nothing to convert.
            return _checked_time(reading, timestamp, latest)
        if not isinstance(timestamp, datetime):
            return RejectReason.BAD_TIMESTAMP
        if timestamp.utcoffset() is None:
            return RejectReason.NAIVE_TIMESTAMP
        utc = timestamp.astimezone(UTC)
    except (OverflowError, ValueError):
        return RejectReason.BAD_TIMESTAMP  # e.g. year 9999 west of Greenwich
    except Exception:  # noqa: BLE001 - a hostile value (custom __eq__, tzinfo)
        return RejectReason.MALFORMED
    checked = _checked_time(reading, utc, latest)
    if isinstance(checked, RejectReason) or utc.tzinfo is timestamp.tzinfo:
        return checked
    return Reading(reading.signal, reading.value, utc)


def _checked_time(
    reading: Reading[Any], utc: datetime, latest: datetime | None
) -> Reading[Any] | RejectReason:
    """Return the reading, or why its time (utc, in UTC) cannot apply."""
    if utc < EARLIEST_TIMESTAMP:
        return RejectReason.ANCIENT_TIMESTAMP
    if latest is not None and utc > latest:
        return RejectReason.FUTURE_TIMESTAMP
    return reading


class Powertrain(StrEnum):
    """How the car is propelled; decides which energy signals it has."""

    COMBUSTION = "combustion"
    PLUG_IN_HYBRID = "plug_in_hybrid"
    ELECTRIC = "electric"


class CommandKind(StrEnum):
    """Commands a backend may be able to send to a car."""

    LOCK = "lock"
    UNLOCK = "unlock"
    START_CLIMATE = "start_climate"
    STOP_CLIMATE = "stop_climate"
    SET_CLIMATE_TARGET = "set_climate_target"
    FLASH_LIGHTS = "flash_lights"
    SOUND_HORN = "sound_horn"


@dataclass(frozen=True, slots=True)
class Command:
    """A command for one car; `target_temperature` is for the climate commands."""

    kind: CommandKind
    target_temperature: float | None = None


class CommandOutcome(StrEnum):
    """How far a finished command was proven."""

    CONFIRMED = "confirmed"
    """The car's own reported state shows the command's effect."""
    DELIVERED = "delivered"
    """The car acknowledged it; the command has no state to show (horn, lights)."""


@dataclass(frozen=True, slots=True)
class CommandResult:
    """A command that completed."""

    command: Command
    outcome: CommandOutcome


@dataclass(frozen=True, slots=True)
class TemperatureRange:
    """Target temperatures a car's climate accepts."""

    minimum: float
    maximum: float
    step: float

    def nearest(self, value: float) -> float:
        """Return the accepted target closest to value (e.g. converted from °F)."""
        clamped = min(max(value, self.minimum), self.maximum)
        steps = round((clamped - self.minimum) / self.step)
        return round(self.minimum + steps * self.step, 3)


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What one vehicle really has: the signals it reports, the commands it takes."""

    signals: frozenset[str]
    commands: frozenset[CommandKind] = frozenset()
    climate_temperatures: TemperatureRange | None = None

    @classmethod
    def of(
        cls,
        signals: Iterable[Signal[Any]],
        commands: Iterable[CommandKind] = (),
        climate_temperatures: TemperatureRange | None = None,
    ) -> Capabilities:
        """Build capabilities from signal objects."""
        return cls(
            frozenset(s.key for s in signals), frozenset(commands), climate_temperatures
        )

    def has(self, signal: Signal[Any]) -> bool:
        """Return whether the vehicle reports signal."""
        return signal.key in self.signals

    def can(self, command: CommandKind) -> bool:
        """Return whether the vehicle takes command."""
        return command in self.commands

    @property
    def can_precondition(self) -> bool:
        """Return whether the climate can be started and stopped, with a target."""
        return (
            self.can(CommandKind.START_CLIMATE)
            and self.can(CommandKind.STOP_CLIMATE)
            and self.climate_temperatures is not None
        )


@dataclass(frozen=True, slots=True)
class Vehicle:
    """Identity and abilities of one car."""

    vin: str
    name: str
    make: str
    model: str
    powertrain: Powertrain
    capabilities: Capabilities
    model_year: int | None = None
    software_version: str | None = None


class StreamStatus(StrEnum):
    """Connection events a backend stream yields between state updates."""

    CONNECTED = "connected"


@dataclass(frozen=True, slots=True)
class StateUpdate:
    """Readings of one car pushed by a backend stream (often only changed ones)."""

    vin: str
    readings: tuple[Reading[Any], ...]


type StreamEvent = StateUpdate | StreamStatus
