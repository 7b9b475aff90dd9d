"""`BmwCarDataBackend`: one CarData account as a `Backend`.

Read-only (CarData takes no commands). Values arrive from the MQTT stream; the
REST API, limited to 50 calls a day, is spent by the `RestPlanner` only where
the stream cannot help. The backend keeps each car's latest state, the
account's vehicle list, basic data, container and quota in a persisted
dictionary (the caller stores it; Home Assistant uses a ``Store``), so a
restart costs no calls while that data is fresh.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import aclosing
from datetime import datetime
import hashlib
import logging
import re
import ssl
import traceback
from typing import Any, Protocol

import aiohttp

from ..backend import AccountStatus
from ..clock import Clock, RealClock
from ..exceptions import (
    CommandNotSupportedError,
    VehicleAuthError,
    VehicleConnectionError,
    VehicleError,
    VehicleRateLimitError,
)
from ..models import (
    Capabilities,
    Command,
    Powertrain,
    RejectReason,
    StateUpdate,
    StreamEvent,
    StreamStatus,
    Vehicle,
    VehicleState,
)
from ..payloads import decode_json
from ..privacy import redact
from ..streams import StreamFanout
from ..supervision import Backoff, SupervisedLoop, run_supervised
from .auth import CarDataAuth, TokenManager, Tokens
from .const import CONTAINER_NAME_PREFIX, CarDataEndpoints
from .errors import CarDataApiError, CarDataTokenRejectedError
from .keys import TELEMATIC_KEYS
from .parsing import (
    CarDataParser,
    ParsedData,
    Problem,
    VehicleProfile,
    applicable_signals,
    parse_timestamp,
)
from .planner import Call, PlannerSettings, RestPlanner
from .quota import QuotaBudget
from .rest import CarDataRestClient, Container
from .stream import CarDataStream

_LOGGER = logging.getLogger(__name__)

MAX_PAYLOAD_BYTES = 256 * 1024
"""Larger MQTT messages are dropped (a real one is a few hundred bytes)."""
PLANNER_TICK = 60.0
"""Seconds between the planner's looks at what is due."""
CONTAINER_PURPOSE = "Home Assistant Connected Car integration"
CONTAINER_GONE_CODES = frozenset({"CU-105", "CU-121"})

DRIVE_TRAINS: Mapping[str, Powertrain] = {
    "BEV": Powertrain.ELECTRIC,
    "PHEV": Powertrain.PLUG_IN_HYBRID,
    "CONV": Powertrain.COMBUSTION,
    "MHEV": Powertrain.COMBUSTION,
    "HEV": Powertrain.COMBUSTION,
}
"""basicData ``driveTrain`` (``propulsionType`` is unreliable: a petrol X2 says BE)."""
RIGHT_HAND_DRIVE = frozenset({"RL", "RHD", "R"})
"""basicData ``steering`` of right-hand-drive cars (``LL`` = left-hand drive)."""
PRIVATE_KEY_WORDS = ("latitude", "longitude", "location", "altitude", "destination")
MAX_NAME_CHARS = 60
"""Longest brand or model name taken from basicData (it names the device)."""
LOOP_BACKOFF = (5.0, 300.0)
"""Seconds before a background loop that failed unexpectedly is restarted."""


class AccountPersistence(Protocol):
    """Where the backend keeps its account data between runs."""

    async def load(self) -> dict[str, Any] | None:
        """Return what was saved last, or None."""

    def save(self, data: dict[str, Any]) -> None:
        """Store data (may be written a little later)."""

    async def flush(self) -> None:
        """Write what `save` may still hold back."""


def container_name() -> str:
    """Return our container's name: the prefix and a hash of its keys."""
    digest = hashlib.sha256(",".join(TELEMATIC_KEYS).encode()).hexdigest()[:8]
    return f"{CONTAINER_NAME_PREFIX} {digest}"


def _text(basic: Mapping[str, Any], *keys: str) -> str:
    """Return the first of keys holding a short, printable text, else ""."""
    for key in keys:
        value = basic.get(key)
        if (
            isinstance(value, str)
            and value.strip()
            and len(value) <= MAX_NAME_CHARS
            and value.isprintable()
        ):
            return value.strip()
    return ""


