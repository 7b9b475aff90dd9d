"""Diagnostics: useful for debugging, with identities and places redacted."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.connected_car.const import DOMAIN


async def test_entry_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Entry diagnostics hold the state but no VIN, position or home."""
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )
    assert diagnostics == snapshot
    _assert_redacted(hass, init_integration, diagnostics)


async def test_device_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Device diagnostics cover one car, redacted the same way."""
    vin = next(iter(init_integration.runtime_data.coordinators))
    device = device_registry.async_get_device(identifiers={(DOMAIN, vin)})
    diagnostics = await get_diagnostics_for_device(
        hass, hass_client, init_integration, device
    )
    assert diagnostics == snapshot
    _assert_redacted(hass, init_integration, diagnostics)


def _assert_redacted(
    hass: HomeAssistant, entry: MockConfigEntry, diagnostics: object
) -> None:
    text = json.dumps(diagnostics)
    for vin in entry.runtime_data.coordinators:
        assert vin not in text
    assert f"{hass.config.latitude:.3f}"[:6] not in text
    assert f"{hass.config.longitude:.3f}"[:5] not in text
