"""The vehicle layer needs no Home Assistant instance."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the HA fixture of the parent conftest: no hass here."""
