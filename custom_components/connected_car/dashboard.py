"""The car dashboard: a Lovelace strategy the integration serves.

The frontend asks for a dashboard with ``strategy: {type: custom:connected-car}``
(or a view with the same strategy and a ``device_id``). The strategy's
JavaScript (frontend/connected-car.js, loaded on every page through the
frontend's extra-module mechanism for custom integrations) only forwards the
question to the websocket command ``connected_car/dashboard``, which builds the
cards here, from the entity registry: one sections view per car with its lock,
heater, range and energy, openings, position and departure plan. Only public,
documented mechanisms are used (custom strategies, ``add_extra_js_url``, a
static path, a websocket command); the dashboard adapts to new cars and
entities on every load, and a user may "take control" to edit it.

Home Assistant 2026.5+ lists the strategy in Settings -> Dashboards -> Add
dashboard (``window.customStrategies``); older versions take it in the raw
configuration editor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import hashlib
from pathlib import Path
from typing import Any, Final

from homeassistant.components import frontend, websocket_api
from homeassistant.components.http import StaticPathConfig
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    translation,
)
from homeassistant.util.hass_dict import HassKey
import voluptuous as vol

from .const import DOMAIN

STRATEGY: Final = "connected-car"
"""The custom strategy's name: `custom:connected-car` in a dashboard."""
WS_TYPE: Final = f"{DOMAIN}/dashboard"
SCRIPT_FILE: Final = Path(__file__).parent / "frontend" / "connected-car.js"
SCRIPT_URL: Final = f"/{DOMAIN}/frontend/connected-car.js"
DATA_DASHBOARD: HassKey[str] = HassKey(f"{DOMAIN}_dashboard")
"""The URL of the registered script (set once per Home Assistant run)."""

TILE: Final = "tile"
ENTITY_NAME: Final = {"type": "entity"}
"""A tile's name without the car's (HA 2025.11+): "Remaining range"."""
HALF: Final = {"columns": 6}
"""Grid options of a small tile: two side by side in a section."""


@dataclass(frozen=True, kw_only=True)
class Card:
    """A tile (or map) for the entity of a domain and translation key, if any."""

    domain: str
    key: str | None = None
    features: tuple[dict[str, Any], ...] = ()
    small: bool = False
    map: bool = False

    def matches(self, entry: er.RegistryEntry) -> bool:
        """Return whether the registry entry is this card's entity."""
        return entry.domain == self.domain and entry.translation_key == self.key

    def config(self, entity_id: str) -> dict[str, Any]:
        """Return the card's Lovelace configuration."""
        if self.map:
            return {
                "type": "map",
                "entities": [{"entity": entity_id}],
                "default_zoom": 15,
                "hours_to_show": 24,
                "grid_options": {"columns": 12, "rows": 5},
            }
        card: dict[str, Any] = {"type": TILE, "entity": entity_id}
        if self.key is not None:  # the lock is named like the car itself
            card["name"] = ENTITY_NAME
        if self.domain == "button":  # a tap presses it; its state is a timestamp
            card["hide_state"] = True
            card["tap_action"] = {
                "action": "perform-action",
                "perform_action": "button.press",
                "target": {"entity_id": entity_id},
            }
        if self.features:
            card["features"] = list(self.features)
        if self.small:
            card["grid_options"] = HALF
        return card


@dataclass(frozen=True, kw_only=True)
class Section:
    """A titled group of cards; left out when the car has none of them."""

    title: str | None
    """Key under common.dashboard_ in strings.json; None: the car's name."""
    cards: tuple[Card, ...] = field(default_factory=tuple)


def _sensors(keys: Iterable[str], *, small: bool = True) -> tuple[Card, ...]:
    return tuple(Card(domain="sensor", key=key, small=small) for key in keys)


def _openings(keys: Iterable[str]) -> tuple[Card, ...]:
    return tuple(Card(domain="binary_sensor", key=key, small=True) for key in keys)


