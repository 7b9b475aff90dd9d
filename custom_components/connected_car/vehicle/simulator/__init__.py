"""The simulated car: the embedded default backend and the engine of our tests."""

from ..clock import Clock, ManualClock, RealClock
from .backend import SimulatedBackend, SimulationFaults, SimulationSettings
from .car import MODELS, SimulatedCar

__all__ = [
    "MODELS",
    "Clock",
    "ManualClock",
    "RealClock",
    "SimulatedBackend",
    "SimulatedCar",
    "SimulationFaults",
    "SimulationSettings",
]
