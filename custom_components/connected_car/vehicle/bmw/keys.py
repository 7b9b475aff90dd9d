"""The table from CarData keys to our signals: data, read by `parsing`.

Each row names a key of BMW's Telematics Data Catalogue, the signal it feeds and
how its value is written on the wire. Vocabularies are matched case-insensitively
by name, never by position (the catalogue lists them in varying orders), and
include what real cars were seen sending besides the catalogue's spelling
(``false`` for ``CLOSED``, ``SECURED`` for ``ASN_secured``, ``percent`` for
``%``). Keys not in this table are kept for diagnostics and otherwise ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from .. import signals
from ..models import Powertrain, Signal

MILE_KM = 1.609344
PSI_KPA = 6.894757
US_GALLON_L = 3.785411784

NOT_A_VALUE = frozenset(
    {
        "",
        "INVALID",
        "UNKNOWN",
        "ASN_ISUNKNOWN",
        "ASN_UNKNOWN",
        "-NA-",
        "NA",
        "N/A",
        "SIGNAL_INVALID",
    }
)
"""Tokens that mean "the car does not know": skipped, never an error."""


@dataclass(frozen=True, slots=True)
class Number:
    """A number (often sent as a string) with a unit; factors to our unit."""

    units: Mapping[str, float]
    """Lower-case wire unit → factor to the signal's unit."""
    default_unit: str
    """Assumed when the entry has no unit (MQTT entries often have none)."""


@dataclass(frozen=True, slots=True)
class Flag:
    """A boolean spelled in one of CarData's many vocabularies."""

    true: frozenset[str]
    false: frozenset[str]


@dataclass(frozen=True, slots=True)
class Choice:
    """An enumeration mapped onto our own values."""

    values: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Coordinate:
    """One part of the GPS position (BMW sends them as separate keys)."""

    part: Literal["latitude", "longitude", "heading"]


type ValueKind = Number | Flag | Choice | Coordinate


def _upper(*tokens: str) -> frozenset[str]:
    return frozenset(token.upper() for token in tokens)


KILOMETERS = Number(
    MappingProxyType({"km": 1.0, "miles": MILE_KM, "mi": MILE_KM}), "km"
)
PERCENT = Number(MappingProxyType({"%": 1.0, "percent": 1.0}), "%")
LITERS = Number(
    MappingProxyType({"l": 1.0, "liter": 1.0, "liters": 1.0, "gal": US_GALLON_L}),
    "l",
)
KILOPASCAL = Number(MappingProxyType({"kpa": 1.0, "bar": 100.0, "psi": PSI_KPA}), "kPa")
VOLTS = Number(MappingProxyType({"v": 1.0}), "V")
WATTS_AS_KW = Number(MappingProxyType({"w": 0.001, "kw": 1.0}), "W")
MINUTES = Number(MappingProxyType({"min": 1.0, "s": 1 / 60, "h": 60.0}), "min")

IS_OPEN = Flag(
    true=_upper("OPEN", "true", "ASN_isTrue", "INTERMEDIATE"),
    false=_upper("CLOSED", "false", "ASN_isFalse"),
)
WINDOW_STATUS = Flag(
    true=_upper("OPEN", "INTERMEDIATE", "OPEN_TILT", "INTERMEDIATE_TILT", "true"),
    false=_upper("CLOSED", "CLOSEDSECURED", "false"),
)
LOCK_STATUS = Flag(
    true=_upper("SECURED", "LOCKED", "ASN_secured", "ASN_locked", "ASN_isTrue"),
    false=_upper(
        "UNLOCKED",
        "SELECTIVE-LOCKED",
        "ASN_unlocked",
        "ASN_selective-Locked",
        "ASN_isFalse",
    ),
)
"""Locked only when fully locked: a selectively locked car is not secured."""
PLUG_STATUS = Flag(
    true=_upper("CONNECTED", "true", "ASN_isTrue"),
    false=_upper("DISCONNECTED", "false", "ASN_isFalse"),
)
CHARGING_STATUS = Flag(
    true=_upper("CHARGINGACTIVE", "CHARGING"),
    false=_upper(
        "NOCHARGING",
        "INITIALIZATION",
        "CHARGINGPAUSED",
        "CHARGINGENDED",
        "CHARGINGERROR",
        "NOT_CHARGING",
        "FINISHED_FULLY_CHARGED",
        "FINISHED_NOT_FULL",
        "WAITING_FOR_CHARGING",
        "ERROR",
    ),
)
PRECONDITIONING_ACTIVITY = Choice(
    MappingProxyType(
        {
            "INACTIVE": "off",
            "STANDBY": "standby",
            "HEATING": "heating",
            "COOLING": "cooling",
            "VENTILATION": "ventilation",
            "NOT_ACTIVE": "off",
            "COMFORT_HEATING": "heating",
            "COMFORT_COOLING": "cooling",
            "COMFORT_VENTILATION": "ventilation",
            "DEFROST": "heating",
        }
    )
)


