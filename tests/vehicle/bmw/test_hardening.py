"""Issue 12: what BMW sends can be rejected, never raised; limits and dead ends.

Each test reproduces a defect the issue lists (or one found on the way)
against the fake CarData: the REST, sign-in and stream paths, rate limits,
permanent sign-in answers and private data in messages.
"""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from custom_components.connected_car.vehicle import (
    ClientRejectedError,
    VehicleAuthError,
    VehicleConnectionError,
    VehicleRateLimitError,
    signals,
)
from custom_components.connected_car.vehicle.bmw import (
    CarDataAuth,
    DeviceAuthorization,
    TokenManager,
    Tokens,
    vehicle_from_basic_data,
)
from custom_components.connected_car.vehicle.bmw.auth import REFRESH_MARGIN
from custom_components.connected_car.vehicle.bmw.rest import CarDataApiError
from tests.cardata.fixtures import eventually
from tests.cardata.server import FakeCarData, sample
from tests.simulation import set_open
from tests.vehicle.faults import UNEXPECTED_ERRORS

HOUR = 3600
NOT_UTF8_PAGE = "<html><body>Wartungsarbeiten für Kunden</body></html>".encode(
    "latin-1"
)
TOO_DEEP = b"[" * 50_000 + b"]" * 50_000
SNAPSHOT_ENTRY_TIME = "2026-01-15T06:30:00Z"


async def _setup(backend) -> str:
    await backend.login()
    vin = (await backend.list_vehicles())[0].vin
    await backend.fetch_state(vin)
    return vin


async def _hood_opened_and_streamed(backend, account, cardata, clock):
    """Open the car's hood and wait until the backend has it from the stream."""
    await eventually(lambda: backend.stream_client.connected)
    car = next(iter(account.cars.values()))
    set_open(car, signals.HOOD_OPEN, True)
    await clock.advance(10)
    await cardata.publish_changes(account)
    await eventually(lambda: backend.state(car.vin).value(signals.HOOD_OPEN))
    return car


def _snapshot(entries: dict[str, object]) -> str:
    return json.dumps({"telematicData": entries})


# -- REST ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (NOT_UTF8_PAGE, "not_utf8"),
        (TOO_DEEP, "too_deep"),
        (b"{" + b'"a": "' + b"x" * (5 * 1024 * 1024) + b'"}', "too_large"),
    ],
    ids=["not UTF-8", "too deep", "too large"],
)
async def test_unreadable_error_pages_are_connection_errors(
    backend, cardata, manual_clock, body, problem
) -> None:
    """A non-UTF-8 or too deep BMW page escaped the REST client (and ended run())."""
    vin = await _setup(backend)
    await manual_clock.advance(2 * HOUR)
    for status in (503, 200):
        cardata.rest_faults.append((status, body))
        with pytest.raises(VehicleConnectionError):
            await backend.rest.telematic_data(vin, backend.container.container_id)
    assert backend.problems[problem] == 2


async def test_poll_path_survives_impossible_values(
    backend, cardata, manual_clock
) -> None:
    """A number too large for a float or a time with no UTC form, fetched by REST.

    Both escaped the snapshot and made every entity unavailable; now the bad
    entries are counted and the rest of the snapshot applies.
    """
    vin = await _setup(backend)
    await manual_clock.advance(2 * HOUR)
    entries = {
        "vehicle.drivetrain.lastRemainingRange": {
            "value": 10**400,
            "unit": "km",
            "timestamp": SNAPSHOT_ENTRY_TIME,
        },
        "vehicle.body.trunk.isOpen": {
            "value": "OPEN",
            "timestamp": "9999-12-31T23:59:59-05:00",
        },
        "vehicle.body.hood.isOpen": {
            "value": "OPEN",
            "timestamp": "2099-01-01T00:00:00Z",  # freezes the signal if applied
        },
        "vehicle.cabin.door.row1.driver.isOpen": {
            "value": "OPEN",
            "timestamp": "2026-01-15T08:00:00Z",
        },
    }
    cardata.rest_faults.append((200, _snapshot(entries)))
    state = await backend.fetch_state(vin)
    assert state.value(signals.DOOR_FRONT_LEFT_OPEN) is True
    assert state.value(signals.HOOD_OPEN) is False  # the future reading is not held
    assert backend.problems["wrong_type"] == 1
    assert backend.problems["bad_timestamp"] == 1
    assert backend.problems["future_timestamp"] == 1


