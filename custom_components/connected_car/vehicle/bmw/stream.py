"""The CarData MQTT stream: one TLS connection per account, shared by its cars.

User name = GCID, password = the current ID token, topic ``{gcid}/+``, QoS 0,
keepalive 30 s. The ID token changes with every refresh, so the connection is
re-made with the new one: make-before-break (the new connection, with the same
client ID, replaces the old one at the broker), keeping the old connection while
the broker does not yet accept the new token. A refusal never starts a
re-authentication by itself: we refresh once if the token is not brand new,
then back off and retry. A short drop is bridged silently; only an outage longer
than `LOSS_GRACE` is reported. A broker that says it is busy, and a sign-in
server that rate-limits the token refresh, are waited out (the latter for its
Retry-After). The MQTT library logs through a logger of ours that masks the
account id and VINs its lines would hold.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
from datetime import datetime, timedelta
import logging
import ssl
from typing import Any
import weakref

import aiomqtt
from aiomqtt.exceptions import MqttConnectError

from ..clock import Clock
from ..exceptions import VehicleConnectionError, VehicleRateLimitError
from ..privacy import RedactingFilter, describe_error
from ..supervision import Backoff
from .auth import TokenManager, Tokens
from .const import MQTT_KEEPALIVE, CarDataEndpoints

_LOGGER = logging.getLogger(__name__)
_MQTT_LOGGER = logging.getLogger(f"{__name__}.mqtt")
"""Where aiomqtt/paho log (their own logger would show client id and topics)."""
_STREAMS: weakref.WeakSet[CarDataStream] = weakref.WeakSet()
"""Every stream client alive: the MQTT log filter masks their accounts' ids."""


def _private_values() -> list[str]:
    return [
        value
        for stream in list(_STREAMS)
        for value in (stream.tokens.tokens.gcid, stream.tokens.tokens.id_token)
    ]


# One filter for the logger, knowing every live account (also a connection
# still logging while its owner closes).
_MQTT_LOGGER.addFilter(RedactingFilter(_private_values))

RETRY_MIN = 5.0
RETRY_MAX = 300.0
LOSS_GRACE = 60.0
"""Seconds a lost connection may take to come back before anyone is told."""
TOKEN_PROPAGATION = timedelta(minutes=2)
"""A token younger than this that the broker refuses is not refreshed again."""
MAX_QUEUED_MESSAGES = 1000
AUTH_REFUSED_CODES = frozenset({4, 5, 134, 135})
"""CONNACK codes for bad user name/password and not authorised (v3.1.1 and v5)."""
BUSY_CODES = frozenset({3, 137, 151, 159})
"""CONNACK codes for server unavailable/busy, quota and connection rate exceeded."""
SUBSCRIBE_FAILURE = 128
STABLE_CONNECTION = timedelta(seconds=60)
"""A connection that lasted this long is reconnected at once when it drops."""
CONNECT_TIMEOUT = 15.0


class _RefusedError(Exception):
    """The broker refused our credentials or subscription."""


type MessageHandler = Callable[[str, bytes], None]
type StatusHandler = Callable[[bool], None]


def _connack_code(err: BaseException) -> object:
    code = getattr(err, "rc", None)
    return getattr(code, "value", code) if isinstance(err, MqttConnectError) else None


def _is_auth_refusal(err: aiomqtt.MqttError) -> bool:
    return _connack_code(err) in AUTH_REFUSED_CODES


class _Connection:
    """One open MQTT client and the task reading its messages."""

    def __init__(self, client: aiomqtt.Client, tokens: Tokens) -> None:
        self.client = client
        self.tokens = tokens
        self.reader: asyncio.Task[None] | None = None

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.reader
        await _discard(self.client)


