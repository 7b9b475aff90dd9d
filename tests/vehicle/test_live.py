"""The command lifecycle: sent, then confirmed by the car's own state."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.connected_car.vehicle import (
    Capabilities,
    Command,
    CommandCancelledError,
    CommandFailedError,
    CommandFailureReason,
    CommandKind,
    CommandNotSupportedError,
    CommandOutcome,
    CommandTimeoutError,
    LiveVehicle,
    Position,
    Reading,
    VehicleAuthError,
    VehicleConnectionError,
    VehicleRateLimitError,
    VehicleState,
    signals,
)
from custom_components.connected_car.vehicle.simulator import (
    SimulatedBackend,
    SimulationSettings,
)
from tests.clock import ManualClock
from tests.simulation import set_open


@pytest.fixture
def clock() -> ManualClock:
    """A clock the test moves."""
    return ManualClock()


@pytest.fixture
async def live(clock: ManualClock) -> LiveVehicle:
    """A car with no stream consumer: commands are confirmed by polling."""
    backend = SimulatedBackend(SimulationSettings(), clock)
    vehicle = (await backend.list_vehicles())[0]
    live = LiveVehicle(
        backend, vehicle, confirm_timeout=0.5, confirm_poll_interval=0.01
    )
    await live.refresh()
    return live


async def _execute(live: LiveVehicle, clock: ManualClock, command: Command):
    task = asyncio.create_task(live.execute(command))
    await clock.advance(10)
    return await task


async def test_confirmed_by_polling_without_stream(
    live: LiveVehicle, clock: ManualClock
) -> None:
    """Without a stream the car's state is fetched until it shows the effect."""
    assert live.state.value(signals.LOCKED) is True
    result = await _execute(live, clock, Command(CommandKind.UNLOCK))
    assert result.outcome is CommandOutcome.CONFIRMED
    assert live.state.value(signals.LOCKED) is False


async def test_stateless_commands_are_delivered(
    live: LiveVehicle, clock: ManualClock
) -> None:
    """Horn and lights leave nothing to confirm: delivered is the best proof."""
    result = await _execute(live, clock, Command(CommandKind.SOUND_HORN))
    assert result.outcome is CommandOutcome.DELIVERED


async def test_target_temperature_is_confirmed(
    live: LiveVehicle, clock: ManualClock
) -> None:
    """A new target is confirmed when the car reports that target."""
    result = await _execute(
        live, clock, Command(CommandKind.SET_CLIMATE_TARGET, target_temperature=19.5)
    )
    assert result.outcome is CommandOutcome.CONFIRMED
    assert live.state.value(signals.CLIMATE_TARGET_TEMPERATURE) == 19.5


async def test_unconfirmed_command_times_out(
    live: LiveVehicle, clock: ManualClock
) -> None:
    """Acknowledged but never carried out: the outcome is reported as unknown."""
    assert isinstance(live.backend, SimulatedBackend)
    live.backend.faults.ignore_commands = True
    with pytest.raises(CommandTimeoutError):
        await _execute(live, clock, Command(CommandKind.UNLOCK))
    assert live.state.value(signals.LOCKED) is True


async def test_unsupported_command_is_not_sent(live: LiveVehicle) -> None:
    """A vehicle without the command refuses before anything is sent."""
    live.vehicle = live.vehicle.__class__(
        vin=live.vehicle.vin,
        name=live.vehicle.name,
        make=live.vehicle.make,
        model=live.vehicle.model,
        powertrain=live.vehicle.powertrain,
        capabilities=Capabilities.of([signals.LOCKED]),
    )
    with pytest.raises(CommandNotSupportedError):
        await live.execute(Command(CommandKind.LOCK))


async def test_one_command_at_a_time(live: LiveVehicle, clock: ManualClock) -> None:
    """A second command waits until the first one is confirmed."""
    first = asyncio.create_task(live.execute(Command(CommandKind.UNLOCK)))
    second = asyncio.create_task(live.execute(Command(CommandKind.LOCK)))
    await clock.advance(1)
    assert isinstance(live.backend, SimulatedBackend)
    car = next(iter(live.backend.cars.values()))
    await clock.advance(1.5)
    assert car.locked is False  # the unlock ran; the lock has not been sent yet
    while not second.done():  # confirmation polls run on real time
        await clock.advance(1)
        await asyncio.sleep(0.02)
    await asyncio.gather(first, second)
    assert car.locked is True


