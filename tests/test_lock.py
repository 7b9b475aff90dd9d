"""The lock: confirmed commands, refusals and the state the car reports."""

from __future__ import annotations

from unittest.mock import patch

from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN, LockState
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle import (
    CommandFailureReason,
    CommandNotSupportedError,
    VehicleAuthError,
    VehicleRateLimitError,
    signals,
)
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock
from tests.simulation import set_open

from .common import async_call_and_advance

LOCK = "lock.simulated_car"


async def test_unlock_and_lock_are_confirmed(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """The lock shows unlocking while the car works, then what the car reports."""
    car = next(iter(simulated_backend.cars.values()))
    states: list[str] = []
    # A callback listener runs in the event loop, in order (a plain function
    # would run in the executor, where the two writes can arrive swapped).
    hass.bus.async_listen(
        "state_changed",
        callback(lambda event: states.append(event.data["new_state"].state)),
        callback(lambda event_data: event_data["entity_id"] == LOCK),
    )
    await async_call_and_advance(
        hass, manual_clock, LOCK_DOMAIN, "unlock", {ATTR_ENTITY_ID: LOCK}
    )
    assert states == [LockState.UNLOCKING, LockState.UNLOCKED]
    assert car.locked is False

    await async_call_and_advance(
        hass, manual_clock, LOCK_DOMAIN, "lock", {ATTR_ENTITY_ID: LOCK}
    )
    assert states[-2:] == [LockState.LOCKING, LockState.LOCKED]
    assert car.locked is True


async def test_lock_refused_with_open_door(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """Locking with a door open fails with a translated error; stays unlocked."""
    car = next(iter(simulated_backend.cars.values()))
    await async_call_and_advance(
        hass, manual_clock, LOCK_DOMAIN, "unlock", {ATTR_ENTITY_ID: LOCK}
    )
    set_open(car, signals.DOOR_REAR_RIGHT_OPEN, True)

    with pytest.raises(HomeAssistantError) as err:
        await async_call_and_advance(
            hass, manual_clock, LOCK_DOMAIN, "lock", {ATTR_ENTITY_ID: LOCK}
        )
    assert err.value.translation_key == "command_refused_door_open"
    assert (
        str(err.value)
        == "Simulated car refused the command: a door or the trunk is open"
    )
    assert hass.states.get(LOCK).state == LockState.UNLOCKED
    assert car.locked is False


@pytest.mark.parametrize(
    ("reason", "translation_key"),
    [
        (CommandFailureReason.REJECTED, "command_refused_rejected"),
        (CommandFailureReason.VEHICLE_MOVING, "command_refused_vehicle_moving"),
    ],
)
async def test_failed_command_reverts_to_reported_state(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    reason: CommandFailureReason,
    translation_key: str,
) -> None:
    """A command the car fails leaves the lock as the car reports it."""
    simulated_backend.faults.next_command_failure = reason
    with pytest.raises(HomeAssistantError) as err:
        await async_call_and_advance(
            hass, manual_clock, LOCK_DOMAIN, "unlock", {ATTR_ENTITY_ID: LOCK}
        )
    assert err.value.translation_key == translation_key
    assert hass.states.get(LOCK).state == LockState.LOCKED


async def test_unconfirmed_command_times_out(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """A command the car acknowledges but never carries out is reported as such."""
    simulated_backend.faults.ignore_commands = True
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    with (
        patch.object(coordinator.live, "_confirm_timeout", 0.05),
        pytest.raises(HomeAssistantError) as err,
    ):
        await async_call_and_advance(
            hass, manual_clock, LOCK_DOMAIN, "unlock", {ATTR_ENTITY_ID: LOCK}
        )
    assert err.value.translation_key == "command_timeout"
    assert hass.states.get(LOCK).state == LockState.LOCKED


async def test_unreachable_car(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """A command that cannot reach the car says so."""
    simulated_backend.faults.unreachable = True
    with pytest.raises(HomeAssistantError) as err:
        await async_call_and_advance(
            hass, manual_clock, LOCK_DOMAIN, "unlock", {ATTR_ENTITY_ID: LOCK}
        )
    assert err.value.translation_key == "command_unreachable"


@pytest.mark.parametrize(
    ("error", "expected", "translation_key"),
    [
        (
            CommandNotSupportedError("not here"),
            ServiceValidationError,
            "command_not_supported",
        ),
        (VehicleRateLimitError("slow down", 60), HomeAssistantError, "rate_limited"),
        (VehicleAuthError("expired"), HomeAssistantError, "auth_failed"),
    ],
)
async def test_backend_errors_are_translated(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    error: Exception,
    expected: type[HomeAssistantError],
    translation_key: str,
) -> None:
    """Errors the backend raises for a command reach the user translated."""
    with (
        patch.object(simulated_backend, "send", side_effect=error),
        pytest.raises(expected) as err,
    ):
        await hass.services.async_call(
            LOCK_DOMAIN, "unlock", {ATTR_ENTITY_ID: LOCK}, blocking=True
        )
    assert err.value.translation_key == translation_key
    assert hass.states.get(LOCK).state == LockState.LOCKED


async def test_refused_credentials_on_command_start_reauth(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
) -> None:
    """An auth error while sending asks the user to sign in again."""
    simulated_backend.faults.auth_expired = True
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            LOCK_DOMAIN, "unlock", {ATTR_ENTITY_ID: LOCK}, blocking=True
        )
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_unloading_gives_up_pending_commands(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    """Issue 12: the sent command's outcome is unknown, the queued one not sent."""
    sent = hass.async_create_task(
        hass.services.async_call(
            LOCK_DOMAIN, "unlock", {ATTR_ENTITY_ID: LOCK}, blocking=True
        )
    )
    queued = hass.async_create_task(
        hass.services.async_call(
            LOCK_DOMAIN, "lock", {ATTR_ENTITY_ID: LOCK}, blocking=True
        )
    )
    await manual_clock.advance(0.5)  # the car is still working on the first
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(HomeAssistantError) as outcome_unknown:
        await sent
    assert outcome_unknown.value.translation_key == "command_timeout"
    with pytest.raises(HomeAssistantError) as not_sent:
        await queued
    assert not_sent.value.translation_key == "command_cancelled"
    assert str(not_sent.value) == (
        '"lock" for Simulated car was not sent: the integration was being '
        "unloaded or reloaded. Try again"
    )
