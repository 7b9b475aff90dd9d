"""How a Tesla's state reaches Home Assistant: the stream first, REST as fallback.

Home Assistant's timers (polling, the coordinator's retries) are fired ahead of
real time by `HaTimers`; the test clock drives the cars and the stream's
reconnection. Real time runs on, for the local server's network I/O.
"""

from __future__ import annotations

from datetime import timedelta
import logging

from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.connected_car.vehicle import signals
from tests.cardata.fixtures import eventually
from tests.common import async_advance
from tests.simulation import set_open
from tests.tesla.encoder import created_at
from tests.tesla.https import Fault

from .conftest import (
    STATUS,
    backend_of,
    call,
    fall_asleep,
    press_refresh,
    see_streamed,
    settle,
)

DOOR = "binary_sensor.my_tesla_front_left_door"
TRUNK = "binary_sensor.my_tesla_trunk"
HOOD = "binary_sensor.my_tesla_hood"
BATTERY = "sensor.my_tesla_battery_level"
ODOMETER = "sensor.my_tesla_odometer"
STREAM = "binary_sensor.teslemetry_live_stream"


def data_calls(teslemetry) -> list[str]:
    """Return the billed REST calls (vehicle data, wake-ups) the fake answered."""
    return [
        r.path
        for r in teslemetry.requests
        if r.path.endswith(("/vehicle_data", "/wake_up"))
    ]


class HaTimers:
    """Fires Home Assistant's timers as if its clock had moved on by seconds.

    Not freezegun: the local server's network I/O needs real time to pass.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Start at now."""
        self.hass = hass
        self.ahead = timedelta()

    async def tick(self, seconds: float) -> None:
        """Run what is due within seconds more (polls, retries, backoffs)."""
        self.ahead += timedelta(seconds=seconds)
        async_fire_time_changed(self.hass, dt_util.utcnow() + self.ahead)
        await settle(self.hass)


@pytest.fixture
def timers(hass: HomeAssistant) -> HaTimers:
    """Home Assistant's timers, fired ahead of real time."""
    return HaTimers(hass)


async def test_the_stream_pushes_changes_without_polling(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    fake_car,
    local_teslemetry,
    manual_clock,
) -> None:
    local_teslemetry.requests.clear()
    await see_streamed(hass, manual_clock, fake_car, signals.DOOR_FRONT_LEFT_OPEN, DOOR)
    await async_advance(hass, manual_clock, 600)  # charging on: the battery fills
    await eventually(lambda: float(hass.states.get(BATTERY).state) > 65)
    assert data_calls(local_teslemetry) == []


async def test_stream_lost_then_polling_then_stream_back(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    fake_car,
    local_teslemetry,
    manual_clock,
    timers: HaTimers,
    caplog: pytest.LogCaptureFixture,
) -> None:
    coordinator = next(iter(tesla_loaded.runtime_data.coordinators.values()))
    local_teslemetry.requests.clear()
    # Opened just as the stream ends: only a poll can tell.
    set_open(fake_car.car, signals.TRUNK_OPEN, True)
    local_teslemetry.end_streams()
    await eventually(lambda: hass.states.get(STREAM).state == "off")
    await eventually(lambda: "Live updates of My Tesla stopped" in caplog.text)
    await eventually(lambda: hass.states.get(TRUNK).state == "on")  # polled at once
    assert "/vehicle_data" in str(data_calls(local_teslemetry))
    assert coordinator.update_interval == timedelta(minutes=5)

    # While the stream is down, the next change shows at the next poll.
    set_open(fake_car.car, signals.HOOD_OPEN, True)
    await timers.tick(300)
    await eventually(lambda: hass.states.get(HOOD).state == "on")

    # The stream reconnects on its own clock; the coordinator stops polling.
    await manual_clock.advance(5)
    await eventually(lambda: hass.states.get(STREAM).state == "on")
    await timers.tick(5)  # the coordinator's own retry
    await eventually(lambda: "Live updates of My Tesla are back" in caplog.text)
    assert coordinator.update_interval is None
    assert caplog.text.count("Live updates of My Tesla stopped") == 1

    await see_streamed(
        hass, manual_clock, fake_car, signals.TRUNK_OPEN, TRUNK, is_open=False
    )


async def test_a_sleeping_car_is_never_polled_awake(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    fake_car,
    local_teslemetry,
    manual_clock,
    timers: HaTimers,
) -> None:
    await fall_asleep(hass, fake_car, manual_clock)
    local_teslemetry.stream_refusals = [503] * 10  # the stream stays down
    local_teslemetry.requests.clear()
    local_teslemetry.end_streams()
    await eventually(lambda: hass.states.get(STREAM).state == "off")
    for _ in range(3):
        await timers.tick(300)
    polls = [r.path for r in local_teslemetry.requests if "/api/1/vehicles/" in r.path]
    assert len(polls) >= 3  # the car's state, at once and at every poll
    assert data_calls(local_teslemetry) == []
    assert fake_car.car.asleep
    assert hass.states.get(STATUS).state == "asleep"


