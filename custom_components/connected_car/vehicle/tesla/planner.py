"""What the Fleet API costs this month, and how often a car may be read so it stays in budget.

Tesla bills every answer below HTTP 500: $1 per 500 data requests, per 50 wakes
and per 1,000 commands; the vehicle list and a car's state are free. The month
is a UTC calendar month (like the CarData quota's UTC day).

`MonthlyUsage` counts the billed requests of the month by kind and survives
restarts. `CostPlanner` spends the owner's monthly budget:

- commands come first: a reserve per car and remaining day is kept for them
  (the command, the wake it may need and the reads that confirm it), and they
  are never refused, even when the budget is spent;
- polling gets the rest, spread evenly over the days left: the poll interval is
  the time left in the month divided by the data requests the rest affords each
  car (never shorter than `CostSettings.min_poll_interval`), so a month in which
  the cars slept a lot polls faster towards its end, a month of many commands
  slower;
- a sleeping car is never woken to be polled (the backend reads the free state
  first); when the rest no longer affords a round of polls the budget is
  *exhausted*: polling stops until the month ends (or the owner raises the
  budget), commands go on. It stays exhausted although the shrinking reserve
  frees a few cents as the month goes by: a budget that flickered between
  spent and not would raise and clear Home Assistant's repair issue all day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..utc_time import next_utc_month_start, parse_aware_time, utc_month_start
from .const import MONTHLY_ALLOWANCE_USD, PRICES_USD, CallKind

SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True, slots=True)
class CostSettings:
    """The owner's budget and the planner's tunables."""

    monthly_budget: float = MONTHLY_ALLOWANCE_USD
    """US dollars per month for the account (default: Tesla's monthly allowance)."""
    command_reserve_per_car_day: float = 0.05
    """Dollars per car and day kept for commands: about two commands to a sleeping
    car (wake, command, confirming reads) a day."""
    min_poll_interval: timedelta = timedelta(minutes=10)
    """Never poll a car faster (Tesla's own integration polls every 10 minutes; it
    also keeps a car within Tesla's per-car daily request limits)."""
    confirm_window: timedelta = timedelta(minutes=2)
    """After a command, the car may be read to confirm it for this long ..."""
    confirm_spacing: timedelta = timedelta(seconds=5)
    """... at most this often ..."""
    confirm_reads: int = 6
    """... and at most this many times."""


@dataclass(slots=True)
class MonthlyUsage:
    """The billed requests of one UTC calendar month, by kind."""

    month: datetime
    """00:00 UTC on the month's first day."""
    calls: Counter[CallKind] = field(default_factory=Counter)

    @classmethod
    def starting(cls, now: datetime) -> MonthlyUsage:
        """Return an empty usage of now's month."""
        return cls(utc_month_start(now))

    def roll(self, now: datetime) -> bool:
        """Start a new month when now is past this one; return whether it did."""
        month = utc_month_start(now)
        if month <= self.month:
            return False
        self.month = month
        self.calls.clear()
        return True

    def record(self, kind: CallKind, now: datetime) -> None:
        """Count one billed request."""
        self.roll(now)
        self.calls[kind] += 1

    @property
    def cost(self) -> float:
        """Return this month's estimated bill in US dollars (before the allowance)."""
        return sum(
            (PRICES_USD[kind] * count for kind, count in self.calls.items()), 0.0
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the usage for storage."""
        return {
            "month": self.month.isoformat(),
            "calls": {kind.value: self.calls[kind] for kind in CallKind},
        }

    def load(self, data: object, now: datetime) -> None:
        """Take stored counts if they are of now's month (else start afresh)."""
        self.month = utc_month_start(now)
        self.calls.clear()
        if not isinstance(data, Mapping):
            return
        calls = data.get("calls")
        if parse_aware_time(data.get("month")) != self.month or not isinstance(
            calls, Mapping
        ):
            return
        for kind in CallKind:
            count = calls.get(kind.value)
            if isinstance(count, int) and not isinstance(count, bool) and count > 0:
                self.calls[kind] = count


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    """The month's spending as the owner sees it."""

    monthly_budget: float
    estimated_cost: float
    """This month's bill so far at Tesla's prices, before the monthly allowance."""
    exhausted: bool
    """Polling has stopped for the month; commands still go."""
    poll_interval: timedelta | None
    """How often an awake car is read now (None: exhausted)."""
    calls: Mapping[CallKind, int]
    month_start: datetime
    resets_at: datetime


@dataclass(slots=True)
class _Confirming:
    until: datetime
    reads: int = 0
    last: datetime | None = None


class CostPlanner:
    """Decides which data requests the month's budget affords."""

    def __init__(self, usage: MonthlyUsage, settings: CostSettings) -> None:
        """Plan against usage (shared with the backend, which records into it)."""
        self.usage = usage
        self.settings = settings
        self.last_read: dict[str, datetime] = {}
        """Per VIN, when its data was last read (persisted: restarts do not re-read)."""
        self._confirming: dict[str, _Confirming] = {}
        self._exhausted: tuple[datetime, float] | None = None
        """(month, budget) when polling ran out of money (persisted)."""

    def _reserve(self, now: datetime, cars: int) -> float:
        days_left = (next_utc_month_start(now) - now).total_seconds() / SECONDS_PER_DAY
        return self.settings.command_reserve_per_car_day * cars * days_left

    def poll_interval(self, now: datetime, cars: int) -> timedelta | None:
        """Return how often each of cars may be read now; None when the budget is spent."""
        self.usage.roll(now)
        if self._exhausted is not None:
            month, budget = self._exhausted
            if month == self.usage.month and self.settings.monthly_budget <= budget:
                return None
            self._exhausted = None  # a new month, or the owner raised the budget
        cars = max(cars, 1)
        money = (
            self.settings.monthly_budget - self.usage.cost - self._reserve(now, cars)
        )
        reads_per_car = money / PRICES_USD[CallKind.DATA] / cars
        if reads_per_car < 1:
            self._exhausted = (self.usage.month, self.settings.monthly_budget)
            return None
        seconds_left = (next_utc_month_start(now) - now).total_seconds()
        return max(
            timedelta(seconds=seconds_left / reads_per_car),
            self.settings.min_poll_interval,
        )

    def may_poll(self, vin: str, now: datetime, cars: int) -> bool:
        """Return whether an awake car's data may be read for polling now."""
        interval = self.poll_interval(now, cars)
        last = self.last_read.get(vin)
        return interval is not None and (last is None or now - last >= interval)

    def command_sent(self, vin: str, now: datetime) -> None:
        """Open the window in which the car may be read to confirm a command."""
        self._confirming[vin] = _Confirming(now + self.settings.confirm_window)

    def may_confirm(self, vin: str, now: datetime) -> bool:
        """Return whether a read now would confirm a recent command (budget or not)."""
        confirming = self._confirming.get(vin)
        return (
            confirming is not None
            and now <= confirming.until
            and confirming.reads < self.settings.confirm_reads
            and (
                confirming.last is None
                or now - confirming.last >= self.settings.confirm_spacing
            )
        )

    def read(self, vin: str, now: datetime, *, confirming: bool) -> None:
        """Note that the car's data was read (for polling or to confirm a command)."""
        self.last_read[vin] = now
        if confirming and (window := self._confirming.get(vin)) is not None:
            window.reads += 1
            window.last = now

    def status(self, now: datetime, cars: int) -> BudgetStatus:
        """Return the month's spending, budget and polling pace."""
        interval = self.poll_interval(now, cars)
        return BudgetStatus(
            monthly_budget=self.settings.monthly_budget,
            estimated_cost=self.usage.cost,
            exhausted=interval is None,
            poll_interval=interval,
            calls=dict(self.usage.calls),
            month_start=self.usage.month,
            resets_at=next_utc_month_start(self.usage.month),
        )

    def as_dict(self) -> dict[str, Any]:
        """Return what survives a restart."""
        data: dict[str, Any] = {
            "last_read": {vin: at.isoformat() for vin, at in self.last_read.items()}
        }
        if self._exhausted is not None:
            month, budget = self._exhausted
            data["exhausted"] = {"month": month.isoformat(), "budget": budget}
        return data

    def restore(self, data: object) -> None:
        """Load stored plan state (broken entries are skipped)."""
        if not isinstance(data, Mapping):
            return
        reads = data.get("last_read")
        if isinstance(reads, Mapping):
            self.last_read = {
                vin: at
                for vin, raw in reads.items()
                if isinstance(vin, str) and (at := parse_aware_time(raw)) is not None
            }
        exhausted = data.get("exhausted")
        if isinstance(exhausted, Mapping):
            month = parse_aware_time(exhausted.get("month"))
            budget = exhausted.get("budget")
            if month is not None and isinstance(budget, int | float):
                self._exhausted = (month, float(budget))
