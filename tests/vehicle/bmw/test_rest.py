"""The REST choke point: every failure becomes the right vehicle-layer error."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.connected_car.vehicle import (
    VehicleConnectionError,
    VehicleRateLimitError,
)
from custom_components.connected_car.vehicle.bmw import (
    CarDataAuth,
    CarDataEndpoints,
    DeviceAuthorization,
    QuotaBudget,
)
from custom_components.connected_car.vehicle.bmw.rest import CarDataRestClient
from tests.cardata.broker import free_port


@pytest.fixture
def client(session, cardata, tokens, manual_clock) -> CarDataRestClient:
    async def access_token() -> str:
        return tokens.access_token

    return CarDataRestClient(
        session,
        access_token,
        QuotaBudget(),
        manual_clock,
        endpoints=cardata.endpoints(),
        request_timeout=0.2,
    )


async def test_slow_and_unreachable_bmw(client, cardata, session, manual_clock) -> None:
    cardata.delay = 1.0
    with pytest.raises(VehicleConnectionError, match="in time"):
        await client.vehicle_mappings()
    cardata.delay = 0
    unreachable = CarDataRestClient(
        session,
        client._access_token,
        QuotaBudget(),
        manual_clock,
        endpoints=CarDataEndpoints(api_base_url=f"http://127.0.0.1:{free_port()}"),
    )
    with pytest.raises(VehicleConnectionError, match="unreachable"):
        await unreachable.vehicle_mappings()


@pytest.mark.parametrize(
    ("fault", "call"),
    [
        ((200, "<html>maintenance</html>"), "vehicle_mappings"),
        ((200, ""), "vehicle_mappings"),
        ((200, '"a string"'), "vehicle_mappings"),
        ((200, "[1, 2]"), "basic_data"),
        ((200, '{"containers": 3}'), "containers"),
        ((201, "{}"), "create_container"),
        ((200, '{"telematicData": []}'), "telematic_data"),
        ((502, "Bad gateway"), "vehicle_mappings"),
    ],
)
async def test_unexpected_answers(client, cardata, fault, call) -> None:
    cardata.rest_faults.append(fault)
    method = getattr(client, call)
    arguments = {
        "vehicle_mappings": (),
        "basic_data": ("WBA00000000000001",),
        "containers": (),
        "create_container": ("name", "purpose", ["vehicle.body.hood.isOpen"]),
        "telematic_data": ("WBA00000000000001", "CONTAINER0001"),
    }[call]
    with pytest.raises(VehicleConnectionError):
        await method(*arguments)


async def test_our_budget_stops_calls_before_bmw_does(client, cardata, manual_clock):
    start = manual_clock.now()
    for _ in range(50):
        await client.vehicle_mappings()
        await manual_clock.advance(60)
    requests = len(cardata.rest_requests)
    with pytest.raises(VehicleRateLimitError) as err:
        await client.vehicle_mappings()
    assert len(cardata.rest_requests) == requests  # nothing was sent
    # The oldest call leaves the 24-hour window first.
    assert (
        err.value.retry_after
        == (start + timedelta(hours=24) - manual_clock.now()).total_seconds()
    )
    assert client.budget.next_call_at(manual_clock.now()) == start + timedelta(hours=24)
    await manual_clock.advance(err.value.retry_after + 1)
    assert client.budget.remaining(manual_clock.now()) == 1


async def test_slow_sign_in_server(session, cardata, account, manual_clock) -> None:
    cardata.delay = 1.0
    auth = CarDataAuth(session, cardata.endpoints(), request_timeout=0.2)
    with pytest.raises(VehicleConnectionError, match="in time"):
        await auth.request_device_code(account.client_id, manual_clock.now())


def test_malformed_device_code_response(manual_clock) -> None:
    with pytest.raises(VehicleConnectionError, match="missing device_code"):
        DeviceAuthorization.from_response(
            {"user_code": "x"}, "c", "v", manual_clock.now()
        )
    with pytest.raises(VehicleConnectionError):
        DeviceAuthorization.from_response(
            {
                "user_code": "x",
                "device_code": "d",
                "verification_uri": "u",
                "interval": "soon",
            },
            "c",
            "v",
            manual_clock.now(),
        )


def test_budget_storage_is_forgiving(manual_clock) -> None:
    now = manual_clock.now()
    budget = QuotaBudget.from_dict(
        {
            "calls": [now.isoformat(), "yesterday", 17, "2026-01-15T06:00:00"],
            "blocked_until": "never",
            "strikes": "many",
        }
    )
    assert budget.calls == [now]
    assert budget.blocked_until is None
    assert budget.strikes == 0
    assert QuotaBudget.from_dict(None).calls == []
    budget.block(now)
    again = QuotaBudget.from_dict(budget.as_dict())
    assert (again.blocked_until, again.strikes, again.calls) == (
        budget.blocked_until,
        1,
        [now],
    )
