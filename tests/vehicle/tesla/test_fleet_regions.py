"""The Fleet transport in North America, Europe and China: regions, registration, scopes."""

from __future__ import annotations

from datetime import timedelta
import logging

import pytest

from custom_components.connected_car.vehicle import (
    Command,
    CommandKind,
    CommandNotSupportedError,
    VehicleAuthError,
    VehicleRateLimitError,
    signals,
)
from custom_components.connected_car.vehicle.tesla import (
    CallKind,
    Region,
    TeslaBackend,
    TeslaMissingScopesError,
    TeslaNotRegisteredError,
)
from custom_components.connected_car.vehicle.tesla.errors import (
    TeslaApiError,
    TeslaWrongRegionError,
)
from custom_components.connected_car.vehicle.tesla.fleet import region_of_url
from tests.tesla.auth import FLEET_HOSTS
from tests.tesla.encoder import sample_document
from tests.tesla.https import Fault
from tests.tesla.owner import CLIENT_SECRET, DOMAIN


def fleet_hosts(fleet) -> set[str]:
    return {r.host for r in fleet.requests if r.host.startswith("fleet-api.")}


def trail(fleet, vin: str = "") -> list[tuple[str, str, int]]:
    """Return (region or "auth", path with the VIN as {vin}, status) of each request."""
    return [
        (
            r.host.split(".")[2] if r.host.startswith("fleet-api.") else "auth",
            r.path.replace(vin, "{vin}") if vin else r.path,
            r.status,
        )
        for r in fleet.requests
    ]


@pytest.mark.parametrize("region", ["na", "eu", "cn"])
async def test_an_account_in_each_region(make_owner, fleet, region) -> None:
    owner = make_owner(region)
    car = owner.add_car(command_signing="allowed")
    backend = await owner.backend()
    assert backend.status.region == region
    (vehicle,) = [backend.vehicle(car.vin)]
    assert vehicle.capabilities.has(signals.LOCATION)
    state = await backend.fetch_state(car.vin)
    assert state.value(signals.LOCKED) is True
    await backend.send(car.vin, Command(CommandKind.UNLOCK))
    assert car.car.locked is False
    assert fleet_hosts(fleet) == {FLEET_HOSTS[region]}
    # Registered once, in the account's region, on first contact (412).
    assert [r.status for r in fleet.requests if r.path == "/api/1/users/region"] == [
        412,
        200,
    ]
    assert set(fleet.registrations) == {(owner.client_id, region)}
    assert not any(r.status == 421 for r in fleet.requests)
    await backend.close()


async def test_region_asked_of_users_region_without_the_token_claim(
    make_owner, fleet
) -> None:
    fleet.auth.include_ou_code = False
    owner = make_owner("eu")
    owner.add_car()
    owner.oauth.region = Region.NA  # the owner picked "rest of the world"
    backend = await owner.backend()
    assert backend.status.region == "eu"
    assert trail(fleet)[2:] == [
        ("na", "/api/1/users/region", 412),
        ("auth", "/oauth2/v3/token", 200),  # a partner token for na
        ("na", "/api/1/partner_accounts", 200),
        ("na", "/api/1/users/region", 200),  # answers anywhere: "you are in eu"
        ("eu", "/api/1/products", 412),
        ("auth", "/oauth2/v3/token", 200),
        ("eu", "/api/1/partner_accounts", 200),
        ("eu", "/api/1/products", 200),
    ]
    await backend.close()


async def test_a_421_moves_the_transport_to_the_named_region(make_owner, fleet) -> None:
    owner = make_owner("eu")
    car = owner.add_car()
    backend = await owner.backend()
    owner.account.region = "na"  # Tesla moved the account
    fleet.requests.clear()
    state = await backend.fetch_state(car.vin)
    assert state.value(signals.LOCKED) is True
    assert trail(fleet, car.vin) == [
        ("eu", "/api/1/vehicles/{vin}", 421),
        ("na", "/api/1/vehicles/{vin}", 412),
        ("auth", "/oauth2/v3/token", 200),
        ("na", "/api/1/partner_accounts", 200),
        ("na", "/api/1/vehicles/{vin}", 200),
        ("na", "/api/1/vehicles/{vin}/vehicle_data", 200),
    ]
    assert backend.transport.region is Region.NA
    await backend.close()


