"""One coordinator per vehicle: stream first, polling when the stream is down."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
import logging
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
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
    StateUpdate,
    StreamStatus,
    Vehicle,
    VehicleAuthError,
    VehicleError,
    VehicleState,
)

if TYPE_CHECKING:
    from .backends import BackendAdapter
    from .car_home.departure import DeparturePlanner

_LOGGER = logging.getLogger(__name__)


@dataclass
class ConnectedCarRuntimeData:
    """What a loaded entry holds: its backend and a coordinator per vehicle."""

    adapter: BackendAdapter
    """What Home Assistant does specially for this kind of backend."""
    backend: Backend
    coordinators: dict[str, VehicleCoordinator]
    departures: dict[str, DeparturePlanner] = field(default_factory=dict)
    """Wake-up preconditioning plans by VIN, of the cars that can precondition."""


type ConnectedCarConfigEntry = ConfigEntry[ConnectedCarRuntimeData]


class VehicleCoordinator(DataUpdateCoordinator[VehicleState]):
    """Keeps one vehicle's state: pushed by the backend stream, polled as fallback."""

    config_entry: ConnectedCarConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConnectedCarConfigEntry,
        backend: Backend,
        vehicle: Vehicle,
        state: VehicleState | None = None,
    ) -> None:
        """Poll until a stream connects (backends without one always poll).

        state is the last known (restored) state; the car's newer readings
        replace it, older ones are dropped.
        """
        self.poll_interval = timedelta(
            minutes=entry.options.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL)
        )
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {vehicle.name}",
            update_interval=self.poll_interval,
            always_update=False,
        )
        self.vehicle = vehicle
        self.live = LiveVehicle(backend, vehicle, state=state)
        self._stream_was_lost = False

    async def _async_update_data(self) -> VehicleState:
        """Fetch the vehicle's full state from the backend."""
        try:
            return await self.live.refresh()
        except VehicleError as err:
            raise ha_error(err, Stage.UPDATE) from err

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

    async def async_run_stream(self) -> None:
        """Consume the backend's stream forever, reconnecting with backoff."""
        backoff = STREAM_RETRY_MIN
        while True:
            try:
                async for event in self.live.backend.stream(self.vehicle.vin):
                    if isinstance(event, StateUpdate):
                        self.live.apply(event.readings)
                        self.async_publish_live_state()
                    elif event is StreamStatus.CONNECTED:
                        backoff = STREAM_RETRY_MIN
                        await self._async_stream_connected()
            except VehicleAuthError:
                await self._async_stream_lost("credentials refused")
                self.config_entry.async_start_reauth(self.hass)
                return
            except VehicleError as err:
                await self._async_stream_lost(str(err))
            else:
                await self._async_stream_lost("stream ended")
            await asyncio.sleep(backoff.total_seconds())
            backoff = min(backoff * 2, STREAM_RETRY_MAX)

    async def _async_stream_connected(self) -> None:
        """Switch from polling to push; catch up on what the gap hid."""
        self.live.streaming = True
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
            self.update_interval = self.poll_interval
            await self.async_request_refresh()
