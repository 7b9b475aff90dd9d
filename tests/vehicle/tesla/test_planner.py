"""The month's Fleet API bill and the polling it affords (planner and backend)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from custom_components.connected_car.vehicle import (
    Command,
    CommandKind,
    CommandOutcome,
    LiveVehicle,
)
from custom_components.connected_car.vehicle.tesla import (
    CallKind,
    CostPlanner,
    CostSettings,
    MonthlyUsage,
)
from custom_components.connected_car.vehicle.utc_time import next_utc_month_start

from .conftest import MemoryStore
from .test_backend import run_with_clock

FEB_1 = datetime(2026, 2, 1, tzinfo=UTC)
MINUTE = 60.0


def test_prices_per_kind() -> None:
    usage = MonthlyUsage.starting(FEB_1)
    for kind, count in (
        (CallKind.DATA, 500),
        (CallKind.WAKE, 50),
        (CallKind.COMMAND, 1000),
    ):
        for _ in range(count):
            usage.record(kind, FEB_1)
    for _ in range(10_000):
        usage.record(CallKind.FREE, FEB_1)
    assert usage.cost == pytest.approx(3.0)


def test_the_month_rolls_over_in_utc() -> None:
    usage = MonthlyUsage.starting(datetime(2026, 1, 31, 23, 59, tzinfo=UTC))
    usage.record(CallKind.DATA, datetime(2026, 1, 31, 23, 59, tzinfo=UTC))
    # 00:30 in Berlin on Feb 1 is still January in UTC.
    berlin = timezone_hours(1)
    usage.record(CallKind.DATA, datetime(2026, 2, 1, 0, 30, tzinfo=berlin))
    assert usage.calls[CallKind.DATA] == 2
    usage.record(CallKind.DATA, FEB_1)
    assert usage.month == FEB_1
    assert usage.calls[CallKind.DATA] == 1
    assert next_utc_month_start(datetime(2026, 12, 31, 12, tzinfo=UTC)) == datetime(
        2027, 1, 1, tzinfo=UTC
    )


def timezone_hours(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


def test_stored_usage_of_another_month_is_dropped() -> None:
    usage = MonthlyUsage.starting(FEB_1)
    usage.record(CallKind.WAKE, FEB_1)
    stored = usage.as_dict()
    again = MonthlyUsage.starting(FEB_1)
    again.load(stored, FEB_1 + timedelta(days=3))
    assert again.calls == usage.calls
    again.load(stored, datetime(2026, 3, 1, tzinfo=UTC))
    assert again.calls == {}
    assert again.month == datetime(2026, 3, 1, tzinfo=UTC)
    for broken in (
        None,
        [],
        {"month": "yesterday"},
        {"month": FEB_1.isoformat(), "calls": {"wake": "3", "data": True}},
    ):
        again.load(broken, FEB_1)
        assert again.calls == {}


def test_the_poll_interval_spreads_the_budget_over_the_month() -> None:
    usage = MonthlyUsage.starting(FEB_1)
    planner = CostPlanner(usage, CostSettings())
    # $10, reserve 28 days x 2 cars x $0.05 = $2.80: $7.20 buys 3,600 reads,
    # 1,800 per car over 28 days: one every 22.4 minutes.
    assert planner.poll_interval(FEB_1, 2) == timedelta(minutes=22.4)
    # One car: $8.60 would buy one read every 9.4 minutes; held to 10.
    assert planner.poll_interval(FEB_1, 1) == timedelta(minutes=10)
    # A richer owner is held to the fastest pace.
    rich = CostPlanner(MonthlyUsage.starting(FEB_1), CostSettings(monthly_budget=50))
    assert rich.poll_interval(FEB_1, 2) == timedelta(minutes=10)
    # Half the month gone, nothing spent: the rest is spent faster.
    assert planner.poll_interval(FEB_1 + timedelta(days=14), 2) < timedelta(minutes=12)


def test_running_out_stops_polling_but_not_confirming_commands() -> None:
    usage = MonthlyUsage.starting(FEB_1)
    planner = CostPlanner(usage, CostSettings(monthly_budget=3.0))
    now = FEB_1 + timedelta(days=20)  # reserve: 8 days x 1 car x $0.05 = $0.40
    assert planner.may_poll("VIN", now, 1)
    for _ in range(1300):  # $2.60 of data
        usage.record(CallKind.DATA, now)
    status = planner.status(now, 1)
    assert status.exhausted
    assert status.poll_interval is None
    assert status.estimated_cost == pytest.approx(2.6)
    assert status.resets_at == datetime(2026, 3, 1, tzinfo=UTC)
    assert not planner.may_poll("VIN", now, 1)
    planner.command_sent("VIN", now)
    assert planner.may_confirm("VIN", now)
    # Days later the reserve is smaller and a few reads would fit: still spent.
    assert planner.poll_interval(now + timedelta(days=5), 1) is None
    restarted = CostPlanner(usage, CostSettings(monthly_budget=3.0))
    restarted.restore(planner.as_dict())
    assert restarted.poll_interval(now, 1) is None
    raised = CostPlanner(usage, CostSettings(monthly_budget=4.0))
    raised.restore(planner.as_dict())
    assert raised.poll_interval(now, 1) is not None
    raised.restore({"exhausted": {"month": "?", "budget": 1}})
    assert raised.poll_interval(now, 1) is not None
    # The next month starts afresh.
    assert planner.may_poll("VIN", datetime(2026, 3, 1, tzinfo=UTC), 1)
    assert usage.calls == {}


def test_confirming_reads_are_few_and_spaced() -> None:
    settings = CostSettings()
    planner = CostPlanner(MonthlyUsage.starting(FEB_1), settings)
    assert not planner.may_confirm("VIN", FEB_1)
    planner.command_sent("VIN", FEB_1)
    now = FEB_1
    reads = 0
    while planner.may_confirm("VIN", now):
        planner.read("VIN", now, confirming=True)
        reads += 1
        assert not planner.may_confirm("VIN", now + timedelta(seconds=1))
        now += settings.confirm_spacing
    assert reads == settings.confirm_reads
    planner.command_sent("VIN", now)
    assert not planner.may_confirm(
        "VIN", now + settings.confirm_window + timedelta(seconds=1)
    )


def test_last_reads_survive_a_restart() -> None:
    planner = CostPlanner(MonthlyUsage.starting(FEB_1), CostSettings())
    planner.read("VIN", FEB_1, confirming=False)
    again = CostPlanner(MonthlyUsage.starting(FEB_1), CostSettings())
    again.restore(
        {"last_read": {**planner.as_dict()["last_read"], "OTHER": "never", 5: "x"}}
    )
    assert again.last_read == {"VIN": FEB_1}
    assert not again.may_poll("VIN", FEB_1 + timedelta(minutes=5), 1)
    again.restore(None)
    assert again.last_read == {"VIN": FEB_1}


# -- through the backend -----------------------------------------------------------------


async def start_of_february(manual_clock) -> None:
    await manual_clock.advance((FEB_1 - manual_clock.now()).total_seconds())


def data_reads(fleet) -> int:
    return sum(1 for r in fleet.requests if r.path.endswith("/vehicle_data"))


async def test_polling_follows_the_budget_and_never_wakes(
    make_owner, fleet, manual_clock
) -> None:
    await start_of_february(manual_clock)
    owner = make_owner()
    car = owner.add_car()
    backend = await owner.backend()
    interval = backend.poll_interval()
    assert interval == timedelta(minutes=10)  # one car
    await backend.fetch_state(car.vin)
    await backend.fetch_state(car.vin)  # too soon: the free state only
    assert data_reads(fleet) == 1
    await manual_clock.advance(interval.total_seconds())
    await backend.fetch_state(car.vin)
    assert data_reads(fleet) == 2
    car.car.asleep = True
    await manual_clock.advance(3600)
    car.car.asleep = True
    await backend.fetch_state(car.vin)
    assert data_reads(fleet) == 2
    assert backend.usage.calls[CallKind.WAKE] == 0
    status = backend.budget_status()
    assert status.calls[CallKind.DATA] == 2
    assert status.estimated_cost == pytest.approx(0.004)
    assert backend.status.estimated_cost == pytest.approx(0.004)
    await backend.close()


async def test_an_exhausted_budget_stops_polling_not_commands(
    make_owner, fleet, manual_clock
) -> None:
    await start_of_february(manual_clock)
    owner = make_owner()
    car = owner.add_car(command_signing="required")
    store = MemoryStore()
    # $1.40 are the commands' reserve for 28 days: $0.05 left for polling.
    backend = await owner.backend(
        persistence=store, cost=CostSettings(monthly_budget=1.45)
    )
    assert not backend.status.budget_exhausted
    seen = [False]
    backend.add_listener(
        lambda: (
            seen.append(backend.status.budget_exhausted)
            if backend.status.budget_exhausted != seen[-1]
            else None
        )
    )
    vehicle = LiveVehicle(
        backend, backend.vehicle(car.vin), confirm_timeout=5, confirm_poll_interval=0.01
    )
    for command in (Command(CommandKind.UNLOCK), Command(CommandKind.LOCK)):
        car.car.asleep = True  # each command wakes the car: $0.02
        result = await run_with_clock(manual_clock, vehicle.execute(command))
        assert result.outcome is CommandOutcome.CONFIRMED
    assert seen == [False, True]
    assert backend.status.budget_exhausted
    assert backend.poll_interval() is None
    assert backend.usage.calls[CallKind.WAKE] == 2
    reads = data_reads(fleet)
    await manual_clock.advance(3600)
    await backend.fetch_state(car.vin)  # the car is awake, but no budget to read it
    assert data_reads(fleet) == reads
    result = await run_with_clock(
        manual_clock, vehicle.execute(Command(CommandKind.UNLOCK))
    )
    assert result.outcome is CommandOutcome.CONFIRMED  # commands still go
    assert backend.diagnostics()["budget_exhausted"] is True
    await manual_clock.advance(6 * 3600)  # the reserve shrank: still no polling
    await backend.fetch_state(car.vin)
    assert seen == [False, True]
    await backend.close()
    # After a restart it is still spent; the owner raises the budget: polling again.
    tokens = owner.last_manager.tokens
    again = await owner.backend(
        tokens, persistence=store, cost=CostSettings(monthly_budget=1.45)
    )
    assert again.status.budget_exhausted
    await again.close()
    richer = await owner.backend(
        tokens, persistence=store, cost=CostSettings(monthly_budget=5.0)
    )
    assert not richer.status.budget_exhausted
    await richer.close()


async def test_counts_and_reads_survive_a_restart(
    make_owner, fleet, manual_clock
) -> None:
    await start_of_february(manual_clock)
    owner = make_owner()
    car = owner.add_car()
    store = MemoryStore()
    backend = await owner.backend(persistence=store)
    await backend.fetch_state(car.vin)
    await backend.send(car.vin, Command(CommandKind.FLASH_LIGHTS))
    calls = dict(backend.usage.calls)
    await backend.close()
    assert store.data["usage"]["calls"]["data"] == 1
    again = await owner.backend(owner.last_manager.tokens, persistence=store)
    for kind in (CallKind.DATA, CallKind.WAKE, CallKind.COMMAND):
        assert again.usage.calls[kind] == calls.get(kind, 0)
    reads = data_reads(fleet)
    await again.fetch_state(car.vin)  # read a moment ago, before the restart
    assert data_reads(fleet) == reads
    assert again.usage.calls[CallKind.COMMAND] == calls[CallKind.COMMAND] == 1
    await again.close()
