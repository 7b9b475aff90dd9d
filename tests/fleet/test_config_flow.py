"""Adding a Tesla through the Fleet API: application credentials, key, sign-in, region."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest

from custom_components.connected_car.vehicle.tesla import SCOPES, FleetTokens
from tests.tesla.https import Fault

from .conftest import (
    APP,
    APP_CN,
    CLIENT_ID,
    CLIENT_ID_CN,
    CLIENT_SECRET,
    KEY_DOMAIN,
    SUBJECT,
    Owner,
)
from .flows import FleetFlow, key_of, start_entry_flow


@pytest.mark.parametrize(
    ("region", "realm", "sign_in_host"),
    [
        ("na", "global", "auth.tesla.com"),
        ("eu", "global", "auth.tesla.com"),
        ("cn", "china", "auth.tesla.cn"),
    ],
)
async def test_an_owner_adds_their_account(
    hass: HomeAssistant,
    hass_storage,
    flow: FleetFlow,
    owner: Owner,
    local_fleet,
    region: str,
    realm: str,
    sign_in_host: str,
) -> None:
    result = await flow.start()
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "tesla_fleet"
    result = await flow.to_key(result, realm=realm)
    # The key: made once, kept privately; the flow shows only its public half.
    key = key_of(hass_storage)
    assert flow.public_pem == key.public_pem.strip()
    assert result["description_placeholders"]["url"] == (
        f"https://{KEY_DOMAIN}/.well-known/appspecific/com.tesla.3p.public-key.pem"
    )
    assert "PRIVATE" not in str(result)
    flow.publish_key()
    flow.pair(owner.cars.values())

    result = await flow.configure(result, {})
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    url = urlsplit(result["url"])
    query = parse_qs(url.query)
    assert url.hostname == sign_in_host
    assert query["scope"] == [" ".join(SCOPES)]
    assert query["code_challenge_method"] == ["S256"]
    client_id = CLIENT_ID_CN if realm == "china" else CLIENT_ID
    assert query["client_id"] == [client_id]
    result = await flow.sign_in(result)

    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert result["title"] == "Tesla Fleet API (Model 3, Model S)"
    entry = result["result"]
    assert entry.unique_id == SUBJECT
    data = dict(entry.data)
    tokens = FleetTokens.from_dict(data.pop("token"))
    assert tokens.claims.region.value == region
    assert data == {
        "backend": "tesla",
        "transport": "fleet_api",
        "auth_implementation": APP_CN if realm == "china" else APP,
        "realm": realm,
        "region": region,
        "key_domain": KEY_DOMAIN,
    }
    # The code was exchanged with its PKCE verifier (the fake checks it), and the
    # app was registered in the account's region for the domain, with this key.
    assert local_fleet.auth.grants[0] == "authorization_code"
    [(_, registered_region)] = local_fleet.registrations
    assert registered_region == region
    assert local_fleet.registrations[(client_id, region)] == (
        KEY_DOMAIN,
        key.public_point,
    )
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("lock.model_3") is not None


@pytest.mark.parametrize("region", ["eu"])
async def test_the_region_is_asked_for_when_the_token_does_not_say(
    hass: HomeAssistant, flow: FleetFlow, owner: Owner, local_fleet
) -> None:
    """A token without ``ou_code``: ``users/region`` names the EU host."""
    local_fleet.auth.include_ou_code = False
    entry = await flow.add_entry(pair=owner.cars.values())
    assert entry.data["region"] == "eu"
    # Asked at the sign-in's home (North America, registered there to be
    # answered at all), then registered where the account lives.
    assert {region for (_, region) in local_fleet.registrations} == {"na", "eu"}
    assert any(
        r.path == "/api/1/users/region" and r.host.startswith("fleet-api.prd.eu")
        for r in local_fleet.requests
    )


async def test_the_key_must_be_published_before_tesla_registers_the_app(
    hass: HomeAssistant, flow: FleetFlow, owner: Owner, local_fleet
) -> None:
    """412 at Tesla: the registration fails while the domain serves no key."""
    result = await flow.to_key(await flow.start())
    flow.pair(owner.cars.values())
    result = await flow.sign_in(await flow.configure(result, {}))
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "tesla_fleet_account"
    assert result["errors"] == {"base": "tesla_fleet_not_registered"}
    assert result["description_placeholders"] == {
        "url": f"https://{KEY_DOMAIN}/.well-known/appspecific/com.tesla.3p.public-key.pem",
        "region": "NA",
    }
    assert local_fleet.registrations == {}
    flow.publish_key()
    result = await flow.configure(result, {})  # try again, signed in still
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert local_fleet.auth.grants.count("authorization_code") == 1  # signed in once


async def test_cars_that_do_not_know_the_key_are_named(
    hass: HomeAssistant, flow: FleetFlow, owner: Owner
) -> None:
    result = await flow.to_key(await flow.start())
    flow.publish_key()
    result = await flow.sign_in(await flow.configure(result, {}))
    # Only the car that takes signed commands needs the key.
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "tesla_fleet_pair"
    assert result["menu_options"] == ["tesla_fleet_pair_check", "tesla_fleet_finish"]
    assert result["description_placeholders"] == {
        "cars": "Model 3",
        "pairing_url": f"https://tesla.com/_ak/{KEY_DOMAIN}",
    }
    result = await flow.configure(result, {"next_step_id": "tesla_fleet_pair_check"})
    assert result["step_id"] == "tesla_fleet_pair"  # not paired yet
    flow.pair([owner.signed])
    result = await flow.configure(result, {"next_step_id": "tesla_fleet_pair_check"})
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_pairing_can_wait(
    hass: HomeAssistant, flow: FleetFlow, owner: Owner
) -> None:
    """Finished without pairing: a repair issue names the car until it is paired."""
    entry = await flow.add_entry()
    await hass.async_block_till_done()
    issue = ir.async_get(hass).async_get_issue(
        "connected_car", f"tesla_fleet_key_not_paired_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders["cars"] == "Model 3"


async def test_permissions_the_integration_needs_must_be_granted(
    hass: HomeAssistant, flow: FleetFlow, owner: Owner
) -> None:
    owner.account.grants -= {"vehicle_device_data", "vehicle_cmds"}
    result = await flow.to_key(await flow.start())
    flow.publish_key()
    result = await flow.sign_in(await flow.configure(result, {}))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "tesla_fleet_missing_scopes"
    assert result["description_placeholders"] == {"scopes": "vehicle_device_data"}


async def test_commands_may_be_left_out(
    hass: HomeAssistant, flow: FleetFlow, owner: Owner
) -> None:
    """Without the command scope the cars are read-only: no lock entity."""
    owner.account.grants -= {"vehicle_cmds"}
    await flow.add_entry(pair=owner.cars.values())
    await hass.async_block_till_done()
    assert hass.states.get("lock.model_3") is None
    assert hass.states.get("binary_sensor.model_3_lock").state == "off"  # locked


async def test_declined_at_tesla(
    hass: HomeAssistant, flow: FleetFlow, owner: Owner
) -> None:
    result = await flow.to_key(await flow.start())
    result = await flow.sign_in(await flow.configure(result, {}), decline=True)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "tesla_fleet_declined"
    assert result["description_placeholders"] == {"error": "access_denied"}


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault(401, {"error": "unauthorized_client"}), "tesla_fleet_sign_in_failed"),
        (Fault(503, {"error": "unavailable"}), "tesla_fleet_cannot_connect"),
    ],
)
async def test_the_code_exchange_fails(
    hass: HomeAssistant,
    flow: FleetFlow,
    owner: Owner,
    local_fleet,
    fault: Fault,
    reason: str,
) -> None:
    result = await flow.to_key(await flow.start())
    fault.path_contains = "/oauth2/v3/token"
    local_fleet.fail_next(fault)
    result = await flow.sign_in(await flow.configure(result, {}))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason


async def test_tesla_unreachable_after_the_sign_in(
    hass: HomeAssistant, flow: FleetFlow, owner: Owner, local_fleet
) -> None:
    result = await flow.to_key(await flow.start())
    flow.publish_key()
    flow.pair(owner.cars.values())
    local_fleet.fail_next(Fault(503, {"error": "down"}, path_contains="/api/1/"))
    result = await flow.sign_in(await flow.configure(result, {}))
    assert result["errors"] == {"base": "tesla_fleet_cannot_connect"}
    result = await flow.configure(result, {})
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_a_token_without_an_account_id_is_refused(
    hass: HomeAssistant, flow: FleetFlow, owner: Owner, local_fleet
) -> None:
    result = await flow.to_key(await flow.start())
    local_fleet.fail_next(
        Fault(
            200,
            {"access_token": "not-a-jwt", "refresh_token": "r", "expires_in": 28800},
            path_contains="/oauth2/v3/token",
        )
    )
    result = await flow.sign_in(await flow.configure(result, {}))
    assert result["reason"] == "tesla_fleet_missing_scopes"  # nothing readable granted


async def test_an_account_without_cars(
    hass: HomeAssistant, flow: FleetFlow, local_fleet
) -> None:
    local_fleet.add_owner("carless", "na")
    result = await flow.to_key(await flow.start())
    flow.publish_key()
    result = await flow.sign_in(await flow.configure(result, {}))
    assert result["reason"] == "tesla_fleet_no_vehicles"


async def test_the_same_account_twice(
    hass: HomeAssistant, flow: FleetFlow, owner: Owner
) -> None:
    await flow.add_entry(pair=owner.cars.values())
    result = await flow.to_key(await flow.start())
    result = await flow.sign_in(await flow.configure(result, {}))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "tesla_fleet_already_configured"


async def test_the_domain_is_checked(
    hass: HomeAssistant, hass_storage, flow: FleetFlow, owner: Owner
) -> None:
    result = await flow.start()
    result = await flow.configure(
        result, {"realm": "global", "key_domain": "my tesla", "credential": "tesla_app"}
    )
    assert result["errors"] == {"key_domain": "tesla_fleet_invalid_domain"}
    # A pasted URL is cut down to its host.
    result = await flow.configure(
        result,
        {
            "realm": "global",
            "key_domain": "https://Tesla.Example.org/.well-known/",
            "credential": "tesla_app",
        },
    )
    assert result["step_id"] == "tesla_fleet_key"
    assert result["description_placeholders"]["domain"] == KEY_DOMAIN
    # The same domain keeps its key: a second flow shows the same public key.
    pem = result["description_placeholders"]["public_key"]
    result = await flow.to_key(await flow.start())
    assert result["description_placeholders"]["public_key"] == pem
    assert list(hass_storage["connected_car.tesla_fleet_keys"]["data"]) == [KEY_DOMAIN]


async def test_no_credentials_yet(
    hass: HomeAssistant, local_fleet, current_request_with_host: None
) -> None:
    """The frontend then opens the "add application credentials" dialog."""
    assert await async_setup_component(hass, "application_credentials", {})
    result = await hass.config_entries.flow.async_init(
        "connected_car", context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "tesla"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "tesla_fleet"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "missing_credentials"


async def test_one_credential_needs_no_choice(
    hass: HomeAssistant,
    hass_client_no_auth,
    fleet_session,
    local_fleet,
    owner: Owner,
    current_request_with_host: None,
) -> None:
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass, "connected_car", ClientCredential(CLIENT_ID, CLIENT_SECRET), APP
    )
    flow = FleetFlow(hass, await hass_client_no_auth(), fleet_session, local_fleet)
    result = await flow.start()
    assert {str(key) for key in result["data_schema"].schema} == {
        "realm",
        "key_domain",
    }
    entry = await flow.add_entry(pair=owner.cars.values())
    assert entry.data["auth_implementation"] == APP


@pytest.mark.parametrize(("region", "realm"), [("na", "global"), ("cn", "china")])
async def test_signing_in_again(
    hass: HomeAssistant,
    flow: FleetFlow,
    fleet_loaded,
    local_fleet,
    realm: str,
) -> None:
    """Reauthentication: the same app, realm and key; new tokens for the entry."""
    old_token = fleet_loaded.data["token"]
    result = await start_entry_flow(hass, fleet_loaded, SOURCE_REAUTH)
    assert result["step_id"] == "tesla_fleet_again"
    assert result["description_placeholders"] == {"name": fleet_loaded.title}
    result = await flow.configure(result, {})
    assert urlsplit(result["url"]).hostname == (
        "auth.tesla.cn" if realm == "china" else "auth.tesla.com"
    )
    result = await flow.sign_in(result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert fleet_loaded.data["token"] != old_token
    assert fleet_loaded.data["realm"] == realm
    await hass.async_block_till_done()
    assert fleet_loaded.state is ConfigEntryState.LOADED


async def test_signing_in_again_with_another_account(
    hass: HomeAssistant, flow: FleetFlow, fleet_loaded, local_fleet
) -> None:
    local_fleet.add_owner("someone-else", "na")  # who signs in now
    result = await start_entry_flow(hass, fleet_loaded, SOURCE_REAUTH)
    result = await flow.sign_in(await flow.configure(result, {}))
    assert result["reason"] == "tesla_fleet_wrong_account"


async def test_reconfiguring_signs_in_again(
    hass: HomeAssistant, flow: FleetFlow, fleet_loaded
) -> None:
    result = await start_entry_flow(hass, fleet_loaded, SOURCE_RECONFIGURE)
    assert result["step_id"] == "tesla_fleet_again"
    result = await flow.sign_in(await flow.configure(result, {}))
    assert result["reason"] == "tesla_fleet_signed_in_again"


async def test_signing_in_again_without_the_key(
    hass: HomeAssistant, hass_storage, flow: FleetFlow, fleet_loaded
) -> None:
    hass_storage["connected_car.tesla_fleet_keys"]["data"] = {}
    result = await start_entry_flow(hass, fleet_loaded, SOURCE_REAUTH)
    result = await flow.configure(result, {})
    assert result["reason"] == "tesla_fleet_key_missing"
    assert result["description_placeholders"] == {"domain": KEY_DOMAIN}


async def test_signing_in_again_without_the_credential(
    hass: HomeAssistant, flow: FleetFlow, fleet_loaded
) -> None:
    hass.config_entries.async_update_entry(
        fleet_loaded, data={**fleet_loaded.data, "auth_implementation": "gone"}
    )
    result = await start_entry_flow(hass, fleet_loaded, SOURCE_REAUTH)
    result = await flow.configure(result, {})
    assert result["reason"] == "missing_credentials"
