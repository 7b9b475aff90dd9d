"""A simulated February on the test clock: two cars on the Fleet API within the owner's budget.

The cars live their simulated lives (trips every few hours, charging, sleeping
when idle). Home Assistant's part is played as phase 2 will: every car is polled
at the backend's poll interval; every morning the signed car is preheated and
locked, in the evening both are locked and the REST car's lights flash, each
command confirmed by the car's state, unless the simulated owner changed it
first (getting in for a trip unlocks the car and ends preconditioning, getting
out locks it): then the outcome is honestly unknown, and the test checks that
the car did carry the command out and that the owner acted in between. Access tokens expire every 8 hours and are
refreshed (and saved) by the token manager; Home Assistant restarts every
week from what was saved. Requests are billed and rate-limited where Tesla
does it: at the local Fleet API.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import heapq
import random

import pytest

from custom_components.connected_car.vehicle import (
    Command,
    CommandFailedError,
    CommandFailureReason,
    CommandKind,
    CommandOutcome,
    CommandTimeoutError,
    LiveVehicle,
)
from custom_components.connected_car.vehicle.simulator import (
    SimulatedCar,
    car as car_module,
)
from custom_components.connected_car.vehicle.tesla import CallKind, CostSettings
from tests.tesla.fixtures import ELECTRIC, HOME

from .conftest import MemoryStore

FEB_1 = datetime(2026, 2, 1, tzinfo=UTC)
MAR_1 = datetime(2026, 3, 1, tzinfo=UTC)
END = MAR_1 - timedelta(seconds=1)
RESTART_EVERY = timedelta(days=7)
RETRY_LATER = timedelta(minutes=10)
SCHEDULE = (
    (timedelta(hours=6, minutes=30), 0, Command(CommandKind.START_CLIMATE, 21.5)),
    (timedelta(hours=6, minutes=45), 0, Command(CommandKind.STOP_CLIMATE)),
    (timedelta(hours=7), 0, Command(CommandKind.UNLOCK)),
    (timedelta(hours=21), 0, Command(CommandKind.LOCK)),
    (timedelta(hours=21), 1, Command(CommandKind.UNLOCK)),
    (timedelta(hours=21, minutes=5), 1, Command(CommandKind.LOCK)),
    (timedelta(hours=21, minutes=10), 1, Command(CommandKind.FLASH_LIGHTS)),
)
"""(time of day UTC, car, command): six commands a day to two cars."""


class OwnedCar(SimulatedCar):
    """A simulated car that notes when its owner changed the lock or the climate."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.owner_acted: list[datetime] = []

    def start_trip(self) -> None:
        self.owner_acted.append(self.now)  # walks up and unlocks
        super().start_trip()

    def _schedule(self, seconds: float, action) -> None:
        """Note the owner's later steps (setting off, getting out and locking)."""

        def noted() -> None:
            action()
            self.owner_acted.append(self.now)

        super()._schedule(seconds, noted)


async def run_with_clock(manual_clock, awaitable):
    """Run awaitable (a command: it may wait for a car to wake) while time moves on.

    The clock moves 5 s per 10 ms of real time, in step with the command's own
    confirmation polling (every 10 ms of real time).
    """
    task = asyncio.ensure_future(awaitable)
    while not task.done():
        await manual_clock.advance(5)
        await asyncio.sleep(0.01)
    return await task


@dataclass
class Month:
    """What happened in the simulated month."""

    polls: int = 0
    restarts: int = 0
    outcomes: list[CommandOutcome] = field(default_factory=list)
    overridden: list[CommandKind] = field(default_factory=list)
    """Carried out, then changed by the owner before a read could confirm it."""
    refusals: list[CommandFailureReason] = field(default_factory=list)
    due: list[tuple[datetime, int]] = field(default_factory=list)


async def give_commands(month: Month, backend, cars, manual_clock) -> None:
    """Send the commands that are due, each confirmed by the car's state."""
    while month.due and month.due[0][0] <= manual_clock.now():
        at, number = heapq.heappop(month.due)
        _, index, command = SCHEDULE[number]
        car = cars[index]
        vehicle = LiveVehicle(
            backend,
            backend.vehicle(car.car.vin),
            confirm_timeout=10,
            confirm_poll_interval=0.01,
        )
        sent_at, carried_out = manual_clock.now(), len(car.commands)
        try:
            result = await run_with_clock(manual_clock, vehicle.execute(command))
        except CommandFailedError as err:
            # The car was driving (or a door open): the owner tries again later.
            month.refusals.append(err.reason)
            heapq.heappush(month.due, (at + RETRY_LATER, number))
            continue
        except CommandTimeoutError:
            # Only the owner's own doing may keep a command from being confirmed.
            assert len(car.commands) > carried_out, "the car never got it"
            assert any(
                sent_at <= acted <= manual_clock.now() for acted in car.car.owner_acted
            ), f"{command.kind} unconfirmed at {sent_at} without the owner acting"
            month.overridden.append(command.kind)
            continue
        month.outcomes.append(result.outcome)


