"""Every real CarData sample (tests/fixtures/cardata) is read without error.

Each sample file is either fed to the code that reads its kind, or listed in
DOCUMENTATION_ONLY with the reason it holds nothing to parse. A new sample
fails `test_every_sample_is_covered` until someone decides which it is.
"""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
import re

import pytest

from custom_components.connected_car.vehicle import (
    Position,
    Powertrain,
    VehicleConnectionError,
    VehicleRateLimitError,
    VehicleState,
    signals,
)
from custom_components.connected_car.vehicle.bmw import (
    AccessDeniedError,
    AuthorizationPendingError,
    CarDataApiError,
    DeviceAuthorization,
    InvalidGrantError,
    InvalidRequestError,
    Tokens,
    vehicle_from_basic_data,
)
from custom_components.connected_car.vehicle.bmw.auth import sign_in_error
from custom_components.connected_car.vehicle.bmw.errors import (
    CarDataTokenRejectedError,
)
from custom_components.connected_car.vehicle.bmw.keys import KEY_RULES
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
from tests.cardata.server import FIXTURES

SAMPLES = FIXTURES / "samples"
NOW = datetime(2026, 8, 18, 12, 0, tzinfo=UTC)
BEV = VehicleProfile(Powertrain.ELECTRIC)
DOCUMENTATION_ONLY = {
    "auth_device_code_jwt_claims.observed": "claims inside BMW's opaque device code",
    "mqtt_connection_events": "log lines of other clients, no payload",
    "rest_error_texts_observed": "error texts quoted from logs, raw bodies not posted",
}
"""Samples that describe behaviour but hold no wire payload."""


def load(name: str) -> dict:
    """Return a sample document."""
    return json.loads((SAMPLES / f"{name}.json").read_text())


def payload(name: str):
    return load(name)["payload"]


def status(name: str) -> int:
    return int(load(name).get("_http_status", 200))


def test_catalogue_knows_every_key_of_our_table() -> None:
    """Our table only names real keys, and knows which BMW streams."""
    catalogue = {
        item["key"]: item
        for item in json.loads((FIXTURES / "catalogue.json").read_text())
    }
    assert len(catalogue) == 295
    for rule in KEY_RULES:
        assert rule.key in catalogue, rule.key
        assert rule.streamable == catalogue[rule.key]["streamable"], rule.key


# -- stream ---------------------------------------------------------------------------


def test_mqtt_message() -> None:
    """A real stream message: no unit field, second-precision timestamp."""
    message = payload("mqtt_message_preferenceSmartCharging")
    parser = CarDataParser(BEV)
    parsed = parser.parse(message["data"], datetime.fromisoformat(message["timestamp"]))
    assert parsed.problems == []
    assert parsed.readings == []  # a key outside our table ...
    assert parser.unknown_keys == {  # ... kept for diagnostics
        "vehicle.powertrain.electric.battery.charging.preferenceSmartCharging": "'PRICE_OPTIMIZED'"
    }


def test_odometer_in_miles_over_rest_equals_km_over_mqtt() -> None:
    """A UK account: the same reading as 158540 km (MQTT) and 98512.15 "miles" (REST)."""
    rows = payload("mqtt_vs_rest_travelledDistance_unit_mismatch")["rows"]
    parser = CarDataParser(BEV)
    values = []
    for row in rows:
        entry = {
            "value": row["value"],
            "unit": row["unit"],
            "timestamp": row["bmw_timestamp"],
        }
        parsed = parser.parse({"vehicle.vehicle.travelledDistance": entry})
        assert parsed.problems == []
        (reading,) = parsed.readings
        assert reading.signal is signals.ODOMETER
        values.append(reading.value)
    assert values[1] == 158540.0
    assert values[0] == values[2] == pytest.approx(158540, abs=1)
    # Same BMW timestamp over both channels: the merged state holds one reading.
    state = VehicleState()
    for value, row in zip(values, rows, strict=True):
        entry = {"value": value, "unit": "km", "timestamp": row["bmw_timestamp"]}
        state = state.merge(
            parser.parse({"vehicle.vehicle.travelledDistance": entry}).readings
        ).state
    assert state.value(signals.ODOMETER) == pytest.approx(158540, abs=1)


# -- REST -----------------------------------------------------------------------------


def test_full_i4_snapshot() -> None:
    data = parse_telematic_data(payload("rest_telematicData_i4_M50_full"))
    parser = CarDataParser(BEV)
    parsed = parser.parse(data)
    assert parsed.problems == []
    state = VehicleState().merge(parsed.readings).state
    assert state.value(signals.RANGE) == 286.0
    range_reading = state.get(signals.RANGE)
    assert range_reading.timestamp == datetime(2025, 9, 29, 16, 48, 19, 19000, UTC)
    assert state.value(signals.BATTERY_LEVEL) == 74.0
    assert state.value(signals.CHARGING_POWER) is None  # never sent (null)
    assert set(state.readings) == {signals.RANGE.key, signals.BATTERY_LEVEL.key}
    # Unknown keys (target SoC, lastChargingResult, ...) are kept, values short.
    assert (
        parser.unknown_keys["vehicle.powertrain.electric.battery.stateOfCharge.target"]
        == "'85'"
    )
    assert (
        "vehicle.drivetrain.electricEngine.charging.lastChargingResult"
        in parser.unknown_keys
    )


