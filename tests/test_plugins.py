"""Backends are plug-ins: generic code names none, and a new one needs no edit.

A backend defined only in tests/toy.py is registered with ``patch.dict`` on the
registry and goes through everything a real one does; a scan of the source
proves that no Home Assistant-side module outside backends/ names a concrete
backend.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
import json
from pathlib import Path
import re
from unittest.mock import patch

from homeassistant.components import conversation
from homeassistant.components.lock import LockState
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntry,
    ConfigEntryState,
)
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, intent
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.car_home.voice.intents import (
    INTENT_CAR_STATUS,
)

from .conftest import DOMAIN, INTEGRATION_DIR
from .toy import SECRET, TOY, TOY_VIN, ToyAdapter

REDACTED = "**REDACTED**"

# ---------------------------------------------------------------------------
# (a) no generic module names a concrete backend
# ---------------------------------------------------------------------------

CONCRETE_BACKEND_WORDS = re.compile(
    r"bmw|cardata|mini\b|simulat|tesla|teslemetry|gcid", re.IGNORECASE
)
"""Words only a concrete backend's code has reason to say."""
BACKEND_PACKAGES = ("bmw", "simulator", "tesla")
"""Vehicle-layer packages of concrete backends (only their adapters import them)."""


def _generic_modules() -> Iterator[Path]:
    """Yield the Home Assistant-side modules outside backends/ (and vehicle/)."""
    for path in sorted(INTEGRATION_DIR.rglob("*.py")):
        relative = path.relative_to(INTEGRATION_DIR)
        if relative.parts[0] not in ("backends", "vehicle"):
            yield path


