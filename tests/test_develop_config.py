"""The development configuration started by scripts/develop (config/configuration.yaml).

scripts/develop itself is checked by hand (it starts a real Home Assistant);
these tests keep its configuration valid for the Home Assistant we pin.
"""

from __future__ import annotations

import json
from pathlib import Path
import shutil
from typing import Any

from homeassistant.components import default_config, http, logger
from homeassistant.config import load_yaml_config_file
from homeassistant.core import HomeAssistant
from homeassistant.core_config import CORE_CONFIG_SCHEMA, async_process_ha_core_config
from homeassistant.util.unit_system import METRIC_SYSTEM
import pytest

CONFIGURATION = Path(__file__).parent.parent / "config" / "configuration.yaml"
INCLUDED = ("automations.yaml", "scripts.yaml", "scenes.yaml")
# default_config's components that the development configuration leaves out.
LEFT_OUT = {"dhcp", "go2rtc", "homeassistant_alerts"}


@pytest.fixture
def configuration(tmp_path: Path) -> dict[str, Any]:
    """The development configuration, loaded as Home Assistant loads it."""
    shutil.copy(CONFIGURATION, tmp_path)
    for name in INCLUDED:  # scripts/develop creates these before HA starts
        (tmp_path / name).touch()
    return load_yaml_config_file(str(tmp_path / CONFIGURATION.name))


async def test_core_config(hass: HomeAssistant, configuration: dict[str, Any]) -> None:
    await async_process_ha_core_config(
        hass, CORE_CONFIG_SCHEMA(configuration["homeassistant"])
    )
    assert hass.config.units is METRIC_SYSTEM
    assert hass.config.time_zone == "Europe/Berlin"
    assert hass.config.country == "DE"
    assert (hass.config.latitude, hass.config.longitude) == (48.137154, 11.576124)


def test_http_binds_to_loopback_only(configuration: dict[str, Any]) -> None:
    """The printed development credentials must not be reachable from elsewhere."""
    conf = http.CONFIG_SCHEMA(configuration)["http"]
    assert conf["server_host"] == ["127.0.0.1"]
    assert conf["server_port"] == 8123


def test_integration_logs_at_debug(configuration: dict[str, Any]) -> None:
    conf = logger.CONFIG_SCHEMA(configuration)["logger"]
    assert (
        conf["logs"]["custom_components.connected_car"] == logger.LOGSEVERITY["DEBUG"]
    )


def test_default_config_components(configuration: dict[str, Any]) -> None:
    """The configuration lists default_config's components of this HA but LEFT_OUT.

    Fails after a Home Assistant upgrade that changes default_config: update
    the list in config/configuration.yaml then.
    """
    manifest = Path(default_config.__file__).with_name("manifest.json")
    wanted = set(json.loads(manifest.read_text())["dependencies"]) - LEFT_OUT
    assert wanted <= configuration.keys(), wanted - configuration.keys()
    assert not LEFT_OUT & configuration.keys()
    assert "default_config" not in configuration
