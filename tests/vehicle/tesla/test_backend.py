"""The Tesla backend against the local Teslemetry: capabilities, data, commands, waking."""

from __future__ import annotations

import asyncio

import pytest

from custom_components.connected_car.vehicle import (
    Command,
    CommandFailedError,
    CommandFailureReason,
    CommandKind,
    CommandNotSupportedError,
    CommandOutcome,
    LiveVehicle,
    StateUpdate,
    VehicleAsleepError,
    signals,
)
from custom_components.connected_car.vehicle.tesla import (
    CallKind,
    OnlineState,
    model_year,
)
from tests.simulation import set_open, set_plugged_in
from tests.tesla.fixtures import make_tesla_car
from tests.tesla.server import fault_from_sample

from .conftest import eventually, follow_changes


def vehicle_data_requests(teslemetry) -> list:
    return [r for r in teslemetry.requests if r.path.endswith("/vehicle_data")]


async def run_with_clock(
    manual_clock, coroutine, step: float = 5.0, limit: float = 200.0
):
    """Run coroutine while moving the test clock on (the car wakes on it)."""
    task = asyncio.ensure_future(coroutine)
    moved = 0.0
    while not task.done() and moved < limit:
        await manual_clock.advance(step)
        moved += step
        await asyncio.sleep(0.01)
    return await task


async def test_capabilities_of_ev_variants(
    teslemetry, account, manual_clock, make_backend
) -> None:
    plain = teslemetry.add_car(
        account, make_tesla_car(manual_clock, seed=1), sunroof=False
    )
    roof = teslemetry.add_car(
        account,
        make_tesla_car(manual_clock, seed=2),
        sunroof=True,
        right_hand_drive=True,
    )
    backend = make_backend()
    vehicles = {v.vin: v for v in await backend.list_vehicles()}  # logs in first
    assert len(vehicles) == 2  # the energy sites of the products list are skipped
    for vehicle in vehicles.values():
        capabilities = vehicle.capabilities
        assert vehicle.make == "Tesla"
        assert vehicle.powertrain.value == "electric"
        assert not capabilities.has(signals.FUEL_LEVEL)
        assert not capabilities.has(signals.FUEL_AMOUNT)
        assert capabilities.has(signals.BATTERY_LEVEL)
        assert capabilities.has(signals.LOCATION)
        assert capabilities.can_precondition
        assert capabilities.commands == frozenset(CommandKind)
    assert not vehicles[plain.vin].capabilities.has(signals.SUNROOF_OPEN)
    assert vehicles[roof.vin].capabilities.has(signals.SUNROOF_OPEN)
    assert vehicles[plain.vin].name == "Test"
    await backend.close()


async def test_read_only_token_has_no_commands_and_no_location(
    teslemetry, manual_clock, make_backend
) -> None:
    account = teslemetry.add_account(
        "tm-read-only-token", scopes=["openid", "vehicle_device_data"]
    )
    teslemetry.add_car(account, make_tesla_car(manual_clock))
    backend = make_backend("tm-read-only-token")
    (vehicle,) = await backend.list_vehicles()
    assert vehicle.capabilities.commands == frozenset()
    assert not vehicle.capabilities.has(signals.LOCATION)
    await backend.fetch_state(vehicle.vin)
    assert len(vehicle_data_requests(teslemetry)) == 1
    assert "location_data" not in str(teslemetry.requests)  # never asked for
    with pytest.raises(CommandNotSupportedError):
        await backend.send(vehicle.vin, Command(CommandKind.LOCK))
    await backend.close()


async def test_equipment_learned_from_vehicle_data_when_products_lack_it(
    teslemetry, account, manual_clock, make_backend, store
) -> None:
    fake = teslemetry.add_car(
        account, make_tesla_car(manual_clock), sunroof=True, config_in_products=False
    )
    backend = make_backend()
    (vehicle,) = await backend.list_vehicles()
    assert not vehicle.capabilities.has(signals.SUNROOF_OPEN)  # unknown yet: no entity
    changes = []
    backend.add_listener(lambda: changes.append(True))
    state = await backend.fetch_state(fake.vin)
    assert changes  # HA reloads to add the sunroof
    assert backend.vehicle(fake.vin).capabilities.has(signals.SUNROOF_OPEN)
    assert state.value(signals.SUNROOF_OPEN) is False
    assert store.data["vehicle_configs"][fake.vin]["sun_roof_installed"] is True
    # A restart knows the equipment without a data call.
    again = make_backend()
    (vehicle,) = await again.list_vehicles()
    assert vehicle.capabilities.has(signals.SUNROOF_OPEN)
    await backend.close()
    await again.close()


