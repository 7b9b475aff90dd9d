"""Diagnostics without secrets or places; what the entry stores, and its removal."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)

from custom_components.connected_car.const import DOMAIN
from tests.tesla.fixtures import HOME

from .conftest import ACCOUNT_ID, TOKEN, settle

REDACTED = "**REDACTED**"


def _secrets(fake_car) -> list[str]:
    """Return what no diagnostics may contain: token, VIN, account id, position."""
    latitude, longitude = HOME
    return [TOKEN, fake_car.vin, ACCOUNT_ID, str(latitude), str(longitude)]


async def test_entry_diagnostics_are_redacted(
    hass: HomeAssistant,
    hass_client,
    tesla_loaded: MockConfigEntry,
    fake_car,
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, tesla_loaded
    )
    text = json.dumps(diagnostics)
    for secret in _secrets(fake_car):
        assert secret not in text, secret
    assert diagnostics["entry"]["data"]["api_token"] == REDACTED
    backend: dict[str, Any] = diagnostics["backend"]
    assert backend["transport"] == "teslemetry"
    assert backend["stream"]["connected"] is True
    assert backend["vehicles"][0]["vin"] == REDACTED
    assert backend["vehicles"][0]["online"] == "online"
    # Free: account, cars, the car's state, its stream configuration; one data read.
    assert backend["calls"] == {"free": 4, "data": 1, "wake": 0, "command": 0}
    assert diagnostics["account"]["vins"] == REDACTED
    (vehicle,) = diagnostics["vehicles"]
    assert vehicle["state"]["location"] == REDACTED
    assert "software_version" in vehicle["state"]


async def test_device_diagnostics_are_redacted(
    hass: HomeAssistant,
    hass_client,
    tesla_loaded: MockConfigEntry,
    fake_car,
    device_registry: dr.DeviceRegistry,
) -> None:
    for identifier in (fake_car.vin, f"account-{tesla_loaded.entry_id}"):
        device = device_registry.async_get_device(identifiers={(DOMAIN, identifier)})
        diagnostics = await get_diagnostics_for_device(
            hass, hass_client, tesla_loaded, device
        )
        text = json.dumps(diagnostics)
        for secret in _secrets(fake_car):
            assert secret not in text, secret


async def test_what_the_backend_learned_is_kept_and_removed_with_the_entry(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    tesla_loaded: MockConfigEntry,
    fake_car,
) -> None:
    key = f"{DOMAIN}.tesla.{tesla_loaded.entry_id}"
    assert await hass.config_entries.async_unload(tesla_loaded.entry_id)
    await settle(hass)
    stored = hass_storage[key]["data"]
    assert set(stored) == {"vehicle_configs", "usage"}
    assert stored["usage"]["calls"]["data"] == 1
    text = json.dumps(stored)
    assert TOKEN not in text
    assert "latitude" not in text
    # A restart knows the car's equipment from the store.
    assert await hass.config_entries.async_setup(tesla_loaded.entry_id)
    await settle(hass)
    assert tesla_loaded.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_remove(tesla_loaded.entry_id)
    await settle(hass)
    assert key not in hass_storage
