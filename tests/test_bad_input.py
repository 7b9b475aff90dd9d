"""Issue 12 through Home Assistant: no value a car sends ends live updates.

The vehicle layer rejects what the model cannot hold (tests/vehicle); these
tests show the effect a user saw before: one bad value ended the stream task
for good (entities "available" but frozen) or froze a signal.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.vehicle import Position, Reading, signals
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock
from tests.simulation import inject, set_open

from .common import async_advance

RANGE = "sensor.simulated_car_remaining_range"
HOOD = "binary_sensor.simulated_car_hood"
LAST_UPDATE = "sensor.simulated_car_last_update_from_car"
TRACKER = "device_tracker.simulated_car_location"


@pytest.mark.parametrize(
    "bad",
    [
        Reading(signals.RANGE, 10**400, datetime(2026, 1, 15, 6, 30, tzinfo=UTC)),
        Reading(
            signals.RANGE,
            12.0,
            datetime.max.replace(tzinfo=timezone(timedelta(hours=-5))),
        ),
        Reading(
            signals.PRECONDITIONING_STATE, "boiling", datetime(2026, 1, 15, tzinfo=UTC)
        ),
        Reading(
            signals.LOCATION,
            Position(52.37, 4.89, heading=float("nan")),
            datetime(2026, 1, 15, 6, 30, tzinfo=UTC),
        ),
    ],
    ids=["int too large for a float", "no UTC form", "unknown state", "NaN heading"],
)
async def test_one_bad_value_does_not_end_live_updates(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    bad: Reading,
) -> None:
    vin = next(iter(simulated_backend.cars))
    good = Reading(signals.RANGE, 321.0, manual_clock.now() + timedelta(seconds=1))
    inject(simulated_backend, vin, [bad, good])
    await hass.async_block_till_done()
    assert hass.states.get(RANGE).state == "321.0"
    # ... and the stream is still consumed: the next change arrives too.
    car = next(iter(simulated_backend.cars.values()))
    set_open(car, signals.HOOD_OPEN, True)
    await async_advance(hass, manual_clock, 10)
    assert hass.states.get(HOOD).state == "on"
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    assert coordinator.live.rejections


async def test_a_reading_from_the_future_does_not_freeze_the_signal(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    vin = next(iter(simulated_backend.cars))
    future = datetime(2099, 1, 1, tzinfo=UTC)
    inject(simulated_backend, vin, [Reading(signals.RANGE, 999.0, future)])
    await hass.async_block_till_done()
    assert hass.states.get(RANGE).state != "999.0"
    assert hass.states.get(LAST_UPDATE).state.startswith("2026-")
    later = Reading(signals.RANGE, 123.0, manual_clock.now() + timedelta(seconds=5))
    inject(simulated_backend, vin, [later])
    await hass.async_block_till_done()
    assert hass.states.get(RANGE).state == "123.0"
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    assert coordinator.live.rejections == {"future_timestamp": 1}
