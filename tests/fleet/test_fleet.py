"""A Tesla account on the Fleet API in Home Assistant: commands, cost, key, tokens."""

from __future__ import annotations

from datetime import timedelta
import json
from unittest.mock import patch

from homeassistant.components.lock import LockState
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle.tesla import CallKind, FleetTokens
from tests.tesla.fleet import FakeFleet

from .conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    KEY_DOMAIN,
    SIGNED,
    UNSIGNED,
    Owner,
    backend_of,
    call,
)
from .flows import FleetFlow, key_of

LOCK_3 = "lock.model_3"
LOCK_S = "lock.model_s"
COST = "sensor.tesla_fleet_api_fleet_api_cost_this_month"
DATA_REQUESTS = "sensor.tesla_fleet_api_data_requests_this_month"
COMMANDS = "sensor.tesla_fleet_api_commands_this_month"
WAKE_UPS = "sensor.tesla_fleet_api_wake_ups_this_month"


def command_paths(fleet: FakeFleet, car) -> list[str]:
    """Return how the car's commands reached Tesla (REST name or signed_command)."""
    return [
        r.path.rsplit("/", 1)[-1]
        for r in fleet.requests
        if f"/{car.vin}/" in r.path and ("/command/" in r.path or "signed" in r.path)
    ]


def issue(hass: HomeAssistant, name: str, entry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{name}_{entry.entry_id}")


@pytest.mark.parametrize("region", ["na", "eu", "cn"])
async def test_signed_and_unsigned_cars_obey(
    hass: HomeAssistant,
    fleet_loaded,
    owner: Owner,
    local_fleet: FakeFleet,
    manual_clock,
    region: str,
) -> None:
    """Each region's host; the new car signed, the pre-2021 car over REST."""
    for entity, car in ((LOCK_3, owner.signed), (LOCK_S, owner.unsigned)):
        assert hass.states.get(entity).state == LockState.LOCKED
        await call(hass, manual_clock, "lock", "unlock", entity)
        assert hass.states.get(entity).state == LockState.UNLOCKED
        assert car.car.locked is False
        await call(hass, manual_clock, "lock", "lock", entity)
        assert hass.states.get(entity).state == LockState.LOCKED
    # Signed: the session handshake and two commands through signed_command.
    assert set(command_paths(local_fleet, owner.signed)) == {"signed_command"}
    assert owner.signed.commands == ["door_unlock", "door_lock"]
    assert command_paths(local_fleet, owner.unsigned) == ["door_unlock", "door_lock"]
    hosts = {
        r.host for r in local_fleet.requests if r.path.startswith("/api/1/vehicles")
    }
    assert hosts == {
        f"fleet-api.prd.{region}.vn.cloud.tesla.{'cn' if region == 'cn' else 'com'}"
    }
    assert local_fleet.rate_limited == 0


async def test_the_month_is_counted_and_shown(
    hass: HomeAssistant,
    hass_storage,
    fleet_loaded,
    owner: Owner,
    local_fleet: FakeFleet,
    manual_clock,
) -> None:
    await call(hass, manual_clock, "lock", "unlock", LOCK_S)
    billed = local_fleet.billed_totals()
    backend = backend_of(fleet_loaded)
    assert billed["data"] >= 2  # each car read once at setup, then to confirm
    assert float(hass.states.get(DATA_REQUESTS).state) == billed["data"]
    assert float(hass.states.get(COMMANDS).state) == billed["command"] == 1
    assert float(hass.states.get(WAKE_UPS).state) == billed["wake"] == 0
    cost = billed["data"] / 500 + billed["command"] / 1000
    state = hass.states.get(COST)
    assert float(state.state) == pytest.approx(cost)
    assert state.attributes["unit_of_measurement"] == "USD"
    assert state.attributes["last_reset"] == backend.usage.month.isoformat()

    # On disk within a second, without waiting for a clean stop (a crash) ...
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))
    await hass.async_block_till_done()
    stored = hass_storage[f"connected_car.tesla.{fleet_loaded.entry_id}"]["data"]
    assert stored["usage"]["calls"]["command"] == 1
    assert stored["usage"]["calls"]["data"] == billed["data"]
    # ... and read back at the next start.
    await hass.config_entries.async_reload(fleet_loaded.entry_id)
    await hass.async_block_till_done()
    after = backend_of(fleet_loaded)
    assert after is not backend
    assert after.usage.calls[CallKind.COMMAND] == 1
    assert after.usage.calls[CallKind.DATA] >= billed["data"]