async def test_every_signal_from_vehicle_data_in_our_units(backend, fake_car) -> None:
    car = fake_car.car
    state = await backend.fetch_state(fake_car.vin)
    assert state.value(signals.BATTERY_LEVEL) == round(car.battery)
    assert state.value(signals.RANGE) == pytest.approx(car.range_km(), abs=0.05)
    assert state.value(signals.ODOMETER) == pytest.approx(car.odometer, abs=0.01)
    assert state.value(signals.CHARGING_POWER) == 11.0
    assert state.value(signals.CHARGE_TIME_REMAINING) > 0
    assert state.value(signals.CHARGING) is True
    assert state.value(signals.CHARGING_STATE) == "charging"
    assert state.value(signals.PLUGGED_IN) is True
    assert state.value(signals.CHARGE_LIMIT) == 80.0
    assert state.value(signals.CABIN_TEMPERATURE) == pytest.approx(car.cabin, abs=0.05)
    assert state.value(signals.OUTSIDE_TEMPERATURE) == pytest.approx(
        car.outside_temperature(), abs=0.05
    )
    assert state.value(signals.CLIMATE_ACTIVE) is False
    assert state.value(signals.CLIMATE_TARGET_TEMPERATURE) == 21.0
    assert state.value(signals.LOCKED) is True
    for signal in (
        *signals.DOORS,
        *signals.WINDOWS,
        signals.TRUNK_OPEN,
        signals.HOOD_OPEN,
    ):
        assert state.value(signal) is False
    assert state.value(signals.SUNROOF_OPEN) is False
    for tyre in signals.TYRE_PRESSURES:
        assert 200 < state.value(tyre) < 300  # kPa
    position = state.value(signals.LOCATION)
    assert (position.latitude, position.longitude) == pytest.approx(
        (37.4925, -121.9447)
    )
    assert position.heading == 0.0
    assert state.value(signals.SOFTWARE_VERSION) == "2026.14.6"
    assert state.value(signals.ONLINE_STATE) == "online"
    assert state.value(signals.MOVING) is False
    assert backend.status.calls[CallKind.DATA] == 1


async def test_a_sleeping_car_is_never_polled_awake(
    backend, fake_car, teslemetry, manual_clock
) -> None:
    await manual_clock.advance(700)  # idle: the car falls asleep
    set_plugged_in(fake_car.car, False)
    fake_car.car.asleep = True
    teslemetry.requests.clear()
    state = await backend.fetch_state(fake_car.vin)
    assert backend.online_state(fake_car.vin) is OnlineState.ASLEEP
    assert state.value(signals.ONLINE_STATE) == "asleep"
    assert [r.path.rsplit("/", 1)[-1] for r in teslemetry.requests] == [fake_car.vin]
    assert not vehicle_data_requests(teslemetry)
    assert backend.status.calls[CallKind.WAKE] == 0


async def test_car_falling_asleep_between_state_and_data(
    backend, fake_car, teslemetry
) -> None:
    teslemetry.fail_next(
        fault_from_sample(
            "fleet_error_408_vehicle_offline", path_contains="vehicle_data"
        )
    )
    await backend.fetch_state(fake_car.vin)
    assert backend.online_state(fake_car.vin) is OnlineState.ASLEEP


@pytest.mark.parametrize(
    ("command", "signal", "value"),
    [
        (Command(CommandKind.UNLOCK), signals.LOCKED, False),
        (Command(CommandKind.START_CLIMATE), signals.CLIMATE_ACTIVE, True),
        (
            Command(CommandKind.SET_CLIMATE_TARGET, 22.5),
            signals.CLIMATE_TARGET_TEMPERATURE,
            22.5,
        ),
    ],
)
async def test_commands_confirmed_by_the_stream(
    streaming, fake_car, command, signal, value
) -> None:
    backend = streaming
    live = LiveVehicle(backend, backend.vehicle(fake_car.vin), confirm_timeout=5)
    live.streaming = True
    stream = backend.stream(fake_car.vin)
    consumer = asyncio.create_task(_consume(stream, live))
    await live.refresh()
    result = await live.execute(command)
    assert result.outcome is CommandOutcome.CONFIRMED
    assert live.state.value(signal) == value
    consumer.cancel()


async def _consume(stream, live) -> None:
    async for event in stream:
        if isinstance(event, StateUpdate):
            live.apply(event.readings)


async def test_lock_and_climate_confirmed_by_polling(backend, fake_car) -> None:
    live = LiveVehicle(
        backend,
        backend.vehicle(fake_car.vin),
        confirm_timeout=5,
        confirm_poll_interval=0.01,
    )
    await live.execute(Command(CommandKind.UNLOCK))
    assert (
        await live.execute(Command(CommandKind.LOCK))
    ).outcome is CommandOutcome.CONFIRMED
    assert live.state.value(signals.LOCKED) is True
    await live.execute(Command(CommandKind.START_CLIMATE, 22.0))  # target, then start
    assert fake_car.commands[-2:] == ["set_temps", "auto_conditioning_start"]
    assert (
        await live.execute(Command(CommandKind.STOP_CLIMATE))
    ).outcome is CommandOutcome.CONFIRMED
    assert live.state.value(signals.CLIMATE_ACTIVE) is False


