"""Validate the integration offline, as hassfest and the HACS action would.

Run by scripts/lint (and so by CI); exits 1 when anything is wrong. Written for
this repository after reading Home Assistant's ``script/hassfest`` (manifest,
translations, icons, services, dependencies, quality scale) and HACS's
validators (``hacs.json``, the integration manifest, brand images); neither runs
without the internet, so this checks the same rules here, plus a few of ours:

- manifest.json: the keys and types hassfest allows for custom integrations,
  sorted keys, the version, components imported by the code declared as
  (after) dependencies, and what HACS requires besides;
- strings.json and every translations/*.json: hassfest's rules for keys and
  values, the same keys in every language (none missing, none stale), the same
  {placeholders}, en.json a copy of strings.json (custom integrations are read
  from translations/ only, and [%key:...%] references are never resolved);
- icons.json: valid Material Design Icons names (the frontend's own list), no
  state icon equal to its default, only keys strings.json has;
- services: services.yaml, strings.json, icons.json and the code agree;
- entities: every translation key the code gives an entity has a name in
  strings.json (the integration is imported to find its entity descriptions);
- quality_scale.yaml: known rule ids, a status per rule and a reason for every
  exempt or todo one, the manifest's tier the highest tier really reached, and
  the checks that can be automated (files, flow steps, README sections);
- hacs.json and the brand images (sizes as Home Assistant's brands require);
- CHANGELOG.md: its latest release is the manifest's version.

Usage: ``.venv/bin/python scripts/validate.py [REPOSITORY_ROOT]``
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
import functools
import importlib
import json
from pathlib import Path
import pkgutil
import re
from string import Formatter
import struct
import sys
from typing import Any
from urllib.parse import urlparse

from awesomeversion import (
    AwesomeVersion,
    AwesomeVersionException,
    AwesomeVersionStrategy,
)
from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version
import yaml

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------
# Reference data (from hassfest and HACS, as of Home Assistant 2026.2)
# ---------------------------------------------------------------------------

MANIFEST_KEYS: dict[str, type | tuple[type, ...]] = {
    "domain": str,
    "name": str,
    "after_dependencies": list,
    "bluetooth": list,
    "codeowners": list,
    "config_flow": bool,
    "dependencies": list,
    "dhcp": list,
    "disabled": str,
    "documentation": str,
    "homekit": dict,
    "import_executor": bool,
    "integration_type": str,
    "iot_class": str,
    "issue_tracker": str,
    "loggers": list,
    "mqtt": list,
    "quality_scale": str,
    "requirements": list,
    "single_config_entry": bool,
    "ssdp": list,
    "usb": list,
    "version": str,
    "zeroconf": list,
}
"""Keys hassfest accepts in a custom integration's manifest, with their types."""
MANIFEST_REQUIRED = ("domain", "name", "codeowners", "documentation", "version")
STRING_LISTS = ("after_dependencies", "codeowners", "dependencies", "loggers")
INTEGRATION_TYPES = {
    "device",
    "entity",
    "hardware",
    "helper",
    "hub",
    "service",
    "system",
}
IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
TIERS = ("bronze", "silver", "gold", "platinum")
VERSION_STRATEGIES = [
    AwesomeVersionStrategy.CALVER,
    AwesomeVersionStrategy.SEMVER,
    AwesomeVersionStrategy.SIMPLEVER,
    AwesomeVersionStrategy.BUILDVER,
    AwesomeVersionStrategy.PEP440,
]
CORE_DOCS_PREFIX = "https://www.home-assistant.io/integrations"

USABLE_WITHOUT_DEPENDENCY = set(
    """alert automation conversation default_config device_automation frontend group
    homeassistant input_boolean input_button input_datetime input_number input_select
    input_text media_source onboarding panel_custom persistent_notification person
    script sun system_health system_log timer webhook websocket_api zone""".split()  # noqa: SIM905 - a word list reads better
)
"""Home Assistant components hassfest lets any integration import (platforms too)."""

RULES_BY_TIER_2026_2 = {
    "bronze": """action-setup appropriate-polling brands common-modules config-flow
        config-flow-test-coverage dependency-transparency docs-actions
        docs-high-level-description docs-installation-instructions
        docs-removal-instructions entity-event-setup entity-unique-id has-entity-name
        runtime-data test-before-configure test-before-setup unique-config-entry""",
    "silver": """action-exceptions config-entry-unloading docs-configuration-parameters
        docs-installation-parameters entity-unavailable integration-owner
        log-when-unavailable parallel-updates reauthentication-flow test-coverage""",
    "gold": """devices diagnostics discovery discovery-update-info docs-data-update
        docs-examples docs-known-limitations docs-supported-devices
        docs-supported-functions docs-troubleshooting docs-use-cases dynamic-devices
        entity-category entity-device-class entity-disabled-by-default
        entity-translations exception-translations icon-translations
        reconfiguration-flow repair-issues stale-devices""",
    "platinum": "async-dependency inject-websession strict-typing",
}
RULES_2026_2 = {
    rule: tier for tier, rules in RULES_BY_TIER_2026_2.items() for rule in rules.split()
}
"""The quality scale rules of Home Assistant 2026.2 (52) and their tiers."""
RULES_ADDED_LATER = {"docs-triggers": "bronze", "docs-conditions": "bronze"}
"""Bronze rules added to the developer docs in July 2026 (after 2026.2)."""
RULES = {**RULES_2026_2, **RULES_ADDED_LATER}
STATUSES = {"done", "todo", "exempt"}

