"""The command lifecycle: sent, then confirmed by the car's own state."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.connected_car.vehicle import (
    Capabilities,
    Command,
    CommandKind,
    CommandNotSupportedError,
    CommandOutcome,
    CommandTimeoutError,
    LiveVehicle,
    signals,
)
from custom_components.connected_car.vehicle.simulator import (
    SimulatedBackend,
    SimulationSettings,
)
from tests.clock import ManualClock


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
