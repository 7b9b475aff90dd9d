"""`TeslaBackend`: one Tesla account as a `Backend`, over any `TeslaTransport`.

A sleeping Tesla is never polled awake: the backend asks the free vehicle entry
first and fetches vehicle_data only from a car that is online. A command to a
sleeping car wakes it first (the car's ``online_state`` shows ``waking``; the wake
is counted, it costs), then sends. Answers and stream events are raw dictionaries:
they are parsed defensively, each bad value skipped and counted, and merged by the
car's own timestamps, so duplicates and reordered events change nothing.

The transport meters every HTTP request it makes; the backend counts the billed
ones (answers below 500) of the UTC month by kind and, given `CostSettings`,
lets a `CostPlanner` decide which data reads the owner's monthly budget affords.
Commands, their wakes and the reads confirming them are never held back.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import timedelta
import logging
from typing import Any, Literal, Protocol

from .. import signals
from ..backend import AccountStatus
from ..clock import Clock, RealClock
from ..exceptions import (
    CommandNotSupportedError,
    VehicleAsleepError,
    VehicleAuthError,
    VehicleConnectionError,
    VehicleError,
)
from ..models import (
    Command,
    CommandKind,
    CommandOutcome,
    Powertrain,
    RejectReason,
    StateUpdate,
    StreamEvent,
    StreamStatus,
    Vehicle,
    VehicleState,
)
from ..streams import StreamFanout
from .const import (
    BILLED_BELOW_STATUS,
    DONE_REASONS,
    LOCATION_ENDPOINT,
    SCOPE_COMMANDS,
    SCOPE_LOCATION,
    VEHICLE_DATA_ENDPOINTS,
    WAKE_POLL_INTERVAL,
    WAKE_TIMEOUT,
    CallKind,
    OnlineState,
)
from .errors import (
    InsufficientCreditsError,
    TeslaCommandRefusedError,
    TeslaKeyNotPairedError,
    TeslaPaymentError,
)
from .logs import install_log_filter
from .parsing import (
    Parsed,
    ParseError,
    Problem,
    StreamParser,
    VehicleProfile,
    climate_range_of,
    parse_created_at,
    parse_online_state,
    parse_vehicle_data,
    profile_from_config,
)
from .planner import BudgetStatus, CostPlanner, CostSettings, MonthlyUsage
from .stream import TeslemetryEvents
from .transport import AccountInfo, TeslaTransport

_LOGGER = logging.getLogger(__name__)

MODELS: Mapping[str, str] = {
    "S": "Model S",
    "X": "Model X",
    "3": "Model 3",
    "Y": "Model Y",
    "C": "Cybertruck",
    "R": "Roadster",
    "T": "Semi",
}
"""The fourth character of a Tesla VIN."""
MODEL_YEARS = "ABCDEFGHJKLMNPRSTVWXY123456789"
"""VIN position 10 from 2010 (A) on; I, O, Q, U, Z and 0 are never used."""
FIRST_MODEL_YEAR = 2010


class TeslaPersistence(Protocol):
    """Where the backend keeps what it learned between runs (HA: a ``Store``)."""

    async def load(self) -> dict[str, Any] | None:
        """Return what was saved last, or None."""

    def save(self, data: dict[str, Any]) -> None:
        """Store data (may be written a little later)."""


@dataclass(slots=True)
class TeslaAccountStatus:
    """What the backend knows about the account, for Home Assistant to show."""

    transport: str
    region: str | None = None
    stream_connected: bool = False
    credits: float | None = None
    """Teslemetry credits left, as last reported (stream ``credits`` events)."""
    credits_exhausted: bool = False
    """A call was refused for lack of credits (402) and none has worked since."""
    signed_out: bool = False
    calls: Counter[CallKind] = field(default_factory=Counter)
    """This UTC month's billed requests by kind (the same counter as the usage's)."""
    estimated_cost: float | None = None
    """This month's Fleet API bill so far in US dollars (None: no cost settings)."""
    budget_exhausted: bool = False
    """The monthly budget affords no more polling; commands still go."""
    unpaired: set[str] = field(default_factory=set)
    """VINs whose last command failed because the car does not know the key."""
    problems: Counter[Problem] = field(default_factory=Counter)


@dataclass(slots=True)
class _Car:
    vehicle: Vehicle
    profile: VehicleProfile
    config: dict[str, Any] | None
    parser: StreamParser
    online: OnlineState | None = None
    state: VehicleState = field(default_factory=VehicleState)