README_SECTIONS = {
    "docs-actions": r"actions",
    "docs-conditions": r"conditions",
    "docs-configuration-parameters": r"configuration",
    "docs-data-update": r"data update",
    "docs-examples": r"examples",
    "docs-installation-instructions": r"installation",
    "docs-installation-parameters": r"configuration|setup",
    "docs-known-limitations": r"known limitations",
    "docs-removal-instructions": r"remov",
    "docs-supported-devices": r"supported (devices|cars|backends)",
    "docs-supported-functions": r"supported functionality|what you get",
    "docs-triggers": r"triggers",
    "docs-troubleshooting": r"troubleshooting",
    "docs-use-cases": r"use cases",
}
"""README heading (regex, case-insensitive) each documentation rule needs."""

HACS_KEYS: dict[str, type | tuple[type, ...]] = {
    "content_in_root": bool,
    "country": (str, list),
    "filename": str,
    "hacs": str,
    "hide_default_branch": bool,
    "homeassistant": str,
    "persistent_directory": str,
    "render_readme": bool,
    "zip_release": bool,
    "name": str,
}
"""Keys the HACS action accepts in hacs.json (any other key is an error)."""

BRAND_SIZES = {"icon.png": (256, 256), "dark_icon.png": (256, 256)}
"""Square icons; @2x variants double them. Logos: shortest side 128-256 px."""
BRAND_FILES = {
    "icon.png",
    "dark_icon.png",
    "logo.png",
    "dark_logo.png",
    "icon@2x.png",
    "dark_icon@2x.png",
    "logo@2x.png",
    "dark_logo@2x.png",
}

TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")
SLUG = re.compile(r"^[a-z0-9_]+$")
HTML_TAG = re.compile(r"<[a-z/!][^>]*>", re.IGNORECASE)
SINGLE_QUOTED_PLACEHOLDER = re.compile(r"'\{\w+\}'")
KEY_REFERENCE = "[%key:"
MDI_ICON = re.compile(r"^mdi:[a-z0-9]+(-[a-z0-9]+)*$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANGELOG_RELEASE = re.compile(r"^## \[?(\d[^\]\s]*)\]?", re.MULTILINE)


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass
class Report:
    """Problems found, each tied to the file it is in."""

    root: Path
    problems: list[str] = field(default_factory=list)

    def error(self, path: Path, message: str) -> None:
        """Record a problem in a file."""
        try:
            where = path.relative_to(self.root)
        except ValueError:
            where = path
        self.problems.append(f"{where}: {message}")


def load_json(report: Report, path: Path) -> Any:
    """Return a JSON file's content, or None (reported) when it is unusable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        report.error(path, "missing")
    except ValueError as err:
        report.error(path, f"invalid JSON: {err}")
    return None


def is_url(value: Any, *, https: bool = False) -> bool:
    """Return whether value is an absolute http(s) URL."""
    if not isinstance(value, str):
        return False
    parsed = urlparse(value)
    schemes = {"https"} if https else {"http", "https"}
    return parsed.scheme in schemes and bool(parsed.netloc)


def is_version(value: Any) -> bool:
    """Return whether AwesomeVersion accepts value as Home Assistant does."""
    if not isinstance(value, str) or not value:
        return False
    try:
        AwesomeVersion(value, ensure_strategy=VERSION_STRATEGIES)
    except AwesomeVersionException:
        return False
    return True


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Return the leaves of a nested mapping by dotted key."""
    leaves: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            leaves.update(flatten(value, f"{path}."))
        else:
            leaves[path] = value
    return leaves


def dig(tree: Any, *keys: str) -> Any:
    """Return tree[k1][k2]..., or None when any level is missing."""
    for key in keys:
        if not isinstance(tree, Mapping) or key not in tree:
            return None
        tree = tree[key]
    return tree


# ---------------------------------------------------------------------------
# manifest.json
# ---------------------------------------------------------------------------


def check_manifest(report: Report, integration: Path) -> dict[str, Any]:
    """Check manifest.json; return it (empty when unusable)."""
    path = integration / "manifest.json"
    manifest = load_json(report, path)
    if not isinstance(manifest, dict):
        if manifest is not None:
            report.error(path, "must be a JSON object")
        return {}
    check_keys(
        report,
        path,
        manifest,
        allowed=MANIFEST_KEYS,
        required=MANIFEST_REQUIRED,
        checker="hassfest",
    )
    keys = list(manifest)
    wanted = sorted(
        keys, key=lambda key: {"domain": "0", "name": "1"}.get(key, f"2{key}")
    )
    if keys != wanted:
        report.error(path, "keys must be sorted: domain, name, then alphabetically")
    if manifest.get("domain") != integration.name:
        report.error(path, f"domain must be the folder's name, {integration.name!r}")
    for key in STRING_LISTS:
        value = manifest.get(key, [])
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            report.error(path, f"{key!r} must be a list of strings")
    _check_manifest_values(report, path, manifest)
    if manifest.get("config_flow") and not (integration / "config_flow.py").is_file():
        report.error(path, "config_flow is true but config_flow.py is missing")
    return manifest


def check_keys(  # noqa: PLR0913 - keyword-only after the file
    report: Report,
    path: Path,
    data: Mapping[str, Any],
    *,
    allowed: Mapping[str, type | tuple[type, ...]],
    required: Iterable[str],
    checker: str,
) -> None:
    """Report missing required keys, unknown keys and values of the wrong type."""
    for key in required:
        if key not in data:
            report.error(path, f"required key {key!r} is missing")
    for key, value in data.items():
        if key not in allowed:
            report.error(path, f"unknown key {key!r} ({checker} rejects it)")
        elif not isinstance(value, allowed[key]):
            report.error(path, f"{key!r} must be a {_type_name(allowed[key])}")


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(
        {"str": "string", "list": "list", "bool": "boolean", "dict": "mapping"}[
            k.__name__
        ]
        for k in kinds
    )


def requirement_problem(requirement: object) -> str | None:
    """Return what is wrong with a manifest requirement, as hassfest sees it.

    hassfest demands exact pins (name==version) only of core integrations; a
    custom integration may use ranges, so that it can accept the version Home
    Assistant's own integrations pin for the same library. It must still be a
    valid PEP 508 requirement without spaces, and any == version must parse.
    """
    if not isinstance(requirement, str):
        return "must be a string"
    if " " in requirement:
        return "contains a space"
    try:
        parsed = Requirement(requirement)
    except InvalidRequirement:
        return "is not a valid requirement (PEP 508)"
    for specifier in parsed.specifier:
        if specifier.operator == "==":
            try:
                Version(specifier.version)
            except InvalidVersion:
                return f"has an unparsable version {specifier.version!r}"
    return None


def _check_manifest_values(
    report: Report, path: Path, manifest: dict[str, Any]
) -> None:
    _check_manifest_urls(report, path, manifest)
    if "version" in manifest and not is_version(manifest["version"]):
        report.error(path, f"version {manifest['version']!r} is not a valid version")
    if manifest.get("integration_type", "hub") not in INTEGRATION_TYPES:
        report.error(
            path, f"integration_type must be one of {sorted(INTEGRATION_TYPES)}"
        )
    if "iot_class" not in manifest:
        report.error(path, "iot_class is missing")
    elif manifest["iot_class"] not in IOT_CLASSES:
        report.error(path, f"iot_class must be one of {sorted(IOT_CLASSES)}")
    if "quality_scale" in manifest and manifest["quality_scale"] not in TIERS:
        report.error(path, f"quality_scale must be one of {list(TIERS)}")
    for requirement in manifest.get("requirements", []):
        if problem := requirement_problem(requirement):
            report.error(path, f"requirement {requirement!r} {problem}")
    if not manifest.get("codeowners"):
        report.error(path, "codeowners must name at least one owner")
    for owner in manifest.get("codeowners", []):
        if isinstance(owner, str) and not owner.startswith("@"):
            report.error(path, f"code owner {owner!r} must be a GitHub @name")
    both = set(manifest.get("dependencies", [])) & set(
        manifest.get("after_dependencies", [])
    )
    for domain in sorted(both):
        report.error(path, f"{domain!r} is in both dependencies and after_dependencies")


def _check_manifest_urls(report: Report, path: Path, manifest: dict[str, Any]) -> None:
    documentation = manifest.get("documentation")
    if "documentation" in manifest and not is_url(documentation, https=True):
        report.error(path, "documentation must be an https URL")
    elif isinstance(documentation, str) and documentation.startswith(CORE_DOCS_PREFIX):
        report.error(
            path, "documentation of a custom integration is not on home-assistant.io"
        )
    if "issue_tracker" not in manifest:
        report.error(path, "issue_tracker is missing (HACS requires it)")
    elif not is_url(manifest["issue_tracker"]):
        report.error(path, "issue_tracker must be a URL")


def parse(file: Path) -> ast.Module:
    """Return a Python file's syntax tree (parsed once per content)."""
    return _parse(file.read_text(encoding="utf-8"), str(file))


@functools.cache
def _parse(source: str, filename: str) -> ast.Module:
    return ast.parse(source, filename=filename)


def referenced_components(integration: Path) -> dict[str, set[str]]:
    """Return the Home Assistant components each Python file imports."""
    found: dict[str, set[str]] = {}
    for file in sorted(integration.rglob("*.py")):
        components: set[str] = set()
        for node in _runtime_nodes(parse(file)):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith("homeassistant.components."):
                    components.add(node.module.split(".")[2])
                elif node.module == "homeassistant.components":
                    components.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Import):
                components.update(
                    alias.name.split(".")[2]
                    for alias in node.names
                    if alias.name.startswith("homeassistant.components.")
                )
        found[str(file.relative_to(integration))] = components
    return found


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Walk a module, skipping `if TYPE_CHECKING:` blocks (never imported)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
        ):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def check_dependencies(
    report: Report, integration: Path, manifest: dict[str, Any]
) -> None:
    """Components the code imports must be declared (dependency transparency)."""
    platforms = _platform_names()
    declared = set(manifest.get("dependencies", [])) | set(
        manifest.get("after_dependencies", [])
    )
    for file, components in referenced_components(integration).items():
        for component in sorted(components):
            own_platform = (integration / f"{component}.py").is_file() or (
                integration / component
            ).is_dir()
            if (
                component in declared
                or component in platforms
                or component in USABLE_WITHOUT_DEPENDENCY
                or own_platform
            ):
                continue
            report.error(
                integration / file,
                f"imports homeassistant.components.{component}, which is not in the "
                "manifest's dependencies or after_dependencies",
            )