def _problems(path: Path) -> list[str]:
    """Return where a module names a concrete backend."""
    source = path.read_text(encoding="utf-8")
    name = str(path.relative_to(INTEGRATION_DIR))
    problems = [
        f"{name}:{number}: {line.strip()}"
        for number, line in enumerate(source.splitlines(), start=1)
        if CONCRETE_BACKEND_WORDS.search(line)
        or any(f'"{backend_id}"' in line for backend_id in ADAPTERS)
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            parts = node.module.split(".")
            if "vehicle" in parts and set(parts) & set(BACKEND_PACKAGES):
                problems.append(f"{name}:{node.lineno}: imports {node.module}")
            if parts[-1] == "backends" or "backends" not in parts:
                continue
            problems.append(f"{name}:{node.lineno}: imports an adapter module")
    return problems


def test_generic_modules_name_no_backend() -> None:
    modules = list(_generic_modules())
    assert len(modules) >= 25  # the scan sees the HA side, not nothing
    problems = [problem for path in modules for problem in _problems(path)]
    assert not problems, "\n".join(problems)


def test_the_scan_finds_a_backend_named_in_generic_code(tmp_path: Path) -> None:
    """The scan fails on the kinds of naming it is there to catch."""
    offender = INTEGRATION_DIR / "config_flow.py"
    source = offender.read_text(encoding="utf-8")
    for added in (
        "from .vehicle.bmw import BmwCarDataBackend\n",
        "from .backends.simulated import CONF_SEED\n",
        'BACKEND = "simulated"\n',
        "# a Tesla needs this\n",
    ):
        copy = tmp_path / "config_flow.py"
        copy.write_text(source + added, encoding="utf-8")
        with patch(f"{__name__}.INTEGRATION_DIR", tmp_path):
            assert _problems(copy), added


# ---------------------------------------------------------------------------
# (b) a backend defined only in the tests
# ---------------------------------------------------------------------------


@pytest.fixture
def toy_adapter() -> Iterator[ToyAdapter]:
    """The toy backend, registered like a real one for the test's duration."""
    adapter = ToyAdapter()
    with patch.dict(ADAPTERS, {TOY: adapter}):
        yield adapter


async def _add_toy(hass: HomeAssistant) -> MockConfigEntry:
    """Add the toy car through the config flow, as a user would."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.MENU
    assert TOY in result["menu_options"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": TOY}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == TOY
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Toy car"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {"backend": TOY, "name": "Toy car", "secret": SECRET}
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    return entry


async def _start(hass: HomeAssistant, entry: ConfigEntry, source: str) -> dict:
    """Start a reauth or reconfigure flow of entry, as its buttons do."""
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": source, "entry_id": entry.entry_id}, data=entry.data
    )


async def test_a_backend_from_the_tests_works_end_to_end(
    hass: HomeAssistant,
    hass_client,
    toy_adapter: ToyAdapter,
    device_registry: dr.DeviceRegistry,
) -> None:
    entry = await _add_toy(hass)
    # Entities from the car's capabilities, and none it lacks.
    assert float(hass.states.get("sensor.toy_car_remaining_range").state) == 123
    assert float(hass.states.get("sensor.toy_car_odometer").state) == 4711
    assert hass.states.get("lock.toy_car").state == LockState.LOCKED
    for missing in (
        "sensor.toy_car_fuel_level",
        "sensor.toy_car_battery_level",
        "climate.toy_car_heater",
        "switch.toy_car_departure_plan",
        "binary_sensor.toy_car_lock",
    ):
        assert hass.states.get(missing) is None, missing
    # The adapter's own entity, on its own device.
    assert hass.states.get("sensor.toy_account_calls_left").state == "7"
    # A command through the generic lock, confirmed by the pushed state.
    await hass.services.async_call(
        "lock", "unlock", {"entity_id": "lock.toy_car"}, blocking=True
    )
    assert hass.states.get("lock.toy_car").state == LockState.UNLOCKED

    # Options: the generic fields and the adapter's.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    fields = {str(key) for key in result["data_schema"].schema}
    assert {"poll_interval", "loudness"} <= fields
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"poll_interval": 7, "loudness": 4.0}
    )
    assert dict(entry.options) == {"poll_interval": 7, "loudness": 4}
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED

    # Diagnostics: backend, account and adapter details, redacted.
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["backend"] == {"commands_sent": 0, "secret": REDACTED}
    assert diagnostics["adapter"] == {"adapter": TOY, "secret": REDACTED}
    assert diagnostics["account"]["calls_left"] == 7
    assert diagnostics["entry"]["data"]["secret"] == REDACTED
    assert [v["vehicle"]["name"] for v in diagnostics["vehicles"]] == ["Toy car"]
    account = device_registry.async_get_device(
        identifiers={(DOMAIN, f"{TOY}-account-{entry.entry_id}")}
    )
    car = device_registry.async_get_device(identifiers={(DOMAIN, TOY_VIN)})
    for found in (
        diagnostics,
        await get_diagnostics_for_device(hass, hass_client, entry, account),
        await get_diagnostics_for_device(hass, hass_client, entry, car),
    ):
        text = json.dumps(found)
        assert SECRET not in text
        assert TOY_VIN not in text

    # What the adapter does not offer is refused with a reason.
    result = await _start(hass, entry, SOURCE_REAUTH)
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["reason"] == "reauth_not_supported"
    result = await _start(hass, entry, SOURCE_RECONFIGURE)
    assert result["reason"] == "reconfigure_not_supported"


async def test_a_car_without_fuel_or_battery_gets_a_clear_answer(
    hass: HomeAssistant, toy_adapter: ToyAdapter
) -> None:
    """Asked for fuel or charge, a car that reports neither says so (no loop)."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    await _add_toy(hass)
    strings = json.loads((INTEGRATION_DIR / "strings.json").read_text())["common"]
    expected = strings["energy_not_reported"].format(vehicle="Toy car")
    for topic in ("fuel", "charge"):
        response = await intent.async_handle(
            hass,
            "test",
            INTENT_CAR_STATUS,
            {"topic": {"value": topic}},
            language="en",
        )
        assert response.speech["plain"]["speech"] == expected
    result = await conversation.async_converse(
        hass, "how much fuel does the Toy car have", None, Context(), "en"
    )
    assert result.response.speech["plain"]["speech"] == expected
    # The full status leaves the topic out.
    response = await intent.async_handle(hass, "test", INTENT_CAR_STATUS, {})
    assert expected not in response.speech["plain"]["speech"]
    assert response.speech_slots["range"]["value"] == 123


async def test_an_unknown_backend_fails_setup_cleanly(
    hass: HomeAssistant, hass_storage
) -> None:
    """An entry of a backend this version lacks: a clear error, not a crash."""
    entry = MockConfigEntry(
        domain=DOMAIN, data={"backend": "teleporter"}, unique_id="teleporter-1"
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert entry.error_reason_translation_key == "unknown_backend"
    assert entry.error_reason_translation_placeholders == {"backend": "teleporter"}
    result = await entry.start_reconfigure_flow(hass)
    assert result["reason"] == "unknown_backend"
    result = await entry.start_reauth_flow(hass)
    assert result["reason"] == "unknown_backend"
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert {str(key) for key in result["data_schema"].schema} >= {"poll_interval"}
    hass_storage[f"{DOMAIN}.{entry.entry_id}.vehicle_state"] = {
        "version": 1,
        "data": {},
    }
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert f"{DOMAIN}.{entry.entry_id}.vehicle_state" not in hass_storage
