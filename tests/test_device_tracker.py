"""The car's position."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry


async def test_parked_car_is_home(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The parked car is at home, with its GPS accuracy."""
    state = hass.states.get("device_tracker.simulated_car_location")
    assert state.state == "home"
    assert state.attributes["latitude"] == pytest.approx(hass.config.latitude, abs=1e-5)
    assert state.attributes["gps_accuracy"] == 5.0
