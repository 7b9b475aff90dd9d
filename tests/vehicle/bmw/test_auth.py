"""Sign-in against the fake CarData: device code with PKCE, polling, refresh."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
import pytest

from custom_components.connected_car.vehicle import (
    VehicleAuthError,
    VehicleConnectionError,
)
from custom_components.connected_car.vehicle.bmw import (
    AccessDeniedError,
    CarDataAuth,
    CarDataEndpoints,
    DeviceCodeExpiredError,
    InvalidClientError,
    InvalidGrantError,
    InvalidRequestError,
    TokenManager,
    Tokens,
    wait_for_device_authorization,
)
from custom_components.connected_car.vehicle.bmw.auth import (
    REFRESH_MARGIN,
    pkce_pair,
)
from tests.cardata.broker import free_port
from tests.cardata.fixtures import eventually
from tests.cardata.server import FakeCarData, sample


@pytest.fixture
def auth(session: aiohttp.ClientSession, cardata: FakeCarData) -> CarDataAuth:
    """The sign-in client, pointed at the fake."""
    return CarDataAuth(session, cardata.endpoints())


async def _start(auth, cardata, account, manual_clock, client_id=None):
    authorization = await auth.request_device_code(
        client_id or account.client_id, manual_clock.now()
    )
    task = asyncio.create_task(
        wait_for_device_authorization(auth, authorization, manual_clock)
    )
    return authorization, task, cardata.device_codes[authorization.device_code]


async def _poll(manual_clock, code, seconds):
    """Let the poller wait `seconds` and send its next request."""
    before = len(code.polls)
    await manual_clock.advance(seconds)
    await eventually(lambda: len(code.polls) > before)


def test_pkce_challenge_is_s256_of_verifier() -> None:
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128
    assert set(verifier) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    assert len(challenge) == 43  # base64url of 32 bytes, no padding
    assert pkce_pair()[0] != verifier


async def test_device_flow_happy_path(auth, cardata, account, manual_clock) -> None:
    """Pending while the user is away, then tokens once approved (PKCE checked)."""
    authorization, task, code = await _start(auth, cardata, account, manual_clock)
    assert authorization.interval == 5
    assert authorization.verification_url == (
        "https://customer.bmwgroup.com/oneid/link?user_code=" + code.user_code
    )
    await _poll(manual_clock, code, 5)
    await _poll(manual_clock, code, 5)
    assert not task.done()
    cardata.approve(code.user_code)
    await manual_clock.advance(5)
    tokens = await asyncio.wait_for(task, 10)
    assert tokens.gcid == account.gcid
    assert tokens.id_token == account.id_token
    assert len(tokens.id_token) > 1200  # BMW's ID tokens are ~1.3 kB
    assert tokens.expires_at == manual_clock.now() + timedelta(seconds=3599)
    poll = cardata.token_requests[-1]
    assert poll["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code"
    assert poll["client_id"] == account.client_id
    assert [p - code.polls[0] for p in code.polls] == [
        timedelta(seconds=s) for s in (0, 5, 10)
    ]


async def test_upper_case_client_id_is_sent_in_lower_case(
    auth, cardata, account, manual_clock
) -> None:
    """BMW fails upper-case client IDs after approval; we always send lower case."""
    authorization = await auth.request_device_code(
        f"  {account.client_id.upper()} ", manual_clock.now()
    )
    assert authorization.client_id == account.client_id


async def test_slow_down_adds_five_seconds(
    auth, cardata, account, manual_clock
) -> None:
    """After slow_down the poller waits 5 s longer, so BMW stops complaining."""
    _authorization, task, code = await _start(auth, cardata, account, manual_clock)
    await _poll(manual_clock, code, 5)
    code.polls[-1] += timedelta(seconds=3)  # BMW saw that poll later than we sent it
    await _poll(manual_clock, code, 5)  # too early for BMW: slow_down, interval 10
    assert code.interval == 10
    await manual_clock.advance(5)
    await asyncio.sleep(0.05)
    assert len(code.polls) == 2  # no poll after 5 s any more
    await _poll(manual_clock, code, 5)  # ... but after 10
    assert code.polls[-1] - code.polls[-2] == timedelta(seconds=10)
    cardata.approve(code.user_code)
    await manual_clock.advance(10)
    assert (await asyncio.wait_for(task, 10)).gcid == account.gcid


async def test_code_expires_after_five_minutes(auth, cardata, account, manual_clock):
    _authorization, task, code = await _start(auth, cardata, account, manual_clock)
    for _ in range(59):
        await _poll(manual_clock, code, 5)
    await manual_clock.advance(5)
    with pytest.raises(DeviceCodeExpiredError):
        await asyncio.wait_for(task, 10)


async def test_server_side_expiry_is_reported(auth, cardata, account, manual_clock):
    """If BMW says expired_token first (clock skew), the poller stops too."""
    _authorization, task, code = await _start(auth, cardata, account, manual_clock)
    code.expires_at = manual_clock.now()
    await manual_clock.advance(5)
    with pytest.raises(DeviceCodeExpiredError) as err:
        await asyncio.wait_for(task, 10)
    assert err.value.error == "expired_token"


async def test_access_denied(auth, cardata, account, manual_clock) -> None:
    _authorization, task, code = await _start(auth, cardata, account, manual_clock)
    cardata.deny(code.user_code)
    await manual_clock.advance(5)
    with pytest.raises(AccessDeniedError) as err:
        await asyncio.wait_for(task, 10)
    assert err.value.error == "access_denied"


async def test_invalid_grant_after_approval(auth, cardata, account, manual_clock):
    """Seen in the wild right after the user approved: reported, not retried."""
    cardata.invalid_grant_after_approval = True
    _authorization, task, code = await _start(auth, cardata, account, manual_clock)
    cardata.approve(code.user_code)
    await manual_clock.advance(5)
    with pytest.raises(InvalidGrantError):
        await asyncio.wait_for(task, 10)


async def test_unknown_client_id(auth, cardata, manual_clock) -> None:
    with pytest.raises(InvalidClientError):
        await auth.request_device_code(
            "00000000-0000-4000-8000-000000000000", manual_clock.now()
        )


async def test_granular_scope_is_refused(
    session, cardata, account, manual_clock, monkeypatch
) -> None:
    """BMW refuses per-descriptor streaming scopes with invalid_request (sample)."""
    monkeypatch.setattr(
        "custom_components.connected_car.vehicle.bmw.auth.SCOPE",
        "openid cardata:api:read cardata:streaming:vehicle.body.hood.isOpen",
    )
    with pytest.raises(InvalidRequestError) as err:
        await CarDataAuth(session, cardata.endpoints()).request_device_code(
            account.client_id, manual_clock.now()
        )
    assert err.value.description.startswith("The request is missing")


async def test_gateway_error_and_network_errors(auth, cardata, account, manual_clock):
    """BMW's gateway fault body and an unreachable server are connection errors."""
    _authorization, task, _code = await _start(auth, cardata, account, manual_clock)
    fault = sample("auth_token_error_500_invalid_access_token")
    cardata.token_faults += [(500, fault)] * 60
    for _ in range(60):  # retried until the code expires; then the reason
        await manual_clock.advance(60)
        await asyncio.sleep(0.02)
        if task.done():
            break
    with pytest.raises(VehicleConnectionError, match="invalid_access_token"):
        await asyncio.wait_for(task, 10)
    assert 4 <= len(cardata.token_requests) <= 12  # backing off, not hammering

    unreachable = CarDataAuth(
        auth._session, CarDataEndpoints(auth_base_url=f"http://127.0.0.1:{free_port()}")
    )
    with pytest.raises(VehicleConnectionError):
        await unreachable.request_device_code(account.client_id, manual_clock.now())