async def test_polling_follows_the_budget(
    hass: HomeAssistant, fleet_loaded, local_fleet: FakeFleet, manual_clock
) -> None:
    """No blind polling: the coordinator waits as long as the budget says."""
    backend = backend_of(fleet_loaded)
    pace = backend.poll_interval()
    assert pace is not None
    assert pace > timedelta(minutes=10)  # $10 for two cars: about every 20 min
    coordinators = list(fleet_loaded.runtime_data.coordinators.values())
    for coordinator in coordinators:  # as the pace was a moment ago
        assert coordinator.update_interval.total_seconds() == pytest.approx(
            pace.total_seconds(), rel=0.01
        )
    reads = local_fleet.billed_totals()["data"]
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=10))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert local_fleet.billed_totals()["data"] == reads  # not yet
    await manual_clock.advance(pace.total_seconds())
    async_fire_time_changed(hass, dt_util.utcnow() + pace + timedelta(seconds=1))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert local_fleet.billed_totals()["data"] == reads + 2  # both awake cars read


async def test_a_spent_budget_raises_a_repair_issue(
    hass: HomeAssistant, fleet_loaded, local_fleet: FakeFleet, manual_clock
) -> None:
    result = await hass.config_entries.options.async_init(fleet_loaded.entry_id)
    assert "monthly_budget" in {str(key) for key in result["data_schema"].schema}
    await hass.config_entries.options.async_configure(
        result["flow_id"], {"poll_interval": 5, "monthly_budget": 0.5}
    )
    await hass.async_block_till_done()
    assert fleet_loaded.options["monthly_budget"] == 0.5
    spent = issue(hass, "tesla_fleet_budget_exhausted", fleet_loaded)
    assert spent is not None
    assert spent.translation_placeholders["budget"] == "0.50"
    backend = backend_of(fleet_loaded)
    assert backend.poll_interval() is None
    coordinators = list(fleet_loaded.runtime_data.coordinators.values())
    assert all(c.update_interval == timedelta(hours=1) for c in coordinators)
    # Polls go on for free (the cars' online state), data is not read ...
    reads = local_fleet.billed_totals()["data"]
    await manual_clock.advance(3600)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(hours=1, seconds=1))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert local_fleet.billed_totals()["data"] == reads
    # ... commands still go.
    await call(hass, manual_clock, "lock", "unlock", LOCK_S)
    assert hass.states.get(LOCK_S).state == LockState.UNLOCKED

    result = await hass.config_entries.options.async_init(fleet_loaded.entry_id)
    await hass.config_entries.options.async_configure(
        result["flow_id"], {"poll_interval": 5, "monthly_budget": 10}
    )
    await hass.async_block_till_done()
    assert issue(hass, "tesla_fleet_budget_exhausted", fleet_loaded) is None


async def test_an_unpaired_car_is_named_until_it_is_paired(
    hass: HomeAssistant,
    flow: FleetFlow,
    owner: Owner,
    local_fleet: FakeFleet,
    manual_clock,
) -> None:
    entry = await flow.add_entry(pair=[owner.unsigned])  # the signed car left out
    await hass.async_block_till_done()
    notice = issue(hass, "tesla_fleet_key_not_paired", entry)
    assert notice is not None
    assert notice.translation_placeholders == {
        "account": entry.title,
        "cars": SIGNED,
        "pairing_url": f"https://tesla.com/_ak/{KEY_DOMAIN}",
        "public_key_url": f"https://{KEY_DOMAIN}/.well-known/appspecific/com.tesla.3p.public-key.pem",
    }
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, manual_clock, "lock", "unlock", LOCK_3)
    assert err.value.translation_key == "command_key_not_paired"
    assert hass.states.get(LOCK_3).state == LockState.LOCKED
    await call(hass, manual_clock, "lock", "unlock", LOCK_S)  # REST: no key needed

    flow.pair([owner.signed])
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(hours=1, seconds=1))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert issue(hass, "tesla_fleet_key_not_paired", entry) is None
    await call(hass, manual_clock, "lock", "unlock", LOCK_3)
    assert hass.states.get(LOCK_3).state == LockState.UNLOCKED


