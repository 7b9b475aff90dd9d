"""Hypothesis profiles and strategies for fuzzing the vehicle layer's inputs.

Profiles (HYPOTHESIS_PROFILE):

- ``dev`` (default): 300 examples per test, in every `scripts/test` run;
- ``ci``: 10,000 examples per test, run by `scripts/fuzz` (CI runs it, without
  coverage: tracing makes hypothesis about three times slower).

Both skip shrinking-irrelevant health checks and deadlines (the machine is
shared; a slow example is not a failure), and store no example database
(runs stay independent of earlier ones).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
import os
from typing import Any

from hypothesis import HealthCheck, Phase, settings, strategies as st

from custom_components.connected_car.vehicle import Position, signals
from custom_components.connected_car.vehicle.bmw.keys import RULES_BY_KEY

COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("dev", max_examples=300, **COMMON)
settings.register_profile(
    "ci",
    max_examples=10_000,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    **COMMON,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "dev")

NOW = datetime(2026, 1, 15, 6, 30, tzinfo=UTC)

# -- values -------------------------------------------------------------------------

huge_ints = st.integers(min_value=2**1023, max_value=10**400) | st.integers(
    min_value=-(10**400), max_value=-(2**1023)
)
numbers = (
    st.integers(min_value=-(10**6), max_value=10**7)
    | huge_ints
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=-1000, max_value=1000)
)
texts = st.text(max_size=40) | st.sampled_from(["x" * 256, "ä" * 100_000])
positions = st.builds(
    Position,
    st.floats(allow_nan=True, allow_infinity=True) | huge_ints | st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True) | huge_ints,
    st.none() | numbers,
    st.none() | numbers,
)
any_value = (
    st.none()
    | st.booleans()
    | numbers
    | texts
    | st.sampled_from(signals.PRECONDITIONING_STATES)
    | positions
    | st.lists(st.integers(), max_size=3)
)

# -- timestamps -----------------------------------------------------------------------

offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
near_now = st.integers(min_value=-3 * 86400, max_value=3600).map(
    lambda seconds: NOW + timedelta(seconds=seconds)
)
any_datetime = st.datetimes(timezones=st.none() | offsets | st.just(UTC))
timestamps = (
    near_now
    | st.builds(datetime.astimezone, near_now, offsets)
    | any_datetime
    | st.sampled_from(
        [
            datetime.max.replace(tzinfo=timezone(timedelta(hours=-5))),
            datetime.min.replace(tzinfo=timezone(timedelta(hours=5))),
            datetime(1970, 1, 1, tzinfo=UTC),
            datetime(2099, 1, 1, tzinfo=UTC),
        ]
    )
    | st.none()
    | st.text(max_size=10)
)

# -- JSON -------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | huge_ints
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=8,
)

# -- CarData entries ----------------------------------------------------------------------

cardata_keys = st.sampled_from(sorted(RULES_BY_KEY)) | st.text(max_size=30)
wire_values = (
    json_scalars
    | st.sampled_from(
        [
            "OPEN",
            "CLOSED",
            "ASN_isTrue",
            "ASN_isFalse",
            "SECURED",
            "UNLOCKED",
            "INVALID",
            "-NA-",
            "CHARGINGACTIVE",
            "HEATING",
            "12.5",
            "1e400",
            "nan",
            "-0",
        ]
    )
    | json_values
)
wire_units = (
    st.none()
    | st.sampled_from(
        [
            "km",
            "mi",
            "miles",
            "%",
            "l",
            "gal",
            "kPa",
            "bar",
            "psi",
            "V",
            "W",
            "kW",
            "min",
            "s",
            "h",
            "°C",
        ]
    )
    | st.text(max_size=5)
    | json_scalars
)
iso_times = (
    near_now.map(lambda t: t.isoformat().replace("+00:00", "Z"))
    | any_datetime.map(datetime.isoformat)
    | st.sampled_from(
        [
            "9999-12-31T23:59:59-05:00",
            "0001-01-01T00:00:00+05:00",
            "2099-01-01T00:00:00Z",
            "1970-01-01T00:00:00.000Z",
            "2026-01-15T06:30:00+0000",
            "yesterday",
            "",
        ]
    )
    | json_scalars
)


@st.composite
def entries(draw: Any) -> object:
    """A CarData entry as BMW sends it, or something that is not one."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    entry: dict[str, object] = {}
    if draw(st.booleans()):
        entry["value"] = draw(wire_values)
    if draw(st.booleans()):
        entry["unit"] = draw(wire_units)
    if draw(st.integers(0, 4)):
        entry["timestamp"] = draw(iso_times)
    return entry


telematic_data = st.dictionaries(cardata_keys, entries(), max_size=6)
