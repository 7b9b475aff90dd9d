"""Issue 14: the last known states survive a crash, also while the cars keep reporting.

A car drives (it reports every 10 s of its clock) while Home Assistant's clock
and the car's move together. Stored states must reach the disk within
`SAVE_PERIOD` however often the car reports, at one write per period, and a
crash (a new Home Assistant on the storage as it was, tests/crash.py) must show
them again with the car's own timestamps.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import logging
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.connected_car.const import CONTACT_RETRY_MIN, DOMAIN
from custom_components.connected_car.state_store import SAVE_PERIOD
from custom_components.connected_car.vehicle import VehicleConnectionError
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from custom_components.connected_car.vehicle.simulator.car import MAX_STEP_SECONDS
from tests.clock import DEFAULT_MANUAL_START, ManualClock
from tests.crash import crash_and_restart

STEP = 5.0
"""Seconds both clocks move per step of the drive."""
LAST_UPDATE = "sensor.simulated_car_last_update_from_car"
ODOMETER = "sensor.simulated_car_odometer"
TRACKER = "device_tracker.simulated_car_location"


@pytest.fixture
async def same_clocks(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant's clock on the car's (both then move together)."""
    freezer.move_to(DEFAULT_MANUAL_START)


async def drive(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    clock: ManualClock,
    seconds: float,
    *,
    each_step: Any = None,
) -> None:
    """Let both clocks run for seconds, in steps; call each_step() after each."""
    for _ in range(round(seconds / STEP)):
        freezer.tick(timedelta(seconds=STEP))
        async_fire_time_changed(hass)
        await clock.advance(STEP)
        await hass.async_block_till_done()
        if each_step is not None:
            each_step()


def stored_states(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict:
    """Return the states on disk by VIN (empty before the first write)."""
    stored = hass_storage.get(f"{DOMAIN}.{entry.entry_id}.vehicle_state")
    return {} if stored is None else stored["data"]["states"]


def newest(readings: dict[str, dict[str, Any]]) -> datetime:
    """Return the car's time of the newest stored reading."""
    return max(datetime.fromisoformat(r["timestamp"]) for r in readings.values())


async def test_states_are_written_within_a_period_while_the_car_reports(
    hass: HomeAssistant,
    same_clocks: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    hass_storage: dict[str, Any],
) -> None:
    """Updates every 10 s never postpone the write: on disk within the period."""
    car = next(iter(simulated_backend.cars.values()))
    car.start_trip()
    writes: list[datetime] = []
    ages: list[float] = []
    last_seen: list[Any] = [None]

    def check() -> None:
        stored = stored_states(hass_storage, init_integration).get(car.vin)
        if stored is not None and stored is not last_seen[0]:
            last_seen[0] = stored
            writes.append(manual_clock.now())
        if stored is not None:
            ages.append((manual_clock.now() - newest(stored)).total_seconds())

    duration = 600.0
    await drive(hass, freezer, manual_clock, duration, each_step=check)
    assert car.moving  # it reported all along
    assert hass.states.get(LAST_UPDATE).state == car.now.isoformat()
    # Never older on disk than a period (plus the car's own reporting step) ...
    assert max(ages) <= SAVE_PERIOD + MAX_STEP_SECONDS
    # ... at one write per period, not one per update (60 updates here).
    assert duration / SAVE_PERIOD - 1 <= len(writes) <= duration / SAVE_PERIOD + 1


async def test_a_crash_shows_states_at_most_a_period_old_with_their_times(
    hass: HomeAssistant,
    same_clocks: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    """Crash mid-drive, restart with the cloud down: the stored states, at once."""
    car = next(iter(simulated_backend.cars.values()))
    car.start_trip()
    await drive(hass, freezer, manual_clock, 7 * 60 + 15)
    crashed_at = manual_clock.now()
    assert car.moving
    caplog.set_level(logging.INFO)

    unreachable = patch.object(
        SimulatedBackend, "login", side_effect=VehicleConnectionError("down")
    )
    unreachable.start()
    request.addfinalizer(unreachable.stop)  # also if an assertion fails
    async with crash_and_restart(hass, hass_storage, init_integration) as (
        restarted,
        entry,
    ):
        stored = stored_states(hass_storage, entry)[car.vin]
        age = crashed_at - newest(stored)
        assert age <= timedelta(seconds=SAVE_PERIOD + MAX_STEP_SECONDS)
        # Shown at once, available, with the car's own times and values.
        assert restarted.states.get(LAST_UPDATE).state == newest(stored).isoformat()
        odometer = restarted.states.get(ODOMETER)
        assert float(odometer.state) == stored["odometer"]["value"]
        tracker = restarted.states.get(TRACKER).attributes
        assert tracker["latitude"] == stored["location"]["value"]["latitude"]
        registry = er.async_get(restarted)
        shown = [
            restarted.states.get(entity.entity_id)
            for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
            if entity.disabled_by is None
        ]
        assert len(shown) > 30
        assert STATE_UNAVAILABLE not in {state.state for state in shown}
        assert "showing the stored states" in caplog.text

        # The cloud comes back: live updates start without the user.
        unreachable.stop()
        await manual_clock.advance(CONTACT_RETRY_MIN)
        await restarted.async_block_till_done()
        coordinator = entry.runtime_data.coordinators[car.vin]
        assert entry.runtime_data.connection.reached
        assert coordinator.live.streaming
        assert "live updates start" in caplog.text
