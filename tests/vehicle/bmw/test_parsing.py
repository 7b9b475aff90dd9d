"""The key table and value vocabularies of CarData."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.connected_car.vehicle import Position, Powertrain, signals
from custom_components.connected_car.vehicle.bmw.parsing import (
    UNKNOWN_KEYS_KEPT,
    CarDataParser,
    Problem,
    VehicleProfile,
    applicable_signals,
)

T0 = datetime(2026, 1, 15, 6, 30, tzinfo=UTC)
STAMP = "2026-01-15T06:30:00Z"
LOCATION = "vehicle.cabin.infotainment.navigation.currentLocation"


HYBRID = VehicleProfile(Powertrain.PLUG_IN_HYBRID)


def parse(key, value, unit=None, profile=HYBRID):
    entry = {"value": value, "timestamp": STAMP}
    if unit is not None:
        entry["unit"] = unit
    return CarDataParser(profile).parse({key: entry})


def value_of(key, value, unit=None, **kwargs):
    parsed = parse(key, value, unit, **kwargs)
    assert parsed.problems == []
    return [reading.value for reading in parsed.readings]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("OPEN", [True]),
        ("CLOSED", [False]),
        ("open", [True]),
        ("true", [True]),
        ("false", [False]),
        (True, [True]),
        ("ASN_isTrue", [True]),
        ("ASN_isFalse", [False]),
        ("INVALID", []),
        ("UNKNOWN", []),
        ("ASN_isUnknown", []),
        (None, []),
    ],
)
def test_door_vocabularies(value, expected) -> None:
    assert value_of("vehicle.cabin.door.row1.driver.isOpen", value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("CLOSED", [False]), ("OPEN", [True]), ("INTERMEDIATE", [True]), ("INVALID", [])],
)
def test_window_status(value, expected) -> None:
    assert value_of("vehicle.cabin.window.row2.passenger.status", value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SECURED", [True]),
        ("LOCKED", [True]),
        ("ASN_secured", [True]),
        ("ASN_locked", [True]),
        ("UNLOCKED", [False]),
        ("SELECTIVE-LOCKED", [False]),  # not fully locked
        ("ASN_selective-Locked", [False]),
        ("ASN_unknown", []),
    ],
)
def test_lock_status(value, expected) -> None:
    assert value_of("vehicle.cabin.door.status", value) == expected
    if value != "ASN_unknown":
        assert value_of("vehicle.cabin.door.lock.status", value) == expected


@pytest.mark.parametrize(
    ("key", "value", "unit", "expected"),
    [
        ("vehicle.drivetrain.batteryManagement.header", "74", "%", 74.0),
        ("vehicle.drivetrain.batteryManagement.header", 74, "percent", 74.0),
        ("vehicle.vehicle.travelledDistance", 1000, "miles", 1609.344),
        ("vehicle.vehicle.travelledDistance", "1000", "mi", 1609.344),
        ("vehicle.vehicle.travelledDistance", 57093, None, 57093.0),  # MQTT: no unit
        ("vehicle.chassis.axle.row2.wheel.left.tire.pressure", "2.5", "bar", 250.0),
        ("vehicle.chassis.axle.row2.wheel.left.tire.pressure", "36", "psi", 248.211),
        ("vehicle.powertrain.electric.battery.charging.power", 11000, "W", 11.0),
        ("vehicle.drivetrain.fuelSystem.remainingFuel", 10, "gal", 37.854),
        ("vehicle.electricalSystem.battery.voltage", "12.4", "V", 12.4),
    ],
)
def test_units_are_converted(key, value, unit, expected) -> None:
    assert value_of(key, value, unit) == [expected]


@pytest.mark.parametrize(
    ("value", "unit", "problem"),
    [
        ("lots", "km", Problem.WRONG_TYPE),
        (True, "km", Problem.WRONG_TYPE),
        ({"nested": 1}, "km", Problem.WRONG_TYPE),
        ("nan", "km", Problem.WRONG_TYPE),
        (100, "furlongs", Problem.UNEXPECTED_UNIT),
        (100, 7, Problem.UNEXPECTED_UNIT),
    ],
)
def test_bad_numbers_are_problems(value, unit, problem) -> None:
    parsed = parse("vehicle.drivetrain.lastRemainingRange", value, unit)
    assert parsed.readings == []
    assert parsed.problems == [(problem, "vehicle.drivetrain.lastRemainingRange")]


def test_bad_entries_and_timestamps_are_problems() -> None:
    parser = CarDataParser(VehicleProfile(Powertrain.ELECTRIC))
    parsed = parser.parse(
        {
            "vehicle.body.hood.isOpen": "CLOSED",  # not an entry object
            "vehicle.body.trunk.isOpen": {"value": "MAYBE", "timestamp": STAMP},
            "vehicle.cabin.sunroof.status": {"value": 3, "timestamp": STAMP},
            "vehicle.drivetrain.lastRemainingRange": {"value": 1, "timestamp": "soon"},
            "vehicle.vehicle.travelledDistance": {"value": 1, "timestamp": None},
            "vehicle.vehicle.preConditioning.activity": {
                "value": "PARTY",
                "timestamp": STAMP,
            },
        }
    )
    assert parsed.readings == []
    assert sorted(parsed.problems) == sorted(
        [
            (Problem.BAD_ENTRY, "vehicle.body.hood.isOpen"),
            (Problem.UNKNOWN_VALUE, "vehicle.body.trunk.isOpen"),
            (Problem.WRONG_TYPE, "vehicle.cabin.sunroof.status"),
            (Problem.BAD_TIMESTAMP, "vehicle.drivetrain.lastRemainingRange"),
            (Problem.BAD_TIMESTAMP, "vehicle.vehicle.travelledDistance"),
            (Problem.UNKNOWN_VALUE, "vehicle.vehicle.preConditioning.activity"),
        ]
    )


def test_stream_entries_without_timestamp_use_the_message_time() -> None:
    parser = CarDataParser(VehicleProfile(Powertrain.ELECTRIC))
    parsed = parser.parse({"vehicle.body.hood.isOpen": {"value": "OPEN"}}, T0)
    (reading,) = parsed.readings
    assert reading.timestamp == T0


def test_timestamp_formats() -> None:
    parser = CarDataParser(VehicleProfile(Powertrain.ELECTRIC))
    stamps = [
        "2026-01-15T06:30:00Z",
        "2026-01-15T06:30:00.000Z",
        "2026-01-15T07:30:00+01:00",
        "2026-01-15T06:30:00",
    ]
    for stamp in stamps:
        (reading,) = parser.parse(
            {"vehicle.body.hood.isOpen": {"value": "OPEN", "timestamp": stamp}}
        ).readings
        assert reading.timestamp == T0


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("vehicle.vehicle.preConditioning.activity", "INACTIVE", "off"),
        ("vehicle.vehicle.preConditioning.activity", "heating", "heating"),
        ("vehicle.vehicle.preConditioning.activity", "standby", "standby"),
        (
            "vehicle.cabin.hvac.preconditioning.status.comfortState",
            "COMFORT_COOLING",
            "cooling",
        ),
        (
            "vehicle.cabin.hvac.preconditioning.status.comfortState",
            "DEFROST",
            "heating",
        ),
        ("vehicle.cabin.hvac.preconditioning.status.comfortState", "NOT_ACTIVE", "off"),
    ],
)
def test_preconditioning_state(key, value, expected) -> None:
    assert value_of(key, value) == [expected]
    assert expected in signals.PRECONDITIONING_STATES


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("CHARGINGACTIVE", True),
        ("NOCHARGING", False),
        ("CHARGINGPAUSED", False),
        ("CHARGINGENDED", False),
        ("INITIALIZATION", False),
    ],
)
def test_charging_status(value, expected) -> None:
    assert value_of("vehicle.drivetrain.electricEngine.charging.status", value) == [
        expected
    ]


def test_right_hand_drive_swaps_driver_and_passenger() -> None:
    left = VehicleProfile(Powertrain.ELECTRIC)
    right = VehicleProfile(Powertrain.ELECTRIC, right_hand_drive=True)
    key = "vehicle.cabin.door.row1.driver.isOpen"
    (on_left,) = parse(key, "OPEN", profile=left).readings
    (on_right,) = parse(key, "OPEN", profile=right).readings
    assert on_left.signal is signals.DOOR_FRONT_LEFT_OPEN
    assert on_right.signal is signals.DOOR_FRONT_RIGHT_OPEN
    (window,) = parse(
        "vehicle.cabin.window.row2.passenger.status", "OPEN", profile=right
    ).readings
    assert window.signal is signals.WINDOW_REAR_LEFT_OPEN


def test_keys_of_other_powertrains_are_ignored() -> None:
    electric = VehicleProfile(Powertrain.ELECTRIC)
    combustion = VehicleProfile(Powertrain.COMBUSTION)
    # BEVs report a flat 0 l of fuel: ignored, not an error.
    parsed = parse("vehicle.drivetrain.fuelSystem.remainingFuel", 0, profile=electric)
    assert (parsed.readings, parsed.problems) == ([], [])
    parsed = parse(
        "vehicle.drivetrain.batteryManagement.header", 50, "%", profile=combustion
    )
    assert (parsed.readings, parsed.problems) == ([], [])
    # The electric range is the range only for cars without a tank.
    key = "vehicle.drivetrain.electricEngine.remainingElectricRange"
    assert value_of(key, 300, "km", profile=electric) == [300.0]
    assert (
        value_of(key, 40, "km", profile=VehicleProfile(Powertrain.PLUG_IN_HYBRID)) == []
    )


def _location(parser, part, value, at):
    return parser.parse(
        {
            f"{LOCATION}.{part}": {
                "value": value,
                "unit": "degrees",
                "timestamp": at.isoformat(),
            }
        }
    ).readings


def test_position_is_assembled_from_separate_messages() -> None:
    """Latitude and longitude arrive apart; a position needs both of one fix."""
    parser = CarDataParser(VehicleProfile(Powertrain.ELECTRIC))
    assert _location(parser, "latitude", "48.1771", T0) == []
    (reading,) = _location(parser, "longitude", 11.5562, T0 + timedelta(seconds=21))
    assert reading.value == Position(48.1771, 11.5562)
    assert reading.timestamp == T0 + timedelta(seconds=21)
    # An hour later a new latitude alone does not pair with the old longitude ...
    later = T0 + timedelta(hours=1)
    assert _location(parser, "latitude", 48.2, later) == []
    # ... the heading and the new longitude complete the fix.
    assert _location(parser, "heading", 90, later) == []
    (reading,) = _location(parser, "longitude", 11.6, later + timedelta(seconds=2))
    assert reading.value == Position(48.2, 11.6, None, 90.0)
    # A late, older part does not replace a newer one.
    assert _location(parser, "latitude", 10.0, T0) == []


def test_unknown_keys_are_kept_within_bounds() -> None:
    parser = CarDataParser(VehicleProfile(Powertrain.ELECTRIC))
    data = {
        f"vehicle.custom.key{n}": {"value": "x" * 500, "timestamp": STAMP}
        for n in range(UNKNOWN_KEYS_KEPT + 10)
    }
    parsed = parser.parse(data)
    assert parsed.problems == []
    assert len(parser.unknown_keys) == UNKNOWN_KEYS_KEPT
    assert all(len(value) <= 120 for value in parser.unknown_keys.values())
    parser.parse({"vehicle.custom.key0": {"value": "new", "timestamp": STAMP}})
    assert parser.unknown_keys["vehicle.custom.key0"] == "'new'"


def test_capabilities_follow_the_car() -> None:
    electric = applicable_signals(VehicleProfile(Powertrain.ELECTRIC))
    combustion = applicable_signals(
        VehicleProfile(Powertrain.COMBUSTION), has_sunroof=False, doors=3
    )
    assert signals.BATTERY_LEVEL in electric
    assert signals.CHARGING in electric
    assert signals.FUEL_LEVEL not in electric
    assert signals.FUEL_LEVEL in combustion
    assert signals.BATTERY_LEVEL not in combustion
    assert signals.SUNROOF_OPEN not in combustion
    assert signals.DOOR_REAR_LEFT_OPEN not in combustion
    assert signals.WINDOW_REAR_RIGHT_OPEN not in combustion
    assert signals.DOOR_FRONT_LEFT_OPEN in combustion
    for found in (electric, combustion):
        assert signals.OUTSIDE_TEMPERATURE not in found
        assert signals.CLIMATE_ACTIVE not in found
        assert signals.LOCKED in found
