"""Physics of one simulated car: energy, motion, body, climate, 12 V and tyres.

The car is synchronous and knows nothing of asyncio: `advance_to` moves it to a
new instant and returns the readings it reports (only changed ones, and none
while it sleeps), exactly like a real car feeding its cloud.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
import itertools
import math
import operator
import random
from typing import Any

from .. import signals
from ..exceptions import CommandFailedError, CommandFailureReason
from ..models import (
    Capabilities,
    Command,
    CommandKind,
    Position,
    Powertrain,
    Reading,
    Signal,
    TemperatureRange,
    Vehicle,
    VehicleState,
)

MAX_STEP_SECONDS = 10.0
"""Physics integrates in steps no longer than this."""
IDLE_SECONDS_BEFORE_SLEEP = 600.0
"""A parked, idle car stops reporting after ten minutes, like real cars."""
CLIMATE_MAX_MINUTES = 30.0
"""Preconditioning switches itself off after this long (real cars: 10-30 min)."""
CLIMATE_TEMPERATURES = TemperatureRange(16.0, 28.0, 0.5)
CABIN_HEATING_RATE = 1.5 / 60
"""°C per second the climate moves the cabin toward the target."""
CABIN_TIME_CONSTANT = 2400.0
"""Seconds for an idle cabin to get ~63 % of the way to the outside temperature."""
CLIMATE_POWER_KW = 4.0
FUEL_HEATER_LITERS_PER_HOUR = 0.4
MIN_BATTERY_FOR_CLIMATE = 10.0
MIN_FUEL_FOR_CLIMATE = 5.0
DRIVING_SPEED_KMH = 45.0
CHARGE_TARGET = 80.0
FORGETS_TO_LOCK_PROBABILITY = 0.1
"""One arrival in ten the owner walks away without locking (automations notice)."""
KM_PER_DEGREE = 111.32


@dataclass(frozen=True, slots=True)
class CarModel:
    """Fixed facts of a simulated model."""

    model: str
    powertrain: Powertrain
    tank_liters: float = 0.0
    liters_per_100km: float = 0.0
    battery_kwh: float = 0.0
    kwh_per_100km: float = 0.0
    charge_power_kw: float = 0.0


MODELS = (
    CarModel(
        "Simulated Plug-in Hybrid",
        Powertrain.PLUG_IN_HYBRID,
        45.0,
        6.5,
        18.0,
        20.0,
        3.7,
    ),
    CarModel(
        "Simulated Electric",
        Powertrain.ELECTRIC,
        battery_kwh=80.0,
        kwh_per_100km=18.0,
        charge_power_kw=11.0,
    ),
    CarModel("Simulated Combustion", Powertrain.COMBUSTION, 60.0, 7.0),
)
"""Car n of a simulation is MODELS[n % 3]: the first car has every signal."""

_BASE_SIGNALS: tuple[Signal[Any], ...] = (
    signals.RANGE,
    signals.ODOMETER,
    *signals.TYRE_PRESSURES,
    signals.LOW_VOLTAGE_BATTERY_LEVEL,
    signals.LOW_VOLTAGE_BATTERY_VOLTAGE,
    signals.OUTSIDE_TEMPERATURE,
    signals.CABIN_TEMPERATURE,
    signals.CLIMATE_ACTIVE,
    signals.CLIMATE_TARGET_TEMPERATURE,
    signals.LOCKED,
    *signals.OPENINGS,
    signals.LOCATION,
    signals.MOVING,
)
_FUEL_SIGNALS = (signals.FUEL_LEVEL, signals.FUEL_AMOUNT)
_ELECTRIC_SIGNALS = (
    signals.BATTERY_LEVEL,
    signals.CHARGING_POWER,
    signals.CHARGE_TIME_REMAINING,
    signals.CHARGING,
    signals.PLUGGED_IN,
)
_RESOLUTION: dict[str, float] = {
    signals.RANGE.key: 1.0,
    signals.FUEL_LEVEL.key: 1.0,
    signals.FUEL_AMOUNT.key: 0.1,
    signals.BATTERY_LEVEL.key: 1.0,
    signals.CHARGING_POWER.key: 0.1,
    signals.CHARGE_TIME_REMAINING.key: 1.0,
    signals.ODOMETER.key: 1.0,
    signals.LOW_VOLTAGE_BATTERY_LEVEL.key: 1.0,
    signals.LOW_VOLTAGE_BATTERY_VOLTAGE.key: 0.1,
    signals.OUTSIDE_TEMPERATURE.key: 0.5,
    signals.CABIN_TEMPERATURE.key: 0.5,
    **{tyre.key: 1.0 for tyre in signals.TYRE_PRESSURES},
}
"""Steps real cars report in; finer changes are not reported (no noise)."""
_EXACT_STEPS = frozenset((1.0, 0.5))
"""Steps whose multiples are exact floats: rounding them to 2 decimals is a no-op."""
_VALUE_KEYS: tuple[str, ...] = (
    signals.RANGE.key,
    signals.FUEL_LEVEL.key,
    signals.FUEL_AMOUNT.key,
    signals.BATTERY_LEVEL.key,
    signals.CHARGING_POWER.key,
    signals.CHARGE_TIME_REMAINING.key,
    signals.CHARGING.key,
    signals.PLUGGED_IN.key,
    signals.ODOMETER.key,
    signals.LOW_VOLTAGE_BATTERY_LEVEL.key,
    signals.LOW_VOLTAGE_BATTERY_VOLTAGE.key,
    signals.OUTSIDE_TEMPERATURE.key,
    signals.CABIN_TEMPERATURE.key,
    signals.CLIMATE_ACTIVE.key,
    signals.CLIMATE_TARGET_TEMPERATURE.key,
    signals.LOCKED.key,
    signals.LOCATION.key,
    signals.MOVING.key,
    *(opening.key for opening in signals.OPENINGS),
    *(tyre.key for tyre in signals.TYRE_PRESSURES),
)
"""Every signal a simulated car can have, in the order `_raw_values` returns them."""
_OPENINGS_OF = operator.itemgetter(*(opening.key for opening in signals.OPENINGS))
_NOT_REPORTED = object()
_BAND_MARGIN = 1e-9
"""How far inside its rounding band a float must be to count as unchanged: far
more than the float error of the division, so the test never disagrees with
rounding."""


class _Report:
    """What a car last reported, and a quick test whether a tick changed any of it.

    A car ticks every 10 s and most ticks change nothing it reports. Floats
    are reported rounded to a step: while one stays inside the band of values
    that round to the value last reported, it reports nothing new. Testing
    every band and every other value at once (in C: `map` over `operator.lt`,
    a tuple comparison) spares rounding and comparing ~30 values one by one.
    """

    def __init__(self, capabilities: Capabilities) -> None:
        """Start with nothing reported."""
        self.signals = tuple(
            (index, key, signal, step, step in _EXACT_STEPS)
            for index, key in enumerate(_VALUE_KEYS)
            if capabilities.has(signal := signals.SIGNALS_BY_KEY[key])
            for step in (_RESOLUTION.get(key, 0.5),)
        )
        """The signals the car reports: where in `_raw_values`, the step floats
        are rounded to and whether its multiples are exact (no second round)."""
        self.held: list[object] = [_NOT_REPORTED] * len(self.signals)
        """The values last reported, in `signals` order."""
        floats = [
            position
            for position, (_, _, signal, _, _) in enumerate(self.signals)
            if signal.value_type is float
        ]
        self._others = [
            position for position in range(len(self.signals)) if position not in floats
        ]
        # Every car has several floats and several other signals (the base
        # signals), so each getter picks a tuple.
        self._floats_of = operator.itemgetter(
            *(self.signals[position][0] for position in floats)
        )
        self._others_of = operator.itemgetter(
            *(self.signals[position][0] for position in self._others)
        )
        self._of_floats = operator.itemgetter(*floats)
        self._is_float = [position in floats for position in range(len(self.signals))]
        self.lows = [math.inf] * len(self.signals)
        self.highs = [-math.inf] * len(self.signals)
        """By position, the band of raw floats that report the value held
        (empty until one is reported, and for signals that are not floats)."""
        self._held_others: tuple[object, ...] = ()

    def unchanged(self, raw: tuple[object, ...]) -> bool:
        """Return whether raw values would report exactly what was last reported."""
        floats = self._floats_of(raw)
        return (
            self._others_of(raw) == self._held_others
            and all(map(operator.lt, self._of_floats(self.lows), floats))
            and all(map(operator.lt, floats, self._of_floats(self.highs)))
        )

    def hold(self, position: int, value: object) -> None:
        """Note the value reported of the signal at position."""
        self.held[position] = value
        if self._is_float[position]:
            step = self.signals[position][3]
            steps = round(value / step)  # type: ignore[operator]
            margin = step * _BAND_MARGIN * (abs(steps) + 1)
            self.lows[position] = (steps - 0.5) * step + margin
            self.highs[position] = (steps + 0.5) * step - margin

    def held_changed(self) -> None:
        """Note the reported values of the signals that are not floats."""
        self._held_others = tuple([self.held[position] for position in self._others])


_VIN_CHARACTERS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # VINs never use I, O or Q


def make_vin(rng: random.Random, powertrain: Powertrain) -> str:
    """Return a well-formed, recognisably simulated 17-character VIN."""
    code = {"combustion": "C", "plug_in_hybrid": "P", "electric": "E"}[powertrain]
    return "CCS" + code + "".join(rng.choice(_VIN_CHARACTERS) for _ in range(13))


def _offset(
    origin: tuple[float, float], bearing: float, km: float
) -> tuple[float, float]:
    """Return the point km away from origin at bearing (degrees), flat-Earth."""
    lat, lon = origin
    rad = math.radians(bearing)
    return (
        lat + km * math.cos(rad) / KM_PER_DEGREE,
        lon + km * math.sin(rad) / (KM_PER_DEGREE * math.cos(math.radians(lat))),
    )


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the flat-Earth distance between two nearby points."""
    mean_lat = math.radians((a[0] + b[0]) / 2)
    dy = (b[0] - a[0]) * KM_PER_DEGREE
    dx = (b[1] - a[1]) * KM_PER_DEGREE * math.cos(mean_lat)
    return math.hypot(dx, dy)


