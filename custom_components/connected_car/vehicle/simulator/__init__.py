"""The simulated car: the embedded default backend and the engine of our tests."""

from ..clock import Clock, RealClock
from .backend import SimulatedBackend, SimulationFaults, SimulationSettings
from .car import MODELS, SimulatedCar

__all__ = [
    "MODELS",
    "Clock",
    "RealClock",
    "SimulatedBackend",
    "SimulatedCar",
    "SimulationFaults",
    "SimulationSettings",
]