def _platform_names() -> set[str]:
    from homeassistant.const import Platform  # noqa: PLC0415 - HA is heavy

    return {platform.value for platform in Platform}


# ---------------------------------------------------------------------------
# strings.json and translations
# ---------------------------------------------------------------------------

Checker = Callable[[Any, str], Iterator[str]]


def text(value: Any, where: str) -> Iterator[str]:
    """Check one translated text as hassfest does."""
    if not isinstance(value, str):
        yield f"{where}: must be a string"
        return
    if not value.strip():
        yield f"{where}: is empty"
    if value != value.strip():
        yield f"{where}: has leading or trailing spaces"
    if HTML_TAG.search(value):
        yield f"{where}: contains HTML"
    if SINGLE_QUOTED_PLACEHOLDER.search(value):
        yield f"{where}: has a placeholder in single quotes"
    if KEY_REFERENCE in value:
        yield f"{where}: [%key:...%] is never resolved for custom integrations"
    try:
        placeholders(value)
    except ValueError as err:
        yield f"{where}: broken placeholder ({err})"


def placeholders(value: str) -> set[str]:
    """Return the {placeholders} of a text; ValueError on unbalanced braces."""
    return {name for _, name, _, _ in Formatter().parse(value) if name is not None}


def mapping(
    children: Mapping[str, Checker] | None = None,
    *,
    each: Checker | None = None,
    key: re.Pattern[str] | None = None,
    required: Iterable[str] = (),
) -> Checker:
    """Build a checker of a JSON object: named children, or any key -> each."""

    def check(value: Any, where: str) -> Iterator[str]:
        if not isinstance(value, Mapping):
            yield f"{where}: must be an object"
            return
        for name in required:
            if name not in value:
                yield f"{where}.{name}: is required"
        for name, child in value.items():
            path = f"{where}.{name}" if where else name
            if children is not None and name in children:
                yield from children[name](child, path)
            elif each is not None:
                if key is not None and not key.match(name):
                    yield f"{path}: {name!r} is not a valid key"
                yield from each(child, path)
            else:
                yield f"{path}: unknown key"

    return check


def _texts(key: re.Pattern[str] | None = None) -> Checker:
    return mapping(each=text, key=key)


def _flow_schema() -> Checker:
    step = mapping(
        {
            "title": text,
            "description": text,
            "data": _texts(),
            "data_description": _texts(),
            "menu_options": _texts(),
            "menu_option_descriptions": _texts(),
            "submit": text,
            "sections": mapping(
                each=mapping(
                    {
                        "name": text,
                        "description": text,
                        "data": _texts(),
                        "data_description": _texts(),
                    }
                )
            ),
        }
    )

    def data_descriptions_have_fields(value: Any, where: str) -> Iterator[str]:
        yield from mapping(each=step)(value, where)
        if not isinstance(value, Mapping):
            return
        for step_id, info in value.items():
            if not isinstance(info, Mapping):
                continue
            for field_name in info.get("data_description", {}):
                if field_name not in info.get("data", {}):
                    yield f"{where}.{step_id}.data_description.{field_name}: not in data"

    return mapping(
        {
            "flow_title": text,
            "step": data_descriptions_have_fields,
            "error": _texts(),
            "abort": _texts(),
            "progress": _texts(),
            "create_entry": _texts(),
            "initiate_flow": _texts(),
            "entry_type": text,
        }
    )


def _state_texts() -> Checker:
    return _texts(TRANSLATION_KEY)


def strings_schema() -> Checker:
    """Return the checker of the shape hassfest gives strings.json."""
    flow = _flow_schema()
    entity = mapping(
        {
            "name": text,
            "state": _state_texts(),
            "state_attributes": mapping(
                each=mapping({"name": text, "state": _state_texts()}),
                key=TRANSLATION_KEY,
            ),
            "unit_of_measurement": text,
        }
    )
    return mapping(
        {
            "title": text,
            "application_credentials": mapping({"description": text}),
            "config": flow,
            "options": flow,
            "config_subentries": mapping(each=flow, key=TRANSLATION_KEY),
            "selector": mapping(
                each=mapping(
                    {"options": _state_texts(), "unit_of_measurement": _texts()}
                ),
                key=SLUG,
            ),
            "device_automation": mapping(
                {
                    name: _texts()
                    for name in (
                        "action_type",
                        "condition_type",
                        "trigger_type",
                        "trigger_subtype",
                        "extra_fields",
                        "extra_fields_descriptions",
                    )
                }
            ),
            "system_health": mapping({"info": _texts(TRANSLATION_KEY)}),
            "issues": mapping(
                each=mapping(
                    {"title": text, "description": text, "fix_flow": flow},
                    required=("title",),
                ),
                key=TRANSLATION_KEY,
            ),
            "device": mapping(each=mapping({"name": text}), key=TRANSLATION_KEY),
            "entity": mapping(
                each=mapping(each=entity, key=TRANSLATION_KEY),
                key=SLUG,
            ),
            "exceptions": mapping(
                each=mapping({"message": text}, required=("message",)), key=SLUG
            ),
            "services": mapping(
                each=mapping(
                    {
                        "name": text,
                        "description": text,
                        "fields": mapping(
                            each=mapping(
                                {"name": text, "description": text, "example": text},
                                required=("name", "description"),
                            ),
                            key=TRANSLATION_KEY,
                        ),
                        "sections": mapping(
                            each=mapping({"name": text, "description": text}),
                            key=TRANSLATION_KEY,
                        ),
                    },
                    required=("name", "description"),
                ),
                key=TRANSLATION_KEY,
            ),
            "common": _texts(SLUG),
        }
    )


