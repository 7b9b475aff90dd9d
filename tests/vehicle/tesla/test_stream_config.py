"""Teslemetry's stream configuration: a car streams only the fields it is set up for."""

from __future__ import annotations

import pytest

from custom_components.connected_car.vehicle import VehicleConnectionError, signals
from custom_components.connected_car.vehicle.tesla import (
    StreamFields,
    TeslaApiError,
    TeslemetryTransport,
    stream_field_names,
)
from tests.simulation import set_open
from tests.tesla.https import Fault

from .conftest import TOKEN, eventually

EVERY_FIELD = stream_field_names(location=True)


@pytest.fixture
async def transport(tesla_session, account) -> TeslemetryTransport:
    async def token() -> str:
        return TOKEN

    transport = TeslemetryTransport(tesla_session, token)
    await transport.account()  # picks the regional host
    return transport


def config_requests(teslemetry) -> list[tuple[str, int]]:
    return [
        (r.method, r.status) for r in teslemetry.requests if "/api/config/" in r.path
    ]


async def test_a_new_car_streams_nothing_until_configured(
    streaming, fake_car, teslemetry, transport
) -> None:
    fake_car.stream_config = None  # the owner never set up streaming
    set_open(fake_car.car, signals.DOOR_FRONT_LEFT_OPEN, True)
    teslemetry.tick()
    await eventually(lambda: len(teslemetry.streams) == 1)
    assert streaming.state(fake_car.vin).value(signals.DOOR_FRONT_LEFT_OPEN) is None

    result = await transport.configure_stream(fake_car.vin, EVERY_FIELD)
    assert result == StreamFields(added=EVERY_FIELD)
    assert config_requests(teslemetry) == [("GET", 404), ("PATCH", 200)]
    set_open(fake_car.car, signals.DOOR_FRONT_LEFT_OPEN, False)
    set_open(fake_car.car, signals.DOOR_REAR_RIGHT_OPEN, True)
    teslemetry.tick()
    await eventually(
        lambda: streaming.state(fake_car.vin).value(signals.DOOR_REAR_RIGHT_OPEN)
    )


async def test_only_missing_fields_are_added_and_the_owners_stay(
    fake_car, teslemetry, transport
) -> None:
    fake_car.stream_config["fields"] = {
        "ChargeAmps": {"interval_seconds": 60},
        "Locked": {"interval_seconds": 10},
    }
    fake_car.unstreamable = frozenset({"DCChargingPower"})
    result = await transport.configure_stream(fake_car.vin, EVERY_FIELD)
    assert "Locked" not in result.added
    assert result.ignored == ("DCChargingPower",)
    assert set(result.added) == set(EVERY_FIELD) - {"Locked", "DCChargingPower"}
    fields = fake_car.stream_config["fields"]
    assert fields["ChargeAmps"] == {"interval_seconds": 60}
    assert fields["Locked"] == {"interval_seconds": 10}
    assert fields["Location"] is None  # Teslemetry's default interval


async def test_a_configured_car_is_left_alone(fake_car, teslemetry, transport) -> None:
    assert await transport.configure_stream(fake_car.vin, EVERY_FIELD) == (
        StreamFields()
    )
    assert config_requests(teslemetry) == [("GET", 200)]


async def test_without_location_no_position_is_asked_for(
    fake_car, teslemetry, transport
) -> None:
    fake_car.stream_config = None
    fields = stream_field_names(location=False)
    assert "Location" not in fields
    assert "GpsHeading" not in fields
    await transport.configure_stream(fake_car.vin, fields)
    assert "Location" not in fake_car.stream_config["fields"]


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(503, {"response": None, "error": "unavailable"}), TeslaApiError),
        (Fault(200, {"error": "vehicle not eligible"}), TeslaApiError),
    ],
)
async def test_refusals_raise(fake_car, teslemetry, transport, fault, error) -> None:
    fake_car.stream_config = None
    fault.path_contains = "/api/config/"
    teslemetry.fail_next(Fault(404, {"response": None, "error": "not_found"}))
    teslemetry.fail_next(fault)
    with pytest.raises(error) as raised:
        await transport.configure_stream(fake_car.vin, EVERY_FIELD)
    assert isinstance(raised.value, VehicleConnectionError)
