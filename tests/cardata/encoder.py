"""What a simulated car looks like on BMW's wire: CarData keys, units, quirks.

Written from the catalogue and the real samples, independently of the
integration's own key table (tests would prove nothing if both sides shared
it). Quirks reproduced: MQTT entries without unit or milliseconds, latitude
and longitude in separate messages, doors alternating between ``CLOSED`` and
``false``, ``percent`` for ``%``, REST values as strings with ``.000Z`` times,
never-sent keys as ``{timestamp: null, unit: …, value: null}``, the lock status
only over REST, and optionally a UK account whose REST odometer is in miles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import itertools
from typing import Any

from custom_components.connected_car.vehicle import Position, Reading, signals

MILES_PER_KM = 1 / 1.609344
LONGITUDE_DELAY = timedelta(seconds=3)
"""BMW sends latitude and longitude seconds apart; the longitude is later."""

_TYRES = {
    signals.TYRE_PRESSURE_FRONT_LEFT.key: "row1.wheel.left",
    signals.TYRE_PRESSURE_FRONT_RIGHT.key: "row1.wheel.right",
    signals.TYRE_PRESSURE_REAR_LEFT.key: "row2.wheel.left",
    signals.TYRE_PRESSURE_REAR_RIGHT.key: "row2.wheel.right",
}
_DOORS = {
    signals.DOOR_FRONT_LEFT_OPEN.key: "row1.driver",
    signals.DOOR_FRONT_RIGHT_OPEN.key: "row1.passenger",
    signals.DOOR_REAR_LEFT_OPEN.key: "row2.driver",
    signals.DOOR_REAR_RIGHT_OPEN.key: "row2.passenger",
}
_WINDOWS = {
    signals.WINDOW_FRONT_LEFT_OPEN.key: "row1.driver",
    signals.WINDOW_FRONT_RIGHT_OPEN.key: "row1.passenger",
    signals.WINDOW_REAR_LEFT_OPEN.key: "row2.driver",
    signals.WINDOW_REAR_RIGHT_OPEN.key: "row2.passenger",
}
NO_UNIT = object()
"""Marks an MQTT entry that has no "unit" field at all (common on the stream)."""
LOCATION = "vehicle.cabin.infotainment.navigation.currentLocation"


def mqtt_time(moment: datetime) -> str:
    """Return an entry timestamp as the stream writes it (no milliseconds)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope_time(moment: datetime) -> str:
    """Return an envelope timestamp (milliseconds)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def rest_time(moment: datetime) -> str:
    """Return a REST timestamp (``.000Z``)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class CarDataEncoder:
    """Turns simulator readings into CarData entries."""

    uk_account: bool = False
    """REST serves the odometer in "miles" (MQTT keeps km), like a UK account."""
    _door_words: Iterator[tuple[str, str]] = field(
        default_factory=lambda: itertools.cycle([("OPEN", "CLOSED"), ("true", "false")])
    )

    def entries(  # noqa: PLR0911, PLR0912 - one branch per signal, on purpose
        self, reading: Reading[Any]
    ) -> list[tuple[str, object, object]]:
        """Return (key, value, unit) triples for one reading as the car streams it."""
        key, value = reading.signal.key, reading.value
        if key == signals.RANGE.key:
            return [("vehicle.drivetrain.lastRemainingRange", round(value), "km")]
        if key == signals.FUEL_LEVEL.key:
            return [("vehicle.drivetrain.fuelSystem.level", round(value), "%")]
        if key == signals.FUEL_AMOUNT.key:
            return [("vehicle.drivetrain.fuelSystem.remainingFuel", value, NO_UNIT)]
        if key == signals.BATTERY_LEVEL.key:
            return [("vehicle.drivetrain.batteryManagement.header", value, "percent")]
        if key == signals.CHARGING_POWER.key:
            return [
                (
                    "vehicle.powertrain.electric.battery.charging.power",
                    round(value * 1000),
                    "W",
                )
            ]
        if key == signals.CHARGE_TIME_REMAINING.key:
            return [
                (
                    "vehicle.drivetrain.electricEngine.charging.timeRemaining",
                    round(value),
                    "min",
                )
            ]
        if key == signals.CHARGING.key:
            status = "CHARGINGACTIVE" if value else "NOCHARGING"
            return [
                ("vehicle.drivetrain.electricEngine.charging.status", status, NO_UNIT)
            ]
        if key == signals.PLUGGED_IN.key:
            return [
                (
                    "vehicle.body.chargingPort.status",
                    "CONNECTED" if value else "DISCONNECTED",
                    NO_UNIT,
                ),
                (
                    "vehicle.powertrain.tractionBattery.charging.port.anyPosition.isPlugged",
                    "true" if value else "false",
                    NO_UNIT,
                ),
            ]
        if key == signals.ODOMETER.key:
            return [("vehicle.vehicle.travelledDistance", round(value), "km")]
        if key in _TYRES:
            return [
                (
                    f"vehicle.chassis.axle.{_TYRES[key]}.tire.pressure",
                    round(value),
                    "kPa",
                )
            ]
        if key == signals.LOW_VOLTAGE_BATTERY_LEVEL.key:
            return [
                ("vehicle.electricalSystem.battery.stateOfCharge", round(value), "%")
            ]
        if key == signals.LOW_VOLTAGE_BATTERY_VOLTAGE.key:
            return [("vehicle.electricalSystem.battery.voltage", value, "V")]
        if key == signals.CLIMATE_ACTIVE.key:
            activity = "HEATING" if value else "INACTIVE"
            return [("vehicle.vehicle.preConditioning.activity", activity, NO_UNIT)]
        if key in _DOORS:
            opened, closed = next(self._door_words)
            return [
                (
                    f"vehicle.cabin.door.{_DOORS[key]}.isOpen",
                    opened if value else closed,
                    NO_UNIT,
                )
            ]
        if key in _WINDOWS:
            return [
                (
                    f"vehicle.cabin.window.{_WINDOWS[key]}.status",
                    "OPEN" if value else "CLOSED",
                    NO_UNIT,
                )
            ]
        if key == signals.SUNROOF_OPEN.key:
            return [
                ("vehicle.cabin.sunroof.status", "OPEN" if value else "CLOSED", NO_UNIT)
            ]
        if key == signals.TRUNK_OPEN.key:
            return [
                ("vehicle.body.trunk.isOpen", "OPEN" if value else "CLOSED", NO_UNIT)
            ]
        if key == signals.HOOD_OPEN.key:
            return [("vehicle.body.hood.isOpen", "true" if value else "false", NO_UNIT)]
        if key == signals.MOVING.key:
            return [
                ("vehicle.isMoving", "ASN_isTrue" if value else "ASN_isFalse", NO_UNIT)
            ]
        # Not streamed by BMW (lock status) or not in the catalogue at all
        # (outside and cabin temperature, climate target); LOCATION is split.
        return []

    def stream_messages(
        self, vin: str, gcid: str, readings: Iterable[Reading[Any]], now: datetime
    ) -> list[dict[str, Any]]:
        """Return the MQTT messages the car's changes make (position split in two)."""
        data: dict[str, Any] = {}
        later: dict[str, Any] = {}
        for reading in readings:
            if isinstance(reading.value, Position):
                position = reading.value
                data[f"{LOCATION}.latitude"] = {
                    "value": str(position.latitude),
                    "unit": "degrees",
                    "timestamp": mqtt_time(reading.timestamp),
                }
                if position.heading is not None:
                    data[f"{LOCATION}.heading"] = {
                        "value": position.heading,
                        "unit": "degrees",
                        "timestamp": mqtt_time(reading.timestamp),
                    }
                later[f"{LOCATION}.longitude"] = {
                    "value": str(position.longitude),
                    "unit": "degrees",
                    "timestamp": mqtt_time(reading.timestamp + LONGITUDE_DELAY),
                }
                continue
            for key, value, unit in self.entries(reading):
                entry: dict[str, Any] = {
                    "timestamp": mqtt_time(reading.timestamp),
                    "value": value,
                }
                if unit is not NO_UNIT:
                    entry["unit"] = unit
                data[key] = entry
        return [
            {
                "vin": vin,
                "entityId": gcid,
                "topic": vin,
                "timestamp": envelope_time(now),
                "data": part,
            }
            for part in (data, later)
            if part
        ]

    def rest_snapshot(
        self, readings: Iterable[Reading[Any]], keys: Iterable[str]
    ) -> dict[str, dict[str, Any]]:
        """Return telematicData for keys from the car's last reported readings."""
        values: dict[str, dict[str, Any]] = {}
        for reading in readings:
            stamp = rest_time(reading.timestamp)
            if isinstance(reading.value, Position):
                for part in ("latitude", "longitude", "heading"):
                    number = getattr(reading.value, part)
                    if number is not None:
                        values[f"{LOCATION}.{part}"] = {
                            "timestamp": stamp,
                            "unit": "degrees",
                            "value": str(number),
                        }
                continue
            if reading.signal.key == signals.LOCKED.key:
                values["vehicle.cabin.door.status"] = {
                    "timestamp": stamp,
                    "unit": None,
                    "value": "SECURED" if reading.value else "UNLOCKED",
                }
                values["vehicle.cabin.door.lock.status"] = {
                    "timestamp": stamp,
                    "unit": None,
                    "value": "LOCKED" if reading.value else "UNLOCKED",
                }
                continue
            for key, value, unit in self.entries(reading):
                rest_unit = None if unit is NO_UNIT else unit
                rest_value = value
                if key == "vehicle.vehicle.travelledDistance" and self.uk_account:
                    rest_value, rest_unit = round(value * MILES_PER_KM, 2), "miles"
                values[key] = {
                    "timestamp": stamp,
                    "unit": rest_unit,
                    "value": str(rest_value),
                }
        return {
            key: values.get(key, {"timestamp": None, "unit": None, "value": None})
            for key in keys
        }
