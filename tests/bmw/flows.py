"""Driving the device-code sign-in of a config flow, as the user would."""

from __future__ import annotations

import asyncio
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from tests.cardata.server import FakeCarData
from tests.clock import ManualClock


async def finish_progress(
    hass: HomeAssistant,
    clock: ManualClock,
    result: dict[str, Any],
    seconds: float = 5,
) -> dict[str, Any]:
    """Let the poller wait `seconds`, wait for its task, continue the flow."""
    flow = hass.config_entries.flow._progress[result["flow_id"]]
    task = flow.async_get_progress_task()
    await clock.advance(seconds)
    done, _ = await asyncio.wait({task}, timeout=10)
    assert done, "the sign-in task did not finish"
    await hass.async_block_till_done()
    return await hass.config_entries.flow.async_configure(result["flow_id"])


async def approve_and_finish(
    hass: HomeAssistant, cardata: FakeCarData, result: dict[str, Any]
) -> dict[str, Any]:
    """The user opens the link, signs in and confirms the code shown."""
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    assert result["step_id"] == "bmw_cardata_login"
    assert result["progress_action"] == "bmw_cardata_login"
    code = cardata.pending_code()
    placeholders = result["description_placeholders"]
    assert placeholders["code"] == code.user_code
    assert placeholders["url"].endswith(f"?user_code={code.user_code}")
    cardata.approve(code.user_code)
    return await finish_progress(hass, cardata.clock, result)