async def test_rotated_tokens_are_saved_before_use(
    hass: HomeAssistant,
    hass_storage,
    fleet_loaded,
    local_fleet: FakeFleet,
    manual_clock,
) -> None:
    first = FleetTokens.from_dict(fleet_loaded.data["token"])
    store_key = f"connected_car.tesla_fleet.{fleet_loaded.entry_id}.tokens"
    on_disk_at_use: dict[str, object] = {}
    answer = local_fleet.handle

    async def handle(request, host):
        """Note what the private store held when each access token was first used."""
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token and token not in on_disk_at_use:
            on_disk_at_use[token] = hass_storage.get(store_key, {}).get("data")
        return await answer(request, host)

    await manual_clock.advance(8 * 3600)  # the access token expired
    coordinator = next(iter(fleet_loaded.runtime_data.coordinators.values()))
    with patch.object(local_fleet, "handle", handle):
        await coordinator.async_refresh()
    assert coordinator.last_update_success
    renewed = FleetTokens.from_dict(fleet_loaded.data["token"])
    assert renewed.refresh_token != first.refresh_token
    assert renewed.expires_at > first.expires_at
    assert local_fleet.auth.grants.count("refresh_token") == 1
    assert local_fleet.auth.refresh_token_spent(str(first.refresh_token))
    # On disk (the private store, written at once) before Tesla saw the new token.
    assert on_disk_at_use[renewed.access_token] == renewed.as_dict()


async def test_a_restart_before_the_entry_was_written_keeps_the_new_tokens(
    hass: HomeAssistant, hass_storage, fleet_loaded, manual_clock
) -> None:
    """The entry holds the spent tokens, the private store the new ones: newest wins."""
    stale = dict(fleet_loaded.data["token"])
    await manual_clock.advance(8 * 3600)
    coordinator = next(iter(fleet_loaded.runtime_data.coordinators.values()))
    await coordinator.async_refresh()
    renewed = dict(fleet_loaded.data["token"])
    hass.config_entries.async_update_entry(
        fleet_loaded, data={**fleet_loaded.data, "token": stale}
    )
    await hass.config_entries.async_reload(fleet_loaded.entry_id)
    await hass.async_block_till_done()
    assert fleet_loaded.state is ConfigEntryState.LOADED
    assert not hass.config_entries.flow.async_progress_by_handler(DOMAIN)  # no reauth
    coordinator = next(iter(fleet_loaded.runtime_data.coordinators.values()))
    await coordinator.async_refresh()
    assert coordinator.last_update_success
    assert fleet_loaded.data["token"] == renewed  # the store's, used and kept


async def test_a_refused_refresh_asks_to_sign_in_again(
    hass: HomeAssistant, fleet_loaded, local_fleet: FakeFleet, manual_clock
) -> None:
    local_fleet.auth.revoke_refresh_tokens()  # e.g. the owner changed the password
    await manual_clock.advance(8 * 3600)
    coordinator = next(iter(fleet_loaded.runtime_data.coordinators.values()))
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    assert flows[0]["step_id"] == "tesla_fleet_again"


async def test_setup_fails_clearly_when_the_app_is_not_registered(
    hass: HomeAssistant, fleet_loaded, local_fleet: FakeFleet
) -> None:
    """412 and no key to register with: a translated error, no endless retries."""
    local_fleet.registrations.clear()
    local_fleet.hosted_keys.clear()
    await hass.config_entries.async_reload(fleet_loaded.entry_id)
    await hass.async_block_till_done()
    assert fleet_loaded.state is ConfigEntryState.SETUP_ERROR
    assert fleet_loaded.error_reason_translation_key == (
        "account_setup_fleet_app_not_registered"
    )
    placeholders = fleet_loaded.error_reason_translation_placeholders
    assert placeholders["region"] == "NA"
    assert placeholders["public_key_url"] == (
        f"https://{KEY_DOMAIN}/.well-known/appspecific/com.tesla.3p.public-key.pem"
    )


