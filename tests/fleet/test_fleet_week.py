"""A week of two Teslas on the Fleet API through Home Assistant, on the test clock.

Home Assistant's coordinators poll at the interval the budget gives them; the
test moves both clocks (the cars' and Home Assistant's timers) on by that
interval, so every poll is one Home Assistant scheduled itself. Every day the
owner preheats the signed car in the morning and, in the evening, unlocks and
locks both cars and flashes the REST car's lights, through Home Assistant's
services. Access tokens expire every 8 hours (single-use refresh tokens,
rotated and saved); Home Assistant restarts mid-week from what it saved.
Tesla's part (billing, daily quotas answering 429) is the local Fleet API's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from homeassistant.components.climate import HVACMode
from homeassistant.components.lock import LockState
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.connected_car.vehicle.simulator import car as car_module
from custom_components.connected_car.vehicle.tesla import CallKind
from tests.clock import ManualClock
from tests.tesla.fleet import FakeFleet

from .conftest import Owner, backend_of, call

pytestmark = pytest.mark.timeout(300)  # ~30 s alone; a busy machine is slower

DAYS = 7
RESTART_AFTER = timedelta(days=3, hours=12)
COST = "sensor.tesla_fleet_api_fleet_api_cost_this_month"
DAILY = (
    (timedelta(hours=6, minutes=30), "climate", "set_hvac_mode", "climate.model_3_heater",
     {"hvac_mode": HVACMode.HEAT_COOL}),
    (timedelta(hours=6, minutes=45), "climate", "set_hvac_mode", "climate.model_3_heater",
     {"hvac_mode": HVACMode.OFF}),
    (timedelta(hours=21), "lock", "unlock", "lock.model_3", {}),
    (timedelta(hours=21, minutes=1), "lock", "lock", "lock.model_3", {}),
    (timedelta(hours=21, minutes=2), "lock", "unlock", "lock.model_s", {}),
    (timedelta(hours=21, minutes=3), "lock", "lock", "lock.model_s", {}),
    (timedelta(hours=21, minutes=4), "button", "press", "button.model_s_flash_lights", {}),
)  # fmt: skip
"""(time of day UTC, service domain, service, entity, data): seven commands a day."""
EXPECTED_STATE = {
    ("climate", HVACMode.HEAT_COOL): HVACMode.HEAT_COOL,
    ("climate", HVACMode.OFF): HVACMode.OFF,
    ("lock", "unlock"): LockState.UNLOCKED,
    ("lock", "lock"): LockState.LOCKED,
}


@dataclass
class Week:
    """What Home Assistant did in the simulated week."""

    poll_rounds: int = 0
    commands: int = 0
    restarted: bool = False


async def give_due_commands(
    hass: HomeAssistant,
    clock: ManualClock,
    due: list[tuple[datetime, int]],
    until: datetime,
    week: Week,
) -> None:
    """Call the services due before until, each at its time; check the car obeyed."""
    while due and due[0][0] <= until:
        at, number = due.pop(0)
        if at > clock.now():
            await clock.advance((at - clock.now()).total_seconds())
        _, domain, service, entity, data = DAILY[number]
        await call(hass, clock, domain, service, entity, **data)
        week.commands += 1
        expected = EXPECTED_STATE.get((domain, data.get("hvac_mode", service)))
        if expected is not None:
            assert hass.states.get(entity).state == expected, (at, entity)


async def live_a_week(
    hass: HomeAssistant, entry: MockConfigEntry, fleet: FakeFleet, clock: ManualClock
) -> Week:
    """Run the week from the next midnight UTC (the cars sleep until then)."""
    start = clock.now().replace(hour=0, minute=0, second=0) + timedelta(days=1)
    await clock.advance((start - clock.now()).total_seconds())
    due = sorted(
        (start + timedelta(days=day) + at, number)
        for day in range(DAYS)
        for number, (at, *_) in enumerate(DAILY)
    )
    week = Week()
    while clock.now() < start + timedelta(days=DAYS):
        coordinators = list(entry.runtime_data.coordinators.values())
        # Each set its pace at its last poll (the budget moves a little).
        interval = max(c.update_interval or timedelta(0) for c in coordinators)
        assert interval >= timedelta(minutes=10)  # the polling option, at least
        await give_due_commands(hass, clock, due, clock.now() + interval, week)
        # The coordinators' own timers fire once the interval has passed.
        reads = fleet.billed_totals()["data"]
        await clock.advance(interval.total_seconds())
        async_fire_time_changed(
            hass, dt_util.utcnow() + interval + timedelta(seconds=1)
        )
        await hass.async_block_till_done()
        week.poll_rounds += 1
        assert fleet.billed_totals()["data"] - reads <= len(coordinators)
        if not week.restarted and clock.now() - start >= RESTART_AFTER:
            await hass.config_entries.async_reload(entry.entry_id)
            await hass.async_block_till_done()
            week.restarted = True
    assert not due
    return week


async def test_a_week_within_budget(
    hass: HomeAssistant,
    fleet_loaded: MockConfigEntry,
    owner: Owner,
    local_fleet: FakeFleet,
    manual_clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(car_module, "MAX_STEP_SECONDS", 60.0)  # minute physics
    week = await live_a_week(hass, fleet_loaded, local_fleet, manual_clock)

    backend = backend_of(fleet_loaded)
    status = backend.budget_status()
    assert status is not None
    billed = local_fleet.billed_totals()
    signed, unsigned = owner.signed, owner.unsigned
    print(  # noqa: T201 - the measured figures, shown with -s
        f"\nA week through Home Assistant, 2 cars, ${status.monthly_budget:.2f} a "
        f"month: {week.poll_rounds} poll rounds, {week.commands} commands, "
        f"billed {dict(billed)}, estimated ${status.estimated_cost:.2f}, "
        f"{local_fleet.auth.grants.count('refresh_token')} token refreshes, "
        f"{local_fleet.rate_limited} answers 429"
    )
    # Every command reached its car, by its path (signed or REST).
    assert week.commands == DAYS * len(DAILY)
    assert signed.commands == [
        "set_temps", "auto_conditioning_start",  # heat to the heater's setting
        "auto_conditioning_stop", "door_unlock", "door_lock",
    ] * DAYS  # fmt: skip
    assert unsigned.commands == ["door_unlock", "door_lock", "flash_lights"] * DAYS
    assert not [
        r for r in local_fleet.requests if f"/{unsigned.vin}/signed_command" in r.path
    ]
    assert not [r for r in local_fleet.requests if f"/{signed.vin}/command/" in r.path]
    # Billed as commands as well: the signed car's session handshakes (one per
    # domain, vehicle security and infotainment) at setup and after the restart.
    handshakes = billed["command"] - len(signed.commands) - len(unsigned.commands)
    assert 0 < handshakes <= 2 * 2
    assert local_fleet.rate_limited == 0
    # Polls never woke a car: only commands did, when it had fallen asleep
    # (the morning's first, and the evening's first to each car).
    assert billed["wake"] <= 3 * DAYS
    # Counted as billed (across the restart), within the budget, and on pace:
    # the week cost less than its share of the month's budget.
    for kind in (CallKind.DATA, CallKind.WAKE, CallKind.COMMAND):
        assert backend.usage.calls[kind] == billed[kind.value], kind
    assert not status.exhausted
    assert status.estimated_cost <= status.monthly_budget * DAYS / 31
    assert float(hass.states.get(COST).state) == pytest.approx(
        status.estimated_cost, abs=0.005
    )
    # Tokens were renewed all week, each saved before use: never signed out.
    assert local_fleet.auth.grants.count("refresh_token") >= DAYS * 3 - 1
    assert week.restarted
