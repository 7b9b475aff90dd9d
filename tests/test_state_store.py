"""Vehicle states kept across restarts (every backend): storage format."""

from __future__ import annotations

from datetime import UTC, datetime
import json

from custom_components.connected_car.state_store import (
    state_from_json,
    state_to_json,
    vehicle_from_json,
    vehicle_to_json,
)
from custom_components.connected_car.vehicle import (
    Capabilities,
    CommandKind,
    Position,
    Powertrain,
    Reading,
    TemperatureRange,
    Vehicle,
    VehicleState,
    signals,
)

T0 = datetime(2026, 1, 15, 6, 30, tzinfo=UTC)


def test_round_trip_keeps_values_and_car_times() -> None:
    state = (
        VehicleState()
        .merge(
            [
                Reading(signals.LOCKED, True, T0),
                Reading(signals.RANGE, 312.5, T0),
                Reading(signals.PRECONDITIONING_STATE, "heating", T0),
                Reading(signals.LOCATION, Position(48.1, 11.5, None, 90.0), T0),
            ]
        )
        .state
    )
    assert state_from_json(state_to_json(state)) == state


def test_bad_stored_data_is_left_out() -> None:
    stamp = T0.isoformat()
    restored = state_from_json(
        {
            "range": {"value": 300, "timestamp": stamp},  # int: read as float
            "no_such_signal": {"value": 1, "timestamp": stamp},
            "locked": {"value": "yes", "timestamp": stamp},  # wrong type
            "fuel_level": {"value": 50.0, "timestamp": "later"},
            "odometer": {"value": 10.0},
            "battery_level": {"value": 50.0, "timestamp": "2026-01-15T06:30:00"},
            "location": {"value": [48.1, 11.5], "timestamp": stamp},
            "hood_open": "broken",
        }
    )
    assert dict(restored.readings) == {
        "range": Reading(signals.RANGE, 300.0, T0),
    }


def test_cars_round_trip_and_bad_ones_are_left_out() -> None:
    vehicle = Vehicle(
        vin="SIM00000000000001",
        name="Family car",
        make="Simulated",
        model="Tourer",
        powertrain=Powertrain.PLUG_IN_HYBRID,
        capabilities=Capabilities.of(
            [signals.RANGE, signals.LOCKED],
            [CommandKind.LOCK, CommandKind.UNLOCK],
            TemperatureRange(16.0, 28.0, 0.5),
        ),
        model_year=2024,
        software_version="1.2",
    )
    stored = vehicle_to_json(vehicle)
    assert vehicle_from_json(json.loads(json.dumps(stored))) == vehicle
    plain = {**stored, "climate_temperatures": None, "model_year": None}
    assert vehicle_from_json(plain).capabilities.climate_temperatures is None
    newer = {**stored, "commands": ["lock", "teleport"]}  # of a later release
    assert vehicle_from_json(newer).capabilities.commands == {CommandKind.LOCK}
    for broken in (
        "a car",
        {**stored, "vin": 17},
        {**stored, "powertrain": "steam"},
        {**stored, "model_year": "2024"},
        {**stored, "model_year": True},
        {**stored, "signals": [1]},
        {**stored, "climate_temperatures": {"minimum": 16}},
        {key: value for key, value in stored.items() if key != "name"},
    ):
        assert vehicle_from_json(broken) is None, broken


def test_a_huge_stored_number_is_left_out() -> None:
    """Issue 12: an int too large for a float raised OverflowError here."""
    stamp = T0.isoformat()
    restored = state_from_json(
        {
            "range": {"value": 10**400, "timestamp": stamp},
            "odometer": {"value": 1000, "timestamp": stamp},
        }
    )
    assert dict(restored.readings) == {
        "odometer": Reading(signals.ODOMETER, 1000.0, T0)
    }