async def test_http_429_is_a_rate_limit_with_retry_after(
    backend, cardata, manual_clock
) -> None:
    vin = await _setup(backend)
    await manual_clock.advance(2 * HOUR)
    cardata.rest_faults.append((429, "slow down", {"Retry-After": "120"}))
    with pytest.raises(VehicleRateLimitError) as err:
        await backend.rest.telematic_data(vin, backend.container.container_id)
    assert err.value.retry_after == 120
    requests = len(cardata.rest_requests)
    await backend.fetch_state(vin)  # nothing is sent until the wait is over
    await backend.run_plan()
    assert len(cardata.rest_requests) == requests
    assert not backend.budget.exhausted_at_bmw  # no daily-quota repair issue
    await manual_clock.advance(121)
    await backend.run_plan()  # the block ends ...
    cardata.rest_faults.append((429, "slow down"))  # ... a 429 without a header:
    with pytest.raises(VehicleRateLimitError) as err:
        await backend.rest.vehicle_mappings()
    assert err.value.retry_after == 60


async def test_error_messages_name_no_vin(backend, cardata, account, manual_clock):
    """BMW request paths hold the VIN; our messages name the endpoint only."""
    vin = await _setup(backend)
    cardata.delay = 0.5
    backend.rest._timeout = 0.1
    with pytest.raises(VehicleConnectionError) as timeout:
        await backend.rest.basic_data(vin)
    cardata.delay = 0
    cardata.rest_faults.append(
        (403, json.dumps({"exveErrorId": "CU-104", "exveErrorMsg": f"No VIN {vin}"}))
    )
    with pytest.raises(CarDataApiError) as refused:
        await backend.rest.basic_data(vin)
    for err in (timeout.value, refused.value):
        assert vin not in str(err)
    assert "/customers/vehicles/{vin}/basicData" in str(timeout.value)


async def test_nothing_but_a_vin_goes_into_a_request_path(backend, cardata) -> None:
    await backend.login()
    cardata.rest_faults.append(
        (200, json.dumps([{"vin": "../containers"}, {"vin": "x" * 10_000}]))
    )
    assert await backend.rest.vehicle_mappings() == []
    with pytest.raises(VehicleConnectionError):
        await backend.rest.basic_data("../../customers/containers")


@pytest.mark.parametrize(
    "basic",
    [
        {"constructionDate": "²⁰²⁴-01"},  # digits int() cannot read
        {"modelName": {"nested": "object"}, "brand": ["BMW"], "numberOfDoors": True},
        {"modelName": "x" * 100_000, "driveTrain": None, "steering": 12},
    ],
)
def test_odd_basic_data_gives_a_plain_vehicle(basic) -> None:
    vehicle = vehicle_from_basic_data("WBA00000000000001", basic)
    assert vehicle.name == "BMW CarData"
    assert vehicle.model_year is None


# -- sign-in -----------------------------------------------------------------------


@pytest.fixture
def auth(session, cardata: FakeCarData) -> CarDataAuth:
    return CarDataAuth(session, cardata.endpoints())


@pytest.fixture
def manager(auth, account, tokens, manual_clock) -> TokenManager:
    return TokenManager(auth, account.client_id, tokens, manual_clock)


@pytest.mark.parametrize(
    "answer",
    [
        (500, NOT_UTF8_PAGE),
        (400, TOO_DEEP),
        (502, b'{"fault": ' * 40 + b"1" + b"}" * 40),
    ],
    ids=["not UTF-8", "too deep", "deep gateway fault"],
)
async def test_unreadable_sign_in_answers_are_connection_errors(
    manager, cardata, answer
) -> None:
    cardata.token_faults.append((answer[0], answer[1]))
    with pytest.raises(VehicleConnectionError):
        await manager.refresh()
    assert not manager.dead