async def test_a_421_naming_no_known_host_asks_users_region(make_owner, fleet) -> None:
    owner = make_owner("eu")
    car = owner.add_car()
    backend = await owner.backend()
    fleet.fail_next(
        Fault(
            421,
            {
                "response": None,
                "error": "user out of region, use base URL: https://evil.example.com",
            },
            path_contains=f"/vehicles/{car.vin}",
        )
    )
    await backend.fetch_state(car.vin)
    assert "evil.example.com" not in {r.host for r in fleet.requests}
    assert fleet.requests[-3].path == "/api/1/users/region"
    assert backend.transport.region is Region.EU
    await backend.close()


async def test_users_region_naming_no_known_host(make_owner, fleet) -> None:
    owner = make_owner("eu")
    owner.add_car()
    fleet.fail_next(
        Fault(
            200,
            {"response": {"region": "xx", "fleet_api_base_url": "https://x.example"}},
            path_contains="/users/region",
        )
    )
    with pytest.raises(TeslaApiError):
        await owner.backend()
    assert region_of_url(None) is None


async def test_registration_impossible_is_a_clear_setup_error(
    make_owner, fleet
) -> None:
    owner = make_owner("eu")
    fleet.hosted_keys.clear()  # the domain serves no public key
    with pytest.raises(TeslaNotRegisteredError) as err:
        await owner.backend()
    message = str(err.value)
    assert (
        f"https://{DOMAIN}/.well-known/appspecific/com.tesla.3p.public-key.pem"
        in message
    )
    assert owner.client_id not in message
    assert not isinstance(err.value, VehicleAuthError)  # signing in again won't help


async def test_no_app_credentials_no_registration(make_owner, fleet) -> None:
    owner = make_owner("na")
    tokens = await owner.sign_in()
    transport = owner.transport(owner.manager(tokens))
    transport._app = None
    with pytest.raises(TeslaNotRegisteredError):
        await TeslaBackend(transport, clock=owner.clock).login()
    with pytest.raises(TeslaNotRegisteredError):
        await transport.register()
    assert await transport.registered_public_key() is None


async def test_registration_checks(make_owner, fleet) -> None:
    owner = make_owner("eu")
    paired = owner.add_car(seed=1)
    unpaired = owner.add_car(seed=2, paired=False)
    backend = await owner.backend()
    transport = backend.transport
    assert await transport.registered_public_key() == owner.key.public_point
    assert await transport.registered_public_key(Region.NA) is None  # not there
    assert await transport.unpaired_vins([paired.vin, unpaired.vin]) == [unpaired.vin]
    assert await transport.unpaired_vins([]) == []
    fleet.fail_next(
        Fault(
            200,
            {"response": {"key_paired_vins": [paired.vin]}},
            path_contains="fleet_status",
        )
    )
    assert await transport.unpaired_vins([paired.vin, unpaired.vin]) == [unpaired.vin]
    fleet.fail_next(Fault(200, {"response": {}}, path_contains="fleet_status"))
    with pytest.raises(TeslaApiError):
        await transport.unpaired_vins([paired.vin])
    fleet.fail_next(
        Fault(200, {"response": {"public_key": "not hex"}}, path_contains="public_key")
    )
    assert await transport.registered_public_key() is None
    await backend.close()


