"""The catalogue of signals a car can report, each in one canonical unit.

Backends translate their own keys and units into these; Home Assistant converts
them onward into the user's unit system.
"""

from __future__ import annotations

from typing import Any

from .models import Position, Signal, Unit, VehicleState

_PERCENT = (0.0, 100.0)
_TEMPERATURE = (-80.0, 100.0)
_PRESSURE = (0.0, 1000.0)

# Energy and distance
RANGE = Signal("range", float, Unit.KILOMETERS, (0.0, 10_000.0))
FUEL_LEVEL = Signal("fuel_level", float, Unit.PERCENT, _PERCENT)
FUEL_AMOUNT = Signal("fuel_amount", float, Unit.LITERS, (0.0, 500.0))
BATTERY_LEVEL = Signal("battery_level", float, Unit.PERCENT, _PERCENT)
CHARGING_POWER = Signal("charging_power", float, Unit.KILOWATT, (0.0, 1000.0))
CHARGE_TIME_REMAINING = Signal(
    "charge_time_remaining", float, Unit.MINUTES, (0.0, 100_000.0)
)
CHARGING = Signal("charging", bool)
PLUGGED_IN = Signal("plugged_in", bool)
ODOMETER = Signal("odometer", float, Unit.KILOMETERS, (0.0, 10_000_000.0))
CHARGE_LIMIT = Signal("charge_limit", float, Unit.PERCENT, _PERCENT)
"""The state of charge the car stops charging at."""
CHARGING_STATE = Signal("charging_state", str)
"""What charging is doing: one of CHARGING_STATES (`CHARGING` says only whether)."""
CHARGING_STATES = (
    "disconnected",
    "no_power",
    "starting",
    "charging",
    "stopped",
    "complete",
)

# Tyres
TYRE_PRESSURE_FRONT_LEFT = Signal(
    "tyre_pressure_front_left", float, Unit.KILOPASCAL, _PRESSURE
)
TYRE_PRESSURE_FRONT_RIGHT = Signal(
    "tyre_pressure_front_right", float, Unit.KILOPASCAL, _PRESSURE
)
TYRE_PRESSURE_REAR_LEFT = Signal(
    "tyre_pressure_rear_left", float, Unit.KILOPASCAL, _PRESSURE
)
TYRE_PRESSURE_REAR_RIGHT = Signal(
    "tyre_pressure_rear_right", float, Unit.KILOPASCAL, _PRESSURE
)

# 12 V system
LOW_VOLTAGE_BATTERY_LEVEL = Signal(
    "low_voltage_battery_level", float, Unit.PERCENT, _PERCENT
)
LOW_VOLTAGE_BATTERY_VOLTAGE = Signal(
    "low_voltage_battery_voltage", float, Unit.VOLT, (0.0, 60.0)
)

# Temperatures and climate
OUTSIDE_TEMPERATURE = Signal("outside_temperature", float, Unit.CELSIUS, _TEMPERATURE)
CABIN_TEMPERATURE = Signal("cabin_temperature", float, Unit.CELSIUS, _TEMPERATURE)
CLIMATE_ACTIVE = Signal("climate_active", bool)
CLIMATE_TARGET_TEMPERATURE = Signal(
    "climate_target_temperature", float, Unit.CELSIUS, (0.0, 50.0)
)
PRECONDITIONING_STATES = ("off", "standby", "heating", "cooling", "ventilation")
PRECONDITIONING_STATE = Signal(
    "preconditioning_state", str, choices=PRECONDITIONING_STATES
)
"""What the car's own preconditioning is doing: one of PRECONDITIONING_STATES.

For cars whose API reports it but cannot start it (BMW CarData)."""

# Body
LOCKED = Signal("locked", bool)
DOOR_FRONT_LEFT_OPEN = Signal("door_front_left_open", bool)
DOOR_FRONT_RIGHT_OPEN = Signal("door_front_right_open", bool)
DOOR_REAR_LEFT_OPEN = Signal("door_rear_left_open", bool)
DOOR_REAR_RIGHT_OPEN = Signal("door_rear_right_open", bool)
WINDOW_FRONT_LEFT_OPEN = Signal("window_front_left_open", bool)
WINDOW_FRONT_RIGHT_OPEN = Signal("window_front_right_open", bool)
WINDOW_REAR_LEFT_OPEN = Signal("window_rear_left_open", bool)
WINDOW_REAR_RIGHT_OPEN = Signal("window_rear_right_open", bool)
SUNROOF_OPEN = Signal("sunroof_open", bool)
TRUNK_OPEN = Signal("trunk_open", bool)
HOOD_OPEN = Signal("hood_open", bool)

# Motion
LOCATION = Signal("location", Position)
MOVING = Signal("moving", bool)

# The car as a device
SOFTWARE_VERSION = Signal("software_version", str)
ONLINE_STATE = Signal("online_state", str)
"""Whether the car can be reached right now: one of ONLINE_STATES.

A sleeping car is not broken: its values are just old. "waking" is the backend's
own state between a wake request and the car coming online (commands wait)."""
ONLINE_STATES = ("online", "waking", "asleep", "offline")

DOORS = (
    DOOR_FRONT_LEFT_OPEN,
    DOOR_FRONT_RIGHT_OPEN,
    DOOR_REAR_LEFT_OPEN,
    DOOR_REAR_RIGHT_OPEN,
)
WINDOWS = (
    WINDOW_FRONT_LEFT_OPEN,
    WINDOW_FRONT_RIGHT_OPEN,
    WINDOW_REAR_LEFT_OPEN,
    WINDOW_REAR_RIGHT_OPEN,
)
OPENINGS: tuple[Signal[bool], ...] = (
    *DOORS,
    *WINDOWS,
    SUNROOF_OPEN,
    TRUNK_OPEN,
    HOOD_OPEN,
)
"""Everything that can be left open, in the order they are named to a person."""

TYRE_PRESSURES = (
    TYRE_PRESSURE_FRONT_LEFT,
    TYRE_PRESSURE_FRONT_RIGHT,
    TYRE_PRESSURE_REAR_LEFT,
    TYRE_PRESSURE_REAR_RIGHT,
)

ALL_SIGNALS: tuple[Signal[Any], ...] = (
    RANGE,
    FUEL_LEVEL,
    FUEL_AMOUNT,
    BATTERY_LEVEL,
    CHARGING_POWER,
    CHARGE_TIME_REMAINING,
    CHARGING,
    PLUGGED_IN,
    ODOMETER,
    CHARGE_LIMIT,
    CHARGING_STATE,
    *TYRE_PRESSURES,
    LOW_VOLTAGE_BATTERY_LEVEL,
    LOW_VOLTAGE_BATTERY_VOLTAGE,
    OUTSIDE_TEMPERATURE,
    CABIN_TEMPERATURE,
    CLIMATE_ACTIVE,
    CLIMATE_TARGET_TEMPERATURE,
    PRECONDITIONING_STATE,
    LOCKED,
    *OPENINGS,
    LOCATION,
    MOVING,
    SOFTWARE_VERSION,
    ONLINE_STATE,
)
SIGNALS_BY_KEY: dict[str, Signal[Any]] = {signal.key: signal for signal in ALL_SIGNALS}


def open_openings(state: VehicleState) -> list[str]:
    """Return the keys of the doors, windows and lids the car reports open."""
    return [signal.key for signal in OPENINGS if state.value(signal)]


def anything_open(state: VehicleState) -> bool | None:
    """Return whether anything is open; unknown until any opening was reported."""
    known = [state.value(signal) for signal in OPENINGS]
    if all(value is None for value in known):
        return None
    return any(known)