def check_translations(report: Report, integration: Path) -> dict[str, Any]:
    """Check strings.json and each translation against it; return strings.json."""
    strings_path = integration / "strings.json"
    strings = load_json(report, strings_path)
    if not isinstance(strings, dict):
        return {}
    schema = strings_schema()
    for problem in schema(strings, ""):
        report.error(strings_path, problem)
    source = flatten(strings)
    translations = sorted((integration / "translations").glob("*.json"))
    if not any(path.name == "en.json" for path in translations):
        report.error(integration / "translations", "en.json is missing")
    for path in translations:
        translated = load_json(report, path)
        if not isinstance(translated, dict):
            continue
        if path.name == "en.json" and translated != strings:
            report.error(path, "differs from strings.json (copy strings.json over it)")
            continue
        compare_translation(report, path, source, flatten(translated))
    return strings


def compare_translation(
    report: Report, path: Path, source: dict[str, Any], leaves: dict[str, Any]
) -> None:
    """Check that a translation has the keys, texts and placeholders it should."""
    for key in sorted(source.keys() - leaves.keys()):
        report.error(path, f"{key}: missing (strings.json has it)")
    for key in sorted(leaves.keys() - source.keys()):
        report.error(path, f"{key}: stale (strings.json does not have it)")
    for key in sorted(source.keys() & leaves.keys()):
        problems = list(text(leaves[key], key))
        for problem in problems:
            report.error(path, problem)
        if problems or not isinstance(source[key], str):
            continue
        try:
            expected = placeholders(source[key])
        except ValueError:
            continue  # reported for strings.json
        if (found := placeholders(leaves[key])) != expected:
            report.error(
                path,
                f"{key}: placeholders {sorted(found)}, strings.json has {sorted(expected)}",
            )


# ---------------------------------------------------------------------------
# icons.json
# ---------------------------------------------------------------------------


@functools.cache
def mdi_icon_names() -> frozenset[str] | None:
    """Return the icon names of the installed frontend, None without it."""
    try:
        import hass_frontend  # noqa: PLC0415 - optional

        icon_list = Path(hass_frontend.where()) / "static" / "mdi" / "iconList.json"
        return frozenset(icon["name"] for icon in json.loads(icon_list.read_text()))
    except (ImportError, OSError, ValueError, KeyError):
        return None


def check_icon(
    report: Report, path: Path, where: str, icon: Any, names: frozenset[str] | None
) -> None:
    """Check one icon reference (mdi:name, a real icon when the list is known)."""
    if not isinstance(icon, str) or not MDI_ICON.match(icon):
        report.error(path, f"{where}: {icon!r} is not an mdi: icon")
    elif names is not None and icon.removeprefix("mdi:") not in names:
        report.error(path, f"{where}: {icon} is not a Material Design Icon")


def check_icons(
    report: Report, integration: Path, strings: dict[str, Any], services: set[str]
) -> None:
    """Check icons.json: shape, icon names, and keys that strings.json has."""
    path = integration / "icons.json"
    if not path.is_file():
        return
    icons = load_json(report, path)
    if not isinstance(icons, dict):
        return
    names = mdi_icon_names()
    for section, content in icons.items():
        if section == "entity" and isinstance(content, dict):
            for platform, keys in content.items():
                for key, icon in (keys if isinstance(keys, dict) else {}).items():
                    where = f"entity.{platform}.{key}"
                    if dig(strings, "entity", platform, key) is None:
                        report.error(path, f"{where}: strings.json has no such entity")
                    _check_state_icons(report, path, where, icon, names)
        elif section == "services" and isinstance(content, dict):
            for service, icon in content.items():
                if service not in services:
                    report.error(path, f"services.{service}: no such service")
                service_icon = icon.get("service") if isinstance(icon, dict) else icon
                check_icon(report, path, f"services.{service}", service_icon, names)
        elif section not in {"config", "options", "issues", "services", "entity"}:
            report.error(path, f"{section}: unknown section")


def _check_state_icons(
    report: Report, path: Path, where: str, icon: Any, names: frozenset[str] | None
) -> None:
    if not isinstance(icon, dict):
        report.error(path, f"{where}: must be an object")
        return
    unknown = icon.keys() - {"default", "state", "range", "state_attributes"}
    for key in sorted(unknown):
        report.error(path, f"{where}.{key}: unknown key")
    if "default" in icon:
        check_icon(report, path, f"{where}.default", icon["default"], names)
    for state, state_icon in (icon.get("state") or {}).items():
        check_icon(report, path, f"{where}.state.{state}", state_icon, names)
        if state_icon == icon.get("default"):
            report.error(path, f"{where}.state.{state}: same as the default icon")
    for bound, range_icon in (icon.get("range") or {}).items():
        check_icon(report, path, f"{where}.range.{bound}", range_icon, names)
    for attribute, attribute_icon in (icon.get("state_attributes") or {}).items():
        _check_state_icons(
            report, path, f"{where}.state_attributes.{attribute}", attribute_icon, names
        )


# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------


def registered_services(integration: Path) -> set[str]:
    """Return the service names the code registers for its domain (literals)."""
    found: set[str] = set()
    for file in integration.rglob("*.py"):
        for node in ast.walk(parse(file)):
            if not isinstance(node, ast.Call) or not isinstance(
                node.func, ast.Attribute
            ):
                continue
            name = node.func.attr
            args = [
                *node.args,
                *(kw.value for kw in node.keywords if kw.arg == "service"),
            ]
            literal = [
                arg.value
                for arg in args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
            if name == "async_register_entity_service" and literal:
                found.add(literal[0])
            elif (
                name in {"async_register", "async_register_admin_service"}
                and (_mentions_services(node.func.value))
                and len(literal) >= 1
            ):
                found.add(literal[-1])
    return found


def _mentions_services(node: ast.expr) -> bool:
    """Return whether `node` is ...services (hass.services.async_register)."""
    return (isinstance(node, ast.Attribute) and node.attr == "services") or (
        isinstance(node, ast.Name) and node.id == "service"
    )


def check_services(
    report: Report, integration: Path, strings: dict[str, Any]
) -> set[str]:
    """services.yaml, strings.json and the code describe the same services."""
    path = integration / "services.yaml"
    described: dict[str, Any] = {}
    if path.is_file():
        try:
            described = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as err:
            report.error(path, f"invalid YAML: {err}")
    code = registered_services(integration)
    for service in sorted(code - described.keys()):
        report.error(path, f"{service}: registered by the code but not described")
    for service in sorted(described.keys() - code):
        report.error(path, f"{service}: described but never registered")
    translated = strings.get("services", {})
    for service, spec in described.items():
        if service not in translated:
            report.error(integration / "strings.json", f"services.{service}: missing")
            continue
        for field_name in (
            (spec or {}).get("fields", {}) if isinstance(spec, dict) else ()
        ):
            if dig(translated, service, "fields", field_name) is None:
                report.error(
                    integration / "strings.json",
                    f"services.{service}.fields.{field_name}: missing",
                )
    for service in sorted(translated.keys() - described.keys()):
        report.error(
            integration / "strings.json", f"services.{service}: no such service"
        )
    return set(described)


# ---------------------------------------------------------------------------
# Entity translation keys the code defines
# ---------------------------------------------------------------------------


def entity_translation_keys(integration: Path) -> dict[tuple[str, str], str]:
    """Import the integration; return {(platform, translation_key): where}.

    Finds entity descriptions at module level (alone or in tuples, lists and
    dicts) and entity classes with a constant ``_attr_translation_key``.
    """
    from homeassistant.helpers.entity import Entity  # noqa: PLC0415

    platforms = _platform_names()
    package = f"{integration.parent.name}.{integration.name}"
    sys.path.insert(0, str(integration.parent.parent))
    try:
        root = importlib.import_module(package)
        modules = [root] + [
            importlib.import_module(info.name)
            for info in pkgutil.walk_packages(root.__path__, f"{package}.")
            if ".vehicle" not in info.name  # the Home Assistant-free layer
        ]
    finally:
        sys.path.remove(str(integration.parent.parent))
    found: dict[tuple[str, str], str] = {}
    for module in modules:
        module_platform = module.__name__.rsplit(".", 1)[-1]
        for name, value in vars(module).items():
            for item in _items(value):
                where = f"{module.__name__}.{name}"
                if _is_description(item) and item.translation_key:
                    platform = _platform_of(type(item), platforms) or module_platform
                    found[(platform, item.translation_key)] = where
                elif (
                    isinstance(item, type)
                    and issubclass(item, Entity)
                    and item.__module__ == module.__name__
                    and isinstance(key := vars(item).get("_attr_translation_key"), str)
                ):
                    platform = _platform_of(item, platforms) or module_platform
                    found[(platform, key)] = where
    return {key: where for key, where in found.items() if key[0] in platforms}


def _items(value: Any) -> Iterator[Any]:
    if isinstance(value, (tuple, list, frozenset, set)):
        yield from value
    elif isinstance(value, dict):
        yield from value.values()
    else:
        yield value


def _is_description(item: Any) -> bool:
    """Return whether item is an entity description.

    Not isinstance: Home Assistant builds its description classes through a
    compatibility metaclass, so instances are not of helpers.entity's class.
    """
    return any(base.__name__ == "EntityDescription" for base in type(item).__mro__)


def _platform_of(cls: type, platforms: set[str]) -> str | None:
    """Return the platform of an entity or description class, from its bases.

    SensorEntity and SensorEntityDescription name the sensor platform.
    """
    for base in cls.__mro__:
        stem = re.sub(r"Entity(Description)?$", "", base.__name__)
        platform = re.sub(r"(?<!^)(?=[A-Z])", "_", stem).lower()
        if stem != base.__name__ and platform in platforms:
            return platform
    return None


def check_entity_keys(
    report: Report, integration: Path, strings: dict[str, Any]
) -> None:
    """Each entity translation key in the code has a name in strings.json."""
    keys = entity_translation_keys(integration)
    if not keys:
        report.error(integration, "no entity translation keys found in the code")
    for (platform, key), where in sorted(keys.items()):
        if dig(strings, "entity", platform, key, "name") is None:
            report.error(
                integration / "strings.json",
                f"entity.{platform}.{key}.name: missing (used by {where})",
            )


# ---------------------------------------------------------------------------
# quality_scale.yaml
# ---------------------------------------------------------------------------


def check_quality_scale(
    report: Report, root: Path, integration: Path, manifest: dict[str, Any]
) -> None:
    """Rule ids, statuses and reasons; the manifest's tier; automatable checks."""
    path = integration / "quality_scale.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        report.error(path, "missing")
        return
    except yaml.YAMLError as err:
        report.error(path, f"invalid YAML: {err}")
        return
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, dict):
        report.error(path, "must have a 'rules' mapping")
        return
    statuses: dict[str, str] = {}
    for rule, value in rules.items():
        if rule not in RULES:
            report.error(path, f"{rule}: unknown rule")
            continue
        status = value.get("status") if isinstance(value, dict) else value
        comment = value.get("comment") if isinstance(value, dict) else None
        extra = (
            value.keys() - {"status", "comment"} if isinstance(value, dict) else set()
        )
        if status not in STATUSES:
            report.error(path, f"{rule}: status must be one of {sorted(STATUSES)}")
            continue
        if extra:
            report.error(path, f"{rule}: unknown keys {sorted(extra)}")
        if status in {"exempt", "todo"} and not (
            isinstance(comment, str) and comment.strip()
        ):
            report.error(path, f"{rule}: {status} needs a comment saying why")
        statuses[rule] = status
    for rule in sorted(RULES.keys() - rules.keys()):
        report.error(path, f"{rule}: not listed (give it a status)")
    reached = highest_tier(statuses)
    declared = manifest.get("quality_scale")
    if declared != reached:
        report.error(
            integration / "manifest.json",
            f"quality_scale is {declared!r}, but the rules reach {reached!r}",
        )
    done = {rule for rule, status in statuses.items() if status == "done"}
    for rule, problem in automated_rule_checks(root, integration, manifest, done):
        report.error(path, f"{rule} is done, but {problem}")


