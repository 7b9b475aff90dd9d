"""The shipped blueprints, loaded from the repository and run by HA's automation."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import HVACMode
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.connected_car.vehicle import signals
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import DEFAULT_MANUAL_START, ManualClock
from tests.simulation import set_open

from .common import async_call_and_advance

REPO_BLUEPRINTS = Path(__file__).parent.parent / "blueprints"
HEATER = "climate.simulated_car_heater"
ALARM = "sensor.phone_next_alarm"
LOCK = "lock.simulated_car"


def at(hhmm: str) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return DEFAULT_MANUAL_START.replace(hour=hour, minute=minute)


@pytest.fixture
async def blueprints(hass: HomeAssistant, tmp_path: Path) -> None:
    """A config directory whose blueprints folder holds the repository's."""
    folder = tmp_path / "blueprints" / "automation"
    folder.mkdir(parents=True)
    (folder / "connected_car").symlink_to(
        REPO_BLUEPRINTS / "automation" / "connected_car"
    )
    hass.config.config_dir = str(tmp_path)


@pytest.fixture
async def morning(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """HA in UTC, its clock on the simulated cars' start (06:30)."""
    await hass.config.async_set_time_zone("UTC")
    freezer.move_to(DEFAULT_MANUAL_START)


async def advance_to(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    clock: ManualClock,
    when: datetime,
) -> None:
    """Move both clocks a minute at a time (automations may be waiting)."""
    while clock.now() < when:
        target = min(clock.now() + timedelta(minutes=1), when)
        freezer.move_to(target)
        async_fire_time_changed(hass, target)
        await clock.advance((target - clock.now()).total_seconds())


async def use_blueprint(hass: HomeAssistant, path: str, inputs: dict[str, Any]) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {"automation": {"use_blueprint": {"path": path, "input": inputs}}},
    )
    await hass.async_block_till_done()
    [automation] = hass.states.async_entity_ids("automation")
    assert hass.states.get(automation).state == "on"


def wake_up_inputs(below: float) -> dict[str, Any]:
    return {
        "heater": HEATER,
        "alarm": ALARM,
        "lead_time": 10,
        "outside_temperature": "sensor.simulated_car_outside_temperature",
        "below": below,
        "moving": "binary_sensor.simulated_car_moving",
        "stop_after": 15,
    }


async def test_wake_up_heater_starts_and_stops(
    hass: HomeAssistant,
    blueprints: None,
    morning: None,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
) -> None:
    """Cold morning: heater on 10 min before the alarm, off 15 min after it."""
    hass.states.async_set(
        ALARM, "2026-01-15T07:00:00+00:00", {"device_class": "timestamp"}
    )
    await use_blueprint(hass, "connected_car/wake_up_heater.yaml", wake_up_inputs(10))

    await advance_to(hass, freezer, manual_clock, at("06:49"))
    assert hass.states.get(HEATER).state == HVACMode.OFF
    await advance_to(hass, freezer, manual_clock, at("06:51"))
    assert hass.states.get(HEATER).state == HVACMode.HEAT_COOL

    # The car itself would stop after 30 minutes (07:20): 07:16 is the blueprint.
    await advance_to(hass, freezer, manual_clock, at("07:14"))
    assert hass.states.get(HEATER).state == HVACMode.HEAT_COOL
    await advance_to(hass, freezer, manual_clock, at("07:16"))
    assert hass.states.get(HEATER).state == HVACMode.OFF


async def test_wake_up_heater_skips_a_mild_morning(
    hass: HomeAssistant,
    blueprints: None,
    morning: None,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
) -> None:
    """Warmer than the threshold: the heater stays off."""
    hass.states.async_set(
        ALARM, "2026-01-15T07:00:00+00:00", {"device_class": "timestamp"}
    )
    await use_blueprint(hass, "connected_car/wake_up_heater.yaml", wake_up_inputs(-30))
    await advance_to(hass, freezer, manual_clock, at("06:55"))
    assert hass.states.get(HEATER).state == HVACMode.OFF


async def test_car_left_open_notifies(
    hass: HomeAssistant,
    blueprints: None,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    freezer: FrozenDateTimeFactory,
    manual_clock: ManualClock,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Locked with a window open: after the minutes, a notification names it."""
    assert await async_setup_component(hass, "persistent_notification", {})
    device = next(
        iter(
            dr.async_entries_for_config_entry(
                dr.async_get(hass), init_integration.entry_id
            )
        )
    )
    await use_blueprint(
        hass, "connected_car/car_left_open.yaml", {"car": device.id, "minutes": 2}
    )
    car = next(iter(simulated_backend.cars.values()))
    await async_call_and_advance(
        hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: LOCK}
    )
    set_open(car, signals.WINDOW_REAR_RIGHT_OPEN, True)
    await async_call_and_advance(
        hass, manual_clock, "lock", "lock", {ATTR_ENTITY_ID: LOCK}
    )

    client = await hass_ws_client()

    async def notifications() -> list[dict[str, Any]]:
        await client.send_json_auto_id({"type": "persistent_notification/get"})
        message = await client.receive_json()
        assert message["success"]
        return message["result"]

    freezer.tick(timedelta(minutes=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert await notifications() == []

    freezer.tick(timedelta(minutes=1, seconds=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    [notification] = await notifications()
    assert notification["title"] == "Simulated car is open"
    assert notification["message"] == (
        "Simulated car is locked, but still open: Simulated car Rear right window."
    )
