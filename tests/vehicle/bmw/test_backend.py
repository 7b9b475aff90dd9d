"""The CarData backend against the fake: REST errors, caching, quota, sign-out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.connected_car.vehicle import (
    Command,
    CommandKind,
    CommandNotSupportedError,
    VehicleAuthError,
    VehicleConnectionError,
    signals,
)
from custom_components.connected_car.vehicle.bmw import (
    BmwCarDataBackend,
    CarDataApiError,
    Tokens,
)
from custom_components.connected_car.vehicle.bmw.backend import container_name
from tests.cardata.fixtures import eventually, make_car
from tests.cardata.server import FakeCarData
from tests.vehicle.bmw.persistence import MemoryPersistence

HOUR = 3600


def calls(cardata: FakeCarData, path_part: str = "") -> int:
    return cardata.rest_count(lambda r: path_part in r.path)


async def _setup(backend: BmwCarDataBackend) -> str:
    await backend.login()
    vehicles = await backend.list_vehicles()
    vin = vehicles[0].vin
    await backend.fetch_state(vin)
    return vin


async def test_setup_spends_five_calls_and_a_restart_none(
    backend, cardata, account, tokens, persistence, session, manual_clock
) -> None:
    """Vehicle list, basic data, container (list + create), one snapshot."""
    vin = await _setup(backend)
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in cardata.rest_requests] == [
        ("GET", "mappings"),
        ("GET", "basicData"),
        ("GET", "containers"),
        ("POST", "containers"),
        ("GET", "telematicData"),
    ]
    state = backend.state(vin)
    assert state.value(signals.LOCKED) is True  # lock status: REST only
    assert state.value(signals.BATTERY_LEVEL) is not None
    assert account.containers[0]["name"] == container_name()
    await backend.close()

    # A restart 30 minutes later: everything comes from the stored data.
    await manual_clock.advance(30 * 60)
    restarted = BmwCarDataBackend(
        session=session,
        client_id=account.client_id,
        tokens=tokens,
        persistence=persistence,
        clock=manual_clock,
        endpoints=cardata.endpoints(),
    )
    await _setup(restarted)
    assert calls(cardata) == 5
    assert restarted.budget.used(manual_clock.now()) == 5
    # Two hours later a restart fetches only a snapshot (container is known).
    await manual_clock.advance(2 * HOUR)
    again = BmwCarDataBackend(
        session=session,
        client_id=account.client_id,
        tokens=tokens,
        persistence=persistence,
        clock=manual_clock,
        endpoints=cardata.endpoints(),
    )
    await _setup(again)
    assert calls(cardata) == 6
    assert cardata.rest_requests[-1].path.endswith("/telematicData")


async def test_existing_container_is_reused(
    backend, cardata, account, session, tokens, manual_clock
):
    await _setup(backend)
    other = BmwCarDataBackend(  # e.g. after the entry was removed and added again
        session=session,
        client_id=account.client_id,
        tokens=tokens,
        persistence=MemoryPersistence(),
        clock=manual_clock,
        endpoints=cardata.endpoints(),
    )
    await _setup(other)
    assert len(account.containers) == 1
    assert calls(cardata, "/customers/containers") == 3  # list, create, list


async def test_deleted_container_is_replaced(backend, cardata, account, manual_clock):
    vin = await _setup(backend)
    account.containers[0]["state"] = "DELETED"  # the user deleted it in the portal
    await manual_clock.advance(2 * HOUR)
    await backend.fetch_state(vin)  # the snapshot fails: CU-105 ...
    assert cardata.rest_requests[-1].status == 403
    await manual_clock.advance(2 * HOUR)
    await backend.fetch_state(vin)  # ... the next one makes a new container
    assert [c["state"] for c in account.containers] == ["DELETED", "ACTIVE"]
    assert cardata.rest_requests[-1].status == 200


async def test_refused_token_is_refreshed_and_retried_once(
    backend, cardata, account, manual_clock
):
    vin = await _setup(backend)
    await manual_clock.advance(2 * HOUR)
    token = (await backend.tokens.valid_tokens()).access_token
    cardata.access_tokens[token] = (account.gcid, manual_clock.now())  # BMW revoked it
    refreshes = backend.tokens.refresh_count
    before = len(cardata.rest_requests)
    await backend.fetch_state(vin)
    statuses = [r.status for r in cardata.rest_requests[before:]]
    assert statuses == [401, 200]
    assert backend.tokens.refresh_count == refreshes + 1
    assert backend.signed_out is None


async def test_token_refused_twice_is_not_a_sign_out(backend, cardata, manual_clock):
    vin = await _setup(backend)
    await manual_clock.advance(2 * HOUR)
    cardata.rest_faults += [401, 401]
    state = await backend.fetch_state(vin)  # the last known state, no exception
    assert state.value(signals.LOCKED) is True
    assert backend.signed_out is None
    cardata.rest_faults += [401, 401]
    with pytest.raises(VehicleConnectionError, match="freshly refreshed"):
        await backend._rest(backend.rest.vehicle_mappings)


async def test_first_setup_errors_propagate(backend, cardata, account, manual_clock):
    """Setup with nothing stored must fail, so Home Assistant retries it."""
    await backend.login()
    cardata.rest_faults.append(503)
    with pytest.raises(VehicleConnectionError):
        await backend.list_vehicles()
    account.api_subscribed = False  # CarData API not enabled for the client
    with pytest.raises(CarDataApiError) as err:
        await backend.list_vehicles()
    assert err.value.code == "CU-103"
    account.api_subscribed = True
    vehicles = await backend.list_vehicles()
    cardata.rest_faults.append(502)
    with pytest.raises(VehicleConnectionError):
        await backend.fetch_state(vehicles[0].vin)


async def test_stored_data_bridges_an_outage_at_restart(
    backend, cardata, account, tokens, persistence, session, manual_clock
) -> None:
    await _setup(backend)
    await manual_clock.advance(3 * 24 * HOUR)  # everything stored is stale now
    cardata.rest_faults += [503] * 10
    restarted = BmwCarDataBackend(
        session=session,
        client_id=account.client_id,
        tokens=Tokens.from_response(
            await cardata.issue_tokens(account), manual_clock.now()
        ),
        persistence=persistence,
        clock=manual_clock,
        endpoints=cardata.endpoints(),
    )
    await restarted.login()
    vehicles = await restarted.list_vehicles()  # the stored list and basic data
    assert [v.vin for v in vehicles] == list(account.cars)
    assert vehicles[0].name == "BMW i4 M50"
    state = await restarted.fetch_state(vehicles[0].vin)  # not the first ever: no raise
    assert state.readings == {}


async def test_quota_error_blocks_until_midnight_and_resumes(
    backend, cardata, account, manual_clock
) -> None:
    """Another client spent the account's calls: CU-429 stops us until 00:00 UTC."""
    vin = await _setup(backend)
    told = []
    backend.add_account_listener(
        lambda: told.append(backend.budget.blocked(manual_clock.now()))
    )
    account.counted_calls += [manual_clock.now()] * 45  # 50 in the window now
    await manual_clock.advance(2 * HOUR)
    state = await backend.fetch_state(vin)
    assert state.value(signals.LOCKED) is True  # still the last known state
    assert cardata.rest_requests[-1].status == 403
    midnight = datetime(2026, 1, 16, tzinfo=UTC)
    assert backend.budget.blocked_until == midnight
    assert True in told
    requests = len(cardata.rest_requests)
    for _ in range(10):  # nothing is sent while blocked, whatever asks
        await manual_clock.advance(HOUR)
        await backend.fetch_state(vin)
        await backend.run_plan()
    assert len(cardata.rest_requests) == requests
    # At midnight we try again; BMW's window is rolling here, so it still
    # refuses, and we retry every two hours until the other client's calls
    # (made at 06:30) have aged out.
    await manual_clock.advance((midnight - manual_clock.now()).total_seconds() + 60)
    start = len(cardata.rest_requests)
    while backend.budget.exhausted_at_bmw:
        await backend.run_plan()
        await backend.fetch_state(vin)
        await manual_clock.advance(30 * 60)
    refusals = [r.at for r in cardata.rest_requests[start:] if r.status == 403]
    assert cardata.rest_requests[-1].status == 200
    assert manual_clock.now() - datetime(2026, 1, 16, 6, 30, tzinfo=UTC) < timedelta(
        hours=3
    )
    assert [at.hour for at in refusals] == [0, 2, 4, 6]  # midnight, then 2-hourly
    assert told[-1] is False


