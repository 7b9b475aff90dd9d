"""The car's position."""

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


@pytest.fixture
def platforms() -> list[Platform]:
    """Load only the device tracker platform."""
    return [Platform.DEVICE_TRACKER]


async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """The parked car is at home, with its GPS accuracy."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)
    state = hass.states.get("device_tracker.simulated_car_location")
    assert state.state == "home"
    assert state.attributes["latitude"] == pytest.approx(hass.config.latitude, abs=1e-5)
    assert state.attributes["gps_accuracy"] == 5.0