def test_all_null_snapshot_gives_nothing_and_no_error() -> None:
    parsed = CarDataParser(BEV).parse(
        parse_telematic_data(payload("rest_telematicData_all_null_fragment"))
    )
    assert parsed.readings == []
    assert parsed.problems == []


def test_snapshot_with_real_charging_enum() -> None:
    parsed = CarDataParser(BEV).parse(
        parse_telematic_data(payload("rest_telematicData_fragment_2026-04-28"))
    )
    assert parsed.problems == []
    state = VehicleState().merge(parsed.readings).state
    assert state.value(signals.CHARGING) is False  # NOCHARGING
    assert state.value(signals.BATTERY_LEVEL) == 63.0


def test_tyre_pressure_string_in_kpa_and_cut_off_altitude() -> None:
    parser = CarDataParser(BEV)
    parsed = parser.parse(
        parse_telematic_data(payload("rest_telematicData_tyre_altitude_fragment"))
    )
    assert parsed.problems == []
    (tyre,) = parsed.readings
    assert tyre.signal is signals.TYRE_PRESSURE_FRONT_RIGHT
    assert tyre.value == 260.0
    assert "vehicle.cabin.infotainment.navigation.currentLocation.altitude" in (
        parser.unknown_keys
    )


def test_bmw_guide_example_is_not_json_and_its_content_still_parses() -> None:
    """BMW's own example is malformed JSON; the value inside still reads."""
    text = payload("rest_telematicData.bmw_guide_example")
    with pytest.raises(ValueError, match="Expecting"):
        json.loads(text)
    with pytest.raises(VehicleConnectionError):
        parse_telematic_data(text)
    parsed = CarDataParser(BEV).parse(
        {
            "vehicle.cabin.infotainment.navigation.currentLocation.latitude": {
                "value": "48.177",
                "unit": "degrees",
                "timestamp": "2025-07-28T05:16:53.000Z",
            },
            "vehicle.cabin.infotainment.navigation.currentLocation.longitude": {
                "value": "9.498705",  # the guide's string value
                "unit": "degrees",
                "timestamp": "2025-07-28T05:16:53.000Z",
            },
        }
    )
    (location,) = parsed.readings
    assert location.value == Position(48.177, 9.498705)


@pytest.mark.parametrize(
    ("name", "powertrain", "vehicle_name", "fuel", "battery", "year"),
    [
        (
            "rest_basicData_i4_M50_BEV",
            Powertrain.ELECTRIC,
            "BMW i4 M50",
            False,
            True,
            2022,
        ),
        # A petrol X2 claims propulsionType "BE": the drive train decides.
        (
            "rest_basicData_X2_M35i_CONV",
            Powertrain.COMBUSTION,
            "BMW X2 M35i xDrive",
            True,
            False,
            2025,
        ),
        # Cut-off body without driveTrain: assume a plug-in hybrid (every signal).
        (
            "rest_basicData_iX1_fragment",
            Powertrain.PLUG_IN_HYBRID,
            "BMW CarData",
            True,
            True,
            2023,
        ),
    ],
)
def test_basic_data(name, powertrain, vehicle_name, fuel, battery, year) -> None:
    vehicle = vehicle_from_basic_data("WBY0TEST000000001", payload(name))
    assert vehicle.powertrain is powertrain
    assert vehicle.name == vehicle_name
    assert vehicle.model_year == year
    capabilities = vehicle.capabilities
    assert capabilities.commands == frozenset()  # CarData is read-only
    assert capabilities.has(signals.FUEL_LEVEL) is fuel
    assert capabilities.has(signals.BATTERY_LEVEL) is battery
    assert capabilities.has(signals.LOCKED)
    assert capabilities.has(signals.LOCATION)
    assert capabilities.has(signals.PRECONDITIONING_STATE)
    assert not capabilities.has(signals.OUTSIDE_TEMPERATURE)  # not in the catalogue


def test_no_sunroof_means_no_sunroof_sensor() -> None:
    x2 = vehicle_from_basic_data("X", payload("rest_basicData_X2_M35i_CONV"))
    i4 = vehicle_from_basic_data("X", payload("rest_basicData_i4_M50_BEV"))
    assert not x2.capabilities.has(signals.SUNROOF_OPEN)
    assert i4.capabilities.has(signals.SUNROOF_OPEN)


