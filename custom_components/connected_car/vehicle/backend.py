"""The interface every car backend (simulated, BMW CarData, ...) implements."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from .clock import Clock
from .models import Command, CommandOutcome, StreamEvent, Vehicle, VehicleState


@dataclass(frozen=True, slots=True)
class AccountStatus:
    """What a backend knows about its account as a whole (not one car's state).

    Every field has a value meaning "does not apply", so a backend fills in
    only what its API has.
    """

    signed_out: bool = False
    """The API refused the credentials for good; only the user can sign in again."""
    vins: tuple[str, ...] | None = None
    """The account's cars as the API last listed them (None: not known)."""
    stream_connected: bool | None = None
    """Whether the account's live stream is up (None: no account-wide stream)."""
    calls_limit: int | None = None
    """How many API calls the account's quota allows (None: no quota)."""
    calls_left: int | None = None
    """How many of them may still be made now (None: no quota)."""
    calls_blocked_until: datetime | None = None
    """While the API refuses calls for quota: when calls are tried again."""


class Backend(Protocol):
    """One account (or one simulation) at a car API.

    Every method raises only `VehicleError` subclasses.
    """

    @property
    def supports_stream(self) -> bool:
        """Return whether `stream` pushes updates (else callers poll)."""

    @property
    def clock(self) -> Clock:
        """Return the clock of the backend's world (real time, or a simulation's).

        Callers judge the readings' timestamps by it and wait on it.
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

    async def send(self, vin: str, command: Command) -> CommandOutcome | None:
        """Send a command; return once the car acknowledged it.

        Raises `CommandNotSupportedError` for commands this backend cannot send and
        `CommandFailedError` when the car refused. Confirmation by state is the
        caller's business (`LiveVehicle.execute`), unless the car's answer itself
        reported the state asked for (Tesla's ``already_set``): then `CONFIRMED`
        is returned. None: acknowledged, not yet confirmed.
        """

    async def run(self) -> None:
        """Do the backend's long-running work (connections, simulation) until cancelled."""

    async def close(self) -> None:
        """Release connections and tasks."""

    def diagnostics(self) -> dict[str, Any]:
        """Return backend details for a diagnostics download (callers redact)."""

    def account_status(self) -> AccountStatus:
        """Return what is known about the account now (no I/O)."""

    def add_account_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call listener whenever `account_status` may have changed.

        Returns the function that removes the listener again.
        """