async def test_rate_limit_honours_retry_after(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    fake_car,
    local_teslemetry,
    timers: HaTimers,
) -> None:
    local_teslemetry.stream_refusals = [503] * 10
    local_teslemetry.fail_next(
        Fault(
            429,
            raw="Retry in 900 seconds",
            headers={"Retry-After": "900"},
            path_contains="/api/1/vehicles/",
        )
    )
    local_teslemetry.end_streams()
    await eventually(lambda: not local_teslemetry.faults)  # the first poll: 429
    await settle(hass)
    local_teslemetry.requests.clear()
    await timers.tick(300)  # the usual poll interval: not yet
    assert not [r for r in local_teslemetry.requests if "/vehicles/" in r.path]
    await timers.tick(600)  # 900 s after the refusal
    await eventually(
        lambda: [r for r in local_teslemetry.requests if "/vehicles/" in r.path]
    )


async def test_revoked_token_on_the_stream_starts_reauth(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    local_teslemetry,
    manual_clock,
) -> None:
    local_teslemetry.accounts.clear()  # the owner deleted the token at Teslemetry
    local_teslemetry.end_streams()
    await manual_clock.advance(5)  # the stream reconnects: 401
    await eventually(lambda: backend_of(tesla_loaded).status.signed_out)
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler("connected_car")
    assert [(f["context"]["source"], f["step_id"]) for f in flows] == [
        (SOURCE_REAUTH, "tesla_reauth")
    ]


async def test_revoked_token_on_a_command_starts_reauth(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    local_teslemetry,
    manual_clock,
) -> None:
    local_teslemetry.accounts.clear()
    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass, manual_clock, "lock", "unlock", {ATTR_ENTITY_ID: "lock.my_tesla"}
        )
    assert err.value.translation_key == "auth_failed"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler("connected_car")
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]


async def test_malformed_stream_events_are_skipped_and_counted(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    fake_car,
    account,
    local_teslemetry,
    manual_clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The rest of an event applies, and live updates go on."""
    backend = backend_of(tesla_loaded)
    battery = hass.states.get(BATTERY).state
    now = created_at(manual_clock.now() + timedelta(seconds=1))
    vin = fake_car.vin
    for event in (
        {
            "data": {"BatteryLevel": "lots", "Odometer": 100},
            "vin": vin,
            "createdAt": now,
        },
        {"data": "not an object", "vin": vin, "createdAt": now},
        {"data": {"Locked": False}, "vin": vin},  # no createdAt: skipped whole
        {"data": {"InsideTemp": 20}, "vin": "5YJ3E7EB0KF000000", "createdAt": now},
    ):
        local_teslemetry.push(account, event)
    await eventually(lambda: hass.states.get(ODOMETER).state == "160.934")
    assert hass.states.get(BATTERY).state == battery
    assert hass.states.get("lock.my_tesla").state == "locked"
    problems = backend.diagnostics()["problems"]
    assert problems["wrong_type"] == 1
    assert problems["not_an_object"] == 1
    assert problems["missing_created_at"] == 1
    assert problems["unknown_vin"] == 1
    assert vin not in caplog.text

    # A line that is no JSON at all: the library drops the connection; we reconnect.
    local_teslemetry.push_line(account, "data: {not json")
    await eventually(lambda: hass.states.get(STREAM).state == "off")
    await manual_clock.advance(5)
    await eventually(lambda: hass.states.get(STREAM).state == "on")
    await see_streamed(hass, manual_clock, fake_car, signals.DOOR_FRONT_LEFT_OPEN, DOOR)


async def test_malformed_rest_answer_applies_the_rest(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    fake_car,
    local_teslemetry,
    manual_clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A refresh whose battery level is garbage still brings the new odometer."""
    caplog.set_level(logging.WARNING)
    data = fake_car.data(None, location=True, now=manual_clock.now())
    data["charge_state"]["battery_level"] = "lots"
    data["vehicle_state"]["odometer"] = 25_000.0  # miles
    local_teslemetry.fail_next(
        Fault(200, {"response": data}, path_contains="/vehicle_data")
    )
    battery = hass.states.get(BATTERY).state
    await press_refresh(hass, manual_clock)
    assert float(hass.states.get(ODOMETER).state) == pytest.approx(40_233.6)
    assert hass.states.get(BATTERY).state == battery
    assert "Ignoring Tesla input (wrong_type in battery_level)" in caplog.text

    # An answer that is no JSON: the refresh fails, the values stay.
    local_teslemetry.fail_next(
        Fault(200, raw="<html>oops</html>", path_contains="/vehicle_data")
    )
    with pytest.raises(HomeAssistantError) as err:
        await press_refresh(hass, manual_clock)
    assert err.value.translation_key == "refresh_failed"
    assert float(hass.states.get(ODOMETER).state) == pytest.approx(40_233.6)