async def test_new_car_on_the_account_is_noticed(
    backend, cardata, account, manual_clock
):
    await _setup(backend)
    told = []
    backend.add_account_listener(lambda: told.append(list(backend.vins)))
    second = make_car(manual_clock, name="Second", seed=2, electric=False)
    cardata.add_car(account, second, "rest_basicData_X2_M35i_CONV")
    await manual_clock.advance(24 * HOUR)
    await backend.run_plan()
    assert second.vin in backend.vins
    assert any(second.vin in vins for vins in told)
    assert backend.vehicles[second.vin].name == "BMW X2 M35i xDrive"


async def test_dead_refresh_token_signs_out_everything(
    running, cardata, account, manual_clock
):
    vin = next(iter(account.cars))
    cardata.revoke_refresh_tokens(account)
    await manual_clock.advance(3599 - 300)
    await eventually(lambda: running.signed_out is not None)
    with pytest.raises(VehicleAuthError):
        await running.fetch_state(vin)
    with pytest.raises(VehicleAuthError):
        async for _ in running.stream(vin):
            pass
    requests = len(cardata.token_requests)
    await manual_clock.advance(HOUR)
    await running.run_plan()
    await asyncio.sleep(0.05)
    assert len(cardata.token_requests) == requests  # no refresh loop


async def test_no_commands(backend) -> None:
    with pytest.raises(CommandNotSupportedError):
        await backend.send("VIN", Command(CommandKind.LOCK))


async def test_diagnostics_hold_no_secrets(
    running, cardata, account, manual_clock
) -> None:
    vin = next(iter(account.cars))
    await running.fetch_state(vin)
    await eventually(lambda: running.stream_client.connected)
    running._apply(  # an unknown key with a place in it
        vin,
        {
            "vehicle.cabin.infotainment.navigation.destinationSet.latitude": {
                "value": 48.1,
                "timestamp": "2026-01-15T06:30:00Z",
            }
        },
        None,
    )
    diagnostics = running.diagnostics()
    text = repr(diagnostics)
    tokens = running.tokens.tokens
    for secret in (tokens.access_token, tokens.id_token, tokens.refresh_token, "48.1"):
        assert secret not in text
    assert diagnostics["quota"]["used"] == 5
    assert diagnostics["quota"]["remaining"] == 45
    assert diagnostics["stream"]["connected"] is True
    assert diagnostics["container"]["state"] == "ACTIVE"
    assert diagnostics["vehicles"][0]["basic_data"]["modelName"] == "i4 M50"


async def test_budget_survives_and_counts_every_call(
    backend, cardata, account, persistence, manual_clock
) -> None:
    await _setup(backend)
    stored = persistence.data["budget"]["calls"]
    assert len(stored) == 5
    assert backend.budget.used(manual_clock.now() + timedelta(hours=25)) == 0
