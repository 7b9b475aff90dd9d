"""One coordinator per vehicle: stream first, polling when the stream is down."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .const import (
    CONF_POLL_INTERVAL,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    STREAM_RETRY_MAX,
    STREAM_RETRY_MIN,
)
from .errors import Stage, ha_error
from .vehicle import (
    Backend,
    Command,
    CommandResult,
    LiveVehicle,
    Signal,
    StateUpdate,
    StreamStatus,
    Vehicle,
    VehicleAuthError,
    VehicleError,
    VehicleState,
)
from .vehicle.models import MergeResult
from .vehicle.privacy import describe_error
from .vehicle.supervision import Backoff, LoopStatus, SupervisedLoop

if TYPE_CHECKING:
    from .backends import BackendAdapter
    from .car_home.departure import DeparturePlanner
    from .connection import BackendConnection

_LOGGER = logging.getLogger(__name__)


@dataclass
class ConnectedCarRuntimeData:
    """What a loaded entry holds: its backend and a coordinator per vehicle."""

    adapter: BackendAdapter
    """What Home Assistant does specially for this kind of backend."""
    backend: Backend
    coordinators: dict[str, VehicleCoordinator]
    connection: BackendConnection
    """Signing in and listing the cars; starts the live updates once done."""
    departures: dict[str, DeparturePlanner] = field(default_factory=dict)
    """Wake-up preconditioning plans by VIN, of the cars that can precondition."""


type ConnectedCarConfigEntry = ConfigEntry[ConnectedCarRuntimeData]


@dataclass(frozen=True, slots=True)
class Watches:
    """The signals a listener shows: it is called only when a value of one changed.

    The context a `ConnectedCarEntity` registers with its coordinator. A
    listener without one (None) is called on every update; every listener is
    called when the coordinator's availability changes.
    """

    keys: frozenset[str]

    @classmethod
    def of(cls, signals: Iterable[Signal[Any]]) -> Watches:
        """Return the watch of these signals."""
        return cls(frozenset(signal.key for signal in signals))


def changed_values(old: VehicleState, new: VehicleState) -> frozenset[str]:
    """Return the signals whose value differs (a newer time alone is no change).

    Merges keep unchanged readings as they are, so most are skipped by identity.
    """
    if old is new:
        return frozenset()
    old_readings, new_readings = old.readings, new.readings
    changed: set[str] = set()
    added = 0
    for key, reading in new_readings.items():
        held = old_readings.get(key)
        if held is reading:
            continue
        if held is None:
            added += 1
        elif held.value == reading.value:
            continue
        changed.add(key)
    if len(old_readings) > len(new_readings) - added:  # some were dropped
        changed.update(key for key in old_readings if key not in new_readings)
    return frozenset(changed)


class VehicleCoordinator(DataUpdateCoordinator[VehicleState]):
    """Keeps one vehicle's state: pushed by the backend stream, polled as fallback.

    Listeners that registered a `Watches` context are called only for the
    signals they watch (and when availability changes): a pushed update of
    one signal writes only the entities that show it.
    """

    config_entry: ConnectedCarConfigEntry

    def __init__(  # noqa: PLR0913 - the coordinator's parts, all explicit
        self,
        hass: HomeAssistant,
        entry: ConnectedCarConfigEntry,
        backend: Backend,
        vehicle: Vehicle,
        state: VehicleState | None = None,
        *,
        polling: bool = True,
        pace: Callable[[], timedelta | None] = lambda: None,
    ) -> None:
        """Poll until a stream connects (backends without one always poll).

        state is the last known (restored) state: shown at once; the car's
        newer readings replace it, older ones are dropped. Without polling
        (the backend was not reached yet) nothing is fetched until
        `async_start_polling`. pace returns how often the backend lets a car
        be polled now (a budget), None when it does not mind: the polling
        option is then the interval, else the slower of the two.
        """
        self.poll_interval = timedelta(
            minutes=entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL)
        )
        self._pace = pace
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {vehicle.name}",
            update_interval=self._polling_interval() if polling else None,
            always_update=False,
        )
        self.vehicle = vehicle
        self.clock = backend.clock
        self.live = LiveVehicle(backend, vehicle, state=state, clock=self.clock)
        if state is not None:
            self.data = self.live.state
        self._stream_was_lost = False
        self._signed_out = False
        self.stream_retry_at: datetime | None = None
        """While the stream is down: when it is tried again."""
        self.stream_loop = SupervisedLoop(
            f"The live-update task of {vehicle.name}",
            self._async_stream_forever,
            self.clock,
            logger=_LOGGER,
            backoff=Backoff(
                STREAM_RETRY_MIN.total_seconds(), STREAM_RETRY_MAX.total_seconds()
            ),
            until=lambda: self._signed_out,
        )
        """Restarts the stream consumer whatever ends it (but a sign-out)."""
        self._notified: VehicleState | None = None
        self._pushed: tuple[VehicleState, MergeResult] | None = None
        """The state before the last pushed merge, and its result: spares
        comparing every signal to find the few a push changed."""
        self._notified_available = True
        self._index: (
            tuple[list[CALLBACK_TYPE], dict[str, list[CALLBACK_TYPE]]] | None
        ) = None

    # -- listeners: only those whose signals changed ---------------------------------

    @callback
    def async_add_listener(
        self, update_callback: CALLBACK_TYPE, context: Any = None
    ) -> Callable[[], None]:
        """Listen for updates (with `Watches`: only of those signals)."""
        self._index = None
        remove = super().async_add_listener(update_callback, context)

        @callback
        def remove_listener() -> None:
            self._index = None
            remove()

        return remove_listener

    def _listener_index(
        self,
    ) -> tuple[list[CALLBACK_TYPE], dict[str, list[CALLBACK_TYPE]]]:
        """Return the listeners of every update, and the others by signal."""
        if self._index is None:
            always: list[CALLBACK_TYPE] = []
            by_key: dict[str, list[CALLBACK_TYPE]] = {}
            for update_callback, context in self._listeners.values():
                if not isinstance(context, Watches):
                    always.append(update_callback)
                    continue
                for key in context.keys:
                    by_key.setdefault(key, []).append(update_callback)
            self._index = always, by_key
        return self._index

    def _changed_since(self, old: VehicleState, new: VehicleState) -> frozenset[str]:
        """Return the signals whose value changed from old to new."""
        pushed, self._pushed = self._pushed, None
        if pushed is None or pushed[0] is not old or pushed[1].state is not new:
            return changed_values(old, new)
        held = old.readings
        return frozenset(
            reading.signal.key
            for reading in pushed[1].changed
            if (before := held.get(reading.signal.key)) is None
            or before.value != reading.value
        )

    @callback
    def async_update_listeners(self) -> None:
        """Call the listeners of what changed since the last call.

        Everyone is called when availability changed or on the first update;
        otherwise a listener with `Watches` only when a signal it watches
        changed value.
        """
        data, available = self.data, self.last_update_success
        if (
            self._notified is None
            or data is None
            or available != self._notified_available
        ):
            self._notified, self._notified_available = data, available
            for update_callback, _ in list(self._listeners.values()):
                update_callback()
            return
        changed = self._changed_since(self._notified, data)
        self._notified = data
        always, by_key = self._listener_index()
        called: list[CALLBACK_TYPE] = list(always)
        for key in changed:
            for update_callback in by_key.get(key, ()):
                if update_callback not in called:
                    called.append(update_callback)
        for update_callback in called:
            update_callback()

    # -- polling ----------------------------------------------------------------------

    def _polling_interval(self) -> timedelta:
        """Return the time to the next poll: the option, or the backend's slower pace."""
        paced = self._pace()
        return self.poll_interval if paced is None else max(self.poll_interval, paced)

    async def _async_update_data(self) -> VehicleState:
        """Fetch the vehicle's full state from the backend."""
        try:
            return await self.live.refresh()
        except VehicleError as err:
            raise ha_error(err, Stage.UPDATE) from err
        finally:
            if self.update_interval is not None:  # polling: the pace may have moved
                self.update_interval = self._polling_interval()

    @callback
    def async_start_polling(self) -> None:
        """Poll from now on (the backend was reached) until a stream connects.

        Starts with a fetch, unless polling ran already (setup fetched).
        """
        if self.update_interval is None and not self.live.streaming:
            self.update_interval = self._polling_interval()
            self.config_entry.async_create_background_task(
                self.hass, self.async_refresh(), f"{self.name} first refresh"
            )

    # -- commands -----------------------------------------------------------------------

    async def async_send_command(self, command: Command) -> CommandResult:
        """Run a command to the car's confirmation; failures become translated errors.

        Whatever happens, the entities then show what the car itself reports.
        """
        try:
            return await self.live.execute(command)
        except VehicleError as err:
            if isinstance(err, VehicleAuthError):
                self.config_entry.async_start_reauth(self.hass)
            raise ha_error(
                err,
                Stage.COMMAND,
                {"vehicle": self.vehicle.name, "command": command.kind.value},
            ) from err
        finally:
            self.async_publish_live_state()

    def async_publish_live_state(self) -> None:
        """Hand the live state to the entities if it moved on since the last one."""
        if self.live.state is not self.data:
            self.async_set_updated_data(self.live.state)

    # -- the stream ---------------------------------------------------------------------

    @property
    def stream_status(self) -> LoopStatus:
        """Return what the stream's supervision went through (diagnostics)."""
        return self.stream_loop.status

    async def async_run_stream(self) -> None:
        """Consume the backend's stream until unloaded (or signed out).

        A lost stream is reconnected with a growing delay that honours the
        API's Retry-After; anything unexpected restarts the consumer after a
        backoff (logged once per outage). Meanwhile the car is polled.
        """
        await self.stream_loop.run()

    async def _async_stream_forever(self) -> None:
        backoff = Backoff(
            STREAM_RETRY_MIN.total_seconds(), STREAM_RETRY_MAX.total_seconds()
        )
        while True:
            error: VehicleError | None = None
            try:
                async for event in self.live.backend.stream(self.vehicle.vin):
                    if isinstance(event, StateUpdate):
                        before = self.live.state
                        self._pushed = (before, self.live.apply(event.readings))
                        self.async_publish_live_state()
                    elif event is StreamStatus.CONNECTED:
                        backoff.reset()
                        await self._async_stream_connected()
            except VehicleAuthError:
                await self._async_stream_lost("credentials refused")
                self._signed_out = True
                self.config_entry.async_start_reauth(self.hass)
                return
            except VehicleError as err:
                error = err
                await self._async_stream_lost(describe_error(err))
            except Exception:
                await self._async_stream_lost("an unexpected error")
                raise  # the supervision logs it and starts again
            else:
                await self._async_stream_lost("stream ended")
            delay = backoff.next_delay(error)
            self.stream_retry_at = self.clock.now() + timedelta(seconds=delay)
            await self.clock.sleep(delay)

    async def _async_stream_connected(self) -> None:
        """Switch from polling to push; catch up on what the gap hid."""
        self.live.streaming = True
        self.stream_retry_at = None
        self.update_interval = None
        self._async_unsub_refresh()  # the poll scheduled before is not needed
        self.async_update_listeners()  # available again, whatever polling said
        if self._stream_was_lost:
            self._stream_was_lost = False
            _LOGGER.info("Live updates of %s are back", self.vehicle.name)
            await self.async_refresh()

    async def _async_stream_lost(self, reason: str) -> None:
        """Fall back to polling; log the loss only once per outage."""
        self.live.streaming = False
        self.async_update_listeners()  # unavailable now if polling failed too
        if not self._stream_was_lost:
            self._stream_was_lost = True
            _LOGGER.warning(
                "Live updates of %s stopped (%s); polling every %d min until they return",
                self.vehicle.name,
                reason,
                self.poll_interval.total_seconds() // 60,
            )
        if self.update_interval is None:
            self.update_interval = self._polling_interval()
            await self.async_request_refresh()