@pytest.mark.parametrize("error", ["invalid_client", "unauthorized_client"])
async def test_refused_client_is_final_and_distinct(
    manager, cardata, manual_clock, error
) -> None:
    """invalid_client on refresh was retried forever without telling the user."""
    cardata.token_faults.append((401, {"error": error}))
    task = asyncio.create_task(manager.run())
    await manual_clock.advance(3599 - REFRESH_MARGIN.total_seconds())
    with pytest.raises(ClientRejectedError):
        await asyncio.wait_for(task, 5)
    assert manager.dead
    assert manager.client_rejected
    requests = len(cardata.token_requests)
    with pytest.raises(ClientRejectedError):
        await manager.access_token()
    assert isinstance(ClientRejectedError("x"), VehicleAuthError)  # HA: reauth
    assert len(cardata.token_requests) == requests


async def test_rate_limited_refresh_waits_retry_after(
    manager, cardata, manual_clock
) -> None:
    cardata.token_faults.append((429, None, {"Retry-After": "600"}))
    task = asyncio.create_task(manager.run())
    try:
        await manual_clock.advance(3599 - REFRESH_MARGIN.total_seconds())
        await eventually(lambda: len(cardata.token_requests) == 1)
        await manual_clock.advance(590)
        await asyncio.sleep(0.05)
        assert len(cardata.token_requests) == 1  # not after 30 s: after 600
        await manual_clock.advance(10)
        await eventually(lambda: manager.refresh_count == 1)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("expires_in", 10**400),
        ("expires_in", 1e308),
        ("expires_in", -5),
        ("expires_in", 0.001),
    ],
)
def test_odd_token_lifetimes_are_clamped(tokens, field, value) -> None:
    """A refresh answer is taken, only its odd lifetime is brought in bounds.

    Its refresh token is the only one left; a lifetime that would overflow or
    make the manager refresh in a loop is clamped.
    """
    answer = sample("auth_token_refresh_response") | {field: value}
    parsed = Tokens.from_response(answer, tokens.expires_at, gcid="kept")
    lifetime = (parsed.expires_at - tokens.expires_at).total_seconds()
    assert 60 <= lifetime <= 24 * HOUR


@pytest.mark.parametrize(
    "change",
    [
        {"access_token": "line\r\nX-Injected: 1"},
        {"id_token": ""},
        {"refresh_token": 42},
        {"gcid": "a/b/#"},
        {"expires_in": float("nan")},
        {"expires_in": True},
    ],
)
def test_unusable_token_answers_are_refused(tokens, change) -> None:
    answer = sample("auth_token_refresh_response") | {"gcid": "g"} | change
    with pytest.raises(VehicleConnectionError):
        Tokens.from_response(answer, tokens.expires_at)


@pytest.mark.parametrize(
    ("change", "interval", "lifetime"),
    [
        ({"interval": 10**400}, 60, 300),
        ({"interval": 1e300, "expires_in": 1e300}, 60, 1800),
        ({"interval": 0, "expires_in": 1}, 1, 60),
        ({"verification_uri": "javascript:alert(1)"}, None, None),
        ({"user_code": "a b\nc"}, None, None),
    ],
)
def test_device_code_answers_are_checked(manual_clock, change, interval, lifetime):
    body = {
        "user_code": "AbCdEfGh",
        "device_code": "eyJhbGciOiJIUzI1NiJ9.x.y",
        "verification_uri": "https://customer.bmwgroup.com/oneid/link",
        "interval": 5,
        "expires_in": 300,
    } | change
    if interval is None:
        with pytest.raises(VehicleConnectionError):
            DeviceAuthorization.from_response(body, "c", "v", manual_clock.now())
        return
    parsed = DeviceAuthorization.from_response(body, "c", "v", manual_clock.now())
    assert parsed.interval == interval
    assert (parsed.expires_at - manual_clock.now()).total_seconds() == lifetime


