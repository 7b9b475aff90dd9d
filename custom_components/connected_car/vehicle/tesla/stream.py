"""Teslemetry's push stream (server-sent events), on the teslemetry-stream library.

The library connects, reads ``data:`` lines and hands out each JSON object. Left
alone it also reconnects by itself, forever, on real time: teslemetry-stream
0.9.0 retries a refused token without end (logging the token), and both versions
give no way to tell a refused token from a lost connection. So this wrapper makes
the connection itself (``connect()`` raises for an HTTP error, mapped by
`api_call`), lets the library read, and ends the library's loop as soon as it
reports the connection down; reconnecting, with backoff on our clock, is ours.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import logging
from typing import Any

import aiohttp
from teslemetry_stream import TeslemetryStream

from ..clock import Clock
from ..exceptions import VehicleAuthError, VehicleConnectionError, VehicleError
from .const import STREAM_RETRY_MAX, STREAM_RETRY_MIN
from .errors import api_call

_LOGGER = logging.getLogger(__name__)

type EventHandler = Callable[[dict[str, Any]], None]
type StatusHandler = Callable[[bool, VehicleError | None], None]
"""Called with (connected, why it is down)."""


class TeslemetryEvents:
    """The account's one SSE connection, kept up until cancelled or signed out."""

    def __init__(  # noqa: PLR0913 - injected collaborators
        self,
        session: aiohttp.ClientSession,
        access_token: Callable[[], Awaitable[str]],
        host: Callable[[], str],
        *,
        clock: Clock,
        on_event: EventHandler,
        on_status: StatusHandler,
    ) -> None:
        """Connect to host() (``{region}.teslemetry.com``) when `run` starts."""
        self._session = session
        self._access_token = access_token
        self._host = host
        self._clock = clock
        self._on_event = on_event
        self._on_status = on_status
        self.connected = False
        self.connections = 0
        self.interruptions = 0
        self._was_up = False
        self._stream: TeslemetryStream | None = None

    async def run(self) -> None:
        """Stay connected; return (after telling on_status) only on a refused token."""
        backoff = STREAM_RETRY_MIN
        while True:
            try:
                await self._connect_and_read()
            except VehicleAuthError as err:
                self._set_status(connected=False, error=err)
                return
            except VehicleConnectionError as err:
                self._set_status(connected=False, error=err)
            else:
                self.interruptions += 1
                self._set_status(
                    connected=False, error=VehicleConnectionError("Stream ended")
                )
            if self.connections and self._was_up:
                backoff = STREAM_RETRY_MIN
            await self._clock.sleep(backoff)
            backoff = min(backoff * 2, STREAM_RETRY_MAX)

    async def _connect_and_read(self) -> None:
        self._was_up = False
        stream = TeslemetryStream(
            self._session,
            self._access_token,
            server=self._host(),
            parse_timestamp=False,  # createdAt is ours to read (it may be missing)
            manual=True,
        )
        self._stream = stream

        def connection_changed(up: bool) -> None:  # noqa: FBT001 - library callback
            if not up:
                stream.active = False  # read what is left, then stop: no own retries

        remove = stream.async_add_connection_listener(connection_changed)
        try:
            await api_call("stream", stream.connect())
            self.connections += 1
            self._was_up = True
            self._set_status(connected=True, error=None)
            async for event in stream:
                if isinstance(event, dict):
                    self._on_event(event)
        finally:
            remove()
            stream.close()
            self._stream = None

    def _set_status(self, *, connected: bool, error: VehicleError | None) -> None:
        if connected == self.connected and connected:
            return
        self.connected = connected
        self._on_status(connected, error)

    def close(self) -> None:
        """Drop the connection (the task running `run` is cancelled by its owner)."""
        if self._stream is not None:
            self._stream.close()