async def live_a_month(owner, fleet, manual_clock, budget: CostSettings):
    """Run February: polls at the backend's pace, commands, restarts; return the last backend."""
    vins = list(fleet.cars[owner.account.subject])
    cars = [fleet.cars[owner.account.subject][vin] for vin in vins]
    store = MemoryStore()
    backend = await owner.backend(persistence=store, cost=budget)
    restarted_at = manual_clock.now()
    next_poll = dict.fromkeys(vins, manual_clock.now())
    month = Month(
        due=[
            (FEB_1 + timedelta(days=day) + at, number)
            for day in range(28)
            for number, (at, _, _) in enumerate(SCHEDULE)
        ]
    )
    heapq.heapify(month.due)
    while manual_clock.now() < END:
        await give_commands(month, backend, cars, manual_clock)
        for vin in vins:
            if manual_clock.now() >= next_poll[vin]:
                await backend.fetch_state(vin)  # HA's coordinator, at the planned pace
                month.polls += 1
                interval = backend.poll_interval() or timedelta(hours=1)
                next_poll[vin] = manual_clock.now() + interval
        if manual_clock.now() - restarted_at >= RESTART_EVERY:
            await backend.close()
            backend = await owner.backend(
                owner.saved[-1], persistence=store, cost=budget
            )
            month.restarts += 1
            restarted_at = manual_clock.now()
        # Jump to whatever happens next (HA would sleep until then, too).
        upcoming = min(
            [*next_poll.values(), restarted_at + RESTART_EVERY, END]
            + ([month.due[0][0]] if month.due else [])
        )
        await manual_clock.advance(
            max((upcoming - manual_clock.now()).total_seconds(), 1)
        )
    return backend, month


@pytest.mark.parametrize("dollars", [10.0, 4.0], ids=["allowance", "tight"])
async def test_a_month_within_budget(
    make_owner, fleet, manual_clock, monkeypatch, dollars
) -> None:
    # Minute steps for the car physics (10 s by default): a month in seconds.
    monkeypatch.setattr(car_module, "MAX_STEP_SECONDS", 60.0)
    await manual_clock.advance((FEB_1 - manual_clock.now()).total_seconds())
    owner = make_owner("eu")
    for number, signing in enumerate(("required", "off")):
        car = OwnedCar(
            name=f"Tesla {number}",
            model=ELECTRIC,
            rng=random.Random(10 + number),  # noqa: S311 - simulation
            home=HOME,
            now=manual_clock.now(),
            auto_trips=True,
        )
        fleet.add_car(owner.account, car, command_signing=signing)
        fleet.pair(car.vin, owner.key.public_point)
    budget = CostSettings(monthly_budget=dollars)
    backend, month = await live_a_month(owner, fleet, manual_clock, budget)

    billed = fleet.billed_totals()
    cost = backend.budget_status()
    print(  # noqa: T201 - the measured figures, shown with -s
        f"\nFebruary, 2 cars, ${dollars:.2f} budget: {month.polls} polls, "
        f"billed {dict(billed)}, estimated ${cost.estimated_cost:.2f}, "
        f"{len(owner.saved)} token refreshes, {month.restarts} restarts, "
        f"{fleet.rate_limited} answers 429, {len(month.refusals)} refusals "
        f"({', '.join(sorted({r.value for r in month.refusals}))}), "
        f"{len(month.overridden)} changed by the owner before confirmed"
    )
    assert Counter(month.outcomes) == {
        CommandOutcome.CONFIRMED: 28 * 6 - len(month.overridden),
        CommandOutcome.DELIVERED: 28,  # flashing lights leaves no state to confirm
    }
    assert len(month.overridden) <= 2  # a rare coincidence, not a habit
    assert not month.due
    assert set(month.refusals) <= {
        CommandFailureReason.VEHICLE_MOVING,
        CommandFailureReason.DOOR_OPEN,
    }
    assert fleet.rate_limited == 0
    for kind in (CallKind.DATA, CallKind.WAKE, CallKind.COMMAND):
        assert backend.usage.calls[kind] == billed[kind.value], kind
    assert cost.estimated_cost <= dollars
    assert not cost.exhausted
    assert month.restarts == 3
    assert len(owner.saved) >= 28 * 2  # access tokens last 8 h: renewed, saved
    assert backend.usage.month == FEB_1
    await manual_clock.advance(1)  # March: a new bill
    assert backend.budget_status().estimated_cost == 0.0
    assert backend.usage.month == MAR_1
    await backend.close()
