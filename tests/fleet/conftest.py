"""Fixtures: Tesla's Fleet API (local, every region) wired into Home Assistant.

Home Assistant's Tesla adapter gets the test's HTTP session (it resolves
Tesla's real host names, the sign-in servers included, to the local fake,
whose CA it trusts) and the test's clock; nothing of the libraries is patched.
The owner's developer apps are registered at the fake's developer portals
(Tesla.com and China's), and their client IDs and secrets are Home Assistant
application credentials, as the owner would enter them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle import LiveVehicle
from tests.clock import ManualClock
from tests.tesla.auth import FakeOwner
from tests.tesla.cars import FakeCar
from tests.tesla.entries import backend_of, call as call_service
from tests.tesla.fixtures import fleet, fleet_session, make_tesla_car
from tests.tesla.fleet import FakeFleet

from .flows import FleetFlow

__all__ = ["backend_of", "fleet", "fleet_session"]

CLIENT_ID = "00000000-0000-4000-8000-00000000c1d0"
CLIENT_ID_CN = "00000000-0000-4000-8000-00000000c1c4"
CLIENT_SECRET = "ta-secret-0123456789abcdef"
REDIRECT_URI = "https://example.com/auth/external/callback"
"""Home Assistant's OAuth callback behind the test request's frontend base."""
APP = "tesla_app"
APP_CN = "tesla_app_cn"
"""The application credentials' ids (Home Assistant: ``auth_implementation``)."""
KEY_DOMAIN = "tesla.example.org"
SUBJECT = "00000000-0000-4000-8000-0000000000aa"
"""The owner's account id at Tesla (the token's ``sub``: the entry's unique id)."""
SIGNED = "Model 3"
UNSIGNED = "Model S"


@dataclass
class Owner:
    """The owner at the local Fleet API: the account and its cars by name."""

    account: FakeOwner
    cars: dict[str, FakeCar] = field(default_factory=dict)

    @property
    def signed(self) -> FakeCar:
        """Return the car that takes only signed commands."""
        return self.cars[SIGNED]

    @property
    def unsigned(self) -> FakeCar:
        """Return the pre-2021 car that takes only REST commands."""
        return self.cars[UNSIGNED]


@pytest.fixture
async def ha_session(fleet: FakeFleet) -> AsyncIterator[aiohttp.ClientSession]:
    """Home Assistant's HTTP session to Tesla's (local) hosts, one connection per request.

    Tests fire Home Assistant's timers hours ahead (`async_fire_time_changed`),
    which also runs the keep-alive timers of pooled connections: closed under
    a request's feet, they would fail it. Fresh connections do not mind.
    """
    connector = aiohttp.TCPConnector(
        resolver=fleet.resolver(), ssl=fleet.client_ssl_context(), force_close=True
    )
    async with aiohttp.ClientSession(connector=connector) as session:
        yield session


@pytest.fixture
def local_fleet(
    fleet: FakeFleet,
    ha_session: aiohttp.ClientSession,
    manual_clock: ManualClock,
) -> Iterator[FakeFleet]:
    """Point Home Assistant's Tesla adapter at the local Fleet API and the test clock."""
    fleet.auth.add_app(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, "global")
    fleet.auth.add_app(CLIENT_ID_CN, CLIENT_SECRET, REDIRECT_URI, "cn")
    adapter = ADAPTERS["tesla"]
    with (
        patch.object(adapter, "make_session", return_value=ha_session),
        patch.object(adapter, "make_clock", return_value=manual_clock),
        # Without a stream a command is confirmed by reading the car: every
        # 10 ms of real time, not every 10 s (the fake's cars act at once).
        patch(
            "custom_components.connected_car.coordinator.LiveVehicle",
            partial(LiveVehicle, confirm_poll_interval=0.01),
        ),
    ):
        yield fleet


@pytest.fixture
async def credentials(hass: HomeAssistant) -> None:
    """The owner's two developer apps (Tesla.com's and China's) as credentials."""
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential(CLIENT_ID, CLIENT_SECRET, "Tesla app"), APP
    )
    await async_import_client_credential(
        hass,
        DOMAIN,
        ClientCredential(CLIENT_ID_CN, CLIENT_SECRET, "Tesla China app"),
        APP_CN,
    )


@pytest.fixture
def region() -> str:
    """The owner's region (tests parametrize it)."""
    return "na"


@pytest.fixture
def owner(local_fleet: FakeFleet, manual_clock: ManualClock, region: str) -> Owner:
    """An owner in region with a signed (2024 Model 3) and an unsigned car (2018 Model S)."""
    owner = Owner(local_fleet.add_owner(SUBJECT, region))
    for seed, (name, signing) in enumerate(
        ((SIGNED, "required"), (UNSIGNED, "off")), start=1
    ):
        owner.cars[name] = local_fleet.add_car(
            owner.account,
            make_tesla_car(manual_clock, seed=seed),
            command_signing=signing,
            display_name=name,
        )
    return owner


@pytest.fixture
async def flow(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    fleet_session: aiohttp.ClientSession,
    local_fleet: FakeFleet,
    credentials: None,
    current_request_with_host: None,
) -> FleetFlow:
    """The owner's way through the config flow (browser included)."""
    return FleetFlow(hass, await hass_client_no_auth(), fleet_session, local_fleet)


@pytest.fixture
async def fleet_loaded(
    hass: HomeAssistant, flow: FleetFlow, owner: Owner, region: str
) -> MockConfigEntry:
    """A Fleet API entry made through the config flow, both cars paired, loaded."""
    realm = "china" if region == "cn" else "global"
    entry = await flow.add_entry(realm=realm, pair=list(owner.cars.values()))
    await hass.async_block_till_done()
    return entry


async def call(
    hass: HomeAssistant,
    clock: ManualClock,
    domain: str,
    service: str,
    entity: str,
    **data: Any,
) -> None:
    """Call an entity's service while the test clock runs (a sleeping car wakes)."""
    await call_service(hass, clock, domain, service, {ATTR_ENTITY_ID: entity, **data})
