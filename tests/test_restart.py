"""Issue 12, restarts: the stored cars and states at once, whatever the cloud does.

Each test sets a simulated car up once (so its car and states are stored), then
restarts the entry while the simulated cloud is slow, down, refusing or
changed, and checks what the user sees and that it recovers on its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.const import CONTACT_RETRY_MIN, DOMAIN
from custom_components.connected_car.vehicle import (
    VehicleAuthError,
    VehicleConnectionError,
    signals,
)
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock
from tests.simulation import set_open

from .common import async_advance

DOOR = "binary_sensor.simulated_car_front_left_door"
LAST_UPDATE = "sensor.simulated_car_last_update_from_car"
SHORT_WAIT = 0.05
"""Seconds setup waits for a slow cloud in these tests (3 s in real life)."""


@pytest.fixture(autouse=True)
def short_startup_wait() -> Iterator[None]:
    """Wait only briefly for a slow cloud (real seconds)."""
    with (
        patch(
            "custom_components.connected_car.connection.STARTUP_CONTACT_WAIT",
            SHORT_WAIT,
        ),
        patch("custom_components.connected_car.STARTUP_CONTACT_WAIT", SHORT_WAIT),
    ):
        yield


@pytest.fixture
async def door_left_open(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> str:
    """The car reported an open door; then Home Assistant stopped.

    Returns the car's time of that report.
    """
    car = next(iter(simulated_backend.cars.values()))
    set_open(car, signals.DOOR_FRONT_LEFT_OPEN, True)
    await async_advance(hass, manual_clock, 10)
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    # The car's own time of its last report (the sensor shows it in steps).
    assert coordinator.data.last_updated is not None
    reported = coordinator.data.last_updated.isoformat()
    assert hass.states.get(DOOR).state == "on"
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    await manual_clock.advance(3600)
    return reported


async def start(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Start the entry again (the new simulation's door is closed)."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def login_failing(*errors: BaseException) -> Any:
    """Make the simulated sign-in fail with errors, one per attempt, then work."""
    real_login = SimulatedBackend.login
    remaining = list(errors)

    async def login(self: SimulatedBackend) -> None:
        if remaining:
            raise remaining.pop(0)
        await real_login(self)

    return patch.object(SimulatedBackend, "login", login)


async def test_a_slow_cloud_does_not_hold_the_stored_states_back(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    door_left_open: str,
    manual_clock: ManualClock,
) -> None:
    answer = asyncio.Event()
    real_login = SimulatedBackend.login

    async def slow_login(self: SimulatedBackend) -> None:
        await answer.wait()
        await real_login(self)

    with patch.object(SimulatedBackend, "login", slow_login):
        await start(hass, init_integration)
        assert init_integration.state is ConfigEntryState.LOADED
        assert hass.states.get(DOOR).state == "on"  # stored, shown at once
        assert hass.states.get(LAST_UPDATE).state == door_left_open  # its real age
        connection = init_integration.runtime_data.connection
        assert not connection.reached
        answer.set()
        await hass.async_block_till_done()
        await manual_clock.advance(0)
    assert connection.reached
    assert hass.states.get(DOOR).state == "off"  # the car's newer report
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    assert coordinator.live.streaming


async def test_a_cloud_down_at_startup_shows_the_stored_states_until_it_is_back(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    door_left_open: str,
    manual_clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    down = VehicleConnectionError("Simulated cloud unreachable")
    with login_failing(down, down, down):
        await start(hass, init_integration)
        assert hass.states.get(DOOR).state == "on"
        for seconds in (CONTACT_RETRY_MIN, 2 * CONTACT_RETRY_MIN):
            await manual_clock.advance(seconds)
            await hass.async_block_till_done()
            assert hass.states.get(DOOR).state == "on"  # not unavailable
        connection = init_integration.runtime_data.connection
        assert connection.attempts == 3
        await manual_clock.advance(4 * CONTACT_RETRY_MIN)  # the backoff doubles
        await hass.async_block_till_done()
    assert connection.reached
    assert hass.states.get(DOOR).state == "off"
    assert caplog.text.count("Could not reach the car service") == 1  # logged once


async def test_refused_credentials_after_a_restart_ask_to_sign_in(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    door_left_open: str,
    manual_clock: ManualClock,
) -> None:
    with login_failing(VehicleConnectionError("down"), VehicleAuthError("revoked")):
        await start(hass, init_integration)
        assert hass.states.get(DOOR).state == "on"
        await manual_clock.advance(CONTACT_RETRY_MIN)
        await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert hass.states.get(DOOR).state == STATE_UNAVAILABLE  # only the user can help


async def test_refused_credentials_at_startup_fail_setup_as_before(
    hass: HomeAssistant, init_integration: MockConfigEntry, door_left_open: str
) -> None:
    """A quick answer refusing the credentials asks to sign in right away."""
    with login_failing(VehicleAuthError("revoked")):
        assert not await hass.config_entries.async_setup(init_integration.entry_id)
    assert init_integration.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_an_unexpected_error_while_connecting_is_survived(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    door_left_open: str,
    manual_clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with login_failing(VehicleConnectionError("down"), RuntimeError("a bug")):
        await start(hass, init_integration)
        for _ in range(3):
            await manual_clock.advance(CONTACT_RETRY_MIN)
            await hass.async_block_till_done()
    connection = init_integration.runtime_data.connection
    assert connection.reached
    assert connection.loop.status.failures == {"RuntimeError": 1}
    assert caplog.text.count("stopped by an unexpected error") == 1


async def test_cars_changed_while_the_cloud_was_down_reload_the_entry(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    door_left_open: str,
    manual_clock: ManualClock,
) -> None:
    hass.config_entries.async_update_entry(
        init_integration, data={**init_integration.data, "cars": 2}
    )
    with login_failing(VehicleConnectionError("down")):
        await start(hass, init_integration)
        assert len(init_integration.runtime_data.coordinators) == 1  # as stored
        await manual_clock.advance(CONTACT_RETRY_MIN)
        await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    assert len(init_integration.runtime_data.coordinators) == 2
    assert init_integration.runtime_data.connection.reached


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (VehicleConnectionError("down"), ConfigEntryState.SETUP_RETRY),
        (RuntimeError("a bug"), ConfigEntryState.SETUP_ERROR),
    ],
    ids=["cloud down", "a bug"],
)
async def test_without_stored_cars_setup_waits_as_before(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    patch_clock: Any,
    error: Exception,
    outcome: ConfigEntryState,
) -> None:
    """A first setup has nothing to show: it fails (Home Assistant retries it)."""
    mock_config_entry.add_to_hass(hass)
    with login_failing(error):
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
    assert mock_config_entry.state is outcome
