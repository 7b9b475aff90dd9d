"""What a test does to a simulated car or backend that no product code does.

The owner opening a door or unplugging the cable, and a cloud pushing odd
readings: the simulation itself never needs these, so they live here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from custom_components.connected_car.vehicle import Reading, Signal, StateUpdate
from custom_components.connected_car.vehicle.simulator import (
    SimulatedBackend,
    SimulatedCar,
)


def set_open(car: SimulatedCar, signal: Signal[bool], is_open: bool) -> None:
    """Open or close a door, window, sunroof, trunk or hood (wakes the car)."""
    car.wake()
    car.open[signal.key] = is_open


def set_plugged_in(car: SimulatedCar, plugged_in: bool) -> None:
    """Plug the charging cable in or out (wakes the car)."""
    car.wake()
    car.plugged_in = plugged_in


def inject(
    backend: SimulatedBackend, vin: str, readings: Iterable[Reading[Any]]
) -> None:
    """Push arbitrary readings (malformed, duplicate, old) into vin's streams."""
    backend._streams.publish(vin, StateUpdate(vin, tuple(readings)))
