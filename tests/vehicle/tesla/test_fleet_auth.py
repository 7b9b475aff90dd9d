"""Signing in with the owner's app: PKCE per region, token rotation, partner tokens, keys."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import logging

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
import pytest

from custom_components.connected_car.vehicle import (
    VehicleAuthError,
    VehicleConnectionError,
    VehicleRateLimitError,
)
from custom_components.connected_car.vehicle.tesla import (
    SCOPES,
    CommandKey,
    FleetTokens,
    Region,
    TeslaApiError,
    TeslaAuthError,
    TeslaKeyError,
    pairing_url,
    pkce_challenge,
    public_key_url,
    token_claims,
)
from tests.tesla.https import Fault
from tests.tesla.owner import CLIENT_SECRET, REDIRECT_URI

HOURS = 3600.0


@pytest.mark.parametrize(
    ("region", "authorize_host", "token_host"),
    [
        ("na", "auth.tesla.com", "fleet-auth.prd.vn.cloud.tesla.com"),
        ("eu", "auth.tesla.com", "fleet-auth.prd.vn.cloud.tesla.com"),
        ("cn", "auth.tesla.cn", "auth.tesla.cn"),
    ],
)
async def test_sign_in_with_pkce_in_every_region(
    make_owner, fleet, region, authorize_host, token_host
) -> None:
    owner = make_owner(region)
    tokens = await owner.sign_in()
    assert [(r.host, r.path) for r in fleet.requests] == [
        (authorize_host, "/oauth2/v3/authorize"),
        (token_host, "/oauth2/v3/token"),
    ]
    claims = tokens.claims
    assert claims.region is Region(region)
    assert claims.scopes == frozenset(SCOPES)
    assert tokens.refresh_token is not None
    assert tokens.refresh_token.startswith(f"{region.upper()}_")
    assert tokens.expires_at == owner.clock.now() + timedelta(hours=8)
    assert fleet.auth.grants == ["authorization_code"]


async def test_the_code_needs_its_verifier_and_works_once(make_owner) -> None:
    owner = make_owner()
    code, verifier = await owner.authorize()
    with pytest.raises(TeslaAuthError) as refused:
        await owner.oauth.exchange_code(code, REDIRECT_URI, verifier + "x")
    assert refused.value.error == "invalid_auth_code"
    await owner.oauth.exchange_code(code, REDIRECT_URI, verifier)
    with pytest.raises(TeslaAuthError) as again:
        await owner.oauth.exchange_code(code, REDIRECT_URI, verifier)
    assert again.value.error == "invalid_auth_code"
    assert pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == (
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"  # RFC 7636, appendix B
    )


async def test_refresh_rotates_and_the_new_tokens_are_saved_before_use(
    make_owner, fleet, manual_clock
) -> None:
    owner = make_owner()
    owner.add_car()
    first = await owner.sign_in()
    manager = owner.manager(first)
    used_before_saved: list[bool] = []

    async def save(tokens: FleetTokens) -> None:
        # Nothing has reached Tesla with the new access token yet.
        used_before_saved.append(
            any(r.token == tokens.access_token for r in fleet.requests)
        )
        owner.saved.append(tokens)

    manager._save = save
    backend = await owner.backend(first)  # its own manager: signs in with `first`
    await backend.close()
    await manager.access_token()
    assert manager.refreshes == 0  # still fresh
    await manual_clock.advance(8 * HOURS)
    access = await manager.access_token()
    assert manager.refreshes == 1
    assert used_before_saved == [False]
    (saved,) = owner.saved
    assert saved.access_token == access
    assert saved.refresh_token != first.refresh_token
    assert fleet.auth.grants[-1] == "refresh_token"
    # The stored tokens work after a restart; the spent ones do not.
    restarted = owner.manager(saved)
    restarted.token_rejected()
    assert await restarted.access_token() != access
    stale = owner.manager(first)
    stale.token_rejected()
    with pytest.raises(TeslaAuthError) as reused:
        await stale.access_token()
    assert reused.value.error == "login_required"


async def test_refresh_token_reuse_signs_the_backend_out(
    make_owner, manual_clock
) -> None:
    owner = make_owner("eu")
    car = owner.add_car()
    tokens = await owner.sign_in()
    other = owner.manager(tokens)
    other.token_rejected()
    await other.access_token()  # someone else spent the refresh token
    backend = await owner.backend(tokens)
    await manual_clock.advance(8 * HOURS)
    with pytest.raises(VehicleAuthError) as refused:
        await backend.fetch_state(car.vin)
    assert refused.value.error == "login_required"
    assert backend.status.signed_out
    await backend.close()


async def test_concurrent_callers_refresh_once(make_owner, fleet, manual_clock) -> None:
    owner = make_owner()
    manager = owner.manager(await owner.sign_in())
    await manual_clock.advance(8 * HOURS)
    tokens = await asyncio.gather(*(manager.access_token() for _ in range(5)))
    assert len(set(tokens)) == 1
    assert fleet.auth.grants.count("refresh_token") == 1
    assert len(owner.saved) == 1


async def test_a_failed_save_is_tried_again(make_owner, manual_clock, caplog) -> None:
    owner = make_owner()
    manager = owner.manager(await owner.sign_in())
    failures = [OSError("disk full")]

    async def save(tokens: FleetTokens) -> None:
        if failures:
            raise failures.pop()
        owner.saved.append(tokens)

    manager._save = save
    await manual_clock.advance(8 * HOURS)
    with caplog.at_level(logging.WARNING):
        access = await manager.access_token()
    assert "Could not save the renewed Tesla tokens (OSError)" in caplog.text
    assert access not in caplog.text
    assert owner.saved == []
    assert await manager.access_token() == access  # saved now, no second refresh
    assert [t.access_token for t in owner.saved] == [access]
    assert manager.refreshes == 1


async def test_a_refused_access_token_is_renewed_once(make_owner, fleet) -> None:
    owner = make_owner()
    car = owner.add_car()
    backend = await owner.backend()
    revoked = owner.last_manager.tokens.access_token
    del fleet.auth.tokens[revoked]  # Tesla no longer knows it
    await backend.fetch_state(car.vin)
    assert owner.last_manager.refreshes == 1
    assert [r.status for r in fleet.requests if r.token == revoked][-1] == 401
    assert not backend.status.signed_out
    await backend.close()


async def test_no_refresh_token_means_signing_in_again(make_owner) -> None:
    owner = make_owner()
    tokens = await owner.sign_in()
    manager = owner.manager(FleetTokens(tokens.access_token, None, tokens.expires_at))
    manager.token_rejected()
    with pytest.raises(TeslaAuthError) as refused:
        await manager.access_token()
    assert refused.value.error == "login_required"


async def test_partner_tokens_per_region_and_cached(make_owner, fleet) -> None:
    owner = make_owner()
    first = await owner.oauth.partner_token(Region.EU)
    assert await owner.oauth.partner_token(Region.EU) == first
    await owner.oauth.partner_token(Region.NA)
    assert fleet.auth.grants == ["client_credentials", "client_credentials"]
    china = make_owner("cn")
    await china.oauth.partner_token(Region.CN)
    assert fleet.requests[-1].host == "auth.tesla.cn"


@pytest.mark.parametrize(
    ("fault", "raised"),
    [
        (
            Fault(429, {"error": "slow down"}, {"Retry-After": "30"}),
            VehicleRateLimitError,
        ),
        (
            Fault(429, {"error": "slow down"}, {"Retry-After": "soon"}),
            VehicleRateLimitError,
        ),
        (Fault(503, {"error": "unavailable"}), TeslaApiError),
        (Fault(200, raw="<html>maintenance</html>"), TeslaApiError),
        (Fault(400, {"error": "unauthorized_client"}), TeslaAuthError),
    ],
)
async def test_token_endpoint_failures(make_owner, fleet, fault, raised) -> None:
    owner = make_owner()
    code, verifier = await owner.authorize()
    fleet.fail_next(Fault(**{**fault.__dict__, "path_contains": "/oauth2/v3/token"}))
    with pytest.raises(raised) as err:
        await owner.oauth.exchange_code(code, REDIRECT_URI, verifier)
    if raised is VehicleRateLimitError:
        expected = 30.0 if fault.headers["Retry-After"] == "30" else None
        assert err.value.retry_after == expected


async def test_token_endpoint_unreachable(make_owner, fleet) -> None:
    owner = make_owner()
    await fleet.stop()
    with pytest.raises(VehicleConnectionError):
        await owner.oauth.refresh("NA_whatever")


async def test_token_answers_without_tokens(make_owner, fleet) -> None:
    owner = make_owner()
    fleet.fail_next(Fault(200, {"token_type": "Bearer"}))
    with pytest.raises(TeslaApiError):
        await owner.oauth.refresh("NA_whatever")


async def test_partner_token_needs_the_secret(make_owner, fleet_session) -> None:
    owner = make_owner()
    owner.oauth._client_secret = None
    with pytest.raises(TeslaAuthError):
        await owner.oauth.partner_token(Region.NA)


def test_tokens_are_stored_and_never_shown(make_owner) -> None:
    owner = make_owner()
    tokens = FleetTokens("header.payload.sig", "NA_refresh", owner.clock.now())
    assert FleetTokens.from_dict(tokens.as_dict()) == tokens
    for shown in (repr(tokens), repr(owner.manager(tokens)), repr(owner.oauth)):
        assert "payload" not in shown
        assert "NA_refresh" not in shown
        assert owner.client_id not in shown
        assert CLIENT_SECRET not in shown
    with pytest.raises(TeslaAuthError):
        FleetTokens.from_dict({"access_token": 5})
    missing_time = FleetTokens.from_dict({"access_token": "a", "refresh_token": None})
    assert missing_time.expires_at.year == 1  # refreshed before first use


@pytest.mark.parametrize(
    "token",
    ["not-a-jwt", "a.%%%.c", "a.WzEsIDJd.c", "a.eyJvdV9jb2RlIjogIlhYIn0.c"],
    ids=["no-dots", "not-base64", "a-list", "unknown-region"],
)
def test_unreadable_claims(token: str) -> None:
    claims = token_claims(token)
    assert claims.region is None
    assert claims.scopes == frozenset()


def test_command_key_round_trip_and_secrecy() -> None:
    key = CommandKey.generate()
    pem = key.private_pem()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    again = CommandKey.from_pem(pem)
    assert again == key
    assert hash(again) == hash(key)
    assert again != CommandKey.generate()
    assert key != "a key"
    assert len(key.public_point) == 65
    assert key.public_point[0] == 4  # uncompressed point
    assert key.public_pem.startswith("-----BEGIN PUBLIC KEY-----")
    secret = key.signing_key.private_numbers().private_value
    assert f"{secret:x}" not in repr(key)
    assert repr(key) == f"CommandKey(fingerprint={key.fingerprint})"
    assert public_key_url("tesla.example.org") == (
        "https://tesla.example.org/.well-known/appspecific/com.tesla.3p.public-key.pem"
    )
    assert pairing_url("tesla.example.org") == "https://tesla.com/_ak/tesla.example.org"


def test_unusable_stored_keys() -> None:
    garbage = (
        "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXN0dWZm\n-----END PRIVATE KEY-----\n"
    )
    with pytest.raises(TeslaKeyError) as err:
        CommandKey.from_pem(garbage)
    assert "c2VjcmV0" not in str(err.value)
    rsa_pem = rsa.generate_private_key(
        public_exponent=65537, key_size=2048
    ).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(TeslaKeyError):
        CommandKey.from_pem(rsa_pem)
    with pytest.raises(TeslaKeyError):
        CommandKey(ec.generate_private_key(ec.SECP384R1()))


async def test_a_code_without_its_verifier_or_secret(make_owner, fleet_session) -> None:
    owner = make_owner()
    code, _ = await owner.authorize()
    with pytest.raises(TeslaAuthError) as no_verifier:
        await owner.oauth.exchange_code(code, REDIRECT_URI, None)
    assert no_verifier.value.error == "invalid_auth_code"
    code, verifier = await owner.authorize()
    owner.oauth._client_secret = None
    with pytest.raises(TeslaAuthError) as no_secret:
        await owner.oauth.exchange_code(code, REDIRECT_URI, verifier)
    assert no_secret.value.error == "unauthorized_client"


async def test_a_refresh_answer_without_a_new_refresh_token(
    make_owner, fleet, manual_clock
) -> None:
    owner = make_owner()
    tokens = await owner.sign_in()
    manager = owner.manager(tokens)
    fleet.fail_next(
        Fault(
            200, {"access_token": "a.b.c", "expires_in": 28800}, path_contains="/token"
        )
    )
    await manual_clock.advance(8 * HOURS)
    assert await manager.access_token() == "a.b.c"
    assert manager.tokens.refresh_token == tokens.refresh_token  # kept