def highest_tier(statuses: Mapping[str, str]) -> str | None:
    """Return the highest tier whose rules (and all below) are done or exempt."""
    reached = None
    for tier in TIERS:
        rules = [rule for rule, rule_tier in RULES.items() if rule_tier == tier]
        if any(statuses.get(rule) not in {"done", "exempt"} for rule in rules):
            break
        reached = tier
    return reached


def automated_rule_checks(
    root: Path, integration: Path, manifest: dict[str, Any], done: set[str]
) -> Iterator[tuple[str, str]]:
    """Yield (rule, problem) for done rules whose evidence is missing."""
    sources = {
        file.name: file.read_text(encoding="utf-8") for file in integration.glob("*.py")
    }
    everything = "\n".join(
        file.read_text(encoding="utf-8") for file in integration.rglob("*.py")
    )
    flow = sources.get("config_flow.py", "")
    evidence = {
        "config-flow": (
            manifest.get("config_flow") is True and "config_flow.py" in sources,
            "the manifest has no config flow",
        ),
        "config-entry-unloading": (
            "async def async_unload_entry" in sources.get("__init__.py", ""),
            "__init__.py has no async_unload_entry",
        ),
        "diagnostics": (
            "async_get_config_entry_diagnostics" in sources.get("diagnostics.py", ""),
            "diagnostics.py has no config entry diagnostics",
        ),
        "reauthentication-flow": (
            "async def async_step_reauth" in flow,
            "the config flow has no reauth step",
        ),
        "reconfiguration-flow": (
            "async def async_step_reconfigure" in flow,
            "the config flow has no reconfigure step",
        ),
        "unique-config-entry": (
            # Backend adapters' flow steps set it (backends/*.py).
            "async_set_unique_id" in everything
            or manifest.get("single_config_entry") is True,
            "no config flow step sets a unique id",
        ),
        "runtime-data": (
            "runtime_data" in everything,
            "no entry.runtime_data is used",
        ),
        "has-entity-name": (
            "_attr_has_entity_name = True" in everything,
            "no entity sets _attr_has_entity_name = True",
        ),
        "repair-issues": (
            "async_create_issue" in everything,
            "no repair issue is ever created",
        ),
        "integration-owner": (
            bool(manifest.get("codeowners")),
            "the manifest has no code owner",
        ),
        "strict-typing": (
            _mypy_is_strict(root),
            "pyproject.toml does not run mypy in strict mode",
        ),
    }
    for rule, (ok, problem) in evidence.items():
        if rule in done and not ok:
            yield rule, problem
    if "parallel-updates" in done:
        for name in sorted(sources.keys() & {f"{p}.py" for p in _platform_names()}):
            if "PARALLEL_UPDATES" not in sources[name]:
                yield "parallel-updates", f"{name} does not set PARALLEL_UPDATES"
    if "brands" in done and not (integration / "brand" / "icon.png").is_file():
        yield "brands", "brand/icon.png is missing"
    readme = root / "README.md"
    headings = (
        re.findall(r"^#{1,4} (.+)$", readme.read_text(encoding="utf-8"), re.MULTILINE)
        if readme.is_file()
        else []
    )
    for rule, pattern in README_SECTIONS.items():
        if rule in done and not any(
            re.search(pattern, h, re.IGNORECASE) for h in headings
        ):
            yield rule, f"README.md has no section matching {pattern!r}"