# -- issue 12: commands whose confirmation goes wrong ---------------------------------


async def _until_done(task: asyncio.Task, clock: ManualClock, step: float = 1.0):
    """Advance the car's clock until the command finished (polls run on real time)."""
    for _ in range(200):
        if task.done():
            break
        await clock.advance(step)
        await asyncio.sleep(0.01)
    return await task


async def test_stream_lost_during_confirmation_falls_back_to_polling(
    live: LiveVehicle, clock: ManualClock
) -> None:
    """The car obeyed while the stream was down: a poll sees it at once."""
    live._confirm_timeout = 5.0
    live.streaming = True  # a stream consumer is running ... and then drops
    task = asyncio.create_task(live.execute(Command(CommandKind.UNLOCK)))
    await clock.advance(10)  # the car carried the command out (no stream saw it)
    assert not task.done()
    live.streaming = False
    result = await asyncio.wait_for(task, 2)
    assert result.outcome is CommandOutcome.CONFIRMED
    assert live.state.value(signals.LOCKED) is False


async def test_failed_confirmation_poll_is_retried(
    live: LiveVehicle, clock: ManualClock, monkeypatch
) -> None:
    """One failed poll after the car acknowledged must not fail the command."""
    fetch = live.backend.fetch_state
    failures = [VehicleConnectionError("cloud hiccup")]

    async def flaky(vin):
        if failures:
            raise failures.pop()
        return await fetch(vin)

    monkeypatch.setattr(live.backend, "fetch_state", flaky)
    result = await _until_done(
        asyncio.create_task(live.execute(Command(CommandKind.UNLOCK))), clock
    )
    assert result.outcome is CommandOutcome.CONFIRMED
    assert failures == []


async def test_acknowledged_command_is_never_reported_as_not_sent(
    live: LiveVehicle, clock: ManualClock, monkeypatch
) -> None:
    """Polls failing after the acknowledgement: the outcome is unknown, not 'not sent'."""

    async def unreachable(vin):
        raise VehicleConnectionError("cloud down")  # noqa: EM101, TRY003

    monkeypatch.setattr(live.backend, "fetch_state", unreachable)
    with pytest.raises(CommandTimeoutError):
        await _until_done(
            asyncio.create_task(live.execute(Command(CommandKind.UNLOCK))), clock
        )
    car = next(iter(live.backend.cars.values()))
    assert car.locked is False  # the car did unlock: a retry would send it twice


async def test_refused_credentials_while_confirming_is_outcome_unknown(
    live: LiveVehicle, clock: ManualClock, monkeypatch
) -> None:
    async def refused(vin):
        raise VehicleAuthError("token revoked")  # noqa: EM101, TRY003

    monkeypatch.setattr(live.backend, "fetch_state", refused)
    with pytest.raises(CommandTimeoutError, match="acknowledged"):
        await _until_done(
            asyncio.create_task(live.execute(Command(CommandKind.UNLOCK))), clock
        )


async def test_rate_limited_confirmation_poll_waits_retry_after(
    live: LiveVehicle, clock: ManualClock, monkeypatch
) -> None:
    fetch = live.backend.fetch_state
    calls: list[float] = []

    async def limited(vin):
        calls.append(asyncio.get_running_loop().time())
        if len(calls) == 1:
            raise VehicleRateLimitError("slow down", retry_after=0.3)  # noqa: EM101, TRY003
        return await fetch(vin)

    monkeypatch.setattr(live.backend, "fetch_state", limited)
    live._confirm_timeout = 5.0
    result = await _until_done(
        asyncio.create_task(live.execute(Command(CommandKind.UNLOCK))), clock
    )
    assert result.outcome is CommandOutcome.CONFIRMED
    assert calls[1] - calls[0] >= 0.3


async def test_state_is_refreshed_after_a_refusal(
    live: LiveVehicle, clock: ManualClock
) -> None:
    """A refusal while no stream runs: the entities show what the car reports now."""
    backend = live.backend
    car = next(iter(backend.cars.values()))
    set_open(car, signals.DOOR_FRONT_LEFT_OPEN, True)  # not yet seen by us
    backend.faults.next_command_failure = CommandFailureReason.DOOR_OPEN
    with pytest.raises(CommandFailedError):
        await _until_done(
            asyncio.create_task(live.execute(Command(CommandKind.LOCK))), clock
        )
    assert live.state.value(signals.DOOR_FRONT_LEFT_OPEN) is True


