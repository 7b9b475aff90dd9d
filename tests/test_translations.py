"""Translations: complete, consistent with strings.json, and used keys exist.

Custom integrations load only ``translations/<language>.json`` at run time and
``[%key:...%]`` references are not resolved for them, so every file must hold
real text for every key. These tests fail when a translation drifts from
strings.json, or when the code uses a translation key strings.json lacks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
import json
from pathlib import Path
from string import Formatter
from typing import Any

import pytest

import custom_components.connected_car
from custom_components.connected_car import (
    binary_sensor,
    button,
    climate,
    device_tracker,
    lock,
    number,
    sensor,
    switch,
    time as time_platform,
)
from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle import (
    AccountSetupError,
    CommandFailureReason,
)
from custom_components.connected_car.vehicle.tesla import TeslaNotRegisteredError

INTEGRATION_DIR = Path(custom_components.connected_car.__file__).parent
"""Read at call time, so a test can point it at a copy of the integration."""

LANGUAGES = ("de", "zh-Hans")
"""Translations besides en.json (which is a verbatim copy of strings.json)."""

DOMAIN_NAMES = {"DOMAIN"}
"""Names of our domain constant in translation_domain=DOMAIN (or const.DOMAIN)."""

SETUP_ERRORS = (AccountSetupError, TeslaNotRegisteredError)
"""Every kind of `AccountSetupError` a backend raises (each has its own message)."""
DYNAMIC_KEYS = {
    "command_refused_": [reason.value for reason in CommandFailureReason],
    "account_setup_": sorted({error.reason for error in SETUP_ERRORS}),
}
"""f-string translation keys: the constant prefix and every value after it."""

KeyPath = tuple[str, ...]


def _load(relative_path: str) -> dict[str, Any]:
    """Return a JSON file of the integration."""
    return json.loads((INTEGRATION_DIR / relative_path).read_text(encoding="utf-8"))


def _strings() -> dict[str, Any]:
    return _load("strings.json")


def _translation(language: str) -> dict[str, Any]:
    return _load(f"translations/{language}.json")


def _flatten(tree: Mapping[str, Any], prefix: KeyPath = ()) -> dict[KeyPath, Any]:
    """Return the leaves of a translation tree by key path."""
    leaves: dict[KeyPath, Any] = {}
    for key, value in tree.items():
        if isinstance(value, Mapping):
            leaves.update(_flatten(value, (*prefix, key)))
        else:
            leaves[(*prefix, key)] = value
    return leaves


def _dotted(paths: Iterable[KeyPath]) -> list[str]:
    return sorted(".".join(path) for path in paths)


def _placeholders(text: str) -> set[str]:
    """Return the {placeholders} of a string; ValueError on unbalanced braces."""
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def _text_problems(text: Any) -> str | None:
    """Return why a translation value is unusable, or None if it is fine."""
    if not isinstance(text, str) or not text.strip():
        return f"not a non-empty string: {text!r}"
    if "[%key:" in text:
        return f"[%key:...%] is not resolved for custom integrations: {text!r}"
    try:
        _placeholders(text)
    except ValueError as err:
        return f"broken placeholder ({err}): {text!r}"
    return None


def _has(tree: Mapping[str, Any], *path: str) -> bool:
    node: Any = tree
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return False
        node = node[key]
    return True


# ---------------------------------------------------------------------------
# The translation files
# ---------------------------------------------------------------------------


def test_en_is_a_copy_of_strings() -> None:
    """translations/en.json is strings.json, as the build copies it."""
    assert _translation("en") == _strings(), (
        "translations/en.json differs from strings.json; copy strings.json over it"
    )


def test_source_strings_are_text() -> None:
    """Every English string is real text with well-formed placeholders."""
    problems = {
        ".".join(path): problem
        for path, text in _flatten(_strings()).items()
        if (problem := _text_problems(text)) is not None
    }
    assert not problems, problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_translation_has_the_keys_of_strings(language: str) -> None:
    """A translation has every key of strings.json, and no others."""
    source = set(_flatten(_strings()))
    translated = set(_flatten(_translation(language)))
    missing = _dotted(source - translated)
    extra = _dotted(translated - source)
    assert (missing, extra) == ([], []), (
        f"{language}.json: missing keys {missing}, extra keys {extra}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translation_values_match_strings(language: str) -> None:
    """Each translated string is text with the placeholders of its English."""
    source = _flatten(_strings())
    problems: dict[str, str] = {}
    for path, text in _flatten(_translation(language)).items():
        if path not in source:
            continue  # reported by test_translation_has_the_keys_of_strings
        if (problem := _text_problems(text)) is not None:
            problems[".".join(path)] = problem
            continue
        expected = _placeholders(source[path])
        if (found := _placeholders(text)) != expected:
            problems[".".join(path)] = (
                f"placeholders {sorted(found)}, English has {sorted(expected)}"
            )
    assert not problems, f"{language}.json: {problems}"


# ---------------------------------------------------------------------------
# Keys the code uses
# ---------------------------------------------------------------------------


def test_entity_translation_keys_have_names() -> None:
    """Every entity description's translation_key has a name in strings.json."""
    descriptions = {
        "binary_sensor": binary_sensor.BINARY_SENSORS,
        "button": button.BUTTONS,
        "climate": (climate.CLIMATE_DESCRIPTION,),
        "device_tracker": (device_tracker.LOCATION_DESCRIPTION,),
        "lock": (lock.LOCK_DESCRIPTION,),  # name=None: named like the car
        "number": number.DEPARTURE_NUMBERS,
        "sensor": sensor.SENSORS,
        "switch": (switch.DEPARTURE_PLAN_DESCRIPTION,),
        "time": (time_platform.DEPARTURE_TIME_DESCRIPTION,),
    }
    strings = _strings()
    used = {
        (platform, description.translation_key)
        for platform, platform_descriptions in descriptions.items()
        for description in platform_descriptions
        if description.translation_key is not None
    }
    assert len(used) >= 30, f"only {len(used)} entity translation keys found"
    missing = sorted(
        f"entity.{platform}.{key}.name"
        for platform, key in used
        if not _has(strings, "entity", platform, key, "name")
    )
    assert not missing, f"strings.json lacks {missing}"


