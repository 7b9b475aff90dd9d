"""Parsing Tesla's raw answers: the shared samples, units, bad values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.connected_car.vehicle import signals
from custom_components.connected_car.vehicle.models import Position
from custom_components.connected_car.vehicle.tesla.parsing import (
    ParseError,
    Problem,
    StreamParser,
    VehicleProfile,
    climate_range_of,
    parse_created_at,
    parse_online_state,
    parse_vehicle_data,
    profile_from_config,
)
from tests.tesla.encoder import sample

FETCHED = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)
SAMPLE_TIME = datetime.fromtimestamp(1705707520.649, UTC)


def values(parsed) -> dict[str, object]:
    return {reading.signal.key: reading.value for reading in parsed.readings}


def test_vehicle_data_sample_every_signal_with_units() -> None:
    data = sample("fleet_vehicle_data")["response"]
    profile = profile_from_config(data["vehicle_config"], commands=True, location=True)
    assert profile.right_hand_drive  # the sample is a right-hand-drive EU Model 3
    assert profile.sunroof
    parsed = parse_vehicle_data(data, profile, FETCHED)
    assert parsed.problems == []
    got = values(parsed)
    assert got["battery_level"] == 77.0
    assert got["range"] == pytest.approx(266.87 * 1.609344, abs=0.001)  # miles -> km
    assert got["odometer"] == pytest.approx(6481.019282 * 1.609344, abs=0.001)
    assert got["charging_power"] == 0.0
    assert got["charge_time_remaining"] == 0.0
    assert got["charge_limit"] == 80.0
    assert got["charging_state"] == "stopped"
    assert got["charging"] is False
    assert got["plugged_in"] is True
    assert got["cabin_temperature"] == 29.8
    assert got["outside_temperature"] == 30.0
    assert got["climate_active"] is True
    assert got["climate_target_temperature"] == 22.0
    assert got["locked"] is False
    assert got["tyre_pressure_front_left"] == pytest.approx(277.5)  # bar -> kPa
    assert got["tyre_pressure_front_right"] == pytest.approx(280.0)
    assert got["software_version"] == "2023.44.30.8"
    assert got["sunroof_open"] is True  # 20 % open
    assert got["online_state"] == "online"
    assert got["moving"] is False
    assert got["location"] == Position(45.000123, 7.000456, None, 185.0)
    assert {
        r.timestamp for r in parsed.readings if r.signal is signals.BATTERY_LEVEL
    } == {SAMPLE_TIME}
    location = next(r for r in parsed.readings if r.signal is signals.LOCATION)
    assert location.timestamp == datetime.fromtimestamp(1701129612, UTC)  # gps_as_of


def test_alt_sample_open_windows_and_trunks_on_a_right_hand_drive_car() -> None:
    data = sample("fleet_vehicle_data_alt")["response"]
    data["vehicle_state"]["df"] = 1  # the driver's door, on the right
    profile = VehicleProfile(right_hand_drive=True)
    got = values(parse_vehicle_data(data, profile, FETCHED))
    assert got["door_front_right_open"] is True
    assert got["door_front_left_open"] is False
    assert all(got[w.key] is True for w in signals.WINDOWS)
    assert got["trunk_open"] is True
    assert got["hood_open"] is True  # the frunk is the front lid
    assert got["climate_active"] is False
    assert "sunroof_open" not in got  # no sunroof on this profile


def test_sections_missing_or_malformed_are_skipped_with_reasons() -> None:
    data = sample("fleet_vehicle_data")["response"]
    data["charge_state"]["battery_level"] = "lots"
    data["climate_state"] = ["not", "a", "section"]
    data["vehicle_state"]["locked"] = "maybe"
    data["vehicle_state"]["car_version"] = " "
    data["charge_state"]["charging_state"] = "Exploding"
    data["drive_state"]["latitude"] = "north"
    data["drive_state"]["speed"] = "fast"
    data["state"] = "dreaming"
    del data["vehicle_state"]["timestamp"]
    parsed = parse_vehicle_data(data, VehicleProfile(), FETCHED)
    assert set(parsed.problems) == {
        (Problem.WRONG_TYPE, "battery_level"),
        (Problem.BAD_SECTION, "climate_state"),
        (Problem.WRONG_TYPE, "locked"),
        (Problem.UNKNOWN_VALUE, "car_version"),
        (Problem.UNKNOWN_VALUE, "charging_state"),
        (Problem.WRONG_TYPE, "location"),
        (Problem.WRONG_TYPE, "speed"),
        (Problem.UNKNOWN_VALUE, "state"),
    }
    got = values(parsed)
    assert got["range"] > 0  # the rest applies
    odometer = next(r for r in parsed.readings if r.signal is signals.ODOMETER)
    assert odometer.timestamp == FETCHED  # a section without a time gets the fetch's
    assert parse_vehicle_data("nonsense", VehicleProfile(), FETCHED).problems == [
        (Problem.NOT_AN_OBJECT, "vehicle_data")
    ]


def test_location_only_with_the_scope() -> None:
    data = sample("fleet_vehicle_data")["response"]
    got = values(parse_vehicle_data(data, VehicleProfile(location=False), FETCHED))
    assert "location" not in got


def test_sse_vehicle_data_event_abbreviated() -> None:
    event = sample("teslemetry_sse_vehicle_data")
    got = values(parse_vehicle_data(event["vehicle_data"], VehicleProfile(), FETCHED))
    assert got["battery_level"] == 77.0
    assert got["locked"] is False
    assert got["charging_state"] == "stopped"


def test_stream_fields_with_units_and_string_values() -> None:
    parser = StreamParser(VehicleProfile())
    at = FETCHED
    parsed = parser.parse(
        {
            "BatteryLevel": "64.5",
            "RatedRange": 200,
            "Odometer": 1000,
            "InsideTemp": 20.5,
            "OutsideTemp": -3,
            "HvacPower": "HvacPowerStatePrecondition",
            "HvacLeftTemperatureRequest": 21.5,
            "ChargeLimitSoc": 90,
            "DetailedChargeState": "DetailedChargeStateCharging",
            "ACChargingPower": 11.2,
            "DCChargingPower": 0,
            "TimeToFullCharge": 1.5,
            "TpmsPressureFl": 2.9,
            "FdWindow": "WindowStatePartiallyOpen",
            "RpWindow": "WindowStateClosed",
            "DoorState": {
                "DriverFront": True,
                "PassengerFront": False,
                "TrunkFront": False,
                "TrunkRear": "true",
            },
            "Locked": "false",
            "Location": {"latitude": 45.0, "longitude": 7.0},
            "GpsHeading": 370,
            "Version": "2024.26.3 abc",
            "Gear": "ShiftStateD",
            "MinutesToArrival": 29.6,
            "VehicleSpeed": None,
        },
        at,
    )
    assert parsed.problems == []
    got = values(parsed)
    assert got == {
        "battery_level": 64.5,
        "range": pytest.approx(321.869),
        "odometer": pytest.approx(1609.344),
        "cabin_temperature": 20.5,
        "outside_temperature": -3.0,
        "climate_active": True,
        "climate_target_temperature": 21.5,
        "charge_limit": 90.0,
        "charging_state": "charging",
        "charging": True,
        "plugged_in": True,
        "charging_power": 11.2,
        "charge_time_remaining": 90.0,
        "tyre_pressure_front_left": pytest.approx(290.0),
        "window_front_left_open": True,
        "window_rear_right_open": False,
        "door_front_left_open": True,
        "door_front_right_open": False,
        "hood_open": False,
        "trunk_open": True,
        "locked": False,
        "location": Position(45.0, 7.0, None, 10.0),  # heading of the same event
        "software_version": "2024.26.3",
        "moving": True,
    }


def test_stream_bad_fields_are_counted_the_rest_applies() -> None:
    parser = StreamParser(VehicleProfile())
    parsed = parser.parse(
        {
            "BatteryLevel": "full",
            "Locked": 3,
            "HvacPower": "HvacPowerStateTurbo",
            "DoorState": "open",
            "Location": [45, 7],
            "FdWindow": 1,
            "ACChargingPower": "x",
            "Odometer": 10,
        },
        FETCHED,
    )
    assert {problem for problem, _ in parsed.problems} == {
        Problem.WRONG_TYPE,
        Problem.UNKNOWN_VALUE,
    }
    assert len(parsed.problems) == 7
    assert values(parsed) == {"odometer": pytest.approx(16.093)}
    parsed = parser.parse({"DoorState": {"DriverFront": "ajar"}}, FETCHED)
    assert parsed.problems == [(Problem.WRONG_TYPE, "DoorState.DriverFront")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-08-14T17:30:02.095Z", datetime(2025, 8, 14, 17, 30, 2, 95000, UTC)),
        (
            "2024-02-24T04:58:44.983607402Z",
            datetime(2024, 2, 24, 4, 58, 44, 983607, UTC),
        ),
        ("2024-10-04T10:45:17Z", datetime(2024, 10, 4, 10, 45, 17, tzinfo=UTC)),
        ("2024-10-04T12:45:17.5+02:00", datetime(2024, 10, 4, 10, 45, 17, 500000, UTC)),
    ],
)
def test_created_at_formats(raw: str, expected: datetime) -> None:
    assert parse_created_at(raw) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (None, Problem.MISSING_CREATED_AT),
        (17, Problem.BAD_TIMESTAMP),
        ("yesterday", Problem.BAD_TIMESTAMP),
    ],
)
def test_created_at_missing_or_bad(raw: object, problem: Problem) -> None:
    with pytest.raises(ParseError) as err:
        parse_created_at(raw)
    assert err.value.problem is problem


def test_online_states_and_profiles() -> None:
    assert parse_online_state("asleep").value == "asleep"
    with pytest.raises(ParseError):
        parse_online_state("waking")  # ours, never the cloud's
    assert climate_range_of({"min_avail_temp": 15, "max_avail_temp": 28}) == (
        15.0,
        28.0,
    )
    assert climate_range_of({"min_avail_temp": 30, "max_avail_temp": 20}) is None
    assert climate_range_of({"min_avail_temp": "x"}) is None
    assert climate_range_of(None) is None
    for installed, has in (
        (None, False),
        (True, True),
        (2, True),
        (0, False),
        ("1", True),
        ("", False),
    ):
        assert (
            profile_from_config(
                {"sun_roof_installed": installed}, commands=True, location=True
            ).sunroof
            is has
        )
    capabilities = profile_from_config(
        None, commands=False, location=False
    ).capabilities()
    assert not capabilities.commands
    assert not capabilities.has(signals.LOCATION)
    assert not capabilities.has(signals.SUNROOF_OPEN)
    assert not capabilities.has(signals.FUEL_LEVEL)  # an EV
    assert capabilities.climate_temperatures is not None
    assert capabilities.climate_temperatures.step == 0.5
