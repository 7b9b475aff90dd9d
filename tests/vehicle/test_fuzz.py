"""Property-based fuzzing of every input path of the vehicle layer (issue 12).

Whatever a car, a stream or a cloud sends: no exception escapes, every good
part applies, and no impossible value reaches a state. The number of cases
comes from the hypothesis profile in fuzzing.py (10,000 each in CI).
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
import json
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.connected_car.vehicle import (
    Reading,
    VehicleConnectionError,
    VehicleError,
    VehicleState,
    signals,
)
from custom_components.connected_car.vehicle.bmw import (
    BmwCarDataBackend,
    DeviceAuthorization,
    Tokens,
)
from custom_components.connected_car.vehicle.bmw.auth import (
    MAX_POLL_INTERVAL,
    TOKEN_PATTERN,
    sign_in_error,
)
from custom_components.connected_car.vehicle.bmw.parsing import (
    CarDataParser,
    VehicleProfile,
)
from custom_components.connected_car.vehicle.bmw.rest import (
    api_error,
    parse_containers,
    parse_created_container,
    parse_mappings,
    parse_telematic_data,
)
from custom_components.connected_car.vehicle.models import (
    EARLIEST_TIMESTAMP,
    MAX_CLOCK_SKEW,
    Powertrain,
    Signal,
)
from custom_components.connected_car.vehicle.payloads import decode_json
from custom_components.connected_car.vehicle.privacy import VIN_PATTERN
from tests.clock import ManualClock
from tests.vehicle.bmw.persistence import MemoryPersistence

from .fuzzing import (
    NOW,
    any_value,
    json_scalars,
    json_values,
    telematic_data,
    timestamps,
)

pytestmark = pytest.mark.timeout(1200)  # 10,000 cases per test in CI

VIN = "WBA00000000000001"
GCID = "00000000-0000-4000-8000-000000000001"
GOOD_TIME = "2026-01-15T06:00:00Z"
GOOD_ENTRY_KEY = "vehicle.body.hood.isOpen"
NO_SIGNAL = Signal("not_in_the_catalogue", float)


def assert_possible(state: VehicleState, now: datetime) -> None:
    """Every reading held is a value its signal accepts, stamped sanely in UTC."""
    for key, reading in state.readings.items():
        assert reading.signal.key == key
        assert reading.signal.accepts(reading.value), reading
        assert reading.timestamp.tzinfo is UTC
        assert EARLIEST_TIMESTAMP <= reading.timestamp <= now + MAX_CLOCK_SKEW


readings = st.builds(
    Reading,
    st.sampled_from([*signals.ALL_SIGNALS, NO_SIGNAL]) | st.just("range"),
    any_value,
    timestamps,
)


@given(
    held=st.lists(readings, max_size=4),
    incoming=st.lists(readings, max_size=8),
)
def test_merge_never_raises_and_holds_only_possible_values(held, incoming) -> None:
    state = VehicleState().merge(held, NOW).state
    result = state.merge(incoming, NOW)
    assert_possible(result.state, NOW)
    assert len(result.changed) + len(result.rejected) <= len(incoming)
    # Good parts apply: per signal, the newest acceptable reading wins (the
    # later of equal times), unless what was held is newer.
    acceptable: dict[str, list[Reading]] = {}
    for reading in [*state.readings.values(), *incoming]:
        if VehicleState().merge([reading], NOW).changed:
            acceptable.setdefault(reading.signal.key, []).append(reading)
    assert set(result.state.readings) == set(acceptable)
    for key, candidates in acceptable.items():
        newest = max(r.timestamp for r in candidates)
        winner = [r for r in candidates if r.timestamp == newest][-1]
        held_now = result.state.readings[key]
        assert held_now.timestamp == newest
        assert held_now.value == winner.value


PARSERS = {
    powertrain: CarDataParser(VehicleProfile(powertrain))
    for powertrain in (Powertrain.ELECTRIC, Powertrain.COMBUSTION)
}


@given(data=telematic_data, electric=st.booleans(), envelope=st.booleans())
def test_cardata_entries_never_raise_and_good_ones_apply(
    data, electric, envelope
) -> None:
    """REST telematicData and MQTT ``data`` go through the same parser."""
    parser = PARSERS[Powertrain.ELECTRIC if electric else Powertrain.COMBUSTION]
    data = dict(data)
    data[GOOD_ENTRY_KEY] = {"value": "OPEN", "timestamp": GOOD_TIME}
    parsed = parser.parse(data, NOW if envelope else None)
    for reading in parsed.readings:
        assert isinstance(reading, Reading)
    result = VehicleState().merge(parsed.readings, NOW)
    assert_possible(result.state, NOW)
    assert result.state.value(signals.HOOD_OPEN) is True


def _backend() -> BmwCarDataBackend:
    tokens = Tokens(
        GCID, "access-token", "id-token-x", "refresh-token", NOW + timedelta(hours=1)
    )
    backend = BmwCarDataBackend(
        session=None,  # no request is made: only messages are handled
        client_id="client",
        tokens=tokens,
        persistence=MemoryPersistence(),
        clock=ManualClock(NOW),
    )
    backend.vins = [VIN]
    backend.basic_data = {VIN: {"driveTrain": "PHEV"}}
    backend._build_vehicles()
    return backend


BACKEND = _backend()


@st.composite
def mqtt_payloads(draw: Any) -> bytes:
    """A CarData MQTT message, mangled in any of the ways seen or imaginable."""
    document: dict[str, object] = {"vin": VIN, "data": draw(telematic_data)}
    if draw(st.booleans()):
        document["timestamp"] = draw(json_values)
    if draw(st.integers(0, 5)) == 0:
        document = draw(st.dictionaries(st.text(max_size=5), json_values))
    raw = json.dumps(document, allow_nan=True).encode()
    match draw(st.integers(0, 9)):
        case 0:
            return draw(st.binary(max_size=200))
        case 1:
            return raw.replace(b'"', b"\xff", 1)  # not UTF-8
        case 2:
            depth = draw(st.integers(30, 200))  # RecursionError: test_payloads
            return b"[" * depth + raw + b"]" * depth
        case _:
            return raw


@given(payload=mqtt_payloads(), own_topic=st.booleans())
def test_mqtt_payloads_never_raise_and_keep_states_possible(payload, own_topic) -> None:
    topic = f"{GCID}/{VIN}" if own_topic else f"{GCID}/+"
    BACKEND._on_mqtt_message(topic, payload)
    assert "unexpected" not in BACKEND.problems
    assert_possible(BACKEND.state(VIN), NOW)


token_answers = st.fixed_dictionaries(
    {},
    optional={
        "gcid": json_scalars | st.just(GCID),
        "access_token": json_scalars | st.text(min_size=1, max_size=50),
        "id_token": json_scalars | st.text(min_size=1, max_size=50),
        "refresh_token": json_scalars | st.text(min_size=1, max_size=50),
        "expires_in": json_scalars,
        "scope": json_scalars,
        "interval": json_scalars,
        "device_code": json_scalars,
        "user_code": json_scalars | st.just("AbCdEfGh"),
        "verification_uri": json_scalars | st.just("https://example.test/link"),
        "error": json_scalars | st.sampled_from(["server_error", "invalid_client"]),
        "error_description": json_values,
    },
)
"""Answers close to BMW's shape, which reach deeper into the parsers."""


