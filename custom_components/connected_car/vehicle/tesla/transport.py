"""How the Tesla backend reaches the cars: the transport protocol and Teslemetry.

The backend (`backend.py`) holds everything that does not depend on the way in:
parsing, merging, sleeping cars, waking, commands, counting. A transport only
makes calls and hands back raw answers. Teslemetry is the first transport; Tesla's
own Fleet API (owner's OAuth app, regional hosts, signed commands) is the second,
built on the same library classes (``TeslaFleetApi`` instead of ``Teslemetry``,
``createSigned`` instead of ``createFleet`` where a car requires signing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import aiohttp
from tesla_fleet_api import Teslemetry
from tesla_fleet_api.const import Method
from tesla_fleet_api.exceptions import TeslaFleetError
from tesla_fleet_api.tesla.vehicle.fleet import VehicleFleet

from ..clock import Clock
from ..models import Command, CommandKind
from .const import TESLEMETRY_API, TESLEMETRY_DOMAIN, CallKind
from .errors import (
    HTTP_NOT_FOUND,
    TeslaApiError,
    api_call,
    command_answer,
    response_of,
)
from .stream import EventHandler, StatusHandler, TeslemetryEvents

type TokenProvider = Callable[[], Awaitable[str]]
"""Returns a valid access token (Teslemetry: the owner's API token)."""

type RequestMeter = Callable[[CallKind, int | None], None]
"""Told of every API request a transport made: its kind and HTTP status (None: no answer)."""


def call_kind(path: str) -> CallKind:
    """Return how Tesla bills a request to path (vehicle list and state are free)."""
    if path.endswith("/vehicle_data"):
        return CallKind.DATA
    if path.endswith("/wake_up"):
        return CallKind.WAKE
    if path.endswith("/signed_command") or "/command/" in path:
        return CallKind.COMMAND
    return CallKind.FREE


async def metered[T](meter: RequestMeter | None, path: str, request: Awaitable[T]) -> T:
    """Await one HTTP request of the library and tell meter how it was answered.

    Every request passes here, including those the library makes on its own
    (the signed protocol's handshakes and retries), so the counts are Tesla's.
    """
    status: int | None = None
    try:
        result = await request
    except TeslaFleetError as err:
        status = err.status
        raise
    except aiohttp.ClientResponseError as err:
        status = err.status
        raise
    else:
        status = 200
        return result
    finally:
        if meter is not None:
            meter(call_kind(path), status)


class MeteredRequests:
    """Mixed into a library client class: meters its one request method.

    Every endpoint object of the library (user, partner, vehicles) calls its
    parent client's ``_request``, so overriding it reaches them all; the
    signature is the same in tesla-fleet-api 1.4.2 and 1.18.1.
    """

    meter: RequestMeter | None = None

    async def _request(
        self, method: Method, path: str, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        request = super()._request(method, path, *args, **kwargs)  # type: ignore[misc]
        return cast("dict[str, Any]", await metered(self.meter, path, request))


class MeteredTeslemetry(MeteredRequests, Teslemetry):
    """Teslemetry's client with every request metered."""


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """What the account says about itself."""

    region: str | None
    scopes: frozenset[str]
    vehicle_access: Mapping[str, bool] = field(default_factory=dict)
    """Per VIN whether the transport serves the car (empty: every car)."""
    account_id: str | None = None
    """The account's own id at the service (None: it does not say)."""


@dataclass(frozen=True, slots=True)
class StreamFields:
    """What making a car stream more fields did."""

    added: tuple[str, ...] = ()
    """Fields the car streams from now on."""
    ignored: tuple[str, ...] = ()
    """Fields the service says the car cannot stream."""


class TeslaTransport(Protocol):
    """One way to Tesla's cars; every method raises only `VehicleError` subclasses."""

    name: str
    """Short name for diagnostics and messages (``teslemetry``, ``fleet_api``)."""

    async def account(self) -> AccountInfo:
        """Check the credentials and return the account's region and scopes."""

    async def products(self) -> list[Mapping[str, Any]]:
        """Return the account's product entries (cars and others), raw. Free."""

    async def vehicle(self, vin: str) -> Mapping[str, Any]:
        """Return the car's entry with its ``state``, raw. Free; never wakes it."""

    async def vehicle_data(
        self, vin: str, endpoints: Sequence[str]
    ) -> Mapping[str, Any]:
        """Return the car's live data (``response`` object), raw. Billed."""

    async def wake_up(self, vin: str) -> Mapping[str, Any]:
        """Ask the car to wake up; the answer comes before it is online. Billed."""

    async def command(self, vin: str, command: Command) -> tuple[bool, str]:
        """Send a command; return the car's ``(result, reason)``. Billed."""

    async def cars_without_key(self, vins: Sequence[str]) -> list[str]:
        """Return which of the cars need the integration's key and lack it. Free."""

    def events(
        self, clock: Clock, on_event: EventHandler, on_status: StatusHandler
    ) -> TeslemetryEvents | None:
        """Return the account's push stream, or None when the transport has none."""

    def set_meter(self, meter: RequestMeter) -> None:
        """Tell meter of every request from now on (the backend counts and bills)."""


async def run_library_command(car: VehicleFleet, command: Command) -> object:  # noqa: PLR0911 - one call per command
    """Send command through a library vehicle (REST or signed, same method names)."""
    match command.kind:
        case CommandKind.LOCK:
            return await car.door_lock()
        case CommandKind.UNLOCK:
            return await car.door_unlock()
        case CommandKind.START_CLIMATE:
            return await car.auto_conditioning_start()
        case CommandKind.STOP_CLIMATE:
            return await car.auto_conditioning_stop()
        case CommandKind.SET_CLIMATE_TARGET:
            target = command.target_temperature or 0.0  # checked by the backend
            return await car.set_temps(driver_temp=target, passenger_temp=target)
        case CommandKind.FLASH_LIGHTS:
            return await car.flash_lights()
        case CommandKind.SOUND_HORN:
            return await car.honk_horn()


class TeslemetryTransport:
    """Teslemetry: one API token, commands signed by the service, an SSE stream."""

    name = "teslemetry"

    def __init__(
        self,
        session: aiohttp.ClientSession,
        access_token: TokenProvider,
        *,
        server: str = TESLEMETRY_API,
    ) -> None:
        """Use the caller's HTTP session; the token is asked for on every call."""
        self._session = session
        self._access_token = access_token
        self.api = MeteredTeslemetry(session, access_token, server)
        self.region: str | None = None

    def set_meter(self, meter: RequestMeter) -> None:
        """Meter every request."""
        self.api.meter = meter

    async def account(self) -> AccountInfo:
        """Read ``api/metadata``: region (which picks the regional host) and scopes."""
        metadata: object = await api_call(
            "metadata", self.api.metadata(update_region=True)
        )
        if not isinstance(metadata, Mapping):
            return AccountInfo(None, frozenset())
        region = metadata.get("region")
        self.region = region.lower() if isinstance(region, str) and region else None
        scopes = metadata.get("scopes")
        vehicles = metadata.get("vehicles")
        uid = metadata.get("uid")
        return AccountInfo(
            self.region,
            frozenset(s for s in scopes if isinstance(s, str))
            if isinstance(scopes, list)
            else frozenset(),
            {
                vin: not (isinstance(info, Mapping) and info.get("access") is False)
                for vin, info in vehicles.items()
                if isinstance(vin, str)
            }
            if isinstance(vehicles, Mapping)
            else {},
            str(uid) if isinstance(uid, str | int) and str(uid) else None,
        )

    async def products(self) -> list[Mapping[str, Any]]:
        """Return the product entries."""
        response = response_of(
            "products", await api_call("products", self.api.products())
        )
        if not isinstance(response, list):
            return []
        return [entry for entry in response if isinstance(entry, Mapping)]

    def _car(self, vin: str) -> VehicleFleet:
        car = self.api.vehicles.get(vin)
        if car is None:
            car = self.api.vehicles.create(vin)  # Teslemetry's own vehicle class
        return cast("VehicleFleet", car)

    async def vehicle(self, vin: str) -> Mapping[str, Any]:
        """Return the car's entry."""
        answer = await api_call("vehicle", self._car(vin).vehicle())
        response = response_of("vehicle", answer)
        return response if isinstance(response, Mapping) else {}

    async def vehicle_data(
        self, vin: str, endpoints: Sequence[str]
    ) -> Mapping[str, Any]:
        """Return the car's live data."""
        answer = await api_call(
            "vehicle_data", self._car(vin).vehicle_data(endpoints=list(endpoints))
        )
        response = response_of("vehicle_data", answer)
        return response if isinstance(response, Mapping) else {}

    async def wake_up(self, vin: str) -> Mapping[str, Any]:
        """Ask the car to wake up."""
        answer = await api_call("wake_up", self._car(vin).wake_up())
        response = response_of("wake_up", answer)
        return response if isinstance(response, Mapping) else {}

    async def command(self, vin: str, command: Command) -> tuple[bool, str]:
        """Send a command (Teslemetry signs it for cars that need signing)."""
        what = command.kind.value
        return command_answer(
            await api_call(what, run_library_command(self._car(vin), command))
        )

    async def configure_stream(self, vin: str, fields: Sequence[str]) -> StreamFields:
        """Make the car stream fields too (``api/config/{vin}``). Free.

        Adds only what is missing, with Teslemetry's default interval; fields
        the owner configured otherwise stay as they are.
        """
        try:
            config: object = await api_call(
                "stream config", self.api.streaming_config(vin)
            )
        except TeslaApiError as err:
            if err.status != HTTP_NOT_FOUND:
                raise
            config = {}  # the car has no stream configuration yet
        configured = config.get("fields") if isinstance(config, Mapping) else None
        present = set(configured) if isinstance(configured, Mapping) else set()
        missing = [name for name in fields if name not in present]
        if not missing:
            return StreamFields()
        answer: object = await api_call(
            "stream config",
            self.api.modify_streaming_config(vin, dict.fromkeys(missing)),
        )
        if isinstance(answer, Mapping) and answer.get("error"):
            msg = f"stream config: refused ({answer.get('error')})"
            raise TeslaApiError(msg, None, str(answer.get("error")))
        ignored = _ignored_fields(answer)
        return StreamFields(
            tuple(name for name in missing if name not in ignored),
            tuple(name for name in missing if name in ignored),
        )

    async def cars_without_key(self, vins: Sequence[str]) -> list[str]:
        """Return no car: Teslemetry signs the commands with its own paired key."""
        return []

    def events(
        self, clock: Clock, on_event: EventHandler, on_status: StatusHandler
    ) -> TeslemetryEvents:
        """Return the account's SSE stream on its regional host."""
        return TeslemetryEvents(
            self._session,
            self._access_token,
            lambda: f"{self.region or 'na'}.{TESLEMETRY_DOMAIN}",
            clock=clock,
            on_event=on_event,
            on_status=on_status,
        )


def _ignored_fields(answer: object) -> frozenset[str]:
    """Return the fields a stream configuration answer says were ignored."""
    if not isinstance(answer, Mapping):
        return frozenset()
    response = answer.get("response")
    for where in (answer, response if isinstance(response, Mapping) else {}):
        ignored = where.get("ignoredFields")
        if isinstance(ignored, list):
            return frozenset(name for name in ignored if isinstance(name, str))
    return frozenset()
