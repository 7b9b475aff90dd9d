"""The error choke point's helpers: refusal reasons, envelopes, odd library errors."""

from __future__ import annotations

import aiohttp
import pytest
from tesla_fleet_api.exceptions import RateLimited, VehicleOffline

from custom_components.connected_car.vehicle import (
    CommandFailureReason,
    VehicleAsleepError,
    VehicleConnectionError,
    VehicleRateLimitError,
)
from custom_components.connected_car.vehicle.tesla.errors import (
    TeslaApiError,
    api_call,
    command_answer,
    from_status,
    refusal_reason,
    response_of,
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("door open", CommandFailureReason.DOOR_OPEN),
        ("vehicle is moving", CommandFailureReason.VEHICLE_MOVING),
        ("battery too low", CommandFailureReason.LOW_BATTERY),
        ("cabin comfort remote settings not enabled", CommandFailureReason.REJECTED),
        ("", CommandFailureReason.REJECTED),
    ],
)
def test_refusal_reasons(text: str, reason: CommandFailureReason) -> None:
    assert refusal_reason(text) is reason


def test_envelopes() -> None:
    assert command_answer({"response": {"result": False}}) == (False, "")
    assert command_answer({"response": {"result": True, "reason": ""}}) == (True, "")
    for bad in ({"response": None}, {"response": {"result": "yes"}}, "x"):
        with pytest.raises(TeslaApiError):
            command_answer(bad)
    assert response_of("x", {"response": [1]}) == [1]
    with pytest.raises(TeslaApiError):
        response_of("x", {"error": "nope"})


async def _raise(err: BaseException) -> None:
    raise err


async def test_odd_library_errors() -> None:
    with pytest.raises(VehicleRateLimitError) as raised:
        await api_call("x", _raise(RateLimited({"reset": "60", "after": None})))
    assert raised.value.retry_after == 60.0
    with pytest.raises(VehicleRateLimitError) as raised:
        await api_call("x", _raise(RateLimited({"after": "soon"})))
    assert raised.value.retry_after is None
    with pytest.raises(VehicleAsleepError):
        await api_call("x", _raise(VehicleOffline()))
    with pytest.raises(VehicleConnectionError):
        await api_call("x", _raise(TimeoutError()))
    with pytest.raises(VehicleConnectionError):
        await api_call("x", _raise(aiohttp.ClientConnectionError()))
    with pytest.raises(TeslaApiError):
        await api_call("x", _raise(ValueError("Expecting value")))
    assert isinstance(from_status("x", 429, None), VehicleRateLimitError)
