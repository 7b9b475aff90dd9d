"""The interface every car backend (simulated, BMW CarData, ...) implements."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

from .clock import Clock
from .models import Command, StreamEvent, Vehicle, VehicleState


class Backend(Protocol):
    """One account (or one simulation) at a car API.

    Every method raises only `VehicleError` subclasses.
    """

    @property
    def supports_stream(self) -> bool:
        """Return whether `stream` pushes updates (else callers poll)."""

    @property
    def clock(self) -> Clock:
        """Return the clock the cars' reading times compare with ("how old is it").

        Real time for a real API; a simulation's own (possibly faster) time.
        """

    async def login(self) -> None:
        """Authenticate, or check that the stored credentials still work."""

    async def list_vehicles(self) -> list[Vehicle]:
        """Return the vehicles of this account with their capabilities."""

    async def fetch_state(self, vin: str) -> VehicleState:
        """Return everything the API currently knows about one vehicle."""

    def stream(self, vin: str) -> AsyncIterator[StreamEvent]:
        """Yield `StreamStatus.CONNECTED` once connected, then state updates.

        Ends by raising `VehicleConnectionError` (or `VehicleAuthError`) when the
        connection is lost; the caller reconnects by calling it again.
        """

    async def send(self, vin: str, command: Command) -> None:
        """Send a command; return once the car acknowledged it.

        Raises `CommandNotSupportedError` for commands this backend cannot send and
        `CommandFailedError` when the car refused. Confirmation by state is the
        caller's business (`LiveVehicle.execute`).
        """

    async def run(self) -> None:
        """Do the backend's long-running work (connections, simulation) until cancelled."""

    async def close(self) -> None:
        """Release connections and tasks."""

    def diagnostics(self) -> dict[str, Any]:
        """Return backend details for a diagnostics download (callers redact)."""
