"""A throw-away backend and its adapter, defined only here.

It proves that a backend is a plug-in: registered with ``patch.dict`` on the
registry, it gets a config flow, entities from its car's capabilities, an
account entity and diagnostics, without any generic module knowing it. Its
car reports its range, odometer and lock, takes lock and unlock, and has
neither fuel nor a drive battery.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
import voluptuous as vol

from custom_components.connected_car.account import (
    AccountSensor,
    AccountSensorDescription,
)
from custom_components.connected_car.backends import (
    BackendAdapter,
    BackendFlow,
    whole_number,
)
from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.coordinator import ConnectedCarConfigEntry
from custom_components.connected_car.vehicle import (
    AccountStatus,
    Capabilities,
    Command,
    CommandKind,
    Powertrain,
    Reading,
    StateUpdate,
    StreamEvent,
    Vehicle,
    VehicleState,
    signals,
)
from custom_components.connected_car.vehicle.clock import RealClock
from custom_components.connected_car.vehicle.streams import StreamFanout

TOY = "toy"
TOY_VIN = "TOY0000000000001X"
SECRET = "toy-secret-4711"
CALLS = AccountSensorDescription(
    key="toy_calls_left",
    name="Calls left",
    value_fn=lambda status: status.calls_left,
)


class ToyBackend:
    """One toy car that pushes every change (a `Backend`, HA-free)."""

    supports_stream = True

    def __init__(self, name: str) -> None:
        """Build the car: locked, 123 km of range."""
        self.vehicle = Vehicle(
            vin=TOY_VIN,
            name=name,
            make="Toy",
            model="Model T",
            powertrain=Powertrain.ELECTRIC,
            capabilities=Capabilities.of(
                [signals.RANGE, signals.ODOMETER, signals.LOCKED],
                [CommandKind.LOCK, CommandKind.UNLOCK],
            ),
        )
        self._readings = {
            signals.RANGE: 123.0,
            signals.ODOMETER: 4711.0,
            signals.LOCKED: True,
        }
        self._streams = StreamFanout()
        self.sent: list[Command] = []
        self.clock = RealClock()

    def _now_readings(self) -> tuple[Reading[Any], ...]:
        now = self.clock.now()
        return tuple(
            Reading(signal, value, now) for signal, value in self._readings.items()
        )

    async def login(self) -> None:
        """Nothing to sign in to."""

    async def list_vehicles(self) -> list[Vehicle]:
        """Return the toy car."""
        return [self.vehicle]

    async def fetch_state(self, vin: str) -> VehicleState:
        """Return the car's readings, timestamped now."""
        return VehicleState().merge(self._now_readings()).state

    async def stream(self, vin: str) -> AsyncIterator[StreamEvent]:
        """Yield connected, then every change."""
        async with aclosing(self._streams.subscribe(vin, connected=True)) as events:
            async for event in events:
                yield event

    async def send(self, vin: str, command: Command) -> None:
        """Lock or unlock at once, and push the new state."""
        self.sent.append(command)
        self._readings[signals.LOCKED] = command.kind is CommandKind.LOCK
        self._streams.publish(vin, StateUpdate(vin, self._now_readings()))

    async def run(self) -> None:
        """Nothing runs in the background."""

    async def close(self) -> None:
        """Nothing to release."""

    def diagnostics(self) -> dict[str, Any]:
        """Return what a toy knows, with its secret (the adapter redacts it)."""
        return {"commands_sent": len(self.sent), "secret": SECRET}

    def account_status(self) -> AccountStatus:
        """Return a quota: 7 of 10 calls left."""
        return AccountStatus(vins=(TOY_VIN,), calls_limit=10, calls_left=7)

    def add_account_listener(self, listener: Callable[[], None]) -> Callable[[], None]:
        """The toy account never changes."""
        return lambda: None


class ToyFlow(BackendFlow["ToyAdapter"]):
    """One step: the car's name."""

    async def async_step_toy(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the name of the toy car."""
        if user_input is not None:
            await self.flow.async_set_unique_id(f"{TOY}-{user_input['name']}")
            self.flow.abort_if_configured()
            return self.flow.create_backend_entry(
                title=user_input["name"],
                data={"name": user_input["name"], "secret": SECRET},
            )
        return self.flow.async_show_form(
            step_id=TOY, data_schema=vol.Schema({vol.Required("name"): str})
        )


class ToyAdapter(BackendAdapter):
    """The toy backend's Home Assistant side."""

    backend_id = TOY
    flow_class = ToyFlow
    redact = frozenset({"secret"})

    def create_backend(self, hass: HomeAssistant, entry: ConfigEntry) -> ToyBackend:
        """Build the toy car named in the entry."""
        return ToyBackend(entry.data["name"])

    def option_fields(self, entry: ConfigEntry) -> dict[vol.Marker, Any]:
        """Offer how loud the toy's horn is."""
        return {vol.Required("loudness", default=3): whole_number(1, 10)}

    def entities(
        self, entry: ConnectedCarConfigEntry, platform: Platform
    ) -> list[Entity]:
        """Give the account a calls-left sensor."""
        if platform is not Platform.SENSOR:
            return []
        device = DeviceInfo(
            identifiers={(DOMAIN, f"{TOY}-account-{entry.entry_id}")},
            name="Toy account",
        )
        return [AccountSensor(entry, device, CALLS)]

    def device_identifiers(self, entry: ConfigEntry) -> set[str]:
        """Keep the account device."""
        return {f"{TOY}-account-{entry.entry_id}"}

    def diagnostics(self, entry: ConnectedCarConfigEntry) -> dict[str, Any]:
        """Add what only the adapter knows."""
        return {"adapter": TOY, "secret": SECRET}
