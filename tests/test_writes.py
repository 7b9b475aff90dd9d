"""Issue 12: a pushed update writes only the entities whose state changed.

Before, every update of one signal rewrote all ~40 entities of the car. Now an
entity is written when a signal it shows changed value and when the car's
availability changes; "Last update from car" (freshness) moves in steps while
the car keeps reporting (issue 11) and shows the exact time once it is quiet.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from unittest.mock import patch

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.sensor import FRESHNESS_STEP
from custom_components.connected_car.vehicle import Position, Reading, signals
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock
from tests.simulation import inject

LAST_UPDATE = "sensor.simulated_car_last_update_from_car"


@contextmanager
def recorded_writes(hass: HomeAssistant) -> Iterator[list[str]]:
    """Record the entity id of every entity state write."""
    writes: list[str] = []
    write = Entity._async_write_ha_state

    def record(entity: Entity) -> None:
        writes.append(entity.entity_id)
        write(entity)

    with patch.object(Entity, "_async_write_ha_state", record):
        yield writes


async def push(
    hass: HomeAssistant, backend: SimulatedBackend, clock: ManualClock, *readings: Any
) -> list[str]:
    """Push readings through the car's stream; return the entities written."""
    vin = next(iter(backend.cars))
    await clock.advance(1)
    with recorded_writes(hass) as writes:
        inject(
            backend,
            vin,
            [Reading(signal, value, clock.now()) for signal, value in readings],
        )
        await hass.async_block_till_done()
    return writes


async def test_one_changed_signal_writes_only_its_entities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    writes = await push(hass, simulated_backend, manual_clock, (signals.RANGE, 123.0))
    assert writes == ["sensor.simulated_car_remaining_range"]
    assert hass.states.get("sensor.simulated_car_remaining_range").state == "123.0"

    # A signal two entities show (the sensor and the heater's current temperature).
    writes = await push(
        hass, simulated_backend, manual_clock, (signals.CABIN_TEMPERATURE, 17.5)
    )
    assert sorted(writes) == [
        "climate.simulated_car_heater",
        "sensor.simulated_car_cabin_temperature",
    ]
    # An opening: its sensor and "anything open".
    writes = await push(
        hass, simulated_backend, manual_clock, (signals.TRUNK_OPEN, True)
    )
    assert sorted(writes) == [
        "binary_sensor.simulated_car_anything_open",
        "binary_sensor.simulated_car_trunk",
    ]
    # The position: the tracker only.
    writes = await push(
        hass,
        simulated_backend,
        manual_clock,
        (signals.LOCATION, Position(52.38, 4.9, 5.0, 90.0)),
    )
    assert writes == ["device_tracker.simulated_car_location"]


async def test_a_repeated_value_writes_nothing_until_the_freshness_steps(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    fuel = float(hass.states.get("sensor.simulated_car_fuel_level").state)
    shown = hass.states.get(LAST_UPDATE).state
    writes = await push(
        hass, simulated_backend, manual_clock, (signals.FUEL_LEVEL, fuel)
    )
    assert writes == []
    assert hass.states.get(LAST_UPDATE).state == shown
    # While the car keeps reporting, the freshness moves once per step.
    with recorded_writes(hass) as writes:
        await manual_clock.advance(FRESHNESS_STEP.total_seconds())
        await push(hass, simulated_backend, manual_clock, (signals.FUEL_LEVEL, fuel))
    assert writes.count(LAST_UPDATE) == 1
    assert (
        datetime.fromisoformat(hass.states.get(LAST_UPDATE).state)
        >= datetime.fromisoformat(shown) + FRESHNESS_STEP
    )


async def test_availability_changes_write_every_entity(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    coordinator = next(iter(init_integration.runtime_data.coordinators.values()))
    simulated_backend.faults.unreachable = True
    with recorded_writes(hass) as writes:  # an outage: stream and fetching fail
        simulated_backend.drop_streams()
        await hass.async_block_till_done()
        await coordinator.async_refresh()
        await hass.async_block_till_done()
    ours = [w for w in writes if w.split(".")[1].startswith("simulated_car")]
    assert len(ours) > 30
    assert hass.states.get("sensor.simulated_car_remaining_range").state == (
        STATE_UNAVAILABLE
    )
    simulated_backend.faults.unreachable = False
    with recorded_writes(hass) as writes:  # the stream's next push recovers it
        await manual_clock.advance(timedelta(minutes=1).total_seconds())
        await hass.async_block_till_done()
    assert {w for w in writes if w.split(".")[1].startswith("simulated_car")} == set(
        ours
    )
    assert hass.states.get("sensor.simulated_car_remaining_range").state != (
        STATE_UNAVAILABLE
    )
