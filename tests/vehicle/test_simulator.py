"""The simulated car behaves like a real one, deterministically."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from custom_components.connected_car.vehicle import (
    Command,
    CommandFailedError,
    CommandFailureReason,
    CommandKind,
    CommandNotSupportedError,
    Powertrain,
    StateUpdate,
    StreamStatus,
    VehicleAuthError,
    VehicleConnectionError,
    VehicleRateLimitError,
    signals,
)
from custom_components.connected_car.vehicle.simulator import (
    RealClock,
    SimulatedBackend,
    SimulationSettings,
)
from custom_components.connected_car.vehicle.simulator.car import (
    CLIMATE_MAX_MINUTES,
    SimulatedCar,
)
from tests.clock import ManualClock
from tests.simulation import set_open

THREE_CARS = SimulationSettings(names=("Hybrid", "Electric", "Combustion"), seed=5)


@pytest.fixture
def clock() -> ManualClock:
    """A clock the test moves."""
    return ManualClock()


@pytest.fixture
def backend(clock: ManualClock) -> SimulatedBackend:
    """Three simulated cars, one of each powertrain."""
    return SimulatedBackend(THREE_CARS, clock)


def _car(backend: SimulatedBackend, powertrain: Powertrain) -> SimulatedCar:
    return next(c for c in backend.cars.values() if c.model.powertrain is powertrain)


async def _run_for(
    backend: SimulatedBackend, clock: ManualClock, seconds: float
) -> None:
    task = asyncio.create_task(backend.run())
    await clock.advance(seconds)
    task.cancel()


async def _send(
    backend: SimulatedBackend, clock: ManualClock, vin: str, command: Command
) -> None:
    task = asyncio.create_task(backend.send(vin, command))
    await clock.advance(10)
    await task


async def test_same_seed_same_cars(clock: ManualClock) -> None:
    """A seed fixes the VINs and everything the cars do."""
    first = SimulatedBackend(THREE_CARS, clock)
    second = SimulatedBackend(THREE_CARS, ManualClock())
    assert list(first.cars) == list(second.cars)
    other = SimulatedBackend(SimulationSettings(names=THREE_CARS.names, seed=6), clock)
    assert set(other.cars).isdisjoint(first.cars)
    for vin in first.cars:
        assert len(vin) == 17
        assert not set(vin) & set("IOQ")


async def test_capabilities_follow_the_powertrain(backend: SimulatedBackend) -> None:
    """Only cars with a tank report fuel; only cars with a plug report charging."""
    vehicles = {v.powertrain: v for v in await backend.list_vehicles()}
    assert vehicles[Powertrain.ELECTRIC].capabilities.has(signals.FUEL_LEVEL) is False
    assert vehicles[Powertrain.COMBUSTION].capabilities.has(signals.CHARGING) is False
    hybrid = vehicles[Powertrain.PLUG_IN_HYBRID].capabilities
    assert hybrid.has(signals.FUEL_LEVEL)
    assert hybrid.has(signals.BATTERY_LEVEL)
    for vehicle in vehicles.values():
        assert set(CommandKind) == vehicle.capabilities.commands


async def test_a_day_is_reproducible() -> None:
    """Two runs of a day with the same seed end in the same state."""
    states = []
    for _ in range(2):
        clock = ManualClock()
        backend = SimulatedBackend(THREE_CARS, clock)
        await _run_for(backend, clock, 24 * 3600)
        states.append([await backend.fetch_state(vin) for vin in backend.cars])
    assert states[0] == states[1]


async def test_trips_return_home_and_cost_energy(
    backend: SimulatedBackend, clock: ManualClock
) -> None:
    """Over a day the cars drive on their own, using fuel, and come back home."""
    car = _car(backend, Powertrain.COMBUSTION)
    fuel, odometer = car.fuel, car.odometer
    positions = set()
    task = asyncio.create_task(backend.run())
    for _ in range(24 * 6):
        await clock.advance(600)
        positions.add(car.position)
    task.cancel()
    assert car.odometer - odometer > 10
    assert car.fuel < fuel
    assert len(positions) > 5
    await _run_for(backend, clock, 3600) if car.moving else None
    assert car.position == car.home or car.moving


async def test_climate_heats_and_stops_after_timeout(
    backend: SimulatedBackend, clock: ManualClock
) -> None:
    """Preconditioning heats toward the target and switches itself off."""
    car = _car(backend, Powertrain.ELECTRIC)
    await _send(backend, clock, car.vin, Command(CommandKind.START_CLIMATE, 22.0))
    assert car.climate_active
    await _run_for(backend, clock, 20 * 60)
    assert car.cabin == pytest.approx(22.0)
    await _run_for(backend, clock, CLIMATE_MAX_MINUTES * 60)
    assert not car.climate_active
    await _run_for(backend, clock, 3 * 3600)
    assert car.cabin < 10


async def test_electric_car_with_flat_battery_refuses_climate(
    backend: SimulatedBackend, clock: ManualClock
) -> None:
    """No energy, no preconditioning: refused with the reason."""
    car = _car(backend, Powertrain.ELECTRIC)
    car.battery = 3.0
    with pytest.raises(CommandFailedError) as err:
        await _send(backend, clock, car.vin, Command(CommandKind.START_CLIMATE))
    assert err.value.reason is CommandFailureReason.LOW_BATTERY


async def test_moving_car_refuses_climate(
    backend: SimulatedBackend, clock: ManualClock
) -> None:
    """Preconditioning is for parked cars."""
    car = _car(backend, Powertrain.ELECTRIC)
    car.start_trip()
    await _run_for(backend, clock, 60)
    with pytest.raises(CommandFailedError) as err:
        await _send(backend, clock, car.vin, Command(CommandKind.START_CLIMATE))
    assert err.value.reason is CommandFailureReason.VEHICLE_MOVING


async def test_charging_stops_at_the_target(
    backend: SimulatedBackend, clock: ManualClock
) -> None:
    """A plugged-in electric car charges to its target, then stops."""
    car = _car(backend, Powertrain.ELECTRIC)
    assert car.charging
    await _run_for(backend, clock, 3 * 3600)
    assert car.battery == pytest.approx(80.0)
    assert not car.charging
    state = await backend.fetch_state(car.vin)
    assert state.value(signals.CHARGE_TIME_REMAINING) == 0.0
    assert state.value(signals.CHARGING_POWER) == 0.0


async def test_idle_car_sleeps_and_wakes_for_commands(
    backend: SimulatedBackend, clock: ManualClock
) -> None:
    """A parked idle car stops reporting; a command wakes it (and takes longer)."""
    car = _car(backend, Powertrain.COMBUSTION)
    await _run_for(backend, clock, 15 * 60)
    assert car.asleep
    stale = await backend.fetch_state(car.vin)
    await _run_for(backend, clock, 3600)
    assert await backend.fetch_state(car.vin) == stale

    task = asyncio.create_task(backend.send(car.vin, Command(CommandKind.UNLOCK)))
    await clock.advance(3)
    assert not task.done()  # waking up takes a few seconds more
    await clock.advance(10)
    await task
    state = await backend.fetch_state(car.vin)
    assert state.value(signals.LOCKED) is False
    assert state.last_updated > stale.last_updated


async def test_stream_yields_connected_then_changes(
    backend: SimulatedBackend, clock: ManualClock
) -> None:
    """The stream announces itself, pushes changes and ends on a drop."""
    car = _car(backend, Powertrain.COMBUSTION)
    events = []

    async def consume() -> None:
        async for event in backend.stream(car.vin):
            events.append(event)  # noqa: PERF401 - keep what came before the drop

    task = asyncio.create_task(consume())
    await clock.advance(1)
    set_open(car, signals.HOOD_OPEN, True)
    await _run_for(backend, clock, 10)
    backend.drop_streams()
    with pytest.raises(VehicleConnectionError):
        await task
    assert events[0] is StreamStatus.CONNECTED
    assert isinstance(events[1], StateUpdate)
    assert [r.signal for r in events[1].readings] == [signals.HOOD_OPEN]


@pytest.mark.parametrize(
    ("fault", "value", "error"),
    [
        ("unreachable", True, VehicleConnectionError),
        ("auth_expired", True, VehicleAuthError),
        ("rate_limited_for", 60.0, VehicleRateLimitError),
    ],
)
async def test_faults(
    backend: SimulatedBackend, fault: str, value: object, error: type[Exception]
) -> None:
    """Each fault switch makes every call fail the way a real API would."""
    setattr(backend.faults, fault, value)
    vin = next(iter(backend.cars))
    for call in (backend.login(), backend.list_vehicles(), backend.fetch_state(vin)):
        with pytest.raises(error):
            await call
    with pytest.raises(error):
        await anext(backend.stream(vin))


async def test_unknown_vin(backend: SimulatedBackend) -> None:
    """A VIN the account does not have is an error, not a crash."""
    with pytest.raises(VehicleConnectionError):
        await backend.fetch_state("NOTAVIN")


async def test_random_command_failures(clock: ManualClock) -> None:
    """A failure rate makes some commands fail, reproducibly for a seed."""
    backend = SimulatedBackend(THREE_CARS, clock)
    backend.faults.command_failure_rate = 0.5
    vin = next(iter(backend.cars))
    reasons = []
    for _ in range(20):
        try:
            await _send(backend, clock, vin, Command(CommandKind.FLASH_LIGHTS))
        except CommandFailedError as err:
            reasons.append(err.reason)
    assert 3 < len(reasons) < 17
    assert set(reasons) == {CommandFailureReason.REJECTED}


async def test_unsupported_command_is_refused(
    clock: ManualClock, backend: SimulatedBackend
) -> None:
    """A backend refuses commands the car lacks before any latency."""
    car = next(iter(backend.cars.values()))
    car.vehicle = car.vehicle.__class__(
        **{**car.vehicle.__dict__}
        if hasattr(car.vehicle, "__dict__")
        else {field: getattr(car.vehicle, field) for field in car.vehicle.__slots__}
    )
    object.__setattr__(
        car.vehicle,
        "capabilities",
        car.vehicle.capabilities.__class__(car.vehicle.capabilities.signals),
    )
    with pytest.raises(CommandNotSupportedError):
        await backend.send(car.vin, Command(CommandKind.SOUND_HORN))


async def test_real_clock_runs_faster_by_its_scale() -> None:
    """Sixty times speed turns a 50 ms wait into three simulated seconds."""
    clock = RealClock(time_scale=60)
    start = clock.now()
    await clock.sleep(3)
    elapsed = clock.now() - start
    assert timedelta(seconds=3) <= elapsed < timedelta(seconds=6)
    with pytest.raises(ValueError, match="positive"):
        RealClock(time_scale=0)


async def test_simulation_survives_an_error_in_a_step(monkeypatch) -> None:
    """Issue 12: an exception in the physics must not stop the simulated cars."""
    clock = ManualClock()
    backend = SimulatedBackend(SimulationSettings(), clock)
    car = next(iter(backend.cars.values()))
    advance = car.advance_to
    failures = [OverflowError("a bug")]

    def flaky(now):
        if failures:
            raise failures.pop()
        return advance(now)

    monkeypatch.setattr(car, "advance_to", flaky)
    task = asyncio.create_task(backend.run())
    try:
        for _ in range(10):
            await clock.advance(10)
        assert failures == []
        assert backend.loop.status.restarts == 1
        assert not task.done()
        assert car.reported_state().last_updated > clock.now() - timedelta(seconds=30)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_unknown_vin_is_not_named_in_the_error() -> None:
    """Error messages end up in logs: they never carry a VIN (issue 12)."""
    backend = SimulatedBackend(SimulationSettings(), ManualClock())
    with pytest.raises(VehicleConnectionError) as err:
        await backend.fetch_state("WBA00000000000001")
    assert "WBA00000000000001" not in str(err.value)