def vehicle_from_basic_data(vin: str, basic: Mapping[str, Any]) -> Vehicle:
    """Build a vehicle and its capabilities from basicData (odd fields ignored)."""
    powertrain = DRIVE_TRAINS.get(
        _text(basic, "driveTrain").upper(), Powertrain.PLUG_IN_HYBRID
    )
    profile = _profile(powertrain, basic)
    brand = _text(basic, "brand") or "BMW"
    model = _text(basic, "modelName", "series") or "CarData"
    doors = basic.get("numberOfDoors")
    year = re.match(r"(\d{4})", _text(basic, "constructionDate"))
    return Vehicle(
        vin=vin,
        name=model if model.upper().startswith(brand.upper()) else f"{brand} {model}",
        make=brand,
        model=model,
        powertrain=powertrain,
        capabilities=Capabilities.of(
            applicable_signals(
                profile,
                has_sunroof=basic.get("hasSunRoof") is not False,
                doors=doors
                if isinstance(doors, int) and not isinstance(doors, bool)
                else 4,
            )
        ),
        model_year=int(year.group(1)) if year else None,
    )


def _profile(powertrain: Powertrain, basic: Mapping[str, Any]) -> VehicleProfile:
    steering = _text(basic, "steering").upper()
    return VehicleProfile(powertrain, steering in RIGHT_HAND_DRIVE)


