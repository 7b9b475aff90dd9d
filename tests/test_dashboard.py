"""The car dashboard: the websocket command behind the strategy, and its script."""

from __future__ import annotations

from functools import partial
import json
from typing import Any
from unittest.mock import patch

from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.dashboard import (
    SCRIPT_URL,
    SECTIONS,
    STRATEGY,
)
from custom_components.connected_car.vehicle.simulator import SimulationSettings

from .conftest import INTEGRATION_DIR

CAR = "simulated_car"


async def _dashboard(
    hass_ws_client: WebSocketGenerator, **fields: Any
) -> dict[str, Any]:
    client = await hass_ws_client()
    await client.send_json_auto_id({"type": f"{DOMAIN}/dashboard", **fields})
    response = await client.receive_json()
    assert response["success"], response
    return response["result"]


def _cards(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [card for section in view["sections"] for card in section["cards"]]


def _tiles(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {card["entity"]: card for card in _cards(view) if card["type"] == "tile"}


def _headings(view: dict[str, Any]) -> list[str]:
    return [card["heading"] for card in _cards(view) if card["type"] == "heading"]


async def test_one_view_per_car_with_everything_it_has(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    """The plug-in hybrid: lock, heater, range, energy, openings, map, plan."""
    dashboard = await _dashboard(hass_ws_client, language="en")
    assert dashboard["title"] == "Cars"
    [view] = dashboard["views"]
    assert view["type"] == "sections"
    assert view["title"] == "Simulated car"
    assert _headings(view) == [
        "Simulated car",
        "Range and energy",
        "Doors and windows",
        "Position",
        "Departure plan",
        "Details",
    ]
    tiles = _tiles(view)
    assert tiles[f"lock.{CAR}"]["features"] == [{"type": "lock-commands"}]
    heater = tiles[f"climate.{CAR}_heater"]
    assert [feature["type"] for feature in heater["features"]] == [
        "climate-hvac-modes",
        "target-temperature",
    ]
    for entity_id in (
        f"sensor.{CAR}_remaining_range",
        f"sensor.{CAR}_fuel_level",
        f"sensor.{CAR}_battery_level",
        f"binary_sensor.{CAR}_anything_open",
        f"binary_sensor.{CAR}_front_left_door",
        f"binary_sensor.{CAR}_trunk",
        f"device_tracker.{CAR}_location",
        f"switch.{CAR}_departure_plan",
        f"time.{CAR}_departure_time",
        f"number.{CAR}_preconditioning_lead_time",
    ):
        assert entity_id in tiles, entity_id
        assert hass.states.get(entity_id) is not None, entity_id
    maps = [card for card in _cards(view) if card["type"] == "map"]
    assert maps[0]["entities"] == [{"entity": f"device_tracker.{CAR}_location"}]
    # Every tile names an entity of this car that exists.
    car_entities = {
        entry.entity_id
        for entry in er.async_entries_for_config_entry(
            er.async_get(hass), init_integration.entry_id
        )
    }
    assert set(tiles) <= car_entities
    [device] = dr.async_entries_for_config_entry(
        dr.async_get(hass), init_integration.entry_id
    )
    assert view.pop("path") == device.id  # random per test run
    assert dashboard == snapshot


async def test_headings_in_the_users_language(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    dashboard = await _dashboard(hass_ws_client, language="de")
    assert dashboard["title"] == "Autos"
    assert "Türen und Fenster" in _headings(dashboard["views"][0])


async def test_read_only_car_shows_what_it_has(
    hass: HomeAssistant, setup_integration, hass_ws_client: WebSocketGenerator
) -> None:
    """No lock, heater or departure plan to show; the lock state instead."""
    with patch.object(
        ADAPTERS["simulated"],
        "settings_factory",
        partial(SimulationSettings, read_only=True),
    ):
        await setup_integration()
    [view] = (await _dashboard(hass_ws_client))["views"]
    tiles = _tiles(view)
    assert f"binary_sensor.{CAR}_lock" in tiles
    assert not any(entity.split(".")[0] in {"lock", "climate"} for entity in tiles)
    assert "Departure plan" not in _headings(view)
    assert f"sensor.{CAR}_remaining_range" in tiles


@pytest.mark.parametrize(
    "entry_data",
    [{"backend": "simulated", "cars": 2, "names": ["Red", "Blue"], "seed": 3}],
)
async def test_one_car_by_device(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A view strategy asks for one car; the dashboard has both."""
    dashboard = await _dashboard(hass_ws_client)
    assert [view["title"] for view in dashboard["views"]] == ["Red", "Blue"]
    blue = next(
        device
        for device in dr.async_entries_for_config_entry(
            device_registry, init_integration.entry_id
        )
        if device.name == "Blue"
    )
    device_registry.async_update_device(blue.id, name_by_user="Family car")
    only = await _dashboard(hass_ws_client, device_id=blue.id)
    assert [view["title"] for view in only["views"]] == ["Family car"]
    assert only["views"][0]["path"] == blue.id


async def test_disabled_entities_are_left_out(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    entity_registry: er.EntityRegistry,
) -> None:
    voltage = f"sensor.{CAR}_12_v_battery_voltage"  # disabled by default
    assert entity_registry.async_get(voltage).disabled_by is not None
    fuel = f"sensor.{CAR}_fuel_level"
    entity_registry.async_update_entity(fuel, disabled_by=er.RegistryEntryDisabler.USER)
    tiles = _tiles((await _dashboard(hass_ws_client))["views"][0])
    assert voltage not in tiles
    assert fuel not in tiles
    assert f"sensor.{CAR}_battery_level" in tiles


async def test_without_a_loaded_car_the_view_says_so(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    dashboard = await _dashboard(hass_ws_client, language="en")
    [view] = dashboard["views"]
    assert view["cards"] == [
        {"type": "markdown", "content": "No car is set up in Connected Car yet."}
    ]


async def test_script_is_served_and_loaded_with_the_frontend(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    patch_clock,
    hass_client: ClientSessionGenerator,
) -> None:
    """With the frontend, every page loads the strategy's script."""
    assert await async_setup_component(hass, "frontend", {})
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    [url] = [url for url in hass.data[DATA_EXTRA_MODULE_URL].urls if DOMAIN in url]
    assert url.startswith(f"{SCRIPT_URL}?v=")
    client = await hass_client()
    response = await client.get(url)
    assert response.status == 200
    script = await response.text()
    assert f'const STRATEGY = "{STRATEGY}";' in script
    assert f'const WS_TYPE = "{DOMAIN}/dashboard";' in script
    # A reload does not register it twice.
    assert await hass.config_entries.async_reload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert len([u for u in hass.data[DATA_EXTRA_MODULE_URL].urls if DOMAIN in u]) == 1


def test_every_card_names_an_entity_the_integration_has() -> None:
    """A renamed translation key must not silently drop a card."""
    strings = json.loads((INTEGRATION_DIR / "strings.json").read_text())
    for section in SECTIONS:
        for card in section.cards:
            if card.key is None:
                assert card.domain == "lock"  # named like the car
                continue
            assert card.key in strings["entity"][card.domain], (card.domain, card.key)
        if section.title is not None:
            assert f"dashboard_{section.title}" in strings["common"]