@given(
    payload=json_values | token_answers,
    status=st.integers(100, 599),
    retry=st.none() | st.floats(),
)
def test_sign_in_answers_never_raise(payload, status, retry) -> None:
    """Device code, token and refresh answers, mapped and parsed as callers do."""
    error = sign_in_error(status, payload, retry)
    assert error is None or isinstance(error, VehicleError)
    if error is None:
        assert isinstance(payload, dict)
    try:
        tokens = Tokens.from_response(payload, NOW, gcid="kept")
    except VehicleConnectionError:
        pass
    else:
        for token in (tokens.access_token, tokens.id_token, tokens.refresh_token):
            assert TOKEN_PATTERN.fullmatch(token)
        assert timedelta(minutes=1) <= tokens.expires_at - NOW <= timedelta(days=1)
    try:
        authorization = DeviceAuthorization.from_response(
            payload if isinstance(payload, dict) else {}, "client", "verifier", NOW
        )
    except VehicleConnectionError:
        pass
    else:
        assert 1 <= authorization.interval <= MAX_POLL_INTERVAL
        assert authorization.verification_url.startswith("https://")


@given(
    raw=st.binary(max_size=300)
    | json_values.map(lambda v: json.dumps(v, allow_nan=True).encode()),
    status=st.integers(200, 599),
    retry=st.none() | st.floats(),
    vin_in_message=st.booleans(),
)
def test_rest_bodies_never_raise_and_name_no_vin(
    raw, status, retry, vin_in_message
) -> None:
    payload, _problem = decode_json(raw)
    if vin_in_message:
        payload = {"exveErrorId": "CU-104", "exveErrorMsg": f"No access to {VIN}"}
    error = api_error(status, payload, NOW, retry)
    assert isinstance(error, VehicleError)
    assert not VIN_PATTERN.search(str(error))
    for parse in (parse_mappings, parse_containers, parse_telematic_data):
        with contextlib.suppress(VehicleConnectionError):
            parse(payload)
    with contextlib.suppress(VehicleConnectionError):
        parse_created_container(payload, "name")
