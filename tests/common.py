"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant

from tests.clock import ManualClock

THREE_CARS = {"backend": "simulated", "cars": 3, "names": [], "seed": 1}
"""Entry data of a plug-in hybrid, an electric and a combustion car."""

COMMAND_SECONDS = 10.0
"""Simulated seconds that cover a command's latency."""


async def async_call_and_advance(
    hass: HomeAssistant,
    clock: ManualClock,
    domain: str,
    service: str,
    data: dict[str, Any],
    seconds: float = COMMAND_SECONDS,
) -> None:
    """Call a service and let the simulated car take its time to answer.

    Commands wait for the car's simulated clock, so the call runs as a task
    while the clock moves on; errors of the call are raised here.
    """
    task = asyncio.ensure_future(
        hass.services.async_call(domain, service, data, blocking=True)
    )
    await clock.advance(seconds)
    await task
    await hass.async_block_till_done()


async def async_advance(
    hass: HomeAssistant, clock: ManualClock, seconds: float
) -> None:
    """Let the simulated cars live for seconds and HA process what they sent."""
    await clock.advance(seconds)
    await hass.async_block_till_done()


async def async_wait_while_time_passes[T](
    clock: ManualClock, awaitable: Awaitable[T], limit: float = 600.0
) -> T:
    """Await awaitable, moving the car's clock on a second at a time meanwhile.

    The clock only moves while the awaitable is pending and gives real I/O
    (a local server) time between steps, so a car that wakes, polls or answers
    on the clock gets there in order; the awaitable's errors are raised here.
    """
    task = asyncio.ensure_future(awaitable)
    moved = 0.0
    while moved < limit:
        done, _pending = await asyncio.wait({task}, timeout=0.02)
        if done:
            break
        await clock.advance(1)
        moved += 1
    return await task


async def async_converse_and_advance(
    hass: HomeAssistant, clock: ManualClock, text: str, language: str
) -> conversation.ConversationResult:
    """Say a sentence to the default agent; move the car's clock while it waits.

    The clock only moves while the answer is pending (a command waits for the
    car), so answers about the car's state see the state the test sees.
    """
    return await async_wait_while_time_passes(
        clock, conversation.async_converse(hass, text, None, Context(), language)
    )


def speech(result: conversation.ConversationResult) -> str:
    """Return what the agent answered."""
    return result.response.speech["plain"]["speech"]