def _bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the compass bearing from a to b in degrees."""
    dy = b[0] - a[0]
    dx = (b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.degrees(math.atan2(dx, dy)) % 360


class Route:
    """A closed loop of waypoints the car drives along, from home back home."""

    def __init__(self, points: list[tuple[float, float]]) -> None:
        """Precompute segment lengths."""
        self.points = points
        self.lengths = [_distance_km(a, b) for a, b in itertools.pairwise(points)]
        self.total_km = sum(self.lengths)

    def at(self, km: float) -> tuple[tuple[float, float], float]:
        """Return the point and heading km along the route."""
        for (start, end), length in zip(
            itertools.pairwise(self.points), self.lengths, strict=True
        ):
            if km <= length and length > 0:
                fraction = km / length
                point = (
                    start[0] + (end[0] - start[0]) * fraction,
                    start[1] + (end[1] - start[1]) * fraction,
                )
                return point, _bearing(start, end)
            km -= length
        return self.points[-1], _bearing(self.points[-2], self.points[-1])

    @classmethod
    def random_loop(cls, rng: random.Random, home: tuple[float, float]) -> Route:
        """Return a loop through 2-4 places 2-8 km from home."""
        first = rng.uniform(0, 360)
        stops = [
            _offset(home, first + i * rng.uniform(50, 110), rng.uniform(2.0, 8.0))
            for i in range(rng.randint(2, 4))
        ]
        return cls([home, *stops, home])


class SimulatedCar:
    """One car; deterministic for a given seed and sequence of calls."""

    def __init__(  # noqa: PLR0913 - keyword-only facts of one car
        self,
        *,
        name: str,
        model: CarModel,
        rng: random.Random,
        home: tuple[float, float],
        now: datetime,
        auto_trips: bool = True,
        read_only: bool = False,
    ) -> None:
        """Park a fully set-up car at home at time now."""
        self.model = model
        self.rng = rng
        self.home = home
        self.auto_trips = auto_trips
        self.now = now
        electric = model.powertrain is not Powertrain.COMBUSTION
        fuelled = model.powertrain is not Powertrain.ELECTRIC
        self.vehicle = Vehicle(
            vin=make_vin(rng, model.powertrain),
            name=name,
            make="Connected Car",
            model=model.model,
            powertrain=model.powertrain,
            model_year=2025,
            software_version="sim-1.0",
            capabilities=Capabilities.of(
                (
                    *_BASE_SIGNALS,
                    *(_FUEL_SIGNALS if fuelled else ()),
                    *(_ELECTRIC_SIGNALS if electric else ()),
                ),
                commands=() if read_only else tuple(CommandKind),
                climate_temperatures=CLIMATE_TEMPERATURES,
            ),
        )
        self.base_outside_temperature = rng.uniform(-2.0, 4.0)
        self.position = home
        self.heading = 0.0
        self.route: Route | None = None
        self.route_km = 0.0
        self.driving_since: datetime | None = None
        self.odometer = 12_000.0 + rng.uniform(0, 30_000)
        self.fuel = model.tank_liters * 0.7
        self.battery = 55.0 if model.powertrain is Powertrain.PLUG_IN_HYBRID else 65.0
        self.plugged_in = electric
        self.charge_target = (
            100.0 if model.powertrain is Powertrain.PLUG_IN_HYBRID else CHARGE_TARGET
        )
        self.locked = True
        self.open: dict[str, bool] = dict.fromkeys(
            (s.key for s in signals.OPENINGS), False
        )
        self.cabin = self.outside_temperature()
        self.climate_active = False
        self.climate_target = 21.0
        self.climate_started: datetime | None = None
        self.lv_level = 86.0
        self.tyre_base = [
            rng.uniform(245, 255),
            rng.uniform(245, 255),
            rng.uniform(255, 265),
            rng.uniform(255, 265),
        ]
        self.asleep = False
        self.last_activity = now
        self.next_trip = now + timedelta(hours=rng.uniform(1.5, 3.0))
        self.horn_count = 0
        self.flash_count = 0
        self._scheduled: list[tuple[datetime, Callable[[], None]]] = []
        self._reported: dict[str, Reading[Any]] = {}
        self._position: tuple[tuple[tuple[float, float], float], Position] | None = None
        """The last reported position's inputs and the `Position` made of them."""
        self._report = _Report(self.vehicle.capabilities)
        self.collect_changes()

    # -- what the car reports ------------------------------------------------

    @property
    def vin(self) -> str:
        """Return the VIN."""
        return self.vehicle.vin

    @property
    def moving(self) -> bool:
        """Return whether the car is driving."""
        return self.driving_since is not None

    @property
    def charging(self) -> bool:
        """Return whether energy flows into the battery."""
        return self.plugged_in and not self.moving and self.battery < self.charge_target

    def outside_temperature(self) -> float:
        """Return the outside temperature: a daily curve, coldest around 03:00."""
        hour = self.now.hour + self.now.minute / 60
        return self.base_outside_temperature + 5.0 * math.sin(
            2 * math.pi * (hour - 9) / 24
        )

    def range_km(self) -> float:
        """Return the remaining range from fuel and battery."""
        total = 0.0
        if self.model.liters_per_100km:
            total += self.fuel / self.model.liters_per_100km * 100
        if self.model.kwh_per_100km:
            total += (
                self.battery
                / 100
                * self.model.battery_kwh
                / self.model.kwh_per_100km
                * 100
            )
        return total

    def _values(self) -> dict[str, object]:
        """Return every signal's current value, before rounding."""
        return dict(zip(_VALUE_KEYS, self._raw_values(), strict=True))

    def _raw_values(self) -> tuple[object, ...]:
        """Return every signal's current value, before rounding, in `_VALUE_KEYS` order."""
        model = self.model
        moving = self.driving_since is not None
        charging = self.plugged_in and not moving and self.battery < self.charge_target
        outside = self.outside_temperature()
        tyre_temperature = outside + (10.0 if moving else 0.0)
        tyre_factor = (273.15 + tyre_temperature) / 293.15
        charge_power = model.charge_power_kw if charging else 0.0
        missing_kwh = (
            max(self.charge_target - self.battery, 0.0) / 100 * model.battery_kwh
        )
        tyres = self.tyre_base
        return (
            self.range_km(),
            self.fuel / model.tank_liters * 100 if model.tank_liters else 0.0,
            self.fuel,
            self.battery,
            charge_power,
            missing_kwh / charge_power * 60 if charge_power else 0.0,
            charging,
            self.plugged_in,
            self.odometer,
            self.lv_level,
            14.4 if moving or charging else 11.8 + self.lv_level / 100,
            outside,
            self.cabin,
            self.climate_active,
            self.climate_target,
            self.locked,
            self._reported_position(),
            moving,
            *_OPENINGS_OF(self.open),
            tyres[0] * tyre_factor,
            tyres[1] * tyre_factor,
            tyres[2] * tyre_factor,
            tyres[3] * tyre_factor,
        )

    def _reported_position(self) -> Position:
        """Return the position as reported; the same object while the car stands."""
        inputs = (self.position, self.heading)
        if self._position is None or self._position[0] != inputs:
            position = Position(
                round(self.position[0], 5),
                round(self.position[1], 5),
                5.0,
                float(round(self.heading)),
            )
            self._position = (inputs, position)
        return self._position[1]

    def collect_changes(self) -> list[Reading[Any]]:
        """Return readings that changed since last reported (none while asleep)."""
        if self.asleep:
            return []
        raw = self._raw_values()
        report = self._report
        if report.unchanged(raw):
            return []
        changes: list[Reading[Any]] = []
        held, reported, now = report.held, self._reported, self.now
        lows, highs = report.lows, report.highs
        for position, (index, key, signal, step, exact) in enumerate(report.signals):
            value = raw[index]
            if type(value) is float:
                if lows[position] < value < highs[position]:
                    continue  # rounds to the value held
                value = (
                    round(value / step) * step
                    if exact
                    else round(round(value / step) * step, 2)
                )
            before = held[position]
            if before is not _NOT_REPORTED and (before is value or before == value):
                continue
            reading = Reading(signal, value, now)
            reported[key] = reading
            report.hold(position, value)
            changes.append(reading)
        report.held_changed()
        return changes

    def reported_state(self) -> VehicleState:
        """Return what the car's cloud holds: the last reported readings."""
        return VehicleState().merge(self._reported.values()).state

    # -- time ---------------------------------------------------------------

    def advance_to(self, now: datetime) -> list[Reading[Any]]:
        """Run the physics up to now and return the readings the car reports."""
        while self.now < now:
            step = min((now - self.now).total_seconds(), MAX_STEP_SECONDS)
            self.now += timedelta(seconds=step)
            self._step(step)
        return self.collect_changes()

    def _step(self, seconds: float) -> None:
        """Integrate one physics step of seconds."""
        if self._scheduled:
            self._run_scheduled()
        if self.driving_since is None:
            if self.auto_trips and self.now >= self.next_trip:
                self.start_trip()
        else:
            self._drive(seconds)
        self._climate(seconds)
        moving = self.driving_since is not None
        if self.plugged_in and not moving and self.battery < self.charge_target:
            self._charge(seconds)
        charging = self.plugged_in and not moving and self.battery < self.charge_target
        self._low_voltage(seconds, active=moving or charging)
        if moving or self.climate_active or charging or self._scheduled:
            self.last_activity = self.now
        elif (
            self.now - self.last_activity
        ).total_seconds() > IDLE_SECONDS_BEFORE_SLEEP:
            self.asleep = True

    def _run_scheduled(self) -> None:
        """Carry out the owner's scripted actions that are due."""
        due = [action for at, action in self._scheduled if at <= self.now]
        self._scheduled = [
            (at, action) for at, action in self._scheduled if at > self.now
        ]
        for action in due:
            action()

    def _schedule(self, seconds: float, action: Callable[[], None]) -> None:
        self._scheduled.append((self.now + timedelta(seconds=seconds), action))

    def _drive(self, seconds: float) -> None:
        assert self.route is not None  # noqa: S101 - moving implies a route
        km = DRIVING_SPEED_KMH * seconds / 3600
        self.route_km = min(self.route_km + km, self.route.total_km)
        self.position, self.heading = self.route.at(self.route_km)
        self.odometer += km
        self._use_energy_for_driving(km)
        self.cabin += (21.0 - self.cabin) * (1 - math.exp(-seconds / 300))
        if self.route_km >= self.route.total_km:
            self._arrive_home()

    def _use_energy_for_driving(self, km: float) -> None:
        electric_km = km
        if (
            self.model.powertrain is Powertrain.PLUG_IN_HYBRID
            and self.battery <= MIN_BATTERY_FOR_CLIMATE
        ):
            electric_km = 0.0  # a hybrid with an empty battery runs on fuel
        if self.model.kwh_per_100km and electric_km:
            self.battery = max(
                self.battery
                - electric_km * self.model.kwh_per_100km / self.model.battery_kwh,
                0.0,
            )
        fuel_km = km - electric_km if self.model.kwh_per_100km else km
        if self.model.liters_per_100km:
            self.fuel = max(
                self.fuel - fuel_km * self.model.liters_per_100km / 100, 0.0
            )

    def _climate(self, seconds: float) -> None:
        if self.climate_active and self.climate_started is not None:
            running = (self.now - self.climate_started).total_seconds() / 60
            if running >= CLIMATE_MAX_MINUTES or self._climate_refusal() is not None:
                self.climate_active = False
        if self.climate_active:
            delta = self.climate_target - self.cabin
            limit = CABIN_HEATING_RATE * seconds
            self.cabin += max(-limit, min(limit, delta))
            if self._battery_can_heat():
                self.battery -= (
                    CLIMATE_POWER_KW * seconds / 3600 / self.model.battery_kwh * 100
                )
            else:
                self.fuel -= FUEL_HEATER_LITERS_PER_HOUR * seconds / 3600
        elif self.driving_since is None:
            self.cabin += (self.outside_temperature() - self.cabin) * (
                1 - math.exp(-seconds / CABIN_TIME_CONSTANT)
            )

    def _charge(self, seconds: float) -> None:
        """Charge for seconds (called while `charging`)."""
        added = (
            self.model.charge_power_kw * seconds / 3600 / self.model.battery_kwh * 100
        )
        self.battery = min(self.battery + added, self.charge_target)

    def _low_voltage(self, seconds: float, *, active: bool) -> None:
        """Charge the 12 V battery while driving or charging, else drain it."""
        hours = seconds / 3600
        if active:
            self.lv_level = min(self.lv_level + 10.0 * hours, 90.0)
        else:
            self.lv_level = max(
                self.lv_level - (0.05 if self.asleep else 1.0) * hours, 0.0
            )

    # -- the owner's life ----------------------------------------------------

    def wake(self) -> None:
        """Wake the car up: it reports again."""
        self.asleep = False
        self.last_activity = self.now

    def start_trip(self) -> None:
        """Let the owner walk up, unlock, get in and drive a loop back home."""
        self.wake()
        self.next_trip = self.now + timedelta(hours=self.rng.uniform(2.0, 6.0))
        self.route = Route.random_loop(self.rng, self.home)
        self.route_km = 0.0
        self.plugged_in = False
        self.locked = False
        self.open[signals.DOOR_FRONT_LEFT_OPEN.key] = True

        def close_and_go() -> None:
            self.open[signals.DOOR_FRONT_LEFT_OPEN.key] = False
            self.climate_active = False  # preconditioning ends when the car is started
            self.driving_since = self.now

        self._schedule(20, close_and_go)

    def _arrive_home(self) -> None:
        self.driving_since = None
        self.route = None
        self.position = self.home
        self.open[signals.DOOR_FRONT_LEFT_OPEN.key] = True
        forgets_to_lock = self.rng.random() < FORGETS_TO_LOCK_PROBABILITY

        def get_out() -> None:
            self.open[signals.DOOR_FRONT_LEFT_OPEN.key] = False
            self.locked = not forgets_to_lock
            if self.model.battery_kwh and self.battery < CHARGE_TARGET:
                self.plugged_in = True

        self._schedule(30, get_out)

    # -- commands ---------------------------------------------------------------

    def _battery_can_heat(self) -> bool:
        return bool(self.model.battery_kwh) and self.battery >= MIN_BATTERY_FOR_CLIMATE

    def _climate_refusal(self) -> CommandFailureReason | None:
        """Return why the climate cannot run now: too little energy left."""
        fuel_ok = bool(self.model.tank_liters) and (
            self.fuel / self.model.tank_liters * 100 >= MIN_FUEL_FOR_CLIMATE
        )
        if self._battery_can_heat() or fuel_ok:
            return None
        if self.model.tank_liters:
            return CommandFailureReason.LOW_FUEL
        return CommandFailureReason.LOW_BATTERY

    def execute(self, command: Command) -> None:
        """Carry out a command as the car would, or refuse like a real car."""
        self.wake()
        refusal: CommandFailureReason | None = None
        match command.kind:
            case CommandKind.LOCK:
                if any(
                    self.open[door.key] for door in (*signals.DOORS, signals.TRUNK_OPEN)
                ):
                    refusal = CommandFailureReason.DOOR_OPEN
                else:
                    self.locked = True
            case CommandKind.UNLOCK:
                self.locked = False
            case CommandKind.START_CLIMATE:
                refusal = (
                    CommandFailureReason.VEHICLE_MOVING
                    if self.moving
                    else self._climate_refusal()
                )
                if refusal is None:
                    if command.target_temperature is not None:
                        self.climate_target = command.target_temperature
                    self.climate_active = True
                    self.climate_started = self.now
            case CommandKind.STOP_CLIMATE:
                self.climate_active = False
            case CommandKind.SET_CLIMATE_TARGET:
                assert command.target_temperature is not None  # noqa: S101 - built by callers
                self.climate_target = command.target_temperature
            case CommandKind.FLASH_LIGHTS:
                self.flash_count += 1
            case CommandKind.SOUND_HORN:
                self.horn_count += 1
        if refusal is not None:
            msg = f"{self.vehicle.name} refused {command.kind.value}: {refusal.value}"
            raise CommandFailedError(msg, refusal)
