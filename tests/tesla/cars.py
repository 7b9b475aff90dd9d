"""A car as Tesla's cloud sees it: shared by the local Teslemetry and the local Fleet API.

The physics are the foundation's `SimulatedCar` on the test's clock: it falls
asleep when idle, answers 408 while asleep, wakes 10-30 s after ``wake_up``,
changes state on commands (seen in the next vehicle_data), refuses to lock with
a door open and answers a repeated command with ``already_set``.

Assumed, not seen in public captures: the refusal text for locking with a door
open (``"door open"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import random
from typing import Any

from aiohttp import web

from custom_components.connected_car.vehicle.exceptions import (
    CommandFailedError,
    CommandFailureReason,
)
from custom_components.connected_car.vehicle.models import Command, CommandKind
from custom_components.connected_car.vehicle.simulator import SimulatedCar
from custom_components.connected_car.vehicle.tesla import stream_field_names

from .encoder import sample, vehicle_data
from .https import sample_error

WAKE_SECONDS = (10.0, 30.0)
COMMANDS = {
    "door_lock": CommandKind.LOCK,
    "door_unlock": CommandKind.UNLOCK,
    "auto_conditioning_start": CommandKind.START_CLIMATE,
    "auto_conditioning_stop": CommandKind.STOP_CLIMATE,
    "set_temps": CommandKind.SET_CLIMATE_TARGET,
    "flash_lights": CommandKind.FLASH_LIGHTS,
    "honk_horn": CommandKind.SOUND_HORN,
}
"""REST command names and what they do to the simulated car."""


STREAMED_FIELDS = stream_field_names(location=True)


def stream_config(fields: Iterable[str]) -> dict[str, Any]:
    """Return a car's stream configuration naming fields (Teslemetry's shape)."""
    config = sample("teslemetry_stream_config")
    config["fields"] = {name: {"interval_seconds": 60} for name in fields}
    return config


def refusal_text(reason: CommandFailureReason) -> str:
    """Return the ``reason`` a car gives when it refuses for reason."""
    return "door open" if reason is CommandFailureReason.DOOR_OPEN else reason.value


@dataclass
class FakeCar:
    """One car at a fake: physics, equipment and what the cloud knows of it."""

    car: SimulatedCar
    right_hand_drive: bool = False
    sunroof: bool = True
    version: str = "2026.14.6"
    display_name: str = "Test"
    config_in_products: bool = True
    """False: the products entry has no vehicle_config (streaming cars, per HA tests)."""
    offline: bool = False
    """Never comes online (a car in a garage without reception)."""
    command_signing: str = "allowed"
    """The products entry's ``command_signing``: required, allowed or off."""
    stream_config: dict[str, Any] | None = field(
        default_factory=lambda: stream_config(STREAMED_FIELDS)
    )
    """Teslemetry's ``api/config/{vin}`` of the car (None: never configured).

    The car streams only the fields named here; by default every field the
    integration reads, as if the owner had set it up at Teslemetry."""
    unstreamable: frozenset[str] = frozenset()
    """Fields this car cannot stream (Teslemetry answers them as ``ignoredFields``)."""
    wake_at: datetime | None = None
    commands: list[str] = field(default_factory=list)
    """REST command names (and signed commands by the same names) carried out."""

    @property
    def vin(self) -> str:
        """Return the car's VIN."""
        return self.car.vin

    @property
    def state(self) -> str:
        """Return online, asleep or offline as the cloud reports it."""
        if self.offline:
            return "offline"
        return "asleep" if self.car.asleep else "online"

    def entry(self) -> dict[str, Any]:
        """Return the car's ``vehicles/{vin}`` object (free: no wake)."""
        entry = sample("fleet_vehicle_online")["response"]
        entry.update(vin=self.vin, display_name=self.display_name, state=self.state)
        return entry

    def product(self) -> dict[str, Any]:
        """Return the car's entry in the products list."""
        entry = sample("fleet_products")["response"][0]
        entry.update(
            vin=self.vin,
            display_name=self.display_name,
            state=self.state,
            command_signing=self.command_signing,
        )
        if self.config_in_products:
            entry["vehicle_config"].update(
                rhd=self.right_hand_drive,
                sun_roof_installed=True if self.sunroof else None,
            )
        else:
            entry.pop("vehicle_config")
        return entry

    def data(
        self, endpoints: str | None, *, location: bool, now: datetime
    ) -> dict[str, Any]:
        """Return vehicle_data's ``response``; GPS only with location permission."""
        sections = set(endpoints.split(";")) if endpoints else None
        if sections and "location_data" in sections and not location:
            sections.discard("location_data")
        return vehicle_data(
            self.car,
            state=self.state,
            endpoints=sections,
            right_hand_drive=self.right_hand_drive,
            sunroof=self.sunroof,
            version=self.version,
            now=now,
        )

    def data_answer(
        self, endpoints: str | None, scopes: Iterable[str], now: datetime
    ) -> web.Response:
        """Answer vehicle_data: 408 unless online; GPS only with vehicle_location."""
        if self.state != "online":
            return sample_error("fleet_error_408_vehicle_offline")
        data = self.data(endpoints, location="vehicle_location" in scopes, now=now)
        return web.json_response({"response": data})

    def advance(self, now: datetime) -> tuple[str, list[Any]]:
        """Move the car to now, waking it if it was woken; return (old state, changes)."""
        was = self.state
        changes = self.car.advance_to(now)
        if self.wake_at is not None and now >= self.wake_at:
            self.wake_at = None
            self.car.wake()
            changes += self.car.collect_changes()
        return was, changes

    def wake_up(self, now: datetime, rng: random.Random) -> None:
        """Start waking (online 10-30 s from now); an online car stays as it is."""
        if self.state == "asleep" and self.wake_at is None:
            self.wake_at = now + timedelta(seconds=rng.uniform(*WAKE_SECONDS))

    def streamed(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Return the fields of a change the car's stream configuration names."""
        configured = (self.stream_config or {}).get("fields") or {}
        return {name: value for name, value in fields.items() if name in configured}

    def configure_stream(self, fields: dict[str, Any]) -> list[str]:
        """Add fields to the stream configuration; return those the car ignores."""
        ignored = [name for name in fields if name in self.unstreamable]
        config = self.stream_config or stream_config(())
        config["fields"].update(
            {
                name: value
                for name, value in fields.items()
                if name not in self.unstreamable
            }
        )
        self.stream_config = config
        return ignored

    def execute(
        self, name: str, kind: CommandKind, target: float | None
    ) -> tuple[bool, str]:
        """Carry out a command; return the car's ``(result, reason)``."""
        self.commands.append(name)
        car = self.car
        already = {
            CommandKind.LOCK: car.locked,
            CommandKind.UNLOCK: not car.locked,
            CommandKind.START_CLIMATE: car.climate_active,
            CommandKind.STOP_CLIMATE: not car.climate_active,
            CommandKind.SET_CLIMATE_TARGET: car.climate_target == target,
        }.get(kind, False)
        if already:
            return False, "already_set"
        try:
            car.execute(Command(kind, target))
        except CommandFailedError as err:
            return False, refusal_text(err.reason)
        return True, ""
