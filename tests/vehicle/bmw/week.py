"""Days of a CarData account on the local fake: the REST plan as BMW counts it.

Shared by the simulated week (test_week.py) and `scripts/bench`: the backend
is started as Home Assistant starts it (sign-in, car list, a first fetch), and
every simulated minute the cars' changes reach it in CarData's stream format
and the planner takes its turn.
"""

from __future__ import annotations

import json

import aiohttp

from custom_components.connected_car.vehicle.bmw import BmwCarDataBackend, Tokens
from tests.cardata.server import FakeAccount, FakeCarData
from tests.clock import ManualClock
from tests.vehicle.bmw.persistence import MemoryPersistence


async def start_backend(
    session: aiohttp.ClientSession,
    cardata: FakeCarData,
    account: FakeAccount,
    tokens: Tokens,
    persistence: MemoryPersistence,
    *,
    stream_up: bool,
) -> BmwCarDataBackend:
    """Start the account's backend as setup does; say whether its stream is up."""
    backend = BmwCarDataBackend(
        session=session,
        client_id=account.client_id,
        tokens=tokens,
        persistence=persistence,
        clock=cardata.clock,
        endpoints=cardata.endpoints(),
    )
    await backend.login()
    for vehicle in await backend.list_vehicles():
        await backend.fetch_state(vehicle.vin)
    backend.stream_client.connected = stream_up
    return backend


async def live_a_minute(
    backend: BmwCarDataBackend, account: FakeAccount, clock: ManualClock
) -> int:
    """Let a minute pass: the cars report, the plan runs; return the messages."""
    await clock.advance(60)
    now = clock.now()
    messages = 0
    for vin, car in account.cars.items():
        for message in account.encoder.stream_messages(
            vin, account.gcid, car.advance_to(now), now
        ):
            backend._on_mqtt_message(
                f"{account.gcid}/{vin}", json.dumps(message).encode()
            )
            messages += 1
    await backend.run_plan()
    return messages
