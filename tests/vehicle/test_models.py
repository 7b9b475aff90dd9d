"""Vehicle state merging: the rules every backend relies on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.connected_car.vehicle import (
    Position,
    Reading,
    TemperatureRange,
    VehicleState,
    signals,
)
from custom_components.connected_car.vehicle.models import RejectReason

T0 = datetime(2026, 1, 15, 6, 30, tzinfo=UTC)


def test_merge_applies_new_and_newer_readings() -> None:
    """New and newer readings apply; the newest timestamp is the state's age."""
    state = VehicleState().merge([Reading(signals.RANGE, 100.0, T0)]).state
    result = state.merge(
        [
            Reading(signals.RANGE, 90.0, T0 + timedelta(minutes=1)),
            Reading(signals.LOCKED, True, T0),
        ]
    )
    assert result.state.value(signals.RANGE) == 90.0
    assert result.state.value(signals.LOCKED) is True
    assert result.state.last_updated == T0 + timedelta(minutes=1)
    assert len(result.changed) == 2
    assert state.value(signals.RANGE) == 100.0  # the old snapshot never changes


def test_merge_drops_older_readings_and_ignores_duplicates() -> None:
    """Out-of-order readings are rejected as stale; repeats change nothing."""
    state = VehicleState().merge([Reading(signals.RANGE, 100.0, T0)]).state
    result = state.merge(
        [
            Reading(signals.RANGE, 120.0, T0 - timedelta(seconds=1)),
            Reading(signals.RANGE, 100.0, T0),
        ]
    )
    assert result.state is state
    assert result.changed == ()
    assert [r.reason for r in result.rejected] == [RejectReason.STALE]


@pytest.mark.parametrize(
    "reading",
    [
        Reading(signals.RANGE, "100", T0),
        Reading(signals.RANGE, True, T0),
        Reading(signals.RANGE, -1.0, T0),
        Reading(signals.RANGE, float("inf"), T0),
        Reading(signals.FUEL_LEVEL, 101.0, T0),
        Reading(signals.LOCKED, "ASN_isTrue", T0),
        Reading(signals.LOCKED, 1, T0),
        Reading(signals.LOCATION, Position(91.0, 0.0), T0),
        Reading(signals.LOCATION, Position(0.0, 0.0, accuracy=-1.0), T0),
        Reading(signals.LOCATION, (52.0, 4.0), T0),
    ],
)
def test_merge_rejects_malformed_values(reading: Reading) -> None:
    """Values of the wrong type or out of range never reach the state."""
    result = VehicleState().merge([reading])
    assert result.state.readings == {}
    assert [r.reason for r in result.rejected] == [RejectReason.MALFORMED]


def test_merge_rejects_naive_timestamps() -> None:
    """A timestamp without a time zone cannot be ordered against others."""
    result = VehicleState().merge(
        [Reading(signals.RANGE, 1.0, T0.replace(tzinfo=None))]
    )
    assert [r.reason for r in result.rejected] == [RejectReason.NAIVE_TIMESTAMP]


def test_integers_are_valid_numbers() -> None:
    """Backends may send whole numbers for float signals."""
    assert VehicleState().merge([Reading(signals.RANGE, 100, T0)]).changed


@pytest.mark.parametrize(
    ("value", "nearest"), [(21.1, 21.0), (21.3, 21.5), (10.0, 16.0), (40.0, 28.0)]
)
def test_temperature_range_nearest(value: float, nearest: float) -> None:
    """Targets snap to the car's step and bounds."""
    assert TemperatureRange(16.0, 28.0, 0.5).nearest(value) == nearest
