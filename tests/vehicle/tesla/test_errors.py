"""The error choke point's helpers: refusal reasons, envelopes, odd library errors."""

from __future__ import annotations

import aiohttp
import pytest
from tesla_fleet_api.exceptions import (
    NotOnWhitelistFault,
    RateLimited,
    TeslaFleetMessageFaultBusy,
    VehicleOffline,
)

from custom_components.connected_car.vehicle import (
    CommandFailureReason,
    VehicleAsleepError,
    VehicleConnectionError,
    VehicleRateLimitError,
)
from custom_components.connected_car.vehicle.tesla.errors import (
    TeslaApiError,
    TeslaForbiddenError,
    TeslaKeyNotPairedError,
    TeslaMissingScopesError,
    TeslaNotRegisteredError,
    TeslaSigningRequiredError,
    TeslaSigningUnsupportedError,
    TeslaWrongRegionError,
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


async def test_signed_message_faults() -> None:
    with pytest.raises(TeslaKeyNotPairedError) as unpaired:
        await api_call("lock", _raise(NotOnWhitelistFault()))
    assert unpaired.value.pairing_url is None  # the transport names its domain
    with pytest.raises(TeslaApiError) as busy:
        await api_call("lock", _raise(TeslaFleetMessageFaultBusy()))
    assert busy.value.error == "TeslaFleetMessageFaultBusy"
    assert "lock: the car refused the signed message" in str(busy.value)


@pytest.mark.parametrize(
    ("status", "error", "raised"),
    [
        (403, "unsupported vehicle", TeslaForbiddenError),
        (403, "Unauthorized missing scopes", TeslaMissingScopesError),
        (403, "invalid_scope", TeslaMissingScopesError),
        (412, "Account [client-id] must be registered", TeslaNotRegisteredError),
        (421, "user out of region", TeslaWrongRegionError),
        (422, "invalid field", TeslaApiError),
        (
            422,
            "vehicle does not support the Tesla Vehicle Command Protocol",
            TeslaSigningUnsupportedError,
        ),
        (403, "Tesla Vehicle Command Protocol required", TeslaSigningRequiredError),
    ],
)
def test_statuses_of_the_fleet_api(status, error, raised) -> None:
    mapped = from_status("call", status, error)
    assert type(mapped) is raised
    assert "client-id" not in str(mapped)


def test_the_region_named_by_a_421() -> None:
    named = from_status(
        "x",
        421,
        "user out of region, use base URL: https://fleet-api.prd.eu.vn.cloud.tesla.com, see https://...",
    )
    assert named.host == "fleet-api.prd.eu.vn.cloud.tesla.com"
    assert from_status("x", 421, None).host is None
