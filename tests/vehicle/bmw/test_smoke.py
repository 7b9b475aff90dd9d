"""First end-to-end pass through the fake CarData."""

from __future__ import annotations

from custom_components.connected_car.vehicle import signals
from tests.cardata.fixtures import eventually


async def test_setup_stream_and_snapshot(running, cardata, account, manual_clock):
    backend = running
    vin = next(iter(account.cars))
    state = await backend.fetch_state(vin)
    assert state.value(signals.LOCKED) is True
    await eventually(lambda: backend.stream_client.connected)
    car = account.cars[vin]
    car.set_open(signals.DOOR_FRONT_LEFT_OPEN, True)
    await manual_clock.advance(10)
    await cardata.publish_changes(account)
    await eventually(lambda: backend._states[vin].value(signals.DOOR_FRONT_LEFT_OPEN))
    print(cardata.rest_requests)
