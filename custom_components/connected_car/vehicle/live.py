"""The live view of one vehicle: its merged state and its one-at-a-time commands."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
import logging
import reprlib
from typing import Any

from . import signals
from .backend import Backend
from .clock import Clock, RealClock
from .exceptions import (
    CommandCancelledError,
    CommandFailedError,
    CommandNotSupportedError,
    CommandTimeoutError,
    VehicleAuthError,
    VehicleError,
    VehicleRateLimitError,
)
from .models import (
    Command,
    CommandKind,
    CommandOutcome,
    CommandResult,
    MergeResult,
    Position,
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
REFRESH_AFTER_COMMAND_TIMEOUT = 30.0
"""Seconds the state fetch after a refused or unconfirmed command may take."""

_VALUE_REPR = reprlib.Repr(maxstring=40, maxother=40)


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


class _Closed(Exception):  # noqa: N818 - control flow inside execute
    """The vehicle was closed while a command waited."""


class LiveVehicle:
    """Keeps the latest state of one vehicle and runs its commands one at a time."""

    def __init__(  # noqa: PLR0913 - keyword-only tunables
        self,
        backend: Backend,
        vehicle: Vehicle,
        *,
        state: VehicleState | None = None,
        clock: Clock | None = None,
        confirm_timeout: float = DEFAULT_CONFIRM_TIMEOUT,
        confirm_poll_interval: float = DEFAULT_CONFIRM_POLL_INTERVAL,
    ) -> None:
        """Start from a known (e.g. restored) state or an empty one.

        clock is the backend's (readings further ahead of it than the allowed
        skew are rejected); by default the backend's own `clock`, if it has one.
        A restored state is checked like any input: what would be rejected
        now (e.g. a reading from the future stored by an older release) is
        left out.
        """
        self.backend = backend
        self.vehicle = vehicle
        self.clock: Clock = clock or _clock_of(backend)
        self.rejections: dict[str, int] = {}
        """Readings left out so far, by `RejectReason` (for diagnostics)."""
        self._logged_rejects: set[tuple[str, RejectReason]] = set()
        self._streaming = False
        self._confirm_timeout = confirm_timeout
        self._confirm_poll_interval = confirm_poll_interval
        self._command_lock = asyncio.Lock()
        self._changed = asyncio.Event()
        self._closing = asyncio.Event()
        self.state = VehicleState()
        if state is not None:
            self.apply(state.readings.values())

    @property
    def vin(self) -> str:
        """Return the vehicle identification number."""
        return self.vehicle.vin

    @property
    def streaming(self) -> bool:
        """Return whether a stream delivers the car's changes (set by its consumer).

        Decides how commands are confirmed: by waiting for the stream, or by
        polling. A command waiting for the stream switches to polling as
        soon as the stream is reported lost.
        """
        return self._streaming

    @streaming.setter
    def streaming(self, streaming: bool) -> None:
        if streaming != self._streaming:
            self._streaming = streaming
            self._changed.set()  # wake a confirmation waiting for the stream

    async def refresh(self) -> VehicleState:
        """Fetch the full state from the backend and merge it."""
        fetched = await self.backend.fetch_state(self.vin)
        return self.apply(fetched.readings.values()).state

    def apply(self, readings: Iterable[Reading[Any]]) -> MergeResult:
        """Merge readings (from a stream or a fetch); never raises.

        Rejected readings are counted by reason and logged once per signal and
        reason, without the value of a position.
        """
        result = self.state.merge(readings, self.clock.now())
        for rejected in result.rejected:
            reason = rejected.reason
            self.rejections[reason.value] = self.rejections.get(reason.value, 0) + 1
            key = (_signal_key(rejected.reading), reason)
            if key in self._logged_rejects:
                continue
            self._logged_rejects.add(key)
            _LOGGER.log(
                logging.DEBUG if reason is RejectReason.STALE else logging.WARNING,
                "Ignoring %s value %s of %s for %s (logged once per signal and reason)",
                reason.value,
                _describe_value(rejected.reading),
                key[0],
                self.vehicle.name,
            )
        if result.changed:
            self.state = result.state
            self._changed.set()
        return result

    async def execute(self, command: Command) -> CommandResult:
        """Send command and return once the car's reported state confirms it.

        Raises `CommandNotSupportedError` before sending anything the vehicle
        does not take, the backend's errors for a command it did not accept
        (after a refusal the state is fetched again), `CommandTimeoutError`
        when the car acknowledged but its state did not show the effect in
        time, or confirming failed (the outcome is unknown; the state is
        fetched again), and `CommandCancelledError` when the vehicle was closed
        before the command was sent.
        """
        if not self.vehicle.capabilities.can(command.kind):
            msg = f"{self.vehicle.name} does not support {command.kind.value}"
            raise CommandNotSupportedError(msg)
        not_sent = (
            f"{command.kind.value} for {self.vehicle.name} was not sent: unloaded"
        )
        if self._closing.is_set():
            raise CommandCancelledError(not_sent)
        try:
            await self._unless_closed(self._command_lock.acquire())
        except _Closed:
            raise CommandCancelledError(not_sent) from None
        if self._closing.is_set():
            self._command_lock.release()
            raise CommandCancelledError(not_sent)
        try:
            return await self._execute(command)
        finally:
            self._command_lock.release()

    async def _execute(self, command: Command) -> CommandResult:
        name = self.vehicle.name
        try:
            answer = await self._unless_closed(self.backend.send(self.vin, command))
        except _Closed:
            msg = f"{name} was unloaded while {command.kind.value} was being sent"
            raise CommandTimeoutError(msg) from None
        except CommandFailedError:
            await self._refresh_quietly()  # show what the car reports now
            raise
        expected = _expected_state(command)
        if expected is None:
            return CommandResult(command, CommandOutcome.DELIVERED)
        if answer is CommandOutcome.CONFIRMED:
            # The car answered that its state already is as asked: waiting for a
            # report could only see what happened since (someone locking it).
            return CommandResult(command, CommandOutcome.CONFIRMED)
        signal, value = expected
        try:
            async with asyncio.timeout(self._confirm_timeout):
                await self._unless_closed(self._wait_for(signal, value))
        except (TimeoutError, _Closed, VehicleAuthError) as err:
            msg = (
                f"{name} acknowledged {command.kind.value} but did not report "
                f"{signal.key} = {value!r} within {self._confirm_timeout:.0f} s"
                if isinstance(err, TimeoutError)
                else f"{name} acknowledged {command.kind.value}; "
                "confirming it was given up"
            )
            if not isinstance(err, _Closed):
                await self._refresh_quietly()
            raise CommandTimeoutError(msg) from None
        return CommandResult(command, CommandOutcome.CONFIRMED)

    async def _wait_for(self, signal: Signal[Any], value: object) -> None:
        """Wait until the state shows value, polling when no stream delivers.

        A failed poll is retried (the command was acknowledged: only its
        outcome is in question), after the API's Retry-After when it gave
        one; refused credentials end the wait.
        """
        poll_now = False
        while self.state.value(signal) != value:
            self._changed.clear()
            if self.streaming:
                await self._changed.wait()
                poll_now = not self.streaming  # the stream dropped: look at once
                continue
            if not poll_now:
                try:
                    async with asyncio.timeout(self._confirm_poll_interval):
                        await self._changed.wait()
                    continue
                except TimeoutError:
                    pass
            poll_now = False
            try:
                await self.refresh()
            except VehicleRateLimitError as err:
                await asyncio.sleep(err.retry_after or self._confirm_poll_interval)
            except VehicleAuthError:
                raise
            except VehicleError as err:
                _LOGGER.debug(
                    "Confirmation poll of %s failed: %s", self.vehicle.name, err
                )

    async def _refresh_quietly(self) -> None:
        """Fetch the car's state after a command went wrong; failures only logged."""
        try:
            async with asyncio.timeout(REFRESH_AFTER_COMMAND_TIMEOUT):
                await self.refresh()
        except (TimeoutError, VehicleError) as err:
            _LOGGER.debug(
                "Could not refresh %s after a command: %s", self.vehicle.name, err
            )

    async def _unless_closed[T](self, work: Awaitable[T]) -> T:
        """Await work; raise `_Closed` (work cancelled) if `close` comes first."""
        task = asyncio.ensure_future(work)
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            await asyncio.wait((task, closing), return_when=asyncio.FIRST_COMPLETED)
        finally:
            closing.cancel()
            if not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        if task.cancelled():
            if self._closing.is_set():
                raise _Closed
            raise asyncio.CancelledError
        return task.result()

    def close(self) -> None:
        """Give up pending commands (the vehicle is being unloaded).

        A command not yet sent raises `CommandCancelledError`, one already
        sent `CommandTimeoutError` (its outcome is unknown); later commands
        are refused the same way.
        """
        self._closing.set()


def _clock_of(backend: Backend) -> Clock:
    """Return the backend's clock when it has one, else real time."""
    clock: object = getattr(backend, "clock", None)
    return clock if isinstance(clock, Clock) else RealClock()


def _signal_key(reading: Reading[Any]) -> str:
    signal = getattr(reading, "signal", None)
    return signal.key if isinstance(signal, Signal) else "an unknown signal"


def _describe_value(reading: Reading[Any]) -> str:
    """Return a short repr of a rejected value; positions are never shown."""
    signal = getattr(reading, "signal", None)
    value = getattr(reading, "value", None)
    if signal is signals.LOCATION or isinstance(value, Position):
        return "(a position)"
    try:
        return _VALUE_REPR.repr(value)
    except Exception:  # noqa: BLE001 - a value whose repr fails is still skipped
        return f"(a {type(value).__name__})"