SECTIONS: Final = (
    Section(
        title=None,
        cards=(
            Card(domain="lock", features=({"type": "lock-commands"},)),
            Card(domain="binary_sensor", key="lock_state"),
            Card(
                domain="climate",
                key="climate",
                features=(
                    {
                        "type": "climate-hvac-modes",
                        "style": "icons",
                        "hvac_modes": ["off", "heat_cool"],
                    },
                    {"type": "target-temperature"},
                ),
            ),
            Card(domain="sensor", key="preconditioning_state", small=True),
            *_sensors(("cabin_temperature", "outside_temperature")),
            Card(domain="binary_sensor", key="anything_open"),
            Card(domain="sensor", key="range"),
            Card(domain="sensor", key="last_update"),
        ),
    ),
    Section(
        title="energy",
        cards=(
            *_sensors(("fuel_level", "battery_level", "fuel_amount")),
            Card(domain="binary_sensor", key="charging", small=True),
            Card(domain="binary_sensor", key="plugged_in", small=True),
            *_sensors(("charging_power", "charge_time_remaining", "odometer")),
        ),
    ),
    Section(
        title="openings",
        cards=_openings(
            (
                "door_front_left_open",
                "door_front_right_open",
                "door_rear_left_open",
                "door_rear_right_open",
                "window_front_left_open",
                "window_front_right_open",
                "window_rear_left_open",
                "window_rear_right_open",
                "sunroof_open",
                "trunk_open",
                "hood_open",
            )
        ),
    ),
    Section(
        title="position",
        cards=(
            Card(domain="device_tracker", key="location"),
            Card(domain="binary_sensor", key="moving", small=True),
            Card(domain="device_tracker", key="location", map=True),
        ),
    ),
    Section(
        title="departure",
        cards=(
            Card(domain="switch", key="departure_plan", features=({"type": "toggle"},)),
            Card(domain="time", key="departure_time"),
            Card(
                domain="number",
                key="departure_lead_time",
                features=({"type": "numeric-input", "style": "buttons"},),
            ),
            Card(
                domain="number",
                key="departure_max_outside_temperature",
                features=({"type": "numeric-input", "style": "buttons"},),
            ),
        ),
    ),
    Section(
        title="details",
        cards=(
            *_sensors(
                (
                    "tyre_pressure_front_left",
                    "tyre_pressure_front_right",
                    "tyre_pressure_rear_left",
                    "tyre_pressure_rear_right",
                    "low_voltage_battery_level",
                    "low_voltage_battery_voltage",
                )
            ),
            Card(domain="button", key="flash_lights", small=True),
            Card(domain="button", key="sound_horn", small=True),
            Card(domain="button", key="refresh", small=True),
        ),
    ),
)


async def async_setup_dashboard(hass: HomeAssistant) -> None:
    """Serve the dashboard strategy (once per Home Assistant run).

    Without the frontend (tests, headless setups) only the websocket command
    is registered.
    """
    if DATA_DASHBOARD in hass.data:
        return
    hass.data[DATA_DASHBOARD] = SCRIPT_URL
    websocket_api.async_register_command(hass, websocket_dashboard)
    if "frontend" not in hass.config.components or hass.http is None:
        return
    version = await hass.async_add_executor_job(_script_version)
    await hass.http.async_register_static_paths(
        [StaticPathConfig(SCRIPT_URL, str(SCRIPT_FILE), cache_headers=True)]
    )
    # A new script version gets a new URL, so browsers never keep an old one.
    hass.data[DATA_DASHBOARD] = url = f"{SCRIPT_URL}?v={version}"
    frontend.add_extra_js_url(hass, url)


def _script_version() -> str:
    return hashlib.sha256(SCRIPT_FILE.read_bytes()).hexdigest()[:12]


@websocket_api.websocket_command(
    {
        vol.Required("type"): WS_TYPE,
        vol.Optional("device_id"): str,
        vol.Optional("language"): str,
    }
)
@websocket_api.async_response
async def websocket_dashboard(
    hass: HomeAssistant,
    connection: websocket_api.ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Return the car dashboard (all cars, or the one car of device_id)."""
    language = msg.get("language") or hass.config.language
    texts = await translation.async_get_translations(hass, language, "common", [DOMAIN])
    connection.send_result(
        msg["id"], async_dashboard_config(hass, texts, msg.get("device_id"))
    )


@callback
def async_dashboard_config(
    hass: HomeAssistant, texts: dict[str, str], device_id: str | None = None
) -> dict[str, Any]:
    """Return a Lovelace dashboard: one sections view per car."""
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    views = []
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state is not ConfigEntryState.LOADED:
            continue
        by_device: dict[str, list[er.RegistryEntry]] = {}
        for entity in er.async_entries_for_config_entry(entities, entry.entry_id):
            if entity.device_id and not entity.disabled_by:
                by_device.setdefault(entity.device_id, []).append(entity)
        for car_id, car_entities in by_device.items():
            device = devices.async_get(car_id)
            if device is None or (device_id is not None and car_id != device_id):
                continue
            if view := _car_view(device, car_entities, texts):
                views.append(view)
    if not views:
        views.append(_no_car_view(texts))
    return {"title": _text(texts, "dashboard_title"), "views": views}


def _car_view(
    device: dr.DeviceEntry, entities: list[er.RegistryEntry], texts: dict[str, str]
) -> dict[str, Any] | None:
    """Return the view of one car; None for a device without a car's entities."""
    name = device.name_by_user or device.name or ""
    sections = []
    for section in SECTIONS:
        cards = [
            card.config(entity.entity_id)
            for card in section.cards
            for entity in entities
            if card.matches(entity)
        ]
        if cards:
            title = (
                name
                if section.title is None
                else _text(texts, f"dashboard_{section.title}")
            )
            heading = {"type": "heading", "heading": title}
            sections.append({"type": "grid", "cards": [heading, *cards]})
    if not sections:
        return None  # e.g. a backend's own account device
    return {
        "type": "sections",
        "title": name,
        "path": device.id,
        "icon": "mdi:car",
        "max_columns": 3,
        "sections": sections,
    }


def _no_car_view(texts: dict[str, str]) -> dict[str, Any]:
    return {
        "title": _text(texts, "dashboard_title"),
        "path": "no-car",
        "cards": [{"type": "markdown", "content": _text(texts, "no_cars")}],
    }


def _text(texts: dict[str, str], key: str) -> str:
    return texts.get(f"component.{DOMAIN}.common.{key}", key)