@pytest.mark.parametrize(
    "faults",
    [
        [(500, {"error": "server_error"}), (503, {"error": "temporarily_unavailable"})],
        [(400, {"error": "temporarily_unavailable", "error_description": "busy"})],
        [(502, None), (500, None), (504, None), (503, None)],  # more than 3 in a row
    ],
)
async def test_transient_sign_in_errors_are_retried(
    auth, cardata, account, manual_clock, faults
):
    """A busy BMW while the user approves must not abort the sign-in (issue 12)."""
    _authorization, task, code = await _start(auth, cardata, account, manual_clock)
    cardata.token_faults += faults
    cardata.approve(code.user_code)
    for _ in range(30):
        await manual_clock.advance(10)
        await asyncio.sleep(0.02)
        if task.done():
            break
    assert (await asyncio.wait_for(task, 10)).gcid == account.gcid
    assert len(cardata.token_requests) == len(faults) + 1


async def test_rate_limited_poll_waits_retry_after(
    auth, cardata, account, manual_clock
):
    _authorization, task, code = await _start(auth, cardata, account, manual_clock)
    cardata.token_faults.append(
        (429, {"error": "too_many_requests"}, {"Retry-After": "40"})
    )
    cardata.approve(code.user_code)
    await manual_clock.advance(5)
    await eventually(lambda: len(cardata.token_requests) == 1)
    await manual_clock.advance(35)
    await asyncio.sleep(0.05)
    assert len(cardata.token_requests) == 1  # 40 s were asked for
    await manual_clock.advance(5)
    assert (await asyncio.wait_for(task, 10)).gcid == account.gcid


async def test_poller_survives_a_network_blip(auth, cardata, account, manual_clock):
    _authorization, task, code = await _start(auth, cardata, account, manual_clock)
    cardata.token_faults.append((502, None))
    await manual_clock.advance(5)
    await eventually(lambda: not cardata.token_faults)
    cardata.approve(code.user_code)
    await manual_clock.advance(5)
    assert (await asyncio.wait_for(task, 10)).gcid == account.gcid