class BmwCarDataBackend:
    """A `Backend` for one BMW CarData account (all its cars)."""

    supports_stream = True

    def __init__(  # noqa: PLR0913 - all injected, keyword-only
        self,
        *,
        session: aiohttp.ClientSession,
        client_id: str,
        tokens: Tokens,
        persistence: AccountPersistence,
        clock: Clock | None = None,
        endpoints: CarDataEndpoints | None = None,
        tls_context: ssl.SSLContext | None = None,
        planner_settings: PlannerSettings | None = None,
    ) -> None:
        """Prepare the account; nothing is sent until `login`."""
        self.clock: Clock = clock or RealClock()
        self.endpoints = endpoints or CarDataEndpoints()
        self.client_id = client_id
        self.tokens = TokenManager(
            CarDataAuth(session, self.endpoints, on_problem=self._problem),
            client_id,
            tokens,
            self.clock,
        )
        self.budget = QuotaBudget()
        self.planner = RestPlanner(self.budget, planner_settings)
        self.rest = CarDataRestClient(
            session,
            self.tokens.access_token,
            self.budget,
            self.clock,
            endpoints=self.endpoints,
            on_call=self._notify,
            on_problem=self._problem,
        )
        self.stream_client = CarDataStream(
            self.tokens,
            clock=self.clock,
            on_message=self._on_mqtt_message,
            on_status=self._on_stream_status,
            endpoints=self.endpoints,
            tls_context=tls_context,
        )
        self._persistence = persistence
        self._restored = False
        self.container: Container | None = None
        self.vins: list[str] = []
        self.basic_data: dict[str, dict[str, Any]] = {}
        self.vehicles: dict[str, Vehicle] = {}
        self._parsers: dict[str, CarDataParser] = {}
        self._states: dict[str, VehicleState] = {}
        self._streams = StreamFanout()
        self._listeners: list[Callable[[], None]] = []
        self._logged: set[str] = set()
        self._setup_snapshot_done: set[str] = set()
        self.signed_out: VehicleAuthError | None = None
        self.messages = 0
        self.last_message_at: datetime | None = None
        self.problems: dict[str, int] = {}
        """Rejected input by kind: unreadable messages and answers, bad entries,
        readings the merge refused (e.g. ``future_timestamp``)."""
        self.loops = [
            self._loop("CarData token refresh", lambda: self._guard(self.tokens.run())),
            self._loop("CarData stream", lambda: self._guard(self.stream_client.run())),
            self._loop("CarData planner", self._plan_loop),
        ]
        """The supervised background work of `run`."""

    @property
    def gcid(self) -> str:
        """Return the account's id."""
        return self.tokens.tokens.gcid

    # -- the account (Home Assistant: quota sensor, repair issue, token saving) ---

    def account_status(self) -> AccountStatus:
        """Return the account's sign-in, cars, stream and quota now."""
        now = self.clock.now()
        budget = self.budget
        blocked_until = None
        if budget.exhausted_at_bmw:
            blocked_until = budget.blocked_until or budget.next_call_at(now)
        return AccountStatus(
            signed_out=self.signed_out is not None,
            vins=tuple(self.vins) if self.vins else None,
            stream_connected=self.stream_client.connected,
            calls_limit=budget.limit,
            calls_left=budget.remaining(now),
            calls_blocked_until=blocked_until,
        )

    def add_account_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call listener when quota, stream, vehicle list or sign-in change."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def add_tokens_listener(
        self, listener: Callable[[Tokens], None]
    ) -> Callable[[], None]:
        """Call listener with the new tokens after every refresh (to store them)."""
        return self.tokens.add_listener(listener)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    # -- persistence ------------------------------------------------------------

    async def _restore(self) -> None:
        if self._restored:
            return
        self._restored = True
        data = await self._persistence.load() or {}
        stored = QuotaBudget.from_dict(data.get("budget"))
        self.budget.calls = stored.calls
        self.budget.blocked_until = stored.blocked_until
        self.budget.strikes = stored.strikes
        self.planner.restore(data.get("plan"))
        if isinstance(container := data.get("container"), Mapping) and isinstance(
            container.get("id"), str
        ):
            self.container = Container(
                container["id"], str(container.get("name")), "ACTIVE"
            )
        if isinstance(vins := data.get("vins"), list):
            self.vins = [vin for vin in vins if isinstance(vin, str)]
        if isinstance(basic := data.get("basic_data"), Mapping):
            self.basic_data = {
                vin: dict(value)
                for vin, value in basic.items()
                if isinstance(value, Mapping)
            }
        self._notify()  # the quota and its block are known from here on

    def export(self) -> dict[str, Any]:
        """Return everything worth keeping across restarts."""
        return {
            "budget": self.budget.as_dict(),
            "plan": self.planner.as_dict(),
            "container": self.container
            and {"id": self.container.container_id, "name": self.container.name},
            "vins": list(self.vins),
            "basic_data": self.basic_data,
        }

    def _persist(self) -> None:
        self._persistence.save(self.export())

    # -- Backend protocol -------------------------------------------------------

    async def login(self) -> None:
        """Load the account data and make sure the tokens are valid."""
        await self._restore()
        self.planner.started_at = self.clock.now()
        await self.tokens.valid_tokens()

    async def list_vehicles(self) -> list[Vehicle]:
        """Return the account's cars; cached answers are used while fresh."""
        await self._restore()
        now = self.clock.now()
        if not self.vins or self.planner.mappings_due(now, setup=True):
            await self._fallback_to_cache(self._refresh_mappings(), bool(self.vins))
        for vin in self.vins:
            if vin not in self.basic_data or self.planner.basic_data_due(
                vin, now, setup=True
            ):
                await self._fallback_to_cache(
                    self._refresh_basic_data(vin), vin in self.basic_data
                )
        self._build_vehicles()
        self._persist()
        return [self.vehicles[vin] for vin in self.vins]

    async def fetch_state(self, vin: str) -> VehicleState:
        """Return what is known of a car, spending a call only when the plan allows."""
        self._raise_if_signed_out()
        now = self.clock.now()
        setup = vin not in self._setup_snapshot_done
        if setup:
            self._setup_snapshot_done.add(vin)
            due = self.planner.setup_snapshot_due(vin, now)
        else:
            due = self.planner.on_demand_snapshot_due(
                vin, now, streaming=self.stream_client.connected
            )
        if due:
            first_ever = self.planner.vehicle(vin).telematic_at is None
            try:
                await self._snapshot(vin)
            except VehicleRateLimitError:
                pass  # logged by the REST client; the repair issue tells the user
            except VehicleConnectionError:
                if setup and first_ever:
                    raise  # nothing known yet: let setup retry
                _LOGGER.info("CarData snapshot failed; showing the last known state")
        return self.state(vin)

    def state(self, vin: str) -> VehicleState:
        """Return what the backend holds of a car (stream and REST merged)."""
        return self._states.get(vin, VehicleState())

    async def stream(self, vin: str) -> AsyncIterator[StreamEvent]:
        """Yield CONNECTED while the account's stream is up, then the car's updates."""
        self._raise_if_signed_out()
        events = self._streams.subscribe(vin, connected=self.stream_client.connected)
        async with aclosing(events):
            async for event in events:
                yield event

    async def send(self, vin: str, command: Command) -> None:
        """CarData is read-only: no command can be sent."""
        msg = f"BMW CarData cannot send {command.kind.value}"
        raise CommandNotSupportedError(msg)

    async def run(self) -> None:
        """Keep tokens fresh, the stream connected and the REST plan going.

        Each of the three is supervised: whatever ends one unexpectedly, it is
        restarted with backoff (logged once per outage); only a sign-out ends
        them, and cancellation.
        """
        await run_supervised(self.loops)

    def _loop(self, name: str, work: Callable[[], Awaitable[None]]) -> SupervisedLoop:
        return SupervisedLoop(
            name,
            work,
            self.clock,
            logger=_LOGGER,
            backoff=Backoff(*LOOP_BACKOFF),
            until=lambda: self.signed_out is not None,
        )

    async def close(self) -> None:
        """Stop listening for token changes and save the account data."""
        self.stream_client.close()
        if self._restored:  # never overwrite stored data we did not load
            self._persist()
            await self._persistence.flush()

    # -- REST -------------------------------------------------------------------

    async def _fallback_to_cache(self, call: Awaitable[None], cached: bool) -> None:  # noqa: FBT001
        """Run a refresh; on failure keep the cached answer if there is one."""
        try:
            await call
        except (VehicleConnectionError, VehicleRateLimitError) as err:
            if not cached:
                raise
            _LOGGER.info("CarData unavailable (%s); using the stored vehicle data", err)

    async def _rest[T](self, call: Callable[[], Awaitable[T]]) -> T:
        """Run a REST call; refresh the token once if BMW refused it."""
        try:
            return await call()
        except CarDataTokenRejectedError:
            await self.tokens.refresh()
        except VehicleRateLimitError:
            self._notify()
            raise
        try:
            return await call()
        except CarDataTokenRejectedError as err:
            msg = "CarData refused a freshly refreshed token"
            raise VehicleConnectionError(msg) from err

    async def _refresh_mappings(self) -> None:
        self.planner.record(Call.MAPPINGS, self.clock.now())
        vins = await self._rest(self.rest.vehicle_mappings)
        changed = bool(self.vins) and set(vins) != set(self.vins)
        self.vins = vins
        for gone in set(self.basic_data) - set(vins):
            del self.basic_data[gone]
        self._persist()
        if changed:
            _LOGGER.info("The cars of the CarData account changed")
            self._notify()

    async def _refresh_basic_data(self, vin: str) -> None:
        self.planner.record(Call.BASIC_DATA, self.clock.now(), vin)
        self.basic_data[vin] = await self._rest(lambda: self.rest.basic_data(vin))
        self._persist()

    async def _ensure_container(self) -> Container:
        if self.container is not None:
            return self.container
        name = container_name()
        existing = await self._rest(self.rest.containers)
        found = next(
            (c for c in existing if c.name == name and c.state.upper() == "ACTIVE"),
            None,
        )
        if found is None:
            found = await self._rest(
                lambda: self.rest.create_container(
                    name, CONTAINER_PURPOSE, TELEMATIC_KEYS
                )
            )
        self.container = found
        self._persist()
        return found

    async def _snapshot(self, vin: str) -> None:
        """Fetch a telematic snapshot of a car and apply it."""
        container = await self._ensure_container()
        self.planner.record(Call.TELEMATIC, self.clock.now(), vin)
        try:
            data = await self._rest(
                lambda: self.rest.telematic_data(vin, container.container_id)
            )
        except CarDataApiError as err:
            if err.code in CONTAINER_GONE_CODES:
                self.container = None  # deleted in the portal: make a new one next time
            raise
        finally:
            self._persist()
        self._apply(vin, data, None)

    # -- stream -------------------------------------------------------------------

    def _on_stream_status(self, up: bool) -> None:  # noqa: FBT001
        event: StreamEvent | VehicleError = (
            StreamStatus.CONNECTED
            if up
            else VehicleConnectionError("CarData stream lost")
        )
        self._streams.publish_all(event)
        self._notify()

    def _on_mqtt_message(self, topic: str, payload: bytes) -> None:
        """Handle one MQTT message; never raises, logs each kind of problem once."""
        try:
            self._handle_message(topic, payload)
        except Exception as err:  # noqa: BLE001 - the stream must survive anything
            self._unexpected(err, "while reading a message")

    def _handle_message(self, topic: str, payload: bytes) -> None:
        self.messages += 1
        if len(payload) > MAX_PAYLOAD_BYTES:
            self._problem(Problem.TOO_LARGE, f"{len(payload)} bytes")
            return
        gcid, _, topic_vin = topic.partition("/")
        if gcid != self.gcid or not topic_vin:
            self._problem(Problem.WRONG_TOPIC, "topic outside the account")
            return
        document, problem = decode_json(payload)
        if problem is not None:
            self._problem(problem.value, f"{len(payload)} bytes")
            return
        if not isinstance(document, dict):
            self._problem(Problem.NOT_AN_OBJECT, type(document).__name__)
            return
        vin = document.get("vin")
        if vin != topic_vin or vin not in self.vehicles:
            self._problem(Problem.WRONG_VIN, "vin not of this account or topic")
            return
        data = document.get("data")
        if not isinstance(data, dict):
            self._problem(Problem.MISSING_DATA, "no data object")
            return
        try:
            envelope_time: datetime | None = parse_timestamp(document.get("timestamp"))
        except Exception:  # noqa: BLE001 - a missing envelope time is fine
            envelope_time = None
        now = self.clock.now()
        self.last_message_at = now
        self.planner.stream_message(vin, now)
        self._apply(vin, data, envelope_time)

    def _apply(
        self, vin: str, data: Mapping[str, object], fallback: datetime | None
    ) -> None:
        """Merge entries of a message or snapshot into the car's state; never raises.

        Readings the merge refuses (e.g. stamped in the future) are counted
        by reason; only the applied ones go to the streams.
        """
        try:
            parser = self._parsers.get(vin)
            if parser is None:
                return
            parsed: ParsedData = parser.parse(data, fallback)
            for problem, key in parsed.problems:
                self._problem(problem, key)
            if not parsed.readings:
                return
            state = self._states.get(vin, VehicleState())
            result = state.merge(parsed.readings, self.clock.now())
            for rejected in result.rejected:
                if rejected.reason is not RejectReason.STALE:
                    self._problem(rejected.reason.value, rejected.reading.signal.key)
            self._states[vin] = result.state
            if result.changed:
                self._streams.publish(vin, StateUpdate(vin, result.changed))
        except Exception as err:  # noqa: BLE001 - bad input must not stop updates
            self._unexpected(err, "while applying a car's data")

    def _problem(self, kind: str, detail: str) -> None:
        """Count a kind of bad input; log the first of each kind (detail: no values)."""
        self.problems[kind] = self.problems.get(kind, 0) + 1
        if kind in self._logged:
            return
        self._logged.add(kind)
        _LOGGER.warning(
            "Ignoring CarData input (%s: %s); this kind is logged once",
            kind,
            detail,
        )

    def _unexpected(self, err: Exception, when: str) -> None:
        """Count and log (once, with a redacted traceback) an error of our own."""
        self.problems["unexpected"] = self.problems.get("unexpected", 0) + 1
        if "unexpected" in self._logged:
            return
        self._logged.add("unexpected")
        _LOGGER.warning(
            "Ignoring CarData input (unexpected: error %s); this kind is logged once\n%s",
            when,
            redact("".join(traceback.format_exception(err)), limit=None),
        )

    # -- background work -----------------------------------------------------------

    async def _guard(self, work: Awaitable[None]) -> None:
        try:
            await work
        except VehicleAuthError as err:
            self._sign_out(err)

    def _sign_out(self, err: VehicleAuthError) -> None:
        if self.signed_out is not None:
            return
        self.signed_out = err
        self._streams.publish_all(err)
        self._notify()

    def _raise_if_signed_out(self) -> None:
        if self.signed_out is not None:
            raise self.signed_out

    async def _plan_loop(self) -> None:
        while self.signed_out is None:
            await self.clock.sleep(PLANNER_TICK)
            await self.run_plan()

    async def run_plan(self) -> None:
        """Make the calls that are due now (the planner loop's step)."""
        now = self.clock.now()
        if self.budget.unblock_if_due(now):
            self._persist()
            self._notify()
        if self.signed_out is not None or self.budget.blocked(now):
            return
        try:
            if self.planner.mappings_due(now):
                await self._refresh_mappings()
            for vin in list(self.vins):
                if self.planner.basic_data_due(vin, now):
                    await self._refresh_basic_data(vin)
                    self._build_vehicles()
            for vin in list(self.vehicles):
                if self.planner.planned_snapshot_due(vin, now):
                    await self._snapshot(vin)
        except VehicleRateLimitError:
            pass  # the block is set and listeners were told
        except VehicleAuthError as err:
            self._sign_out(err)
        except VehicleConnectionError as err:
            _LOGGER.debug("Planned CarData call failed: %s", err)

    def _build_vehicles(self) -> None:
        for vin in self.vins:
            basic = self.basic_data.get(vin, {})
            vehicle = vehicle_from_basic_data(vin, basic)
            self.vehicles[vin] = vehicle
            parser = self._parsers.get(vin)
            profile = _profile(vehicle.powertrain, basic)
            if parser is None or parser.profile != profile:
                self._parsers[vin] = CarDataParser(profile)

    # -- diagnostics ------------------------------------------------------------

    def diagnostics(self) -> dict[str, Any]:
        """Return the account's state for a diagnostics download (caller redacts)."""
        now = self.clock.now()
        return {
            "client_id": self.client_id,
            "tokens": {
                "expires_at": self.tokens.tokens.expires_at.isoformat(),
                "refreshes": self.tokens.refresh_count,
                "signed_out": self.signed_out is not None,
                "client_rejected": self.tokens.client_rejected,
            },
            "background": {loop.name: loop.status.as_dict() for loop in self.loops},
            "quota": {
                "limit": self.budget.limit,
                "used": self.budget.used(now),
                "remaining": self.budget.remaining(now),
                "blocked_until": self.budget.blocked_until
                and self.budget.blocked_until.isoformat(),
            },
            "container": self.container
            and {"name": self.container.name, "state": self.container.state},
            "stream": {
                "connected": self.stream_client.connected,
                "connections": self.stream_client.connections,
                "refusals": self.stream_client.refusals,
                "last_error": self.stream_client.last_error,
                "messages": self.messages,
                "last_message_at": self.last_message_at
                and self.last_message_at.isoformat(),
            },
            "problems": dict(self.problems),
            "vehicles": [
                {
                    "vin": vin,
                    "plan": self.planner.vehicle(vin).as_dict(),
                    "basic_data": self.basic_data.get(vin),
                    "unknown_keys": self._unknown_keys(vin),
                }
                for vin in self.vins
            ],
        }

    def _unknown_keys(self, vin: str) -> dict[str, str]:
        """Return keys outside our table seen for a car; places stay hidden."""
        parser = self._parsers.get(vin)
        return {
            key: "**REDACTED**"
            if any(word in key.lower() for word in PRIVATE_KEY_WORDS)
            else value
            for key, value in (parser.unknown_keys if parser else {}).items()
        }