async def test_setup_without_the_credential_or_the_key(
    hass: HomeAssistant, hass_storage, fleet_loaded
) -> None:
    data = dict(fleet_loaded.data)
    hass.config_entries.async_update_entry(
        fleet_loaded, data={**data, "auth_implementation": "deleted"}
    )
    await hass.config_entries.async_reload(fleet_loaded.entry_id)
    assert fleet_loaded.error_reason_translation_key == "tesla_fleet_credential_missing"
    hass.config_entries.async_update_entry(fleet_loaded, data=data)
    hass_storage["connected_car.tesla_fleet_keys"]["data"] = {}
    await hass.config_entries.async_reload(fleet_loaded.entry_id)
    assert fleet_loaded.error_reason_translation_key == "tesla_fleet_key_missing"
    assert fleet_loaded.error_reason_translation_placeholders == {"domain": KEY_DOMAIN}


async def test_diagnostics_hold_no_secret(
    hass: HomeAssistant, hass_client, hass_storage, fleet_loaded, owner: Owner
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, fleet_loaded
    )
    text = json.dumps(diagnostics)
    key = key_of(hass_storage)
    tokens = FleetTokens.from_dict(fleet_loaded.data["token"])
    for secret in (
        tokens.access_token,
        str(tokens.refresh_token),
        key.private_pem().splitlines()[1],
        CLIENT_ID,
        CLIENT_SECRET,
        KEY_DOMAIN,
        *(car.vin for car in owner.cars.values()),
    ):
        assert secret not in text
    assert diagnostics["adapter"]["command_key"] == key.fingerprint
    assert diagnostics["adapter"]["signing"] == ["off", "required"]
    assert diagnostics["adapter"]["budget"]["monthly_budget"] == 10.0
    assert diagnostics["backend"]["transport"] == "fleet_api"


async def test_removing_the_last_entry_removes_tokens_and_key(
    hass: HomeAssistant, hass_storage, fleet_loaded
) -> None:
    store_key = f"connected_car.tesla_fleet.{fleet_loaded.entry_id}.tokens"
    hass_storage[store_key] = {"version": 1, "data": fleet_loaded.data["token"]}
    other = MockConfigEntry(domain=DOMAIN, data={"key_domain": "other.example.org"})
    other.add_to_hass(hass)
    await hass.config_entries.async_remove(fleet_loaded.entry_id)
    await hass.async_block_till_done()
    assert store_key not in hass_storage
    assert hass_storage["connected_car.tesla_fleet_keys"]["data"] == {}


async def test_the_key_stays_while_another_entry_uses_its_domain(
    hass: HomeAssistant, hass_storage, fleet_loaded
) -> None:
    other = MockConfigEntry(
        domain=DOMAIN, data={"backend": "tesla", "key_domain": KEY_DOMAIN}
    )
    other.add_to_hass(hass)
    await hass.config_entries.async_remove(fleet_loaded.entry_id)
    await hass.async_block_till_done()
    assert list(hass_storage["connected_car.tesla_fleet_keys"]["data"]) == [KEY_DOMAIN]


@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
async def test_a_sleeping_car_is_woken_for_a_command(
    hass: HomeAssistant,
    fleet_loaded,
    owner: Owner,
    local_fleet: FakeFleet,
    manual_clock,
    signed: bool,
) -> None:
    car = owner.signed if signed else owner.unsigned
    entity = LOCK_3 if signed else LOCK_S
    car.car.asleep = True
    await call(hass, manual_clock, "lock", "unlock", entity)
    assert hass.states.get(entity).state == LockState.UNLOCKED
    assert local_fleet.billed[car.vin]["wake"] == 1
    assert float(hass.states.get(WAKE_UPS).state) == 1
    assert UNSIGNED  # both kinds of car tested