# -- refresh ------------------------------------------------------------------------


@pytest.fixture
def manager(auth, account, tokens, manual_clock) -> TokenManager:
    """A token manager for the account's tokens."""
    return TokenManager(auth, account.client_id, tokens, manual_clock)


async def test_refresh_rotates_tokens_and_tells_listeners(
    manager, cardata, account, tokens, manual_clock
) -> None:
    seen: list[Tokens] = []
    manager.add_listener(seen.append)
    assert await manager.access_token() == tokens.access_token  # fresh: no refresh
    assert cardata.token_requests == []
    await manual_clock.advance(3599 - REFRESH_MARGIN.total_seconds())
    new = await manager.valid_tokens()
    assert new.refresh_token != tokens.refresh_token
    assert new.id_token == account.id_token != tokens.id_token
    assert seen == [new]
    assert cardata.token_requests[-1] == {
        "client_id": account.client_id,
        "grant_type": "refresh_token",
        "refresh_token": tokens.refresh_token,
    }
    # The old refresh token was rotated away: only the new one works.
    assert tokens.refresh_token not in cardata.refresh_tokens


async def test_refresher_refreshes_before_every_expiry(
    manager, cardata, tokens, manual_clock
) -> None:
    task = asyncio.create_task(manager.run())
    try:
        for expected in (1, 2, 3):
            await manual_clock.advance(3599 - REFRESH_MARGIN.total_seconds())
            await eventually(
                lambda expected=expected: manager.refresh_count == expected
            )
            assert manager.tokens.expires_at - manual_clock.now() == timedelta(
                seconds=3599
            )
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_refresher_retries_network_errors(manager, cardata, manual_clock):
    cardata.token_faults += [(503, None), (500, None)]
    task = asyncio.create_task(manager.run())
    try:
        await manual_clock.advance(3599 - REFRESH_MARGIN.total_seconds())
        await eventually(lambda: len(cardata.token_requests) == 1)
        await manual_clock.advance(30)
        await eventually(lambda: len(cardata.token_requests) == 2)
        await manual_clock.advance(60)
        await eventually(lambda: manager.refresh_count == 1)
        assert not manager.dead
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_dead_refresh_token_is_final(manager, cardata, account, manual_clock):
    """invalid_grant kills the manager: no retries, every use says sign in again."""
    cardata.revoke_refresh_tokens(account)
    with pytest.raises(VehicleAuthError):
        await manager.refresh()
    assert manager.dead
    requests = len(cardata.token_requests)
    with pytest.raises(VehicleAuthError):
        await manager.access_token()
    with pytest.raises(VehicleAuthError):
        await manager.run()
    assert len(cardata.token_requests) == requests


async def test_other_refresh_errors_are_not_a_sign_out(manager, cardata):
    cardata.token_faults.append((400, sample("auth_device_user_error_invalid_request")))
    with pytest.raises(VehicleConnectionError):
        await manager.refresh()
    assert not manager.dead
    await manager.refresh()
    assert manager.refresh_count == 1


async def test_refresh_after_refusal_is_skipped_when_moot(
    manager, cardata, tokens, manual_clock
) -> None:
    await manager.refresh_unless_newer(tokens, timedelta(minutes=2))
    assert manager.refresh_count == 1  # refused and old enough: refreshed
    await manager.refresh_unless_newer(tokens, timedelta(minutes=2))
    assert manager.refresh_count == 1  # those tokens were replaced already
    await manager.refresh_unless_newer(manager.tokens, timedelta(minutes=2))
    assert manager.refresh_count == 1  # brand new: the broker needs a moment
    await manual_clock.advance(120)
    await manager.refresh_unless_newer(manager.tokens, timedelta(minutes=2))
    assert manager.refresh_count == 2


def test_tokens_round_trip_and_validation(tokens: Tokens) -> None:
    assert Tokens.from_dict(tokens.as_dict()) == tokens
    broken = tokens.as_dict()
    del broken["refresh_token"]
    with pytest.raises(ValueError, match="incomplete"):
        Tokens.from_dict(broken)
    naive = tokens.as_dict() | {"expires_at": "2026-01-15T07:30:00"}
    with pytest.raises(ValueError, match="time zone"):
        Tokens.from_dict(naive)
    with pytest.raises(VehicleConnectionError):
        Tokens.from_response({"access_token": "x"}, tokens.expires_at)
    with pytest.raises(VehicleConnectionError):
        Tokens.from_response(["not", "an", "object"], tokens.expires_at)
    refreshed = Tokens.from_response(
        sample("auth_token_refresh_response") | {"gcid": None},
        tokens.expires_at,
        gcid="kept",
    )
    assert refreshed.gcid == "kept"