async def test_state_is_refreshed_after_an_unknown_outcome(
    live: LiveVehicle, clock: ManualClock
) -> None:
    backend = live.backend
    backend.faults.ignore_commands = True
    live.streaming = True  # confirmation waits for the stream: no polls
    car = next(iter(backend.cars.values()))
    set_open(car, signals.HOOD_OPEN, True)
    with pytest.raises(CommandTimeoutError):
        await _until_done(
            asyncio.create_task(live.execute(Command(CommandKind.UNLOCK))), clock
        )
    assert live.state.value(signals.HOOD_OPEN) is True


async def test_close_gives_up_pending_commands(
    live: LiveVehicle, clock: ManualClock
) -> None:
    """Unloading: the command being confirmed is 'unknown', the queued one 'not sent'."""
    live.backend.faults.ignore_commands = True
    live._confirm_timeout = 60.0
    first = asyncio.create_task(live.execute(Command(CommandKind.UNLOCK)))
    second = asyncio.create_task(live.execute(Command(CommandKind.LOCK)))
    await clock.advance(10)  # the first was acknowledged and waits for the car
    assert not first.done()
    live.close()
    with pytest.raises(CommandTimeoutError):
        await asyncio.wait_for(first, 1)
    with pytest.raises(CommandCancelledError):
        await asyncio.wait_for(second, 1)
    with pytest.raises(CommandCancelledError):
        await live.execute(Command(CommandKind.LOCK))
    assert not live._command_lock.locked()


async def test_close_while_sending_is_outcome_unknown(
    live: LiveVehicle, clock: ManualClock
) -> None:
    task = asyncio.create_task(live.execute(Command(CommandKind.UNLOCK)))
    await asyncio.sleep(0.01)  # the backend waits for the car (2 s latency)
    live.close()
    with pytest.raises(CommandTimeoutError, match="being sent"):
        await asyncio.wait_for(task, 1)


async def test_caller_cancellation_is_not_turned_into_an_error(
    live: LiveVehicle, clock: ManualClock
) -> None:
    task = asyncio.create_task(live.execute(Command(CommandKind.UNLOCK)))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not live._command_lock.locked()


# -- issue 12: what is merged, counted and logged ------------------------------------


async def test_restored_readings_from_the_future_are_dropped(
    clock: ManualClock,
) -> None:
    """A state stored by an older release with a reading from 2099 must not freeze it."""
    backend = SimulatedBackend(SimulationSettings(), clock)
    vehicle = (await backend.list_vehicles())[0]
    stored = VehicleState(
        {
            signals.RANGE.key: Reading(
                signals.RANGE, 999.0, datetime(2099, 1, 1, tzinfo=UTC)
            ),
            signals.LOCKED.key: Reading(signals.LOCKED, True, clock.now()),
        }
    )
    live = LiveVehicle(backend, vehicle, state=stored)
    assert live.clock is clock  # the backend's clock, by default
    assert live.state.value(signals.RANGE) is None
    assert live.state.value(signals.LOCKED) is True
    assert live.rejections == {"future_timestamp": 1}
    await live.refresh()
    assert live.state.value(signals.RANGE) is not None


async def test_rejections_are_counted_and_logged_without_positions(
    live: LiveVehicle, clock: ManualClock, caplog
) -> None:
    now = clock.now()
    bad = [
        Reading(signals.LOCATION, Position(123.456789, 4.5), now),
        Reading(signals.LOCATION, Position(52.1, 4.5), now + timedelta(days=1)),
        Reading(signals.FUEL_LEVEL, "x" * 1000, now),
        Reading(signals.RANGE, 1.0, now - timedelta(days=1)),
    ]
    for _ in range(2):
        live.apply(bad)
    assert live.rejections == {
        "malformed": 4,
        "future_timestamp": 2,
        "stale": 2,
    }
    text = caplog.text
    assert "123.45" not in text
    assert "52.1" not in text
    assert "(a position)" in text
    assert len(max(text.splitlines(), key=len)) < 300  # long values are cut
