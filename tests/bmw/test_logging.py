"""The MQTT library's log lines belong to the integration (manifest loggers).

aiomqtt and paho log through the logger our stream client hands them (under
the integration's package, with the account's ids masked), never through
their own "mqtt" logger: turning on debug logging for the integration in
Home Assistant shows them, and the manifest names no logger of theirs.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from homeassistant.components.logger.helpers import get_integration_loggers
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.const import DOMAIN
from tests.cardata.fixtures import eventually
from tests.conftest import INTEGRATION_DIR

from .test_tokens import UNTIL_REFRESH


class LibraryRecords(logging.Handler):
    """Collects the records logged by code of the MQTT libraries."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        parts = Path(record.pathname).parts
        if "aiomqtt" in parts or "paho" in parts:
            self.records.append(record)


async def test_mqtt_library_logs_under_the_integrations_loggers(
    hass: HomeAssistant, bmw_loaded: MockConfigEntry, account, manual_clock
) -> None:
    records = LibraryRecords()
    logging.getLogger().addHandler(records)
    try:
        # A token refresh re-makes the connection: the library logs it.
        await manual_clock.advance(UNTIL_REFRESH)
        await eventually(
            lambda: bmw_loaded.data["token"]["id_token"] == account.id_token
        )
        await eventually(lambda: len(records.records) >= 2)
    finally:
        logging.getLogger().removeHandler(records)
    ours = await get_integration_loggers(hass, DOMAIN)
    for record in records.records:
        assert any(
            record.name == name or record.name.startswith(f"{name}.") for name in ours
        ), record.name
    manifest = json.loads((INTEGRATION_DIR / "manifest.json").read_text())
    assert "aiomqtt" not in manifest.get("loggers", [])
