"""Vehicle state merging: the rules every backend relies on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo

import pytest

from custom_components.connected_car.vehicle import (
    Position,
    Reading,
    Signal,
    TemperatureRange,
    VehicleState,
    signals,
)
from custom_components.connected_car.vehicle.models import MAX_CLOCK_SKEW, RejectReason

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


# -- inputs no backend should be able to break the merge with (issue 12) -------------


NOW = T0 + timedelta(hours=1)


@pytest.mark.parametrize(
    "reading",
    [
        Reading(signals.RANGE, 10**400, T0),  # too large for a float: raised before
        Reading(signals.ODOMETER, -(10**309), T0),
        Reading(signals.RANGE, float("nan"), T0),
        Reading(signals.LOCATION, Position(10**400, 0.0), T0),
        Reading(signals.LOCATION, Position(52.0, 4.0, heading=float("nan")), T0),
        Reading(signals.LOCATION, Position(52.0, 4.0, heading=400.0), T0),
        Reading(signals.LOCATION, Position(True, 4.0), T0),
        Reading(signals.PRECONDITIONING_STATE, "x" * 10_000_000, T0),
        Reading(signals.PRECONDITIONING_STATE, "boiling", T0),
    ],
)
def test_impossible_values_are_rejected_not_raised(reading: Reading) -> None:
    result = VehicleState().merge([reading], NOW)
    assert result.state.readings == {}
    assert [r.reason for r in result.rejected] == [RejectReason.MALFORMED]


def test_a_timestamp_that_cannot_be_converted_to_utc_is_rejected() -> None:
    """Year 9999 west of Greenwich has no UTC form; it used to end the stream."""
    west = timezone(timedelta(hours=-5))
    readings = [
        Reading(signals.RANGE, 1.0, datetime.max.replace(tzinfo=west)),
        Reading(
            signals.RANGE,
            1.0,
            datetime.min.replace(tzinfo=timezone(timedelta(hours=5))),
        ),
        Reading(signals.RANGE, 1.0, "2026-01-15T06:30:00Z"),
        Reading(signals.RANGE, 1.0, None),
    ]
    result = VehicleState().merge(readings, NOW)
    assert [r.reason for r in result.rejected] == [RejectReason.BAD_TIMESTAMP] * 4
    # Without a clock too: the far future only needs one to be rejected.
    assert VehicleState().merge(readings[:1]).rejected[0].reason is (
        RejectReason.BAD_TIMESTAMP
    )


def test_a_reading_from_the_future_does_not_freeze_its_signal() -> None:
    """The newest timestamp wins, so one from 2099 would block every later value."""
    future = Reading(signals.RANGE, 500.0, datetime(2099, 1, 1, tzinfo=UTC))
    result = VehicleState().merge([future, Reading(signals.RANGE, 90.0, NOW)], NOW)
    assert result.state.value(signals.RANGE) == 90.0
    assert [r.reason for r in result.rejected] == [RejectReason.FUTURE_TIMESTAMP]
    # A little ahead (a car clock that runs fast) is fine; beyond the skew is not.
    ahead = NOW + MAX_CLOCK_SKEW
    assert VehicleState().merge([Reading(signals.RANGE, 1.0, ahead)], NOW).changed
    too_far = ahead + timedelta(seconds=1)
    assert not VehicleState().merge([Reading(signals.RANGE, 1.0, too_far)], NOW).changed


def test_readings_from_an_unset_car_clock_are_rejected() -> None:
    epoch = Reading(signals.RANGE, 1.0, datetime(1970, 1, 1, tzinfo=UTC))
    result = VehicleState().merge([epoch], NOW)
    assert [r.reason for r in result.rejected] == [RejectReason.ANCIENT_TIMESTAMP]


def test_timestamps_are_kept_in_utc() -> None:
    berlin = T0.astimezone(timezone(timedelta(hours=1)))
    state = VehicleState().merge([Reading(signals.RANGE, 1.0, berlin)], NOW).state
    stamp = state.get(signals.RANGE).timestamp
    assert stamp == T0
    assert stamp.tzinfo is UTC


def test_hostile_objects_are_rejected_not_raised() -> None:
    class Exploding:
        def __eq__(self, other: object) -> bool:
            raise RuntimeError

        __hash__ = None

    class BrokenZone(tzinfo):
        def utcoffset(self, dt):
            raise RuntimeError

    result = VehicleState().merge(
        [
            Reading(signals.LOCKED, Exploding(), T0),
            Reading(signals.LOCKED, True, T0.replace(tzinfo=BrokenZone())),
            Reading("locked", True, T0),
        ],
        NOW,
    )
    assert result.state.readings == {}
    assert [r.reason for r in result.rejected] == [RejectReason.MALFORMED] * 3


def test_short_free_text_is_a_value() -> None:
    free_text = Signal("note", str)
    assert VehicleState().merge([Reading(free_text, "hello", T0)], NOW).changed
    assert not VehicleState().merge([Reading(free_text, "x" * 256, T0)], NOW).changed
