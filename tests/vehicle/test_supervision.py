"""Supervised background work: restarted after anything, logged once per outage."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import logging

import pytest

from custom_components.connected_car.vehicle import (
    VehicleConnectionError,
    VehicleRateLimitError,
)
from custom_components.connected_car.vehicle.supervision import (
    Backoff,
    SupervisedLoop,
    run_supervised,
)
from tests.clock import ManualClock

from .faults import UNEXPECTED_ERRORS

LOGGER = logging.getLogger("tests.supervision")

KINDS = UNEXPECTED_ERRORS


def test_backoff_doubles_and_honours_retry_after() -> None:
    backoff = Backoff(5, 40)
    assert [backoff.next_delay() for _ in range(5)] == [5, 10, 20, 40, 40]
    assert backoff.next_delay(VehicleRateLimitError("x", retry_after=900)) == 900
    assert backoff.next_delay(VehicleRateLimitError("x", retry_after=1)) == 40
    backoff.reset()
    assert backoff.next_delay(VehicleConnectionError("x")) == 5


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [(float("nan"), None), (-5, 0.0), (10**400, 48 * 3600.0), (1e300, 48 * 3600.0)],
)
def test_hostile_retry_after_is_bounded(retry_after, expected) -> None:
    assert VehicleRateLimitError("x", retry_after=retry_after).retry_after == expected


async def test_loop_restarts_after_every_kind_and_logs_once(caplog) -> None:
    clock = ManualClock()
    errors = list(KINDS)
    runs = 0

    async def work() -> None:
        nonlocal runs
        runs += 1
        if errors:
            raise errors.pop(0)
        await asyncio.Event().wait()  # runs well from now on

    loop = SupervisedLoop("Test work", work, clock, logger=LOGGER)
    task = asyncio.create_task(loop.run())
    for _ in range(40):
        await clock.advance(60)
    assert errors == []
    assert runs == len(KINDS) + 1
    assert not task.done()
    assert loop.status.running
    assert loop.status.restarts == len(KINDS)
    assert loop.status.failures["VehicleRateLimitError"] == 1
    assert loop.status.as_dict()["failing_since"] is not None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "Traceback" in warnings[0].getMessage()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_rate_limit_is_waited_out(caplog) -> None:
    clock = ManualClock()
    starts: list[float] = []
    origin = clock.now()

    async def work() -> None:
        starts.append((clock.now() - origin).total_seconds())
        if len(starts) == 1:
            raise VehicleRateLimitError("slow down", retry_after=900)  # noqa: EM101, TRY003
        await asyncio.Event().wait()

    task = asyncio.create_task(
        SupervisedLoop("Limited", work, clock, logger=LOGGER).run()
    )
    await clock.advance(899)
    assert len(starts) == 1
    await clock.advance(1)
    assert starts == [0, 900]
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_stable_run_starts_backoff_afresh(caplog) -> None:
    clock = ManualClock()
    starts: list[float] = []
    origin = clock.now()

    async def work() -> None:
        starts.append((clock.now() - origin).total_seconds())
        if len(starts) in {1, 2}:
            raise RuntimeError("early")  # noqa: EM101
        await clock.sleep(3600)  # an hour of good work, then it ends
        raise RuntimeError("late")  # noqa: EM101

    task = asyncio.create_task(
        SupervisedLoop(
            "Flaky", work, clock, logger=LOGGER, stable_after=timedelta(minutes=10)
        ).run()
    )
    for _ in range(80):
        await clock.advance(60)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert starts[:4] == [0, 5, 15, 3620]  # 5, 10, then 5 again after a good hour
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2  # one per outage


async def test_until_ends_the_loop_and_work_that_returns_restarts() -> None:
    clock = ManualClock()
    runs = 0

    async def work() -> None:
        nonlocal runs
        runs += 1

    loop = SupervisedLoop("Short", work, clock, logger=LOGGER, until=lambda: runs >= 3)
    other = SupervisedLoop("Other", work, clock, logger=LOGGER, until=lambda: True)
    task = asyncio.create_task(run_supervised([loop, other]))
    for _ in range(5):
        await clock.advance(60)
    assert task.done()
    await task
    assert runs == 3  # other once (done at once), loop twice (restarted once)
    assert loop.status.failures == {"ended": 1}


async def test_tracebacks_are_redacted(caplog) -> None:
    clock = ManualClock()
    vin = "WBA12345678901234"

    async def work() -> None:
        msg = f"GET /customers/vehicles/{vin}/basicData failed"
        raise RuntimeError(msg)

    task = asyncio.create_task(
        SupervisedLoop("Leaky", work, clock, logger=LOGGER).run()
    )
    await clock.advance(1)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert "RuntimeError" in caplog.text
    assert vin not in caplog.text
