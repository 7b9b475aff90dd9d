"""A crash of Home Assistant: no clean unload, a new instance on the same storage.

`crash_and_restart` cuts the power of a running instance: from then on nothing
it writes reaches the (mocked) disk, and a new instance starts on what is
there, loading the registries and restore data from it as Home Assistant's
bootstrap does, with the same config entry. The crashed instance is dropped:
its entry is unloaded (so its timers and tasks stop acting on the shared
event loop and clocks) while whatever that would write is thrown away.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import copy
from typing import Any
from unittest.mock import patch

from homeassistant import loader
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame
from homeassistant.helpers.storage import Store
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from tests.fixtures.release_0_1_0.startup import load_storage


@asynccontextmanager
async def crash_and_restart(
    hass: HomeAssistant, hass_storage: dict[str, Any], entry: MockConfigEntry
) -> AsyncIterator[tuple[HomeAssistant, MockConfigEntry]]:
    """Crash hass now; yield a new instance with entry set up from the disk."""
    on_disk = copy.deepcopy(hass_storage)  # the files as the crash left them
    write_to_disk = Store._async_write_data

    async def write_unless_crashed(store: Store[Any], data: dict[str, Any]) -> None:
        if store.hass is not hass:
            await write_to_disk(store, data)

    with patch.object(Store, "_async_write_data", write_unless_crashed):
        await hass.config_entries.async_unload(entry.entry_id)  # drop: no writes
        await hass.async_block_till_done()
        hass_storage.clear()
        hass_storage.update(on_disk)
        async with async_test_home_assistant(load_registries=False) as restarted:
            restarted.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            frame.async_setup(restarted)
            await restarted.config.async_set_time_zone(hass.config.time_zone)
            await load_storage(restarted)
            again = MockConfigEntry(
                domain=entry.domain,
                entry_id=entry.entry_id,
                title=entry.title,
                data=dict(entry.data),
                options=dict(entry.options),
                unique_id=entry.unique_id,
            )
            again.add_to_hass(restarted)
            await restarted.config_entries.async_setup(again.entry_id)
            await restarted.async_block_till_done()
            try:
                yield restarted, again
            finally:
                if again.state is ConfigEntryState.LOADED:
                    await restarted.config_entries.async_unload(again.entry_id)
                await restarted.async_stop(force=True)
