"""The live view of one vehicle: its merged state and its one-at-a-time commands."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
import logging
from typing import Any

from . import signals
from .backend import Backend
from .exceptions import CommandNotSupportedError, CommandTimeoutError
from .models import (
    Command,
    CommandKind,
    CommandOutcome,
    CommandResult,
    MergeResult,
    Reading,
    RejectReason,
    Signal,
    Vehicle,
    VehicleState,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_CONFIRM_TIMEOUT = 90.0
"""Seconds a car gets to show a command's effect (real cars take 5-60 s)."""
DEFAULT_CONFIRM_POLL_INTERVAL = 10.0
"""Seconds between state fetches while confirming without a stream."""


def _expected_state(command: Command) -> tuple[Signal[Any], object] | None:
    """Return the signal and value that prove a command was carried out."""
    match command.kind:
        case CommandKind.LOCK:
            return signals.LOCKED, True
        case CommandKind.UNLOCK:
            return signals.LOCKED, False
        case CommandKind.START_CLIMATE:
            return signals.CLIMATE_ACTIVE, True
        case CommandKind.STOP_CLIMATE:
            return signals.CLIMATE_ACTIVE, False
        case CommandKind.SET_CLIMATE_TARGET:
            return signals.CLIMATE_TARGET_TEMPERATURE, command.target_temperature
        case _:
            return None  # horn and lights leave no state behind


class LiveVehicle:
    """Keeps the latest state of one vehicle and runs its commands one at a time."""

    def __init__(
        self,
        backend: Backend,
        vehicle: Vehicle,
        *,
        state: VehicleState | None = None,
        confirm_timeout: float = DEFAULT_CONFIRM_TIMEOUT,
        confirm_poll_interval: float = DEFAULT_CONFIRM_POLL_INTERVAL,
    ) -> None:
        """Start from a known (e.g. restored) state or an empty one."""
        self.backend = backend
        self.vehicle = vehicle
        self.state = state or VehicleState()
        self.streaming = False
        """Set by whoever consumes the stream; decides how commands are confirmed."""
        self._confirm_timeout = confirm_timeout
        self._confirm_poll_interval = confirm_poll_interval
        self._command_lock = asyncio.Lock()
        self._changed = asyncio.Event()
        self._logged_rejects: set[tuple[str, RejectReason]] = set()

    @property
    def vin(self) -> str:
        """Return the vehicle identification number."""
        return self.vehicle.vin

    async def refresh(self) -> VehicleState:
        """Fetch the full state from the backend and merge it."""
        fetched = await self.backend.fetch_state(self.vin)
        return self.apply(fetched.readings.values()).state

    def apply(self, readings: Iterable[Reading[Any]]) -> MergeResult:
        """Merge readings (from a stream or a fetch); bad ones are logged once."""
        result = self.state.merge(readings)
        for rejected in result.rejected:
            key = (rejected.reading.signal.key, rejected.reason)
            if key in self._logged_rejects:
                continue
            self._logged_rejects.add(key)
            level = (
                logging.DEBUG
                if rejected.reason is RejectReason.STALE
                else logging.WARNING
            )
            _LOGGER.log(
                level,
                "Ignoring %s value %r of %s for %s (logged once per signal and reason)",
                rejected.reason.value,
                rejected.reading.value,
                rejected.reading.signal.key,
                self.vehicle.name,
            )
        if result.changed:
            self.state = result.state
            self._changed.set()
        return result

    async def execute(self, command: Command) -> CommandResult:
        """Send command and return once the car's reported state confirms it.

        Raises `CommandNotSupportedError` before sending anything the vehicle does
        not take, the backend's errors as they come, and `CommandTimeoutError`
        when the car acknowledged but its state never showed the effect.
        """
        if not self.vehicle.capabilities.can(command.kind):
            msg = f"{self.vehicle.name} does not support {command.kind.value}"
            raise CommandNotSupportedError(msg)
        async with self._command_lock:
            await self.backend.send(self.vin, command)
            expected = _expected_state(command)
            if expected is None:
                return CommandResult(command, CommandOutcome.DELIVERED)
            signal, value = expected
            try:
                async with asyncio.timeout(self._confirm_timeout):
                    await self._wait_for(signal, value)
            except TimeoutError as err:
                msg = (
                    f"{self.vehicle.name} did not report {signal.key} = {value!r} "
                    f"within {self._confirm_timeout:.0f} s"
                )
                raise CommandTimeoutError(msg) from err
            return CommandResult(command, CommandOutcome.CONFIRMED)

    async def _wait_for(self, signal: Signal[Any], value: object) -> None:
        """Wait until the state shows value, polling when no stream delivers."""
        while self.state.value(signal) != value:
            self._changed.clear()
            if self.streaming:
                await self._changed.wait()
                continue
            try:
                async with asyncio.timeout(self._confirm_poll_interval):
                    await self._changed.wait()
            except TimeoutError:
                await self.refresh()