def model_year(vin: str) -> int | None:
    """Return the model year encoded in a VIN's tenth character (2010-2039)."""
    index = MODEL_YEARS.find(vin[9:10]) if len(vin) == 17 else -1  # noqa: PLR2004
    return FIRST_MODEL_YEAR + index if index >= 0 else None


class TeslaBackend:
    """A `Backend` for one Tesla account through one transport (Teslemetry, ...)."""

    def __init__(
        self,
        transport: TeslaTransport,
        *,
        clock: Clock | None = None,
        persistence: TeslaPersistence | None = None,
        wake_timeout: float = WAKE_TIMEOUT,
        cost: CostSettings | None = None,
    ) -> None:
        """Prepare the account; nothing is sent until `login`.

        cost: the owner's monthly budget; without it nothing is held back (a
        transport that bills otherwise, such as Teslemetry's credits).
        """
        install_log_filter()
        self.transport = transport
        self.clock: Clock = clock or RealClock()
        self._persistence = persistence
        self._wake_timeout = wake_timeout
        self.usage = MonthlyUsage.starting(self.clock.now())
        self.planner = CostPlanner(self.usage, cost) if cost is not None else None
        self.status = TeslaAccountStatus(transport.name, calls=self.usage.calls)
        if self.planner is not None:
            self.status.estimated_cost = 0.0
        self.account: AccountInfo | None = None
        self._cars: dict[str, _Car] = {}
        self._configs: dict[str, dict[str, Any]] = {}
        self._streams = StreamFanout()
        self._listeners: list[Callable[[], None]] = []
        self._wakes: dict[str, asyncio.Task[None]] = {}
        self._logged: set[str] = set()
        self._restored = False
        self.events: TeslemetryEvents | None = transport.events(
            self.clock, self._on_event, self._on_stream_status
        )
        transport.set_meter(self._on_request)

    @property
    def supports_stream(self) -> bool:
        """Return whether the transport pushes changes."""
        return self.events is not None

    # -- listeners (Home Assistant: credits sensor, repair issue, waking) -------

    def add_account_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call listener when the account status, a car's online state or equipment changes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    add_listener = add_account_listener
    """The phase-1 name of `add_account_listener` (the HA-free tests use it)."""

    def account_status(self) -> AccountStatus:
        """Return the account as the `Backend` protocol shows it (no quota here).

        Tesla's own details (credits, calls by kind, cost) stay in `status`.
        """
        return AccountStatus(
            signed_out=self.status.signed_out,
            vins=tuple(self._cars) if self._cars else None,
            stream_connected=self.status.stream_connected
            if self.events is not None
            else None,
        )

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    # -- persistence ----------------------------------------------------------------

    async def _restore(self) -> None:
        if self._restored:
            return
        self._restored = True
        data = (await self._persistence.load() if self._persistence else None) or {}
        configs = data.get("vehicle_configs")
        if isinstance(configs, Mapping):
            self._configs = {
                vin: dict(config)
                for vin, config in configs.items()
                if isinstance(config, Mapping)
            }
        self.usage.load(data.get("usage"), self.clock.now())
        if self.planner is not None:
            self.planner.restore(data.get("plan"))
        self._budget_changed()

    def export(self) -> dict[str, Any]:
        """Return what is worth keeping across restarts (no token, no position)."""
        data: dict[str, Any] = {
            "vehicle_configs": self._configs,
            "usage": self.usage.as_dict(),
        }
        if self.planner is not None:
            data["plan"] = self.planner.as_dict()
        return data

    def _persist(self) -> None:
        if self._persistence is not None and self._restored:
            self._persistence.save(self.export())

    # -- Backend protocol -----------------------------------------------------------

    async def login(self) -> None:
        """Check the token; learn the region and scopes."""
        await self._restore()
        self.account = await self._call(self.transport.account())
        self.status.region = self.account.region
        self.status.signed_out = False

    async def list_vehicles(self) -> list[Vehicle]:
        """Return the account's cars (free: the products list, no car is woken)."""
        await self._restore()
        if self.account is None:
            await self.login()
        assert self.account is not None  # noqa: S101 - set by login
        products = await self._call(self.transport.products())
        found: list[Vehicle] = []
        for entry in products:
            vin = entry.get("vin")
            if not isinstance(vin, str) or not vin:
                continue  # an energy site
            if self.account.vehicle_access.get(vin) is False:
                continue  # the owner did not give the transport this car
            config = entry.get("vehicle_config")
            if isinstance(config, Mapping):
                self._configs[vin] = dict(config)
            name = entry.get("display_name")
            car = self._car_for(vin, name if isinstance(name, str) else None)
            try:
                car.online = parse_online_state(entry.get("state"))
            except ParseError as err:
                self._problem(err.problem, "state")
            found.append(car.vehicle)
        self._persist()
        return found

    def _car_for(
        self,
        vin: str,
        name: str | None,
        climate: tuple[float, float] | None = None,
    ) -> _Car:
        """Return the car, rebuilt when its profile (equipment, scopes) changed."""
        config = self._configs.get(vin)
        held = self._cars.get(vin)
        if climate is None and held is not None:
            climate = held.profile.climate_range
        profile = self._profile(config, climate)
        if (
            held is not None
            and held.profile == profile
            and name in {None, held.vehicle.name}
        ):
            return held
        model = MODELS.get(vin[3:4], "Tesla")
        vehicle = Vehicle(
            vin=vin,
            name=name.strip() if name and name.strip() else f"Tesla {model}",
            make="Tesla",
            model=model,
            powertrain=Powertrain.ELECTRIC,
            capabilities=profile.capabilities(),
            model_year=model_year(vin),
        )
        car = _Car(vehicle, profile, config, StreamParser(profile))
        if held is not None:
            car.online, car.state = held.online, held.state
        self._cars[vin] = car
        return car

    def _profile(
        self, config: Mapping[str, Any] | None, climate: tuple[float, float] | None
    ) -> VehicleProfile:
        scopes = self.account.scopes if self.account else frozenset()
        profile = profile_from_config(
            config,
            commands=SCOPE_COMMANDS in scopes,
            location=SCOPE_LOCATION in scopes,
        )
        if climate is not None:
            profile = VehicleProfile(
                profile.right_hand_drive,
                profile.sunroof,
                profile.commands,
                profile.location,
                climate,
            )
        return profile

    def vehicle(self, vin: str) -> Vehicle:
        """Return a listed car."""
        return self._car(vin).vehicle

    def online_state(self, vin: str) -> OnlineState | None:
        """Return whether the car is online, waking, asleep or offline (None: unknown)."""
        return self._car(vin).online

    def state(self, vin: str) -> VehicleState:
        """Return what the backend holds of a car (REST and stream merged)."""
        return self._car(vin).state

    def _car(self, vin: str) -> _Car:
        try:
            return self._cars[vin]
        except KeyError:
            msg = "Unknown vehicle (not listed for this account)"
            raise CommandNotSupportedError(msg) from None

    async def fetch_state(self, vin: str) -> VehicleState:
        """Return the car's state; vehicle_data is fetched only from an awake car."""
        car = self._car(vin)
        self._budget_changed()  # a new month may have begun
        if car.online is not OnlineState.WAKING:
            entry = await self._call(self.transport.vehicle(vin))
            self._set_online_from(car, entry.get("state"))
        if car.online is OnlineState.ONLINE and (purpose := self._read_purpose(vin)):
            if self.planner is not None:
                self.planner.read(
                    vin, self.clock.now(), confirming=purpose == "confirm"
                )
            try:
                await self._fetch_vehicle_data(car)
            except VehicleAsleepError:
                self._set_online(car, OnlineState.ASLEEP)
        return self._cars[
            vin
        ].state  # the car is rebuilt when it reported new equipment

    def _read_purpose(self, vin: str) -> Literal["confirm", "poll"] | None:
        """Return why the car's data may be read now ("confirm", "poll"), or None."""
        if self.planner is None:
            return "poll"
        now = self.clock.now()
        if self.planner.may_confirm(vin, now):
            return "confirm"
        if self.planner.may_poll(vin, now, len(self._cars)):
            return "poll"
        return None

    def poll_interval(self) -> timedelta | None:
        """Return how often an awake car is read now (None: no budget left or none set)."""
        if self.planner is None:
            return None
        return self.planner.poll_interval(self.clock.now(), len(self._cars))

    def budget_status(self) -> BudgetStatus | None:
        """Return the month's Fleet API spending and pace (None: no cost settings)."""
        if self.planner is None:
            return None
        return self.planner.status(self.clock.now(), len(self._cars))

    async def _fetch_vehicle_data(self, car: _Car) -> None:
        endpoints = list(VEHICLE_DATA_ENDPOINTS)
        if car.profile.location:
            endpoints.append(LOCATION_ENDPOINT)
        data = await self._call(self.transport.vehicle_data(car.vehicle.vin, endpoints))
        self._learn_config(car, data)
        car = self._cars[car.vehicle.vin]
        parsed = parse_vehicle_data(data, car.profile, self.clock.now())
        self._apply(car, parsed)

    def _learn_config(self, car: _Car, data: Mapping[str, Any]) -> None:
        """Update a car's profile from vehicle_config and climate bounds it reported."""
        vin = car.vehicle.vin
        config = data.get("vehicle_config")
        if isinstance(config, Mapping) and dict(config) != car.config:
            self._configs[vin] = dict(config)
            self._persist()
        climate = climate_range_of(data.get("climate_state"))
        if self._car_for(vin, car.vehicle.name, climate) is not car:
            _LOGGER.debug("A car reported new equipment; capabilities updated")
            self._notify()

    def stream(self, vin: str) -> AsyncIterator[StreamEvent]:
        """Yield CONNECTED while the account's stream is up, then the car's changes."""
        self._car(vin)
        return self._subscribe(vin)

    async def _subscribe(self, vin: str) -> AsyncIterator[StreamEvent]:
        if self.status.signed_out:
            msg = "Signed out: the token was refused"
            raise VehicleAuthError(msg)
        connected = self.events is not None and self.events.connected
        async with aclosing(
            self._streams.subscribe(vin, connected=connected)
        ) as events:
            async for event in events:
                yield event

    async def send(self, vin: str, command: Command) -> CommandOutcome | None:
        """Wake the car if needed, send the command, raise if the car refused.

        Returns `CommandOutcome.CONFIRMED` when the car answered ``already_set``
        (its own report that it already is as asked), else None: the car's
        state is to confirm it.
        """
        car = self._car(vin)
        if not car.vehicle.capabilities.can(command.kind):
            msg = f"{car.vehicle.name} does not take {command.kind.value}"
            raise CommandNotSupportedError(msg)
        if (
            command.kind is CommandKind.SET_CLIMATE_TARGET
            and command.target_temperature is None
        ):
            msg = "A climate target needs a temperature"
            raise CommandNotSupportedError(msg)
        await self.wake(vin)
        try:
            try:
                result, reason = await self._command(car, command)
            except VehicleAsleepError:
                # It fell asleep since we last looked: wake it and try once more.
                self._set_online(car, OnlineState.ASLEEP)
                await self.wake(vin)
                result, reason = await self._command(car, command)
        except TeslaKeyNotPairedError:
            self._set_paired(vin, paired=False)
            raise
        self._set_paired(vin, paired=True)
        if not result and reason in DONE_REASONS:
            return CommandOutcome.CONFIRMED
        if self.planner is not None:
            # Reads that confirm the command, or show the car after a refusal.
            self.planner.command_sent(vin, self.clock.now())
        if not result:
            raise TeslaCommandRefusedError(command.kind.value, reason)
        return None

    async def check_pairing(self) -> set[str]:
        """Ask which listed cars need the integration's key and lack it (free).

        `status.unpaired` becomes that answer (listeners hear of a change): a
        car paired since is taken off, one whose key was removed put on.
        """
        unpaired = set(
            await self._call(self.transport.cars_without_key(list(self._cars)))
        )
        if unpaired != self.status.unpaired:
            self.status.unpaired = unpaired
            self._notify()
        return unpaired

    def _set_paired(self, vin: str, *, paired: bool) -> None:
        if paired == (vin not in self.status.unpaired):
            return
        if paired:
            self.status.unpaired.discard(vin)
        else:
            self.status.unpaired.add(vin)
        self._notify()

    async def _command(self, car: _Car, command: Command) -> tuple[bool, str]:
        if (
            command.kind is CommandKind.START_CLIMATE
            and command.target_temperature is not None
        ):
            target = Command(CommandKind.SET_CLIMATE_TARGET, command.target_temperature)
            result, reason = await self._call(
                self.transport.command(car.vehicle.vin, target)
            )
            if not result and reason not in DONE_REASONS:
                return result, reason
        return await self._call(self.transport.command(car.vehicle.vin, command))

    async def wake(self, vin: str) -> None:
        """Make sure the car is online: wake it (once, shared) if it is not."""
        car = self._car(vin)
        if car.online is OnlineState.ONLINE:
            return
        task = self._wakes.get(vin)
        if task is None or task.done():
            task = asyncio.create_task(self._wake(car), name="tesla wake")
            self._wakes[vin] = task
        await asyncio.shield(task)

    async def _wake(self, car: _Car) -> None:
        vin = car.vehicle.vin
        entry = await self._call(self.transport.vehicle(vin))
        self._set_online_from(car, entry.get("state"))
        if car.online is OnlineState.ONLINE:
            return
        self._set_online(car, OnlineState.WAKING)
        try:
            await self._call(self.transport.wake_up(vin))
            deadline = self._wake_timeout
            while deadline > 0:
                await self.clock.sleep(WAKE_POLL_INTERVAL)
                deadline -= WAKE_POLL_INTERVAL
                entry = await self._call(self.transport.vehicle(vin))
                if entry.get("state") == OnlineState.ONLINE.value:
                    self._set_online(car, OnlineState.ONLINE)
                    return
        finally:
            if car.online is OnlineState.WAKING:
                self._set_online(car, OnlineState.ASLEEP, end_wake=True)
        msg = f"{car.vehicle.name} did not wake up within {self._wake_timeout:.0f} s"
        raise VehicleAsleepError(msg)

    async def run(self) -> None:
        """Keep the account's stream connected until cancelled (or signed out).

        Without a stream (the Fleet API) there is nothing long-running: polling
        is the coordinators' job, so this returns at once.
        """
        if self.events is not None:
            await self.events.run()

    async def close(self) -> None:
        """Close the stream and every open car stream; save what was learned."""
        if self.events is not None:
            self.events.close()
        for task in self._wakes.values():
            task.cancel()
        self._persist()

    def diagnostics(self) -> dict[str, Any]:
        """Return the account's state for a diagnostics download (caller redacts VINs)."""
        return {
            "transport": self.transport.name,
            "region": self.status.region,
            "stream": {
                "connected": self.status.stream_connected,
                "connections": self.events.connections if self.events else 0,
                "interruptions": self.events.interruptions if self.events else 0,
            },
            "credits": self.status.credits,
            "credits_exhausted": self.status.credits_exhausted,
            "signed_out": self.status.signed_out,
            "calls": {kind.value: self.status.calls[kind] for kind in CallKind},
            "estimated_cost": self.status.estimated_cost,
            "budget_exhausted": self.status.budget_exhausted,
            "problems": {p.value: n for p, n in self.status.problems.items()},
            "vehicles": [
                {
                    "vin": vin,
                    "online": car.online and car.online.value,
                    "key_paired": vin not in self.status.unpaired,
                    "profile": {
                        "right_hand_drive": car.profile.right_hand_drive,
                        "sunroof": car.profile.sunroof,
                        "commands": car.profile.commands,
                        "location": car.profile.location,
                        "climate_range": list(car.profile.climate_range),
                    },
                }
                for vin, car in self._cars.items()
            ],
        }

    # -- calls ----------------------------------------------------------------------

    def _on_request(self, kind: CallKind, status: int | None) -> None:
        """Count a billed request (any answer below 500) of the transport's."""
        if status is None or status >= BILLED_BELOW_STATUS:
            return
        self.usage.record(kind, self.clock.now())
        if kind is not CallKind.FREE:
            self._budget_changed()
            self._persist()
            self._notify()  # the month's counts (and cost) changed

    def _budget_changed(self) -> None:
        """Update the status's cost and exhaustion; tell listeners when it ran out."""
        if self.planner is None:
            return
        self.status.estimated_cost = self.usage.cost
        exhausted = self.poll_interval() is None
        if exhausted != self.status.budget_exhausted:
            self.status.budget_exhausted = exhausted
            if exhausted:
                _LOGGER.warning(
                    "The monthly Tesla Fleet API budget is spent: polling stops until "
                    "the month ends, commands still go"
                )
            self._notify()

    async def _call[T](self, call: Awaitable[T]) -> T:
        """Await a transport call; track credits and sign-out."""
        try:
            result = await call
        except InsufficientCreditsError:
            self._set_credits_exhausted(exhausted=True)
            raise
        except TeslaPaymentError:
            self._notify()
            raise
        except VehicleAuthError:
            self._sign_out()
            raise
        self._set_credits_exhausted(exhausted=False)
        return result

    def _set_credits_exhausted(self, *, exhausted: bool) -> None:
        if self.status.credits_exhausted != exhausted:
            self.status.credits_exhausted = exhausted
            self._notify()

    def _sign_out(self) -> None:
        if self.status.signed_out:
            return
        self.status.signed_out = True
        self._streams.publish_all(VehicleAuthError("The token was refused"))
        self._notify()

    # -- merging ----------------------------------------------------------------------

    def _apply(self, car: _Car, parsed: Parsed) -> None:
        for problem, key in parsed.problems:
            self._problem(problem, key)
        if not parsed.readings:
            return
        result = car.state.merge(parsed.readings)
        for rejected in result.rejected:
            problem = (
                Problem.STALE
                if rejected.reason is RejectReason.STALE
                else Problem.OUT_OF_RANGE
            )
            self._problem(problem, rejected.reading.signal.key)
        car.state = result.state
        if result.changed:
            self._streams.publish(
                car.vehicle.vin, StateUpdate(car.vehicle.vin, result.changed)
            )

    def _set_online_from(self, car: _Car, raw: object) -> None:
        try:
            self._set_online(car, parse_online_state(raw))
        except ParseError as err:
            self._problem(err.problem, "state")

    def _set_online(
        self, car: _Car, online: OnlineState, *, end_wake: bool = False
    ) -> None:
        """Record the car's reachability; the reading carries our clock's time.

        It is the backend's own judgement (it includes "waking"), so it is kept in
        our time line rather than the car's.
        """
        if (
            car.online is OnlineState.WAKING
            and online is not OnlineState.ONLINE
            and not end_wake
        ):
            online = OnlineState.WAKING  # still waking until it is online
        changed = online is not car.online
        car.online = online
        parsed = Parsed()
        parsed.add(signals.ONLINE_STATE, online.value, self.clock.now())
        self._apply(car, parsed)
        if changed:
            self._notify()

    def _problem(self, problem: Problem, key: str) -> None:
        self.status.problems[problem] += 1
        if problem is Problem.STALE:
            return  # reordered events are normal; counted, not logged
        tag = f"{problem.value}:{key}"
        if tag in self._logged:
            return
        self._logged.add(tag)
        _LOGGER.warning(
            "Ignoring Tesla input (%s in %s); this kind is logged once",
            problem.value,
            key,
        )

    # -- stream events -------------------------------------------------------------------

    def _on_stream_status(self, connected: bool, error: VehicleError | None) -> None:  # noqa: FBT001
        self.status.stream_connected = connected
        if connected:
            self._streams.publish_all(StreamStatus.CONNECTED)
        elif isinstance(error, VehicleAuthError):
            self._sign_out()
        else:
            self._streams.publish_all(error or VehicleConnectionError("Stream lost"))
        self._notify()

    def _on_event(self, event: dict[str, Any]) -> None:
        """Handle one stream event; never raises."""
        try:
            self._handle_event(event)
        except Exception:  # the stream must survive anything
            self._problem(Problem.NOT_AN_OBJECT, "event")
            _LOGGER.debug("Error while reading a Tesla stream event", exc_info=True)

    def _handle_event(self, event: dict[str, Any]) -> None:
        if isinstance(credits_event := event.get("credits"), Mapping):
            balance = credits_event.get("balance")
            if isinstance(balance, int | float) and not isinstance(balance, bool):
                self.status.credits = float(balance)
                self._set_credits_exhausted(exhausted=balance <= 0)
                self._notify()
            return
        vin = event.get("vin")
        car = self._cars.get(vin) if isinstance(vin, str) else None
        if car is None:
            if any(key in event for key in ("data", "state", "vehicle_data")):
                self._problem(Problem.UNKNOWN_VIN, "vin")
            return
        try:
            at = parse_created_at(event.get("createdAt"))
        except ParseError as err:
            self._problem(err.problem, "createdAt")
            return
        if "state" in event:
            self._set_online_from(car, event.get("state"))
        if "data" in event:
            data = event.get("data")
            if not isinstance(data, Mapping):
                self._problem(Problem.NOT_AN_OBJECT, "data")
            else:
                self._apply(car, car.parser.parse(data, at))
                if car.online is not OnlineState.ONLINE and data:
                    self._set_online(car, OnlineState.ONLINE)  # it is sending
        if "vehicle_data" in event:
            data = event.get("vehicle_data")
            if isinstance(data, Mapping):
                self._learn_config(car, data)
            self._apply(
                self._cars[car.vehicle.vin],
                parse_vehicle_data(data, self._cars[car.vehicle.vin].profile, at),
            )
