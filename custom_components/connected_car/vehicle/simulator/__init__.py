"""The simulated car: the embedded default backend and the engine of our tests."""

from .backend import SimulatedBackend, SimulationFaults, SimulationSettings
from .car import MODELS, SimulatedCar
from .clock import Clock, ManualClock, RealClock

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
