"""Property-based fuzzing of Tesla's parsers (issue 12), as tests/vehicle/test_fuzz.py does for BMW.

What vehicle_data (REST, or the stream's vehicle_data event) and the stream's
changed fields carry goes through the parsers and then the model's merge, as
the backend does. Whatever arrives: no exception but the parser's own
`ParseError` escapes, every good field applies, and no impossible value reaches
a state. 10,000 cases each in CI (the hypothesis profile in fuzzing.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import example, given, strategies as st
import pytest

from custom_components.connected_car.vehicle import VehicleState, signals
from custom_components.connected_car.vehicle.tesla.parsing import (
    ParseError,
    Problem,
    StreamParser,
    VehicleProfile,
    parse_created_at,
    parse_online_state,
    parse_vehicle_data,
    profile_from_config,
    stream_field_names,
)
from tests.vehicle.fuzzing import NOW, any_value, json_scalars, json_values, numbers
from tests.vehicle.test_fuzz import assert_possible

pytestmark = pytest.mark.timeout(1200)  # 10,000 cases per test in CI

GOOD_SECTION_TIME = int(NOW.timestamp() * 1000) - 60_000  # epoch ms, a minute ago
SECTION_FIELDS = {
    "charge_state": [
        "battery_level",
        "battery_range",
        "charger_power",
        "minutes_to_full_charge",
        "charge_limit_soc",
        "charging_state",
        "charge_port_door_open",
        "timestamp",
    ],
    "climate_state": [
        "inside_temp",
        "outside_temp",
        "is_climate_on",
        "driver_temp_setting",
        "min_avail_temp",
        "max_avail_temp",
        "timestamp",
    ],
    "drive_state": [
        "latitude",
        "longitude",
        "heading",
        "shift_state",
        "speed",
        "timestamp",
    ],
    "vehicle_state": [
        "odometer",
        "locked",
        "df",
        "pf",
        "dr",
        "pr",
        "fd_window",
        "fp_window",
        "rd_window",
        "rp_window",
        "ft",
        "rt",
        "sun_roof_percent_open",
        "tpms_pressure_fl",
        "tpms_pressure_fr",
        "tpms_pressure_rl",
        "tpms_pressure_rr",
        "car_version",
        "timestamp",
    ],
}
"""Field names close to Tesla's, which reach deeper into the parsers than random ones."""

raw_values = json_values | numbers | any_value


@st.composite
def sections(draw: Any, name: str) -> object:
    """One vehicle_data section: Tesla's field names (and others), any values."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)  # not an object at all
    keys = st.sampled_from(SECTION_FIELDS[name]) | st.text(max_size=12)
    return draw(st.dictionaries(keys, raw_values, max_size=8))


@st.composite
def profiles(draw: Any) -> VehicleProfile:
    """A car as its vehicle_config (any shape) and the account's scopes make it."""
    config = draw(
        st.none()
        | st.fixed_dictionaries(
            {}, optional={"rhd": json_scalars, "sun_roof_installed": json_scalars}
        )
    )
    return profile_from_config(
        config, commands=draw(st.booleans()), location=draw(st.booleans())
    )


@st.composite
def vehicle_data(draw: Any) -> object:
    """A vehicle_data ``response``, mangled in any of the ways imaginable."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    data: dict[str, object] = {
        name: draw(sections(name)) for name in SECTION_FIELDS if draw(st.booleans())
    }
    if draw(st.booleans()):
        data["state"] = draw(json_scalars | st.sampled_from(["online", "asleep"]))
    return data


@given(data=vehicle_data(), profile=profiles(), good_time=st.booleans())
@example(  # an int too large for a float once escaped the parser (OverflowError)
    data={"climate_state": {"inside_temp": -(10**400)}},
    profile=VehicleProfile(),
    good_time=False,
)
def test_vehicle_data_never_raises_and_good_fields_apply(
    data: object, profile: VehicleProfile, good_time: bool
) -> None:
    if isinstance(data, dict):
        data = dict(data)
        # A well-formed section beside whatever else came: it must apply.
        data["charge_state"] = {"battery_level": 64}
        if good_time:
            data["charge_state"]["timestamp"] = GOOD_SECTION_TIME
    parsed = parse_vehicle_data(data, profile, NOW)
    assert all(isinstance(problem, Problem) for problem, _ in parsed.problems)
    result = VehicleState().merge(parsed.readings, NOW)
    assert_possible(result.state, NOW)
    if isinstance(data, dict):
        assert result.state.value(signals.BATTERY_LEVEL) == 64


stream_keys = st.sampled_from(stream_field_names(location=True)) | st.text(max_size=20)
stream_values = raw_values | st.dictionaries(
    st.sampled_from(
        ["DriverFront", "PassengerFront", "TrunkFront", "TrunkRear", "latitude"]
    )
    | st.text(max_size=12),
    raw_values,
    max_size=6,
)


@given(
    events=st.lists(
        st.dictionaries(stream_keys, stream_values, max_size=8), max_size=3
    ),
    profile=profiles(),
)
@example(events=[{"RatedRange": 10**400}], profile=VehicleProfile())
def test_stream_fields_never_raise_and_good_fields_apply(
    events: list[dict[str, Any]], profile: VehicleProfile
) -> None:
    """One car's parser over a few events (it remembers the heading between them)."""
    parser = StreamParser(profile)
    state = VehicleState()
    for event in events:
        data = {**event, "BatteryLevel": 55.5}  # a good field in every event
        parsed = parser.parse(data, NOW)
        state = state.merge(parsed.readings, NOW).state
        assert_possible(state, NOW)
        assert state.value(signals.BATTERY_LEVEL) == 55.5


@given(raw=raw_values)
def test_event_times_and_online_states_raise_only_parse_errors(raw: object) -> None:
    for parse in (parse_created_at, parse_online_state):
        try:
            parsed = parse(raw)
        except ParseError:
            continue
        assert parsed is not None
        if isinstance(parsed, datetime):
            assert parsed.tzinfo is not None