class CarDataStream:
    """Keeps the account's MQTT connection up and hands each message on."""

    def __init__(  # noqa: PLR0913 - injected collaborators
        self,
        tokens: TokenManager,
        *,
        clock: Clock,
        on_message: MessageHandler,
        on_status: StatusHandler,
        endpoints: CarDataEndpoints | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        """on_status(True/False) is called when the stream comes up or is lost."""
        self._tokens = tokens
        self.tokens = tokens
        """The account's token manager (its ids are masked in the MQTT log)."""
        self._clock = clock
        self._on_message = on_message
        self._on_status = on_status
        self._endpoints = endpoints or CarDataEndpoints()
        self._tls_context = tls_context or self._endpoints.tls_context
        self._rotated = asyncio.Event()
        self._remove_listener: Callable[[], None] | None = tokens.add_listener(
            lambda _: self._rotated.set()
        )
        _STREAMS.add(self)
        self.connected = False
        """Whether the stream is up, as last reported (outages within the grace
        period are not reported)."""
        self.connections = 0
        self.refusals = 0
        self.last_error: str | None = None
        self.down_since: datetime | None = None
        self._reported_down = True
        self._grace: asyncio.Task[None] | None = None
        self._current: _Connection | None = None

    async def _open(self, tokens: Tokens) -> _Connection:
        """Connect with tokens and subscribe; raise _RefusedError or MqttError."""
        if self._tls_context is None:
            self._tls_context = await asyncio.get_running_loop().run_in_executor(
                None, ssl.create_default_context
            )
        client = _MqttClient(
            self._endpoints.mqtt_host,
            self._endpoints.mqtt_port,
            username=tokens.gcid,
            password=tokens.id_token,
            identifier=tokens.gcid,
            keepalive=MQTT_KEEPALIVE,
            tls_context=self._tls_context,
            max_queued_incoming_messages=MAX_QUEUED_MESSAGES,
            logger=_MQTT_LOGGER,
        )
        # A broker that drops the connection right after accepting it (it
        # learned a new password meanwhile) fails this future while aiomqtt
        # is still connecting; aiomqtt then replaces it unseen.
        client._disconnected.add_done_callback(_consume)  # noqa: SLF001
        entering = asyncio.ensure_future(client.__aenter__())
        try:
            await asyncio.shield(entering)
        except aiomqtt.MqttError as err:
            await _discard(client)
            if _is_auth_refusal(err):
                raise _RefusedError(str(err)) from err
            raise
        except asyncio.CancelledError:
            await _abandon(client, entering)
            raise
        # We close connections abruptly (see _discard), so nobody awaits
        # aiomqtt's "disconnected" future; mark its error as seen.
        client._disconnected.add_done_callback(_consume)  # noqa: SLF001
        connection = _Connection(client, tokens)
        try:
            granted = await client.subscribe(f"{tokens.gcid}/+", qos=0)
        except (aiomqtt.MqttError, asyncio.CancelledError):
            await asyncio.shield(connection.close())
            raise
        codes = [getattr(code, "value", code) for code in granted]
        if any(isinstance(code, int) and code >= SUBSCRIBE_FAILURE for code in codes):
            await connection.close()
            msg = "subscription to the account's topics refused"
            raise _RefusedError(msg)
        connection.reader = asyncio.create_task(
            self._read(connection), name="cardata mqtt reader"
        )
        self.connections += 1
        return connection

    async def _read(self, connection: _Connection) -> None:
        async for message in connection.client.messages:
            payload = message.payload
            self._on_message(
                str(message.topic),
                bytes(payload)
                if isinstance(payload, bytes | bytearray)
                else str(payload).encode(),
            )

    async def run(self) -> None:
        """Stay connected until cancelled; raise `VehicleAuthError` when signed out."""
        backoff = Backoff(RETRY_MIN, RETRY_MAX)
        try:
            while True:
                error: BaseException | None = None
                try:
                    tokens = await self._tokens.valid_tokens()
                except (VehicleConnectionError, VehicleRateLimitError) as err:
                    # The refresh before connecting failed: wait (honouring a
                    # Retry-After) instead of ending the stream.
                    self._failed(f"token refresh failed: {describe_error(err)}")
                    await self._clock.sleep(backoff.next_delay(err))
                    continue
                self._rotated.clear()
                try:
                    connection = await self._open(tokens)
                except _RefusedError as err:
                    if await self._refused(tokens, str(err)):
                        continue  # a new token arrived meanwhile: try it at once
                except (aiomqtt.MqttError, OSError) as err:
                    self._failed(describe_error(err))
                    error = err
                else:
                    self._current = connection
                    self._up()
                    connected_at = self._clock.now()
                    try:
                        await self._serve(connection)
                    finally:
                        await self._close_current()
                    self._lost("connection lost")
                    if self._clock.now() - connected_at >= STABLE_CONNECTION:
                        backoff.reset()
                        continue  # reconnect at once; back off only if that fails
                    # Dropped right away (e.g. another client with this account
                    # keeps taking the session over): do not fight in a loop.
                delay = backoff.next_delay()
                if error is not None and _connack_code(error) in BUSY_CODES:
                    delay = RETRY_MAX  # the broker asked for room: give it
                await self._clock.sleep(delay)
        finally:
            if self._grace is not None:
                self._grace.cancel()

    async def _close_current(self) -> None:
        """Close the connection `_serve` ended with (shielded from cancellation)."""
        if (connection := self._current) is not None:
            self._current = None
            await asyncio.shield(connection.close())

    async def _serve(self, connection: _Connection) -> None:
        """Read until the connection drops; swap it on every token rotation."""
        retry_at: datetime | None = None
        while True:
            assert connection.reader is not None  # noqa: S101 - set by _open
            waiters: list[asyncio.Future[Any]] = [
                connection.reader,
                asyncio.ensure_future(self._rotated.wait()),
            ]
            if retry_at is not None:
                delay = max((retry_at - self._clock.now()).total_seconds(), 0.0)
                waiters.append(asyncio.ensure_future(self._clock.sleep(delay)))
            try:
                await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waiters[1:]:
                    waiter.cancel()
            if connection.reader.done():
                if (error := _task_error(connection.reader)) is not None:
                    self.last_error = error
                return
            if self._rotated.is_set() or retry_at is not None:
                self._rotated.clear()
                retry_at = None
                replacement = await self._replace(connection)
                if replacement is None:
                    retry_at = self._clock.now() + timedelta(seconds=RETRY_MIN)
                else:
                    connection = self._current = replacement

    async def _replace(self, old: _Connection) -> _Connection | None:
        """Connect with the new token, then drop the old connection."""
        tokens = self._tokens.tokens
        if tokens == old.tokens:
            return old
        try:
            new = await self._open(tokens)
        except (_RefusedError, aiomqtt.MqttError, OSError) as err:
            self.refusals += isinstance(err, _RefusedError)
            _LOGGER.debug(
                "CarData stream: new token not accepted yet (%s)", describe_error(err)
            )
            return None
        await old.close()
        _LOGGER.debug("CarData stream re-made with the refreshed token")
        return new

    async def _refused(self, tokens: Tokens, reason: str) -> bool:
        """Refresh after a refusal if sensible; return whether tokens changed."""
        self.refusals += 1
        self._failed(f"refused: {reason}")
        try:
            await self._tokens.refresh_unless_newer(tokens, TOKEN_PROPAGATION)
        except (VehicleConnectionError, VehicleRateLimitError) as err:
            _LOGGER.debug("CarData stream: token refresh failed: %s", err)
        return self._tokens.tokens != tokens

    # -- status -------------------------------------------------------------------

    def _up(self) -> None:
        self.down_since = None
        self.last_error = None
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None
        self.connected = True
        if self._reported_down:
            self._reported_down = False
            _LOGGER.info("CarData stream connected")
            self._on_status(True)  # noqa: FBT003 - the handler's one argument

    def _lost(self, reason: str) -> None:
        if self.down_since is None:
            self.down_since = self._clock.now()
        self.last_error = self.last_error or reason
        if self._grace is None and not self._reported_down:
            self._grace = asyncio.create_task(
                self._report_after_grace(), name="cardata mqtt grace"
            )

    def _failed(self, reason: str) -> None:
        self.last_error = reason
        self._lost(reason)

    async def _report_after_grace(self) -> None:
        await self._clock.sleep(LOSS_GRACE)
        self._grace = None
        if self.down_since is not None and not self._reported_down:
            self._reported_down = True
            self.connected = False
            _LOGGER.warning("CarData stream lost: %s", self.last_error)
            self._on_status(False)  # noqa: FBT003 - the handler's one argument

    def close(self) -> None:
        """Stop listening for token changes (the run task is cancelled by the owner)."""
        if self._remove_listener is not None:
            self._remove_listener()
            self._remove_listener = None


class _MqttClient(aiomqtt.Client):
    """aiomqtt's client, without its race between a write and a closed socket.

    paho asks from its connect thread for the socket to be watched for writing;
    aiomqtt hands the event loop the socket's number at that moment. When the
    socket is closed before the loop gets to it (a broker dropping a fresh
    connection, a connection discarded on a busy machine), the loop is handed a
    dead file descriptor and logs an error. Here the loop checks first.
    """

    def _on_socket_register_write(self, client: Any, userdata: Any, sock: Any) -> None:
        fileno = sock.fileno()

        def write() -> None:
            # A failed write means the connection broke: disconnected at once.
            try:
                client.loop_write()
            except Exception as exc:  # noqa: BLE001 - handed to the disconnected future
                if not self._disconnected.done():
                    self._disconnected.set_exception(exc)

        def watch() -> None:
            if fileno > -1 and sock.fileno() == fileno:  # still open
                self._loop.add_writer(fileno, write)

        self._loop.call_soon_threadsafe(watch)


async def _discard(client: aiomqtt.Client) -> None:
    """Close a client's socket at once, without an MQTT DISCONNECT.

    aiomqtt's graceful exit queues a socket write from a thread-safe callback
    that can run after paho closed the socket (an event-loop error), and it
    leaves the socket open after a negative CONNACK or a read error (closed
    only by garbage collection, possibly after the loop). An abrupt close
    avoids both; BMW's broker sees a dropped connection, which is harmless
    for a subscriber without a will. Callbacks already scheduled run first.
    """
    for _ in range(3):
        await asyncio.sleep(0)
    with contextlib.suppress(Exception):
        client._client._reset_sockets()  # noqa: SLF001


async def _abandon(client: aiomqtt.Client, entering: asyncio.Future[Any]) -> None:
    """Close a client whose connect was cancelled, once the connect has ended.

    The connect runs in a thread; closing before it ends would leave the
    socket it is about to create behind.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CONNECT_TIMEOUT
    while not entering.done() and loop.time() < deadline:
        # Repeated cancellation (an owner cancelling twice) must not cut this
        # short; the wait is bounded by the connect timeout.
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(asyncio.shield(entering), deadline - loop.time())
    await _discard(client)


def _consume(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


def _task_error(task: asyncio.Task[None]) -> str | None:
    if task.cancelled():
        return "cancelled"
    error = task.exception()
    return None if error is None else describe_error(error)