def _integration_modules() -> Iterator[tuple[str, ast.Module]]:
    """Yield the integration's Python files (relative name, parsed)."""
    for path in sorted(INTEGRATION_DIR.rglob("*.py")):
        name = str(path.relative_to(INTEGRATION_DIR))
        yield name, ast.parse(path.read_text(encoding="utf-8"), filename=name)


def _is_our_domain(node: ast.expr) -> bool:
    """Return whether translation_domain=<node> names this integration."""
    if isinstance(node, ast.Name):
        return node.id in DOMAIN_NAMES
    if isinstance(node, ast.Attribute):  # const.DOMAIN
        return node.attr in DOMAIN_NAMES
    return isinstance(node, ast.Constant) and node.value == DOMAIN


def _resolve_key(node: ast.expr) -> list[str] | None:
    """Return the keys a translation_key=<node> can be; None if unknown."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):  # "a" if ... else "b"
        body, orelse = _resolve_key(node.body), _resolve_key(node.orelse)
        return None if body is None or orelse is None else body + orelse
    if (
        isinstance(node, ast.JoinedStr)
        and len(node.values) == 2
        and isinstance(prefix := node.values[0], ast.Constant)
        and isinstance(node.values[1], ast.FormattedValue)
        and prefix.value in DYNAMIC_KEYS
    ):
        return [f"{prefix.value}{value}" for value in DYNAMIC_KEYS[prefix.value]]
    return None


def _raised_exception_keys() -> tuple[dict[str, list[str]], list[str]]:
    """Scan for translation_key=... passed with translation_domain=DOMAIN.

    Return the keys (each with where it is used) and the places whose key this
    scan cannot work out.
    """
    keys: dict[str, list[str]] = {}
    unresolved: list[str] = []
    for name, module in _integration_modules():
        for node in ast.walk(module):
            if not isinstance(node, ast.Call):
                continue
            kwargs = {kw.arg: kw.value for kw in node.keywords if kw.arg is not None}
            if "translation_key" not in kwargs or not _is_our_domain(
                kwargs.get("translation_domain", ast.Constant(None))
            ):
                continue
            where = f"{name}:{node.lineno}"
            resolved = _resolve_key(kwargs["translation_key"])
            if resolved is None:
                unresolved.append(
                    f"{where}: {ast.unparse(kwargs['translation_key'])}"
                    " (teach DYNAMIC_KEYS in this test how to expand it)"
                )
                continue
            for key in resolved:
                keys.setdefault(key, []).append(where)
    return keys, unresolved


def test_raised_exception_keys_exist() -> None:
    """Every exception translation key the code raises is in strings.json."""
    keys, unresolved = _raised_exception_keys()
    assert not unresolved, f"translation keys this scan cannot resolve: {unresolved}"
    # The scan must find what the code raises today, f-string included.
    assert len(keys) >= 10, f"the scan found only {sorted(keys)}"
    refused = {f"command_refused_{reason}" for reason in CommandFailureReason}
    assert refused <= keys.keys(), "command_refused_{reason} was not expanded"
    exceptions = _strings().get("exceptions", {})
    missing = {
        f"exceptions.{key}.message": where
        for key, where in sorted(keys.items())
        if not _has(exceptions, key, "message")
    }
    assert not missing, f"strings.json lacks {missing}"


def _flow_section(flow_class: ast.ClassDef | None) -> str:
    """Return the strings.json section of a flow class's errors."""
    if flow_class is not None and any(
        "OptionsFlow" in ast.unparse(base) for base in flow_class.bases
    ):
        return "options"
    return "config"  # config flow classes, and module-level helpers they call