@pytest.mark.parametrize(
    ("name", "vins"),
    [
        ("rest_mappings_one_vehicle", ["WBY0TEST000000004"]),
        ("rest_mappings_two_vehicles", ["WBY0TEST000000001", "WBY0TEST000000002"]),
    ],
)
def test_mappings(name, vins) -> None:
    assert parse_mappings(payload(name)) == vins
    assert parse_mappings(payload(name)[0]) == vins[:1]  # the swagger's object shape


def test_containers() -> None:
    containers = parse_containers(payload("rest_containers_list.log_derived"))
    assert [(c.container_id, c.state) for c in containers] == [
        ("I00X000L000DW", "DELETED"),
        ("R00Q000M000KJ", "ACTIVE"),
        ("E00A000V000UK", "DELETED"),
        ("N00B000Q000HE", "ACTIVE"),
    ]
    created = payload("rest_container_create.documented_shape")
    container = parse_created_container(created["response_body_fields"], "ours")
    assert container.container_id == "A00A000A000AA"
    assert container.state == "ACTIVE"
    assert created["request_headers"]["x-version"] == "v1"


# -- errors -----------------------------------------------------------------------------


def test_quota_error_is_a_rate_limit_until_midnight_utc() -> None:
    error = api_error(
        status("rest_error_cu429_quota"), payload("rest_error_cu429_quota"), NOW
    )
    assert isinstance(error, VehicleRateLimitError)
    assert error.retry_after == 12 * 3600


def test_every_documented_error_code() -> None:
    for item in payload("rest_error_codes.bmw_guide"):
        code = item["exveErrorId"]
        http = (
            500
            if code.startswith("CU-5")
            else 401
            if code in {"CU-100", "CU-101", "CU-102"}
            else 403
        )
        error = api_error(http, item, NOW)
        if code == "CU-429":
            assert isinstance(error, VehicleRateLimitError)
        elif http == 401:
            assert isinstance(error, CarDataTokenRejectedError)
        elif http == 500:
            assert isinstance(error, VehicleConnectionError)
            assert not isinstance(error, CarDataApiError)
        else:
            assert isinstance(error, CarDataApiError)
            assert error.code == code


def test_forbidden_without_token() -> None:
    error = api_error(
        status("rest_error_tp403_no_token"), payload("rest_error_tp403_no_token"), NOW
    )
    assert isinstance(error, CarDataApiError)
    assert (error.status, error.code) == (403, "TP-403")


# -- sign-in ----------------------------------------------------------------------------


def test_device_code_response() -> None:
    authorization = DeviceAuthorization.from_response(
        payload("auth_device_code_response.bmw_swagger_example"),
        "client",
        "verifier",
        NOW,
    )
    assert authorization.user_code == "sDzZXXmD"
    assert authorization.interval == 5
    assert (authorization.expires_at - NOW).total_seconds() == 300
    assert authorization.verification_url == (
        "https://customer.bmwgroup.com/oneid/link?user_code=sDzZXXmD"
    )


@pytest.mark.parametrize(
    ("name", "error_class"),
    [
        ("auth_token_poll_authorization_pending", AuthorizationPendingError),
        ("auth_token_error_access_denied", AccessDeniedError),
        ("auth_token_error_invalid_grant", InvalidGrantError),
        ("auth_device_user_error_invalid_request", InvalidRequestError),
    ],
)
def test_token_errors(name, error_class) -> None:
    error = sign_in_error(status(name), payload(name))
    assert type(error) is error_class


def test_granular_scope_error_and_gateway_error() -> None:
    rejected = payload("auth_device_code_request_granular_scope_rejected")
    assert isinstance(
        sign_in_error(
            status("auth_device_code_request_granular_scope_rejected"),
            rejected["response"],
        ),
        InvalidRequestError,
    )
    gateway = sign_in_error(
        status("auth_token_error_500_invalid_access_token"),
        payload("auth_token_error_500_invalid_access_token"),
    )
    assert isinstance(gateway, VehicleConnectionError)
    assert "keymanagement.service.invalid_access_token" in str(gateway)


def test_refresh_response() -> None:
    tokens = Tokens.from_response(payload("auth_token_refresh_response"), NOW)
    assert tokens.gcid == "00000000-0000-4000-8000-000000000001"
    assert (tokens.expires_at - NOW).total_seconds() == 3599
    assert tokens.id_token.startswith("eyJ")


def test_every_sample_is_covered() -> None:
    """Every sample is named by a test in this module or listed as documentation."""
    names = {path.stem for path in Path(SAMPLES).glob("*.json")}
    assert len(names) == 28
    named_here = set(
        re.findall(r'"((?:auth|mqtt|rest)_[\w.-]+)"', Path(__file__).read_text())
    )
    assert names - named_here - set(DOCUMENTATION_ONLY) == set()
    for name in DOCUMENTATION_ONLY:
        assert load(name)["payload"]
