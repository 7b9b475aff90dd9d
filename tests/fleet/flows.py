"""The owner's way through the Fleet API config flow, browser included.

The "browser" opens the authorize URL the flow hands out at the local Tesla
sign-in server (which signs in the fake's owner and redirects with a code),
then follows the redirect to Home Assistant's OAuth callback view, which
resumes the flow: the real path of an application-credentials sign-in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.test_utils import TestClient
from homeassistant.config_entries import SOURCE_USER, ConfigEntry, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.connected_car.backends.tesla_fleet import CommandKeys
from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle.tesla import CommandKey
from tests.privacy import register_secret
from tests.tesla.cars import FakeCar
from tests.tesla.fleet import FakeFleet, point_of_pem

KEY_DOMAIN = "tesla.example.org"
CALLBACK_PATH = "/auth/external/callback"


class FleetFlow:
    """Drives the config flow as the owner, their browser and their phone would."""

    def __init__(
        self,
        hass: HomeAssistant,
        client: TestClient,
        browser: aiohttp.ClientSession,
        fleet: FakeFleet,
    ) -> None:
        """Use Home Assistant's HTTP client and a browser that reaches Tesla's hosts."""
        self.hass = hass
        self.client = client
        self.browser = browser
        self.fleet = fleet
        self.public_pem: str | None = None
        """The public key the flow showed last."""
        self.authorize_urls: list[str] = []

    async def configure(
        self, result: ConfigFlowResult, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Submit a step."""
        return await self.hass.config_entries.flow.async_configure(
            result["flow_id"], user_input
        )

    async def start(self) -> ConfigFlowResult:
        """Open "add integration", pick Tesla, then the Fleet API."""
        result = await self.hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_USER}
        )
        result = await self.configure(result, {"next_step_id": "tesla"})
        assert result["type"] is FlowResultType.MENU
        assert result["menu_options"] == ["tesla_teslemetry", "tesla_fleet"]
        return await self.configure(result, {"next_step_id": "tesla_fleet"})

    async def to_key(
        self,
        result: ConfigFlowResult,
        *,
        realm: str = "global",
        domain: str = KEY_DOMAIN,
        credential: str | None = None,
    ) -> ConfigFlowResult:
        """Answer where the account is and the key's domain; see the public key."""
        assert result["step_id"] == "tesla_fleet", result
        answer = {"realm": realm, "key_domain": domain}
        if credential is not None:
            answer["credential"] = credential
        elif "credential" in {str(key) for key in result["data_schema"].schema}:
            answer["credential"] = "tesla_app_cn" if realm == "china" else "tesla_app"
        result = await self.configure(result, answer)
        assert result["step_id"] == "tesla_fleet_key", result
        self.public_pem = result["description_placeholders"]["public_key"]
        key = await CommandKeys(self.hass).async_get(domain)
        assert key is not None
        register_secret(*key.private_pem().splitlines()[1:-1])  # never in a log
        return result

    def publish_key(self, domain: str = KEY_DOMAIN) -> None:
        """Upload the public key the flow showed to the domain (the owner's web space)."""
        assert self.public_pem is not None
        self.fleet.publish_key(domain, self.public_pem + "\n")

    def pair(self, cars: Iterable[FakeCar]) -> None:
        """Pair the shown key with cars (tesla.com/_ak/<domain> in the Tesla app)."""
        assert self.public_pem is not None
        for car in cars:
            self.fleet.pair(car.vin, point_of_pem(self.public_pem))

    async def sign_in(
        self, result: ConfigFlowResult, *, decline: bool = False
    ) -> ConfigFlowResult:
        """Follow the external step: Tesla's sign-in page, back to Home Assistant."""
        assert result["type"] is FlowResultType.EXTERNAL_STEP, result
        url = result["url"]
        self.authorize_urls.append(url)
        async with self.browser.get(url, allow_redirects=False) as response:
            assert response.status == 302, await response.text()
            location = urlsplit(response.headers["Location"])
        assert location.path == CALLBACK_PATH
        query = location.query
        if decline:  # the owner pressed "cancel" on Tesla's consent page
            state = dict(part.split("=", 1) for part in query.split("&"))["state"]
            query = f"error=access_denied&state={state}"
        callback = await self.client.get(f"{CALLBACK_PATH}?{query}")
        assert callback.status == 200, await callback.text()
        return await self.configure(result)  # as the frontend does after the callback

    async def add_entry(
        self,
        *,
        realm: str = "global",
        pair: Iterable[FakeCar] = (),
    ) -> ConfigEntry:
        """Run the whole flow (key published, cars paired) and return the new entry."""
        result = await self.to_key(await self.start(), realm=realm)
        self.publish_key()
        self.pair(pair)
        result = await self.sign_in(await self.configure(result, {}))
        if result["type"] is FlowResultType.MENU:  # a car left unpaired
            result = await self.configure(
                result, {"next_step_id": "tesla_fleet_finish"}
            )
        assert result["type"] is FlowResultType.CREATE_ENTRY, result
        return result["result"]


def key_of(hass_storage: dict[str, Any], domain: str = KEY_DOMAIN) -> CommandKey:
    """Return the command key Home Assistant keeps for domain (its private storage)."""
    return CommandKey.from_pem(
        hass_storage["connected_car.tesla_fleet_keys"]["data"][domain]
    )


async def start_entry_flow(
    hass: HomeAssistant, entry: ConfigEntry, source: str
) -> ConfigFlowResult:
    """Start a reauth or reconfigure flow of entry, as its buttons do."""
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": source, "entry_id": entry.entry_id}, data=entry.data
    )
