"""Vehicle states kept across restarts (every backend): storage format."""

from __future__ import annotations

from datetime import UTC, datetime

from custom_components.connected_car.state_store import state_from_json, state_to_json
from custom_components.connected_car.vehicle import (
    Position,
    Reading,
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
