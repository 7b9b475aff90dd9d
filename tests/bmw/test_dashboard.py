"""The car dashboard of a BMW CarData account: the cars, not the account."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.connected_car.const import DOMAIN


async def test_account_device_gets_no_view(
    hass: HomeAssistant, bmw_loaded, hass_ws_client: WebSocketGenerator
) -> None:
    client = await hass_ws_client()
    await client.send_json_auto_id({"type": f"{DOMAIN}/dashboard"})
    response = await client.receive_json()
    assert response["success"]
    [view] = response["result"]["views"]
    assert view["title"] == "BMW i4 M50"
    entities = {
        card.get("entity") for section in view["sections"] for card in section["cards"]
    }
    assert "binary_sensor.bmw_i4_m50_lock" in entities  # read-only: lock state
    assert "sensor.bmw_cardata_api_calls_left" not in entities