# -- stream -------------------------------------------------------------------------


async def test_failed_refresh_before_connecting_does_not_end_the_stream(
    backend, cardata, account, manual_clock
) -> None:
    """A busy BMW while the stream refreshes its token must not end the stream.

    The stream refreshes an expiring token before connecting; a failure there
    ended stream.run() (and with it the backend's run) for good.
    """
    await backend.login()
    await backend.list_vehicles()
    await manual_clock.advance(3599 - REFRESH_MARGIN.total_seconds() + 1)
    cardata.token_faults += [(503, None), (500, {"error": "server_error"})]
    task = asyncio.create_task(backend.stream_client.run())
    try:
        await eventually(
            lambda: "token refresh failed" in (backend.stream_client.last_error or "")
        )
        assert not task.done()
        for _ in range(3):
            await manual_clock.advance(10)
            await asyncio.sleep(0.05)
        await eventually(lambda: backend.stream_client.connected)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_stream_log_lines_hide_the_account_and_the_cars(
    running, account, cardata, manual_clock, caplog
) -> None:
    """The MQTT library logs its client id (the GCID) and topics ({gcid}/{vin})."""
    caplog.set_level(logging.DEBUG)
    car = await _hood_opened_and_streamed(running, account, cardata, manual_clock)
    lines = [r.getMessage() for r in caplog.records if r.name.endswith(".mqtt")]
    assert any("Sending CONNECT" in line for line in lines)
    assert any("Received PUBLISH" in line for line in lines)
    for line in lines:
        assert account.gcid not in line
        assert car.vin not in line


# -- supervision of the backend's background work -------------------------------------


@pytest.mark.parametrize(
    ("index", "owner", "method"),
    [
        (0, "tokens", "run"),
        (1, "stream_client", "run"),
        (2, None, "run_plan"),
    ],
    ids=["token refresh", "stream", "planner"],
)
async def test_each_background_loop_survives_every_kind_of_error(
    backend, account, cardata, manual_clock, caplog, index, owner, method
) -> None:
    """Before, one unexpected exception in any of the three ended run() for good."""
    await backend.login()
    await backend.list_vehicles()
    target = backend if owner is None else getattr(backend, owner)
    original = getattr(target, method)
    errors = list(UNEXPECTED_ERRORS)

    async def failing(*args):
        if errors:
            raise errors.pop(0)
        return await original(*args)

    setattr(target, method, failing)
    task = asyncio.create_task(backend.run())
    try:
        for _ in range(30):
            await manual_clock.advance(60)
            await asyncio.sleep(0.01)
        assert errors == []
        assert not task.done()
        status = backend.loops[index].status
        assert status.restarts == len(UNEXPECTED_ERRORS)
        assert status.failures["RecursionError"] == 1
        assert backend.diagnostics()["background"][backend.loops[index].name][
            "restarts"
        ] == len(UNEXPECTED_ERRORS)
        # ... and the work runs again: the stream is up and data flows.
        await _hood_opened_and_streamed(backend, account, cardata, manual_clock)
        logged = [
            r
            for r in caplog.records
            if "stopped by an unexpected error" in r.getMessage()
        ]
        assert len(logged) == 1  # once per outage
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_stream_waits_out_a_rate_limited_refresh(
    backend, cardata, manual_clock
) -> None:
    """Reconnecting honours the sign-in server's Retry-After (issue 12)."""
    await backend.login()
    await backend.list_vehicles()
    await manual_clock.advance(3599 - REFRESH_MARGIN.total_seconds() + 1)
    cardata.token_faults.append((429, None, {"Retry-After": "600"}))
    task = asyncio.create_task(backend.stream_client.run())
    try:
        await eventually(lambda: len(cardata.token_requests) == 1)
        for _ in range(9):
            await manual_clock.advance(60)
            await asyncio.sleep(0.02)
        assert len(cardata.token_requests) == 1  # no retry inside the 600 s
        await manual_clock.advance(60)
        await eventually(lambda: backend.stream_client.connected)
        assert len(cardata.token_requests) == 2
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
