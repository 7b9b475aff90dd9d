"""A simulated week: the REST plan never exceeds BMW's 50 calls per 24 hours.

The cars drive on their own (the simulator's daily life), their changes reach
the backend in CarData's stream format, the planner ticks every minute, HA
restarts three times a day, and, in the worst case, the stream is down all
week so Home Assistant polls every five minutes. Calls are counted where BMW
would count them: at the fake CarData.
"""

from __future__ import annotations

import random

import pytest

from custom_components.connected_car.vehicle import signals
from custom_components.connected_car.vehicle.bmw import BmwCarDataBackend, Tokens
from custom_components.connected_car.vehicle.simulator import MODELS, SimulatedCar
from tests.cardata.fixtures import HOME
from tests.vehicle.bmw.persistence import MemoryPersistence
from tests.vehicle.bmw.week import live_a_minute, start_backend

MINUTES_PER_WEEK = 7 * 24 * 60
RESTART_EVERY = 8 * 60
POLL_EVERY = 5
BASIC_DATA = ("rest_basicData_i4_M50_BEV", "rest_basicData_X2_M35i_CONV")


@pytest.mark.parametrize(
    ("cars", "stream_up"),
    [(1, True), (1, False), (2, False)],
    ids=["one-car-streaming", "one-car-stream-down", "two-cars-stream-down"],
)
async def test_a_week_within_quota(
    cardata, session, manual_clock, cars, stream_up
) -> None:
    cardata.broker_follows_tokens = False  # no stream here: spare 168 reloads
    account = cardata.add_account()
    for number in range(cars):
        car = SimulatedCar(
            name=f"Car {number}",
            model=MODELS[1 + number],
            rng=random.Random(number),  # noqa: S311 - simulation
            home=HOME,
            now=manual_clock.now(),
            auto_trips=True,
            read_only=True,
        )
        cardata.add_car(account, car, BASIC_DATA[number])
    persistence = MemoryPersistence()

    async def start(tokens: Tokens) -> BmwCarDataBackend:
        return await start_backend(
            session, cardata, account, tokens, persistence, stream_up=stream_up
        )

    backend = await start(
        Tokens.from_response(await cardata.issue_tokens(account), manual_clock.now())
    )
    messages = 0
    for minute in range(1, MINUTES_PER_WEEK + 1):
        messages += await live_a_minute(backend, account, manual_clock)
        if not stream_up and minute % POLL_EVERY == 0:
            for vin in account.cars:
                await backend.fetch_state(vin)  # the coordinator's fallback poll
        if minute % RESTART_EVERY == 0 and minute < MINUTES_PER_WEEK:
            tokens = backend.tokens.tokens
            await backend.close()
            backend = await start(tokens)

    worst = cardata.max_calls_in_any_window(account)
    total = cardata.counted_calls(account)
    print(  # noqa: T201 - the measured figures, shown with -s
        f"\n{cars} car(s), stream {'up' if stream_up else 'down'}: {messages} "
        f"stream messages, {total} REST calls in the week, at most {worst} in "
        "any 24 h"
    )
    assert worst <= 50
    assert all(request.status < 400 for request in cardata.rest_requests)
    assert backend.problems == {}
    # The plan is not idle: daily refreshes and snapshots after activity happen.
    assert total >= 7 * (1 + 2 * cars)
    for vin in account.cars:
        assert backend.state(vin).value(signals.LOCKED) is not None
