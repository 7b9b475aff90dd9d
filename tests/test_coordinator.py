"""Live updates, polling fallback, availability and bad data from the backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle import (
    Reading,
    StreamStatus,
    VehicleAuthError,
    VehicleError,
    VehicleState,
    signals,
)
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock
from tests.simulation import inject, set_open, set_plugged_in
from tests.vehicle.faults import UNEXPECTED_ERRORS

from .common import async_advance

FUEL = "sensor.simulated_car_fuel_level"
RANGE = "sensor.simulated_car_remaining_range"
CABIN = "sensor.simulated_car_cabin_temperature"
LAST_UPDATE = "sensor.simulated_car_last_update_from_car"
DOOR = "binary_sensor.simulated_car_front_left_door"


async def _tick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    clock: ManualClock,
    seconds: float,
) -> None:
    """Move Home Assistant's and the car's clocks on: polls and stream retries run."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await clock.advance(seconds)
    await hass.async_block_till_done()


async def test_stream_pushes_changes(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """Changes the car reports arrive without polling."""
    car = next(iter(simulated_backend.cars.values()))
    assert hass.states.get(DOOR).state == "off"
    set_open(car, signals.DOOR_FRONT_LEFT_OPEN, True)
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get(DOOR).state == "on"
    # "Last update from car" moves on in steps (see test_sensor.py).
    assert hass.states.get(LAST_UPDATE).state == "2026-01-15T06:30:00+00:00"


async def test_outage_makes_entities_unavailable_and_back(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Stream and API down: unavailable, logged once; back: available, logged once."""
    simulated_backend.faults.unreachable = True
    simulated_backend.drop_streams()
    await hass.async_block_till_done()
    assert hass.states.get(FUEL).state == STATE_UNAVAILABLE

    for _ in range(3):  # polls and stream retries keep failing
        await _tick(hass, freezer, manual_clock, 600)
    assert hass.states.get(FUEL).state == STATE_UNAVAILABLE
    assert caplog.text.count("Live updates of Simulated car stopped") == 1
    assert caplog.text.count("Error fetching connected_car Simulated car data") == 1

    simulated_backend.faults.unreachable = False
    await _tick(hass, freezer, manual_clock, 600)
    assert hass.states.get(FUEL).state == "70.0"
    assert caplog.text.count("Fetching connected_car Simulated car data recovered") == 1
    assert caplog.text.count("Live updates of Simulated car are back") == 1


async def test_polls_while_stream_is_down(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Without a stream, polling at the configured interval keeps data fresh."""
    car = next(iter(simulated_backend.cars.values()))
    real_stream = simulated_backend.stream

    async def refused(vin: str):  # the stream cannot connect, polling works
        simulated_backend.faults.unreachable = True
        try:
            async for event in real_stream(vin):
                yield event  # pragma: no cover - never connects
        finally:
            simulated_backend.faults.unreachable = False

    simulated_backend.stream = refused  # type: ignore[method-assign]
    simulated_backend.drop_streams()
    await hass.async_block_till_done()
    assert hass.states.get(DOOR).state == "off"

    set_open(car, signals.DOOR_FRONT_LEFT_OPEN, True)
    await manual_clock.advance(10)
    await _tick(hass, freezer, manual_clock, 60)
    assert hass.states.get(DOOR).state == "off"  # no push, next poll not due
    await _tick(hass, freezer, manual_clock, 5 * 60)
    assert hass.states.get(DOOR).state == "on"


async def test_sleeping_car_stays_available(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """A parked car that stops reporting is asleep, not unavailable."""
    car = next(iter(simulated_backend.cars.values()))
    set_plugged_in(car, False)
    await async_advance(hass, manual_clock, 30 * 60)
    assert car.asleep
    before = hass.states.get(LAST_UPDATE).state
    await async_advance(hass, manual_clock, 60 * 60)
    assert hass.states.get(LAST_UPDATE).state == before
    assert hass.states.get(FUEL).state == "70.0"


async def test_malformed_and_old_readings_are_dropped(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bad readings are logged once and skipped; the rest of the update applies."""
    vin = next(iter(simulated_backend.cars))
    now = manual_clock.now()
    for _ in range(2):
        inject(
            simulated_backend,
            vin,
            [
                Reading(signals.FUEL_LEVEL, "lots", now),  # type: ignore[arg-type]
                Reading(signals.RANGE, 123.0, now + timedelta(seconds=1)),
                Reading(signals.CABIN_TEMPERATURE, 99.0, now - timedelta(hours=1)),
                Reading(signals.OUTSIDE_TEMPERATURE, float("nan"), now),
            ],
        )
        await hass.async_block_till_done()
    assert hass.states.get(RANGE).state == "123.0"
    assert hass.states.get(FUEL).state == "70.0"
    assert hass.states.get(CABIN).state != "99.0"
    assert caplog.text.count("Ignoring malformed value 'lots' of fuel_level") == 1
    assert caplog.text.count("Ignoring malformed value nan of outside_temperature") == 1


async def test_refused_credentials_on_stream_start_reauth(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
) -> None:
    """The stream ending with an auth error asks the user to sign in again."""
    simulated_backend.drop_streams(VehicleAuthError("token revoked"))
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_rate_limit_is_respected(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A rate-limited poll fails the update and is retried after Retry-After."""
    caplog.set_level(logging.DEBUG)
    simulated_backend.faults.rate_limited_for = 900
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    await coordinator.async_refresh()
    assert not coordinator.last_update_success
    assert "rate limit" in caplog.text


async def test_stream_that_ends_is_reconnected(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A stream that closes cleanly is treated as lost and opened again."""
    real_stream = simulated_backend.stream
    calls = 0

    async def ends_once(vin: str):
        nonlocal calls
        calls += 1
        if calls == 1:
            return
        async for event in real_stream(vin):
            yield event

    simulated_backend.stream = ends_once  # type: ignore[method-assign]
    simulated_backend.drop_streams()
    await hass.async_block_till_done()
    await _tick(hass, freezer, manual_clock, 5)  # first retry: the stream ends at once
    assert calls == 1
    await _tick(hass, freezer, manual_clock, 10)  # second retry, after a longer wait
    assert calls == 2
    assert "Live updates of Simulated car are back" in caplog.text
    car = next(iter(simulated_backend.cars.values()))
    set_open(car, signals.HOOD_OPEN, True)
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get("binary_sensor.simulated_car_hood").state == "on"


async def test_entities_are_unknown_until_the_car_reports(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Signals the car has not sent yet are unknown, never unavailable."""
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    coordinator.async_set_updated_data(VehicleState())
    await hass.async_block_till_done()
    states = {
        state.entity_id: state.state
        for state in hass.states.async_all()
        if state.entity_id.split(".")[1].startswith("simulated_car")
        # The departure plan's settings live in HA, not in the car.
        and state.domain not in ("number", "switch", "time")
    }
    assert len(states) > 30
    assert set(states.values()) == {"unknown"}


def _stream_failing_with(backend: SimulatedBackend, errors: list[BaseException]):
    """Make each new stream fail with the next error (before connecting), then work."""
    real_stream = backend.stream
    opened: list[float] = []

    async def stream(vin: str):
        opened.append(backend.clock.now().timestamp())
        if errors:
            raise errors.pop(0)
        async for event in real_stream(vin):
            yield event

    backend.stream = stream  # type: ignore[method-assign]
    return opened


@pytest.mark.parametrize(
    "error", UNEXPECTED_ERRORS, ids=[type(e).__name__ for e in UNEXPECTED_ERRORS]
)
async def test_nothing_a_stream_raises_ends_live_updates(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    error: Exception,
) -> None:
    """Issue 12: each kind of error ends one stream; the next one is opened."""
    opened = _stream_failing_with(simulated_backend, [error, error])
    simulated_backend.drop_streams()
    await hass.async_block_till_done()
    await _tick(hass, freezer, manual_clock, 600)
    await _tick(hass, freezer, manual_clock, 600)
    assert len(opened) == 3  # two failed, the third runs
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    assert coordinator.live.streaming
    car = next(iter(simulated_backend.cars.values()))
    set_open(car, signals.HOOD_OPEN, True)
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get("binary_sensor.simulated_car_hood").state == "on"
    # One outage, logged once (an unexpected error with its traceback, once).
    assert caplog.text.count("Live updates of Simulated car stopped") == 1
    unexpected = not isinstance(error, VehicleError)
    assert caplog.text.count("stopped by an unexpected error") == int(unexpected)
    assert coordinator.stream_status.restarts == 2 * int(unexpected)


async def test_an_error_while_streaming_is_survived_too(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A backend whose stream breaks mid-way (a bug of its own) is opened again."""
    real_stream = simulated_backend.stream
    broken = [True]

    async def stream(vin: str):
        async for event in real_stream(vin):
            yield event
            if broken and event is not StreamStatus.CONNECTED:
                broken.clear()
                msg = "a bug in the backend's parser"
                raise TypeError(msg)

    simulated_backend.stream = stream  # type: ignore[method-assign]
    simulated_backend.drop_streams()
    await _tick(hass, freezer, manual_clock, 10)
    car = next(iter(simulated_backend.cars.values()))
    set_open(car, signals.TRUNK_OPEN, True)  # the update that breaks the stream
    await _tick(hass, freezer, manual_clock, 10)
    assert hass.states.get("binary_sensor.simulated_car_trunk").state == "on"
    await _tick(hass, freezer, manual_clock, 600)
    set_open(car, signals.HOOD_OPEN, True)
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get("binary_sensor.simulated_car_hood").state == "on"
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    assert coordinator.live.streaming
    assert coordinator.stream_status.failures == {"TypeError": 1}


async def test_stream_reconnects_honour_retry_after(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Issue 12: 7 reconnects inside a 900 s Retry-After window before; now one."""
    opened = _stream_failing_with(simulated_backend, [])
    simulated_backend.faults.rate_limited_for = 900
    simulated_backend.drop_streams()
    await hass.async_block_till_done()
    for _ in range(17):  # 850 s
        await _tick(hass, freezer, manual_clock, 50)
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    assert len(opened) == 1  # the first reconnect, refused with Retry-After
    assert coordinator.stream_retry_at == datetime.fromtimestamp(
        opened[0] + 900, tz=UTC
    )
    simulated_backend.faults.rate_limited_for = None
    await _tick(hass, freezer, manual_clock, 60)
    assert len(opened) == 2
    assert coordinator.live.streaming
    assert coordinator.stream_retry_at is None
