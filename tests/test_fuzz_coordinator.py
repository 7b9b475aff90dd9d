"""Property-based fuzzing of the coordinator's push and poll paths (issue 12).

Through a running Home Assistant with a simulated car: whatever a backend's
stream pushes or its fetch returns, nothing escapes the coordinator, the good
readings apply exactly as the model merges them, live updates go on, and no
entity shows an impossible value. Hypothesis runs in a worker thread and hands
each case to Home Assistant's event loop; the number of cases comes from the
profile in tests/vehicle/fuzzing.py (10,000 each with `scripts/fuzz`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import math
from types import MappingProxyType
from typing import Any

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from hypothesis import given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.vehicle import (
    Reading,
    VehicleConnectionError,
    VehicleRateLimitError,
    VehicleState,
    signals,
)
from custom_components.connected_car.vehicle.models import MAX_CLOCK_SKEW
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock
from tests.privacy import private_data_in
from tests.simulation import inject
from tests.vehicle.faults import UNEXPECTED_ERRORS
from tests.vehicle.fuzzing import NOW, any_value, timestamps
from tests.vehicle.test_fuzz import assert_possible

pytestmark = pytest.mark.timeout(1800)  # 10,000 cases per test in CI

readings = st.builds(
    Reading,
    st.sampled_from(signals.ALL_SIGNALS),
    # A rejected value is logged; the privacy guard cannot tell a number that
    # happens to lie near a test home's coordinates from a position.
    any_value.filter(lambda value: not private_data_in(repr(value))),
    timestamps,
)
junk = st.sampled_from([None, 42, "range", object()])
pushed = st.lists(readings | junk, max_size=6)
fetch_outcomes = st.lists(readings, max_size=8) | st.sampled_from(
    [
        VehicleConnectionError("cloud down"),
        VehicleRateLimitError("slow down", retry_after=60),
        *UNEXPECTED_ERRORS,
    ]
)
NUMERIC_DOMAINS = ("sensor",)


async def run_cases(hass: HomeAssistant, test: Callable[[], None]) -> int:
    """Run a hypothesis test in a worker thread; return how many cases ran.

    Each case runs in Home Assistant's event loop (`in_loop`).
    """
    before = CASES[0]
    await hass.async_add_executor_job(test)
    return CASES[0] - before


CASES = [0]
"""Cases run so far (the profile's number must have run)."""


def in_loop(hass: HomeAssistant, case: Coroutine[Any, Any, None]) -> None:
    """Run one case in Home Assistant's event loop and wait for it."""
    asyncio.run_coroutine_threadsafe(case, hass.loop).result(timeout=30)
    CASES[0] += 1


def assert_entities_possible(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """No entity of the car shows NaN, infinity or an unreadable number."""
    for state in hass.states.async_all():
        if not state.entity_id.split(".")[1].startswith("simulated_car"):
            continue
        if state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            continue
        if state.domain in NUMERIC_DOMAINS and state.attributes.get(
            "unit_of_measurement"
        ):
            assert math.isfinite(float(state.state)), state
        assert len(state.state) <= 255, state


async def test_pushed_updates_never_break_live_updates(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    vin = coordinator.vehicle.vin

    async def case(update: list[Any]) -> None:
        before = coordinator.live.state
        expected = before.merge(
            [item for item in update if isinstance(item, Reading)], NOW
        ).state
        inject(simulated_backend, vin, update)
        await hass.async_block_till_done()
        assert coordinator.live.streaming  # the stream is still consumed
        assert coordinator.data is coordinator.live.state
        assert_possible(coordinator.data, NOW)
        assert dict(coordinator.data.readings) == dict(expected.readings)
        assert_entities_possible(hass, init_integration)

    @given(update=pushed)
    def pushes(update: list[Any]) -> None:
        in_loop(hass, case(update))

    assert await run_cases(hass, pushes) >= settings().max_examples
    # A last, ordinary change still arrives (newer than anything accepted).
    good = Reading(signals.RANGE, 321.0, NOW + MAX_CLOCK_SKEW)
    inject(simulated_backend, vin, [good])
    await hass.async_block_till_done()
    assert hass.states.get("sensor.simulated_car_remaining_range").state == "321.0"


async def test_polled_states_never_break_the_coordinator(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
) -> None:
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    outcome: list[Any] = []

    async def fetch_state(vin: str) -> VehicleState:
        answer = outcome[0]
        if isinstance(answer, BaseException):
            raise answer
        # Straight from a backend: not merged, so anything may be in it.
        return VehicleState(
            MappingProxyType({str(index): item for index, item in enumerate(answer)})
        )

    simulated_backend.fetch_state = fetch_state  # type: ignore[method-assign]

    async def case(answer: Any) -> None:
        outcome[:] = [answer]
        before = coordinator.live.state
        await coordinator.async_refresh()  # raises nothing, whatever came
        await hass.async_block_till_done()
        assert_possible(coordinator.live.state, NOW)
        if isinstance(answer, list):
            assert coordinator.last_update_success
            expected = before.merge(answer, NOW).state
            assert dict(coordinator.data.readings) == dict(expected.readings)
        else:
            assert not coordinator.last_update_success
            assert coordinator.live.state is before
        assert_entities_possible(hass, init_integration)

    @given(answer=fetch_outcomes)
    def polls(answer: Any) -> None:
        in_loop(hass, case(answer))

    assert await run_cases(hass, polls) >= settings().max_examples
