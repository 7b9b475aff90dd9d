"""The in-process simulated backend: several simulated cars behind a fake cloud.

It behaves like a real connected-car API, including the parts that go wrong:
command latency, refusals, a sleeping car, outages, expired credentials, rate
limits, dropped streams and malformed, duplicate or out-of-order messages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import asdict, dataclass
from datetime import timedelta
import logging
import random
from typing import Any

from ..backend import AccountStatus
from ..clock import Clock, RealClock
from ..exceptions import (
    CommandFailedError,
    CommandFailureReason,
    CommandNotSupportedError,
    VehicleAuthError,
    VehicleConnectionError,
    VehicleError,
    VehicleRateLimitError,
)
from ..models import (
    Command,
    Reading,
    StateUpdate,
    StreamEvent,
    Vehicle,
    VehicleState,
)
from ..streams import StreamFanout
from ..supervision import SupervisedLoop
from .car import MAX_STEP_SECONDS, MODELS, SimulatedCar

_LOGGER = logging.getLogger(__name__)

WAKE_UP_SECONDS = 5.0
"""Extra command latency when the car has to be woken first."""


@dataclass(frozen=True, slots=True)
class SimulationSettings:
    """How to build a simulation: one car per name, deterministic for a seed."""

    names: tuple[str, ...] = ("Simulated car",)
    seed: int = 1
    home: tuple[float, float] = (52.3731, 4.8903)
    auto_trips: bool = True
    """Whether cars go for drives on their own now and then."""
    command_latency: float = 2.0
    """Seconds between sending a command and the car carrying it out."""
    read_only: bool = False
    """Offer no commands at all, like read-only APIs (BMW CarData)."""


@dataclass(slots=True)
class SimulationFaults:
    """Switches tests flip to make the simulated cloud misbehave."""

    unreachable: bool = False
    auth_expired: bool = False
    rate_limited_for: float | None = None
    command_failure_rate: float = 0.0
    next_command_failure: CommandFailureReason | None = None
    ignore_commands: bool = False
    """Acknowledge commands but never carry them out (outcome unknown)."""

    def check(self) -> None:
        """Raise the error a misbehaving cloud would answer with."""
        if self.auth_expired:
            msg = "Simulated credentials expired"
            raise VehicleAuthError(msg)
        if self.unreachable:
            msg = "Simulated cloud unreachable"
            raise VehicleConnectionError(msg)
        if self.rate_limited_for is not None:
            msg = "Simulated rate limit"
            raise VehicleRateLimitError(msg, self.rate_limited_for)


class SimulatedBackend:
    """A `Backend` of simulated cars, run in-process."""

    supports_stream = True

    def __init__(
        self, settings: SimulationSettings, clock: Clock | None = None
    ) -> None:
        """Build the cars; nothing runs until `run` is awaited."""
        self.settings = settings
        self.clock: Clock = clock or RealClock()
        self.faults = SimulationFaults()
        self._rng = random.Random(f"{settings.seed}-faults")  # noqa: S311 - simulation, not security
        now = self.clock.now()
        cars = [
            SimulatedCar(
                name=name,
                model=MODELS[index % len(MODELS)],
                rng=random.Random(f"{settings.seed}-{index}"),  # noqa: S311 - simulation
                home=settings.home,
                now=now,
                auto_trips=settings.auto_trips,
                read_only=settings.read_only,
            )
            for index, name in enumerate(settings.names)
        ]
        self.cars: dict[str, SimulatedCar] = {car.vin: car for car in cars}
        self._streams = StreamFanout()
        self.loop = SupervisedLoop(
            "Simulation", self._simulate, self.clock, logger=_LOGGER
        )
        """The supervised physics loop of `run`."""

    def car(self, vin: str) -> SimulatedCar:
        """Return the car with vin, or raise like an API given an unknown VIN."""
        try:
            return self.cars[vin]
        except KeyError:
            msg = "Unknown vehicle"  # never the VIN: messages end up in logs
            raise VehicleConnectionError(msg) from None

    async def login(self) -> None:
        """Check the simulated credentials."""
        self.faults.check()

    async def list_vehicles(self) -> list[Vehicle]:
        """Return the simulated cars."""
        self.faults.check()
        return [car.vehicle for car in self.cars.values()]

    async def fetch_state(self, vin: str) -> VehicleState:
        """Return what the cloud holds; a sleeping car's values are old."""
        self.faults.check()
        car = self.car(vin)
        self._publish(car, car.advance_to(self.clock.now()))
        return car.reported_state()

    async def stream(self, vin: str) -> AsyncIterator[StreamEvent]:
        """Yield connected, then every change the car reports."""
        self.faults.check()
        self.car(vin)
        async with aclosing(self._streams.subscribe(vin, connected=True)) as events:
            async for event in events:
                yield event

    async def send(self, vin: str, command: Command) -> None:
        """Deliver a command after the car's latency; raise if it refused."""
        self.faults.check()
        car = self.car(vin)
        if not car.vehicle.capabilities.can(command.kind):
            msg = f"{car.vehicle.name} has no {command.kind.value} command"
            raise CommandNotSupportedError(msg)
        latency = self.settings.command_latency + (
            WAKE_UP_SECONDS if car.asleep else 0.0
        )
        await self.clock.sleep(latency)
        self.faults.check()
        self._publish(car, car.advance_to(self.clock.now()))
        failure = self.faults.next_command_failure
        self.faults.next_command_failure = None
        if failure is None and self._rng.random() < self.faults.command_failure_rate:
            failure = CommandFailureReason.REJECTED
        if failure is not None:
            msg = f"Simulated failure of {command.kind.value}"
            raise CommandFailedError(msg, failure)
        if self.faults.ignore_commands:
            return
        try:
            car.execute(command)
        finally:
            self._publish(car, car.collect_changes())

    async def run(self) -> None:
        """Run the physics of every car and push their changes, until cancelled.

        Supervised: an error in one step is logged once and the simulation
        goes on after a backoff.
        """
        await self.loop.run()

    async def _simulate(self) -> None:
        # Ticks keep to a grid of whole steps: a sleep always ends a little
        # late, and moving the cars to "now" would cost each tick a second,
        # tiny physics step besides the whole one.
        step = timedelta(seconds=MAX_STEP_SECONDS)
        tick = self.clock.now()
        while True:
            await self.clock.sleep((tick + step - self.clock.now()).total_seconds())
            tick += step * max(1, (self.clock.now() - tick) // step)
            for car in self.cars.values():
                self._publish(car, car.advance_to(tick))

    async def close(self) -> None:
        """End every open stream."""
        self.drop_streams()

    def diagnostics(self) -> dict[str, Any]:
        """Return the settings, fault switches and each car's hidden state."""
        return {
            "settings": asdict(self.settings),
            "faults": asdict(self.faults),
            "background": {self.loop.name: self.loop.status.as_dict()},
            "cars": [
                {
                    "vin": car.vin,
                    "model": car.model.model,
                    "asleep": car.asleep,
                    "moving": car.moving,
                    "next_trip": car.next_trip.isoformat(),
                }
                for car in self.cars.values()
            ],
        }

    def account_status(self) -> AccountStatus:
        """Return the simulated account: no quota, no account-wide stream."""
        return AccountStatus(vins=tuple(self.cars))

    def add_account_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Accept a listener; the simulated account never changes."""
        return lambda: None

    # -- streams ------------------------------------------------------------------

    def drop_streams(self, error: VehicleError | None = None) -> None:
        """End all open streams with error (default: connection lost)."""
        self._streams.publish_all(error or VehicleConnectionError("Stream dropped"))

    def _publish(self, car: SimulatedCar, readings: list[Reading[Any]]) -> None:
        if readings:
            self._streams.publish(car.vin, StateUpdate(car.vin, tuple(readings)))