@dataclass(frozen=True, slots=True)
class KeyRule:
    """One row: a CarData key, the signal it feeds and how to read it."""

    key: str
    signal: Signal[Any]
    kind: ValueKind
    right_hand_drive: Signal[Any] | None = None
    """The signal on right-hand-drive cars (driver/passenger keys)."""
    powertrains: frozenset[Powertrain] | None = None
    """Only for these powertrains (None: every car)."""
    streamable: bool = True
    """False for keys BMW only serves over REST (lock status, ...)."""


_FUEL = frozenset({Powertrain.COMBUSTION, Powertrain.PLUG_IN_HYBRID})
_ELECTRIC = frozenset({Powertrain.ELECTRIC, Powertrain.PLUG_IN_HYBRID})
_BEV = frozenset({Powertrain.ELECTRIC})

_DOOR = "vehicle.cabin.door.row{row}.{side}.isOpen"
_WINDOW = "vehicle.cabin.window.row{row}.{side}.status"
_TYRE = "vehicle.chassis.axle.row{row}.wheel.{side}.tire.pressure"
_LOCATION = "vehicle.cabin.infotainment.navigation.currentLocation.{part}"

KEY_RULES: tuple[KeyRule, ...] = (
    # Range, energy, mileage
    KeyRule("vehicle.drivetrain.lastRemainingRange", signals.RANGE, KILOMETERS),
    KeyRule("vehicle.drivetrain.totalRemainingRange", signals.RANGE, KILOMETERS),
    KeyRule(
        "vehicle.drivetrain.electricEngine.kombiRemainingElectricRange",
        signals.RANGE,
        KILOMETERS,
        powertrains=_BEV,
    ),
    KeyRule(
        "vehicle.drivetrain.electricEngine.remainingElectricRange",
        signals.RANGE,
        KILOMETERS,
        powertrains=_BEV,
    ),
    KeyRule(
        "vehicle.drivetrain.fuelSystem.level",
        signals.FUEL_LEVEL,
        PERCENT,
        powertrains=_FUEL,
    ),
    KeyRule(
        "vehicle.drivetrain.fuelSystem.remainingFuel",
        signals.FUEL_AMOUNT,
        LITERS,
        powertrains=_FUEL,  # BEVs report a flat 0
    ),
    KeyRule(
        "vehicle.drivetrain.batteryManagement.header",
        signals.BATTERY_LEVEL,
        PERCENT,
        powertrains=_ELECTRIC,
    ),
    KeyRule(
        "vehicle.powertrain.electric.battery.stateOfCharge.displayed",
        signals.BATTERY_LEVEL,
        PERCENT,
        powertrains=_ELECTRIC,  # Neue Klasse cars send this instead of header
    ),
    KeyRule(
        "vehicle.drivetrain.electricEngine.charging.level",
        signals.BATTERY_LEVEL,
        PERCENT,
        powertrains=_ELECTRIC,
        streamable=False,
    ),
    KeyRule(
        "vehicle.powertrain.electric.battery.charging.power",
        signals.CHARGING_POWER,
        WATTS_AS_KW,
        powertrains=_ELECTRIC,
    ),
    KeyRule(
        "vehicle.drivetrain.electricEngine.charging.timeRemaining",
        signals.CHARGE_TIME_REMAINING,
        MINUTES,
        powertrains=_ELECTRIC,
    ),
    KeyRule(
        "vehicle.drivetrain.electricEngine.charging.status",
        signals.CHARGING,
        CHARGING_STATUS,
        powertrains=_ELECTRIC,
    ),
    KeyRule(
        "vehicle.powertrain.tractionBattery.charging.port.anyPosition.isPlugged",
        signals.PLUGGED_IN,
        PLUG_STATUS,
        powertrains=_ELECTRIC,
    ),
    KeyRule(
        "vehicle.body.chargingPort.status",
        signals.PLUGGED_IN,
        PLUG_STATUS,
        powertrains=_ELECTRIC,
    ),
    KeyRule("vehicle.vehicle.travelledDistance", signals.ODOMETER, KILOMETERS),
    # Tyres: row 1 is the front axle
    KeyRule(
        _TYRE.format(row=1, side="left"), signals.TYRE_PRESSURE_FRONT_LEFT, KILOPASCAL
    ),
    KeyRule(
        _TYRE.format(row=1, side="right"), signals.TYRE_PRESSURE_FRONT_RIGHT, KILOPASCAL
    ),
    KeyRule(
        _TYRE.format(row=2, side="left"), signals.TYRE_PRESSURE_REAR_LEFT, KILOPASCAL
    ),
    KeyRule(
        _TYRE.format(row=2, side="right"), signals.TYRE_PRESSURE_REAR_RIGHT, KILOPASCAL
    ),
    # 12 V battery
    KeyRule(
        "vehicle.electricalSystem.battery.stateOfCharge",
        signals.LOW_VOLTAGE_BATTERY_LEVEL,
        PERCENT,
    ),
    KeyRule(
        "vehicle.electricalSystem.battery.voltage",
        signals.LOW_VOLTAGE_BATTERY_VOLTAGE,
        VOLTS,
    ),
    # Climate: CarData reports preconditioning but cannot start it
    KeyRule(
        "vehicle.vehicle.preConditioning.activity",
        signals.PRECONDITIONING_STATE,
        PRECONDITIONING_ACTIVITY,
    ),
    KeyRule(
        "vehicle.cabin.hvac.preconditioning.status.comfortState",
        signals.PRECONDITIONING_STATE,
        PRECONDITIONING_ACTIVITY,
    ),
    # Locking: BMW streams no reliable lock state; REST serves it
    KeyRule("vehicle.cabin.door.status", signals.LOCKED, LOCK_STATUS),
    KeyRule(
        "vehicle.cabin.door.lock.status",
        signals.LOCKED,
        LOCK_STATUS,
        streamable=False,
    ),
    # Doors and windows: driver side is left on left-hand-drive cars
    KeyRule(
        _DOOR.format(row=1, side="driver"),
        signals.DOOR_FRONT_LEFT_OPEN,
        IS_OPEN,
        right_hand_drive=signals.DOOR_FRONT_RIGHT_OPEN,
    ),
    KeyRule(
        _DOOR.format(row=1, side="passenger"),
        signals.DOOR_FRONT_RIGHT_OPEN,
        IS_OPEN,
        right_hand_drive=signals.DOOR_FRONT_LEFT_OPEN,
    ),
    KeyRule(
        _DOOR.format(row=2, side="driver"),
        signals.DOOR_REAR_LEFT_OPEN,
        IS_OPEN,
        right_hand_drive=signals.DOOR_REAR_RIGHT_OPEN,
    ),
    KeyRule(
        _DOOR.format(row=2, side="passenger"),
        signals.DOOR_REAR_RIGHT_OPEN,
        IS_OPEN,
        right_hand_drive=signals.DOOR_REAR_LEFT_OPEN,
    ),
    KeyRule(
        _WINDOW.format(row=1, side="driver"),
        signals.WINDOW_FRONT_LEFT_OPEN,
        WINDOW_STATUS,
        right_hand_drive=signals.WINDOW_FRONT_RIGHT_OPEN,
    ),
    KeyRule(
        _WINDOW.format(row=1, side="passenger"),
        signals.WINDOW_FRONT_RIGHT_OPEN,
        WINDOW_STATUS,
        right_hand_drive=signals.WINDOW_FRONT_LEFT_OPEN,
    ),
    KeyRule(
        _WINDOW.format(row=2, side="driver"),
        signals.WINDOW_REAR_LEFT_OPEN,
        WINDOW_STATUS,
        right_hand_drive=signals.WINDOW_REAR_RIGHT_OPEN,
    ),
    KeyRule(
        _WINDOW.format(row=2, side="passenger"),
        signals.WINDOW_REAR_RIGHT_OPEN,
        WINDOW_STATUS,
        right_hand_drive=signals.WINDOW_REAR_LEFT_OPEN,
    ),
    KeyRule("vehicle.cabin.sunroof.status", signals.SUNROOF_OPEN, WINDOW_STATUS),
    KeyRule("vehicle.body.trunk.isOpen", signals.TRUNK_OPEN, IS_OPEN),
    KeyRule("vehicle.body.hood.isOpen", signals.HOOD_OPEN, IS_OPEN),
    # Position: three keys, assembled into one reading
    KeyRule(
        _LOCATION.format(part="latitude"), signals.LOCATION, Coordinate("latitude")
    ),
    KeyRule(
        _LOCATION.format(part="longitude"), signals.LOCATION, Coordinate("longitude")
    ),
    KeyRule(_LOCATION.format(part="heading"), signals.LOCATION, Coordinate("heading")),
)

RULES_BY_KEY: Mapping[str, KeyRule] = MappingProxyType(
    {rule.key: rule for rule in KEY_RULES}
)
TELEMATIC_KEYS: tuple[str, ...] = tuple(sorted(RULES_BY_KEY))
"""Every key our REST container asks for."""