FLOW_MODULES = ("config_flow.py", "backends/*.py")
"""The generic flow, and the backends' steps (their adapters)."""


def _flow_error_keys() -> tuple[dict[tuple[str, str], list[str]], list[str]]:
    """Scan the flow modules for the error keys their forms can show.

    Finds ``errors[...] = "key"``, ``errors = {...: "key"}`` and
    ``errors={...: "key"}``. Return ((section, key) with where it is set) and
    the places whose error key is not a string constant.
    """
    found: dict[tuple[str, str], list[str]] = {}
    unresolved: list[str] = []
    for pattern in FLOW_MODULES:
        for path in sorted(INTEGRATION_DIR.glob(pattern)):
            name = str(path.relative_to(INTEGRATION_DIR))
            module = ast.parse(path.read_text(encoding="utf-8"), filename=name)
            _scan_flow_errors(name, module, found, unresolved)
    return found, unresolved


def _scan_flow_errors(
    name: str,
    module: ast.Module,
    found: dict[tuple[str, str], list[str]],
    unresolved: list[str],
) -> None:
    """Add the error keys one flow module sets to found (or to unresolved)."""

    def add(section: str, value: ast.expr) -> None:
        where = f"{name}:{value.lineno}"
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            found.setdefault((section, value.value), []).append(where)
        else:
            unresolved.append(f"{where}: {ast.unparse(value)}")

    def visit(node: ast.AST, flow_class: ast.ClassDef | None) -> None:
        section = _flow_section(flow_class)
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "errors"
                ):
                    add(section, node.value)
                elif (
                    isinstance(target, ast.Name)
                    and target.id == "errors"
                    and isinstance(node.value, ast.Dict)
                ):
                    for value in node.value.values:
                        add(section, value)
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "errors" and isinstance(kw.value, ast.Dict):
                    for value in kw.value.values:
                        add(section, value)
        for child in ast.iter_child_nodes(node):
            visit(child, node if isinstance(node, ast.ClassDef) else flow_class)

    visit(module, None)


def test_flow_error_keys_exist() -> None:
    """Every error the config/options flow can show is in strings.json."""
    found, unresolved = _flow_error_keys()
    assert not unresolved, f"error keys this scan cannot resolve: {unresolved}"
    assert len(found) >= 3, f"the scan found only {sorted(found)}"
    strings = _strings()
    missing = {
        f"{section}.error.{key}": where
        for (section, key), where in sorted(found.items())
        if not _has(strings, section, "error", key)
    }
    assert not missing, f"strings.json lacks {missing}"


def test_icons_reference_existing_keys() -> None:
    """icons.json only has icons for translation keys strings.json has."""
    icons = _load("icons.json")
    strings = _strings()
    unknown: list[str] = []
    for section, entries in icons.items():
        if section == "entity":
            for platform, keys in entries.items():
                for key, icon in keys.items():
                    if not _has(strings, "entity", platform, key):
                        unknown.append(f"entity.{platform}.{key}")
                        continue
                    unknown.extend(
                        f"entity.{platform}.{key}.state_attributes.{attribute}"
                        for attribute in icon.get("state_attributes", {})
                        if not _has(
                            strings,
                            "entity",
                            platform,
                            key,
                            "state_attributes",
                            attribute,
                        )
                    )
        else:  # services, ...: icons keyed like the section in strings.json
            unknown.extend(
                f"{section}.{key}" for key in entries if not _has(strings, section, key)
            )
    assert not unknown, f"icons.json has icons for keys strings.json lacks: {unknown}"