async def test_flash_and_honk_are_delivered(backend, fake_car) -> None:
    live = LiveVehicle(backend, backend.vehicle(fake_car.vin))
    assert (
        await live.execute(Command(CommandKind.FLASH_LIGHTS))
    ).outcome is CommandOutcome.DELIVERED
    assert (
        await live.execute(Command(CommandKind.SOUND_HORN))
    ).outcome is CommandOutcome.DELIVERED
    assert fake_car.car.flash_count == 1
    assert fake_car.car.horn_count == 1
    assert backend.status.calls[CallKind.COMMAND] == 2


async def test_already_set_counts_as_done(backend, fake_car) -> None:
    assert fake_car.car.locked
    live = LiveVehicle(backend, backend.vehicle(fake_car.vin))
    result = await live.execute(Command(CommandKind.LOCK))
    # The car's answer is its own report: no read is needed to confirm it (a
    # read could only show what happened since, e.g. someone unlocking it).
    assert result.outcome is CommandOutcome.CONFIRMED
    assert fake_car.commands == ["door_lock"]
    assert backend.status.calls[CallKind.DATA] == 0
    assert live.state.value(signals.LOCKED) is None  # nothing was read


async def test_lock_refused_with_a_door_open(backend, fake_car) -> None:
    await backend.send(fake_car.vin, Command(CommandKind.UNLOCK))
    set_open(fake_car.car, signals.DOOR_REAR_LEFT_OPEN, True)
    with pytest.raises(CommandFailedError) as err:
        await backend.send(fake_car.vin, Command(CommandKind.LOCK))
    assert err.value.reason is CommandFailureReason.DOOR_OPEN
    assert err.value.car_reason == "door open"
    assert fake_car.car.locked is False


async def test_command_to_a_sleeping_car_wakes_it_first(
    backend, fake_car, teslemetry, manual_clock
) -> None:
    fake_car.car.asleep = True
    await backend.fetch_state(fake_car.vin)
    seen = follow_changes(backend, lambda: backend.online_state(fake_car.vin))
    await run_with_clock(
        manual_clock, backend.send(fake_car.vin, Command(CommandKind.UNLOCK))
    )
    assert seen[:2] == [OnlineState.WAKING, OnlineState.ONLINE]
    assert backend.state(fake_car.vin).value(signals.ONLINE_STATE) == "online"
    assert backend.status.calls[CallKind.WAKE] == 1
    assert fake_car.car.locked is False
    assert teslemetry.accounts[next(iter(teslemetry.accounts))].credits == 2000 - 20 - 1
    woke = [r for r in teslemetry.requests if r.path.endswith("wake_up")]
    unlocked = [r for r in teslemetry.requests if r.path.endswith("door_unlock")]
    assert (
        10 <= (unlocked[0].at - woke[0].at).total_seconds() <= 35
    )  # 10-30 s, polled every 5


async def test_a_car_that_does_not_wake(backend, fake_car, manual_clock) -> None:
    fake_car.offline = True
    with pytest.raises(VehicleAsleepError):
        await run_with_clock(
            manual_clock, backend.send(fake_car.vin, Command(CommandKind.UNLOCK))
        )
    assert backend.online_state(fake_car.vin) is OnlineState.ASLEEP
    assert fake_car.commands == []


async def test_command_answered_408_wakes_and_retries(
    backend, fake_car, teslemetry, manual_clock
) -> None:
    teslemetry.fail_next(
        fault_from_sample(
            "fleet_error_408_vehicle_offline", path_contains="door_unlock"
        )
    )
    await run_with_clock(
        manual_clock, backend.send(fake_car.vin, Command(CommandKind.UNLOCK))
    )
    assert fake_car.commands == ["door_unlock"]


async def test_commands_checked_before_sending(backend, fake_car) -> None:
    with pytest.raises(CommandNotSupportedError):
        await backend.send(fake_car.vin, Command(CommandKind.SET_CLIMATE_TARGET))
    with pytest.raises(CommandNotSupportedError):
        await backend.send("5YJ3E7EB0KF000000", Command(CommandKind.LOCK))
    assert fake_car.commands == []


async def test_persistence_and_diagnostics(backend, fake_car, store) -> None:
    await backend.fetch_state(fake_car.vin)
    await backend.close()
    assert store.data["usage"]["calls"]["data"] == 1
    diagnostics = backend.diagnostics()
    assert diagnostics["transport"] == "teslemetry"
    assert diagnostics["vehicles"][0]["profile"]["sunroof"] is True
    assert "tm-owner-token" not in str(diagnostics)
    assert "location" not in str(store.data)


async def test_model_year_and_name_from_vin() -> None:
    assert model_year("LRW3F7EK0NC000001") == 2022
    assert model_year("5YJSA1E2XMF000001") == 2021
    assert model_year("short") is None


async def test_eventually_helper_times_out() -> None:
    with pytest.raises(AssertionError):
        await eventually(lambda: False, timeout=0.05)
