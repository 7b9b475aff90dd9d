"""Which REST calls are worth one of the 50 daily calls.

The stream carries almost everything, for free. REST is spent only where the
stream cannot help:

- at setup: the vehicle list, each car's basic data and one telematic snapshot
  (so entities have values before the car ever drives); after a restart only
  what is older than its refresh age (the answers are persisted);
- once a day: the vehicle list and basic data (new cars, renamed models);
- after activity: once the stream has gone quiet for `settle_after` (the car
  was parked), one telematic snapshot, mainly for the lock status, which BMW
  does not stream; at most every `after_activity_spacing`;
- when the stream has been silent for `silent_after`: one snapshot, in case
  the stream missed something;
- when asked (a poll while the stream is down, or the user's refresh), if the
  last snapshot is old enough.

A reserve stays untouched by all but setup calls, each car may use only its
share, and nothing is spent while BMW's quota block (CU-429) holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from ..utc_time import parse_aware_time
from .quota import QuotaBudget


class Call(StrEnum):
    """The kinds of REST calls the planner schedules."""

    MAPPINGS = "mappings"
    BASIC_DATA = "basic_data"
    TELEMATIC = "telematic"


@dataclass(frozen=True, slots=True)
class PlannerSettings:
    """Tunables of the plan (tests shorten none of them: they move the clock)."""

    reserve: int = 6
    """Calls kept for setups, re-authentication and restarts."""
    daily_refresh: timedelta = timedelta(hours=24)
    restart_refresh_after: timedelta = timedelta(hours=1)
    """At setup, a snapshot is fetched only when the last is older than this."""
    settle_after: timedelta = timedelta(minutes=10)
    after_activity_spacing: timedelta = timedelta(minutes=90)
    silent_after: timedelta = timedelta(hours=6)
    on_demand_spacing_streaming: timedelta = timedelta(minutes=15)
    on_demand_spacing_polling: timedelta = timedelta(hours=1)


@dataclass(slots=True)
class VehiclePlan:
    """What the planner knows of one car."""

    basic_data_at: datetime | None = None
    telematic_at: datetime | None = None
    telematic_calls: list[datetime] = field(default_factory=list)
    last_stream_at: datetime | None = None
    """Last stream message (not persisted: a restart starts a new silence)."""

    def as_dict(self) -> dict[str, Any]:
        """Return what survives a restart."""
        return {
            "basic_data_at": _iso(self.basic_data_at),
            "telematic_at": _iso(self.telematic_at),
            "telematic_calls": [call.isoformat() for call in self.telematic_calls],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VehiclePlan:
        """Rebuild from storage; unreadable fields count as never."""
        calls = data.get("telematic_calls")
        return cls(
            basic_data_at=parse_aware_time(data.get("basic_data_at")),
            telematic_at=parse_aware_time(data.get("telematic_at")),
            telematic_calls=[
                parsed
                for item in (calls if isinstance(calls, list) else [])
                if (parsed := parse_aware_time(item)) is not None
            ],
        )


class RestPlanner:
    """Decides, from the budget and each car's history, which calls to make."""

    def __init__(
        self,
        budget: QuotaBudget,
        settings: PlannerSettings | None = None,
        started_at: datetime | None = None,
    ) -> None:
        """Plan against budget; started_at begins the first silence period."""
        self.budget = budget
        self.settings = settings or PlannerSettings()
        self.vehicles: dict[str, VehiclePlan] = {}
        self.mappings_at: datetime | None = None
        self.started_at = started_at

    def vehicle(self, vin: str) -> VehiclePlan:
        """Return (creating) the plan state of a car."""
        return self.vehicles.setdefault(vin, VehiclePlan())

    # -- budget ---------------------------------------------------------------

    def _affordable(self, now: datetime, *, essential: bool = False) -> bool:
        floor = 0 if essential else self.settings.reserve
        return self.budget.remaining(now) > floor

    def _vehicle_share(self) -> int:
        """Snapshots one car may fetch per window, leaving room for the rest."""
        count = max(len(self.vehicles), 1)
        daily = 2 * (count + 1)  # mappings and basic data, with slack
        return max((self.budget.limit - self.settings.reserve - daily) // count, 1)

    def _within_share(self, vin: str, now: datetime) -> bool:
        plan = self.vehicle(vin)
        start = now - self.budget.window
        plan.telematic_calls = [call for call in plan.telematic_calls if call > start]
        return len(plan.telematic_calls) < self._vehicle_share()

    # -- recording ------------------------------------------------------------

    def record(self, call: Call, now: datetime, vin: str | None = None) -> None:
        """Note that a call was made (successfully or not)."""
        if call is Call.MAPPINGS:
            self.mappings_at = now
            return
        assert vin is not None  # noqa: S101 - vehicle calls name their car
        plan = self.vehicle(vin)
        if call is Call.BASIC_DATA:
            plan.basic_data_at = now
        else:
            plan.telematic_at = now
            plan.telematic_calls.append(now)

    def stream_message(self, vin: str, now: datetime) -> None:
        """Note a stream message for a car."""
        self.vehicle(vin).last_stream_at = now

    # -- decisions ------------------------------------------------------------

    def _older(self, at: datetime | None, now: datetime, age: timedelta) -> bool:
        return at is None or now - at >= age

    def mappings_due(self, now: datetime, *, setup: bool = False) -> bool:
        """Return whether to (re)read the vehicle list."""
        if not self._older(self.mappings_at, now, self.settings.daily_refresh):
            return False
        return self._affordable(now, essential=setup)

    def basic_data_due(self, vin: str, now: datetime, *, setup: bool = False) -> bool:
        """Return whether to (re)read a car's basic data."""
        plan = self.vehicle(vin)
        if not self._older(plan.basic_data_at, now, self.settings.daily_refresh):
            return False
        return self._affordable(now, essential=setup)

    def setup_snapshot_due(self, vin: str, now: datetime) -> bool:
        """Return whether setup should fetch a telematic snapshot of a car."""
        plan = self.vehicle(vin)
        return self._older(
            plan.telematic_at, now, self.settings.restart_refresh_after
        ) and self._affordable(now, essential=plan.telematic_at is None)

    def planned_snapshot_due(self, vin: str, now: datetime) -> bool:
        """Return whether the background plan should fetch a snapshot now."""
        settings = self.settings
        plan = self.vehicle(vin)
        last_message = plan.last_stream_at
        after_activity = (
            last_message is not None
            and now - last_message >= settings.settle_after
            and (plan.telematic_at is None or plan.telematic_at < last_message)
            and self._older(plan.telematic_at, now, settings.after_activity_spacing)
        )
        quiet_since = max(
            (
                at
                for at in (last_message, plan.telematic_at, self.started_at)
                if at is not None
            ),
            default=None,
        )
        silent = quiet_since is not None and now - quiet_since >= settings.silent_after
        return (
            (after_activity or silent)
            and self._affordable(now)
            and self._within_share(vin, now)
        )

    def on_demand_snapshot_due(
        self, vin: str, now: datetime, *, streaming: bool
    ) -> bool:
        """Return whether a request for fresh data (poll, refresh) may spend a call."""
        spacing = (
            self.settings.on_demand_spacing_streaming
            if streaming
            else self.settings.on_demand_spacing_polling
        )
        return (
            self._older(self.vehicle(vin).telematic_at, now, spacing)
            and self._affordable(now)
            and self._within_share(vin, now)
        )

    # -- storage --------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """Return the plan state that survives a restart."""
        return {
            "mappings_at": _iso(self.mappings_at),
            "vehicles": {vin: plan.as_dict() for vin, plan in self.vehicles.items()},
        }

    def restore(self, data: Mapping[str, Any] | None) -> None:
        """Load stored plan state (unknown or broken fields are ignored)."""
        if not data:
            return
        self.mappings_at = parse_aware_time(data.get("mappings_at"))
        vehicles = data.get("vehicles")
        if isinstance(vehicles, Mapping):
            self.vehicles = {
                vin: VehiclePlan.from_dict(plan)
                for vin, plan in vehicles.items()
                if isinstance(vin, str) and isinstance(plan, Mapping)
            }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