async def test_missing_scopes(make_owner, fleet) -> None:
    owner = make_owner("na")
    owner.account.grants -= {"vehicle_cmds", "vehicle_location"}
    car = owner.add_car()
    backend = await owner.backend()
    vehicle = backend.vehicle(car.vin)
    assert vehicle.capabilities.commands == frozenset()
    assert not vehicle.capabilities.has(signals.LOCATION)
    with pytest.raises(CommandNotSupportedError):
        await backend.send(car.vin, Command(CommandKind.LOCK))
    await backend.fetch_state(car.vin)
    assert "location_data" not in str([r.path for r in fleet.requests])
    await backend.close()


async def test_a_missing_data_scope_asks_for_a_new_sign_in(make_owner) -> None:
    owner = make_owner("na")
    owner.account.grants.discard("vehicle_device_data")
    car = owner.add_car()
    backend = await owner.backend()
    with pytest.raises(TeslaMissingScopesError):
        await backend.fetch_state(car.vin)
    assert backend.status.signed_out  # HA: re-authenticate, granting the scope
    await backend.close()


async def test_a_421_twice_is_an_error(make_owner, fleet) -> None:
    owner = make_owner("eu")
    owner.add_car()
    backend = await owner.backend()
    wrong = sample_document("fleet_error_421_wrong_region")
    fleet.fail_next(Fault(421, wrong["payload"], path_contains="/products"), times=2)
    with pytest.raises(TeslaWrongRegionError):
        await backend.list_vehicles()
    await backend.close()


async def test_registration_errors_other_than_missing(make_owner, fleet) -> None:
    owner = make_owner("eu")
    owner.add_car()
    backend = await owner.backend()
    fleet.fail_next(Fault(503, {"error": "unavailable"}, path_contains="public_key"))
    with pytest.raises(TeslaApiError):
        await backend.transport.registered_public_key()
    await backend.close()


async def test_unknown_command_signing_means_rest(make_owner, fleet) -> None:
    owner = make_owner()
    car = owner.add_car(command_signing="sometimes")
    backend = await owner.backend()
    assert car.vin not in backend.transport.signing
    await backend.send(car.vin, Command(CommandKind.UNLOCK))
    assert car.commands == ["door_unlock"]
    await backend.close()


async def test_a_cars_daily_quota_answers_429(make_owner, fleet, manual_clock) -> None:
    owner = make_owner()
    car = owner.add_car()
    fleet.quotas = {"data": 2, "command": 50, "wake": 15}
    backend = await owner.backend()
    for _ in range(2):
        await backend.fetch_state(car.vin)
        await manual_clock.advance(backend.poll_interval().total_seconds())
    with pytest.raises(VehicleRateLimitError) as limited:
        await backend.fetch_state(car.vin)
    now = manual_clock.now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(
        days=1
    )
    assert limited.value.retry_after == int((midnight - now).total_seconds()) + 1
    assert fleet.requests[-1].status == 429
    # A 429 is billed (it is below 500): counted by Tesla and by us alike.
    assert fleet.billed_totals()["data"] == 3
    assert backend.usage.calls[CallKind.DATA] == 3
    await backend.close()


async def test_no_token_secret_client_id_or_vin_in_any_log_line(
    make_owner, fleet, manual_clock, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    owner = make_owner("eu")
    signed = owner.add_car(seed=1, command_signing="required")
    plain = owner.add_car(seed=2, command_signing="off", paired=False)
    backend = await owner.backend()
    first = owner.last_manager.tokens
    owner.account.region = "na"  # a 421, then registration in na (412)
    for car in (signed, plain):
        await backend.fetch_state(car.vin)
        await backend.send(car.vin, Command(CommandKind.UNLOCK))
    await manual_clock.advance(8 * 3600)  # the access token is renewed
    await backend.fetch_state(signed.vin)
    await backend.close()
    held = [first, *owner.saved]
    tokens = [t.access_token for t in held] + [t.refresh_token for t in held]
    secrets = [*tokens, owner.client_id, CLIENT_SECRET, signed.vin, plain.vin]
    assert owner.saved  # a refresh happened
    assert "Registered the Tesla app in region na" in caplog.text
    for secret in secrets:
        assert secret not in caplog.text
