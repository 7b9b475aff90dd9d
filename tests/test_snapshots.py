"""One syrupy snapshot per platform: entity registry entries and states."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.connected_car import PLATFORMS

from .common import THREE_CARS


@pytest.mark.parametrize("entry_data", [THREE_CARS])
@pytest.mark.parametrize(
    "platforms",
    [[platform] for platform in PLATFORMS],
    ids=[p.value for p in PLATFORMS],
)
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_platform(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platforms: list[Platform],
) -> None:
    """A hybrid, an electric and a combustion car: each platform's entities."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)