def _mypy_is_strict(root: Path) -> bool:
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        return False
    import tomllib  # noqa: PLC0415

    mypy = (
        tomllib.loads(pyproject.read_text(encoding="utf-8"))
        .get("tool", {})
        .get("mypy", {})
    )
    return mypy.get("strict") is True


# ---------------------------------------------------------------------------
# HACS, brand images, changelog
# ---------------------------------------------------------------------------


def check_hacs(report: Report, root: Path, manifest: dict[str, Any]) -> None:
    """hacs.json as the HACS action checks it, and the repository's layout."""
    path = root / "hacs.json"
    hacs = load_json(report, path)
    if isinstance(hacs, dict):
        check_keys(
            report,
            path,
            hacs,
            allowed=HACS_KEYS,
            required=("name",),
            checker="the HACS action",
        )
        if hacs.get("zip_release") and not hacs.get("filename"):
            report.error(path, "zip_release needs a filename")
        for key in ("homeassistant", "hacs"):
            if key in hacs and not is_version(hacs[key]):
                report.error(path, f"{key!r} is not a version")
        countries = hacs.get("country", [])
        for country in [countries] if isinstance(countries, str) else countries:
            if not (isinstance(country, str) and re.fullmatch(r"[A-Za-z]{2}", country)):
                report.error(path, f"country {country!r} is not an ISO 3166 code")
    elif hacs is not None:
        report.error(path, "must be a JSON object")
    integrations = [p for p in (root / "custom_components").iterdir() if p.is_dir()]
    if len(integrations) != 1:
        report.error(root / "custom_components", "HACS manages exactly one integration")
    if not any((root / name).is_file() for name in ("README.md", "README", "info.md")):
        report.error(root, "README.md is missing (HACS shows it)")
    if not manifest.get("version"):
        report.error(root, "HACS needs the manifest's version")


def png_size(path: Path) -> tuple[int, int] | None:
    """Return (width, height) of a PNG file, None if it is not one."""
    head = path.read_bytes()[:24]
    if len(head) < 24 or head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":  # noqa: PLR2004
        return None
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def check_brand(report: Report, integration: Path) -> None:
    """brand/ images: known names, PNG, the sizes Home Assistant's brands need."""
    brand = integration / "brand"
    if not (brand / "icon.png").is_file():
        report.error(brand, "icon.png is missing")
    for image in sorted(brand.glob("*")) if brand.is_dir() else []:
        if image.name not in BRAND_FILES:
            report.error(image, "not a brand image name Home Assistant serves")
            continue
        size = png_size(image)
        if size is None:
            report.error(image, "not a PNG image")
            continue
        scale = 2 if "@2x" in image.name else 1
        base = image.name.replace("@2x", "")
        if base in BRAND_SIZES:
            wanted = tuple(side * scale for side in BRAND_SIZES[base])
            if size != wanted:
                report.error(
                    image, f"is {size[0]}x{size[1]}, must be {wanted[0]}x{wanted[1]}"
                )
        elif not 128 * scale <= min(size) <= 256 * scale:
            report.error(image, f"shortest side must be {128 * scale}-{256 * scale} px")


def check_changelog(report: Report, root: Path, manifest: dict[str, Any]) -> None:
    """CHANGELOG.md's latest release is the version in the manifest."""
    path = root / "CHANGELOG.md"
    if not path.is_file():
        report.error(path, "missing")
        return
    releases = [
        version
        for version in CHANGELOG_RELEASE.findall(path.read_text(encoding="utf-8"))
        if version.lower() != "unreleased"
    ]
    if not releases:
        report.error(path, "names no release (## [x.y.z] - date)")
    elif releases[0] != manifest.get("version"):
        report.error(
            path,
            f"latest release is {releases[0]}, the manifest says {manifest.get('version')}",
        )


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def validate(root: Path, *, import_code: bool = True) -> list[str]:
    """Run every check on the repository at root; return the problems."""
    report = Report(root)
    components = root / "custom_components"
    integrations = (
        sorted(
            p
            for p in components.iterdir()
            if p.is_dir() and (p / "manifest.json").exists()
        )
        if components.is_dir()
        else []
    )
    if not integrations:
        report.error(components, "no integration found")
        return report.problems
    for integration in integrations:
        manifest = check_manifest(report, integration)
        check_dependencies(report, integration, manifest)
        strings = check_translations(report, integration)
        services = check_services(report, integration, strings)
        check_icons(report, integration, strings, services)
        if import_code:
            check_entity_keys(report, integration, strings)
        check_quality_scale(report, root, integration, manifest)
        check_brand(report, integration)
        check_changelog(report, root, manifest)
        check_hacs(report, root, manifest)
    return report.problems


def main() -> int:
    """Validate, print the problems; exit 1 if there are any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=ROOT)
    parser.add_argument(
        "--no-import",
        action="store_true",
        help="skip the checks that import the integration's code",
    )
    args = parser.parse_args()
    problems = validate(args.root.resolve(), import_code=not args.no_import)
    for problem in problems:
        print(f"validate: {problem}")
    if problems:
        print(f"validate: {len(problems)} problem(s)")
        return 1
    print(
        "validate: manifest, translations, icons, services, entities, quality scale, HACS, brand and changelog are valid"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
