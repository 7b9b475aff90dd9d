"""scripts/validate.py: the repository passes, and each kind of breakage is caught.

Every broken fixture is a copy of the real repository with one thing broken,
so each test proves that the validator fails on exactly that problem.
"""

from __future__ import annotations

from collections.abc import Callable
import json
from pathlib import Path
import shutil
import subprocess
import sys
from typing import Any

import pytest

from scripts import validate

ROOT = Path(__file__).parent.parent
INTEGRATION = Path("custom_components/connected_car")
COPIED = (
    "custom_components",
    "hacs.json",
    "README.md",
    "CHANGELOG.md",
    "pyproject.toml",
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the files the validator reads."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path


def edit_json(path: Path, change: Callable[[Any], object]) -> None:
    """Change a JSON file in place (change mutates what it is given)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def reverse_keys(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(dict(reversed(data.items()))), encoding="utf-8")


def test_repository_is_valid() -> None:
    assert validate.validate(ROOT) == []


def test_unbroken_copy_is_valid(repo: Path) -> None:
    """The copy the breakage tests start from passes (each breakage is its own)."""
    assert validate.validate(repo, import_code=False) == []


def _manifest(repo: Path) -> Path:
    return repo / INTEGRATION / "manifest.json"


def _translation(repo: Path, language: str) -> Path:
    return repo / INTEGRATION / "translations" / f"{language}.json"


def _yaml_edit(repo: Path, old: str, new: str) -> None:
    path = repo / INTEGRATION / "quality_scale.yaml"
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


BREAKAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "manifest: unknown key": (
        lambda repo: edit_json(_manifest(repo), lambda m: m.update(zzz_extra=1)),
        "manifest.json: unknown key 'zzz_extra'",
    ),
    "manifest: keys out of order": (
        lambda repo: reverse_keys(_manifest(repo)),
        "keys must be sorted",
    ),
    "manifest: bad version": (
        lambda repo: edit_json(_manifest(repo), lambda m: m.update(version="one")),
        "version 'one' is not a valid version",
    ),
    "manifest: wrong type": (
        lambda repo: edit_json(_manifest(repo), lambda m: m.update(config_flow="yes")),
        "'config_flow' must be a boolean",
    ),
    "manifest: no issue tracker": (
        lambda repo: edit_json(_manifest(repo), lambda m: m.pop("issue_tracker")),
        "issue_tracker is missing",
    ),
    "manifest: requirement with a space": (
        lambda repo: edit_json(
            _manifest(repo), lambda m: m.update(requirements=["aiomqtt >= 2"])
        ),
        "requirement 'aiomqtt >= 2' contains a space",
    ),
    "manifest: invalid requirement": (
        lambda repo: edit_json(
            _manifest(repo), lambda m: m.update(requirements=["aiomqtt=>2"])
        ),
        "requirement 'aiomqtt=>2' is not a valid requirement",
    ),
    "manifest: undeclared component": (
        lambda repo: _write(
            repo / INTEGRATION / "uses_recorder.py",
            "from homeassistant.components.recorder import get_instance\n",
        ),
        "uses_recorder.py: imports homeassistant.components.recorder",
    ),
    "translation: missing key": (
        lambda repo: edit_json(
            _translation(repo, "de"), lambda t: t["config"]["abort"].pop("no_vehicles")
        ),
        "de.json: config.abort.no_vehicles: missing",
    ),
    "translation: stale key": (
        lambda repo: edit_json(
            _translation(repo, "zh-Hans"),
            lambda t: t["exceptions"].update(gone={"message": "x"}),
        ),
        "zh-Hans.json: exceptions.gone.message: stale",
    ),
    "translation: placeholder differs": (
        lambda repo: edit_json(
            _translation(repo, "de"),
            lambda t: t["exceptions"]["update_failed"].update(
                message="Fehler {fehler}"
            ),
        ),
        "exceptions.update_failed.message: placeholders ['fehler']",
    ),
    "translation: en.json is not strings.json": (
        lambda repo: edit_json(
            _translation(repo, "en"), lambda t: t["common"].update(no_cars="changed")
        ),
        "en.json: differs from strings.json",
    ),
    "strings: key reference": (
        lambda repo: [
            edit_json(
                repo / INTEGRATION / name,
                lambda s: s["config"]["abort"].update(
                    already_configured="[%key:common::config_flow::abort::x%]"
                ),
            )
            for name in ("strings.json", "translations/en.json")
        ],
        "[%key:...%] is never resolved",
    ),
    "strings: HTML": (
        lambda repo: edit_json(
            repo / INTEGRATION / "strings.json",
            lambda s: s["common"].update(no_cars="<b>No</b> cars"),
        ),
        "common.no_cars: contains HTML",
    ),
    "strings: unknown section": (
        lambda repo: edit_json(
            repo / INTEGRATION / "strings.json", lambda s: s.update(typo={"a": "b"})
        ),
        "typo: unknown key",
    ),
    "icons: not an MDI icon": (
        lambda repo: edit_json(
            repo / INTEGRATION / "icons.json",
            lambda i: i["entity"]["sensor"]["range"].update(default="mdi:no-such-car"),
        ),
        "mdi:no-such-car is not a Material Design Icon",
    ),
    "icons: state icon equals default": (
        lambda repo: edit_json(
            repo / INTEGRATION / "icons.json",
            lambda i: i["entity"]["sensor"]["range"].update(
                state={"x": i["entity"]["sensor"]["range"]["default"]}
            ),
        ),
        "entity.sensor.range.state.x: same as the default icon",
    ),
    "icons: unknown entity": (
        lambda repo: edit_json(
            repo / INTEGRATION / "icons.json",
            lambda i: i["entity"]["sensor"].update(nothing={"default": "mdi:car"}),
        ),
        "entity.sensor.nothing: strings.json has no such entity",
    ),
    "services: registered but not described": (
        lambda repo: _write(
            repo / INTEGRATION / "services_code.py",
            "def setup(hass):\n"
            "    hass.services.async_register('connected_car', 'honk', None)\n",
        ),
        "services.yaml: honk: registered by the code but not described",
    ),
    "quality scale: unknown rule": (
        lambda repo: _yaml_edit(repo, "rules:\n", "rules:\n  no-such-rule: done\n"),
        "no-such-rule: unknown rule",
    ),
    "quality scale: exempt without reason": (
        lambda repo: _yaml_edit(
            repo,
            "  discovery:\n",
            "  discovery: exempt\n  discovery-old:\n",
        ),
        "discovery: exempt needs a comment",
    ),
    "quality scale: rule not listed": (
        lambda repo: _yaml_edit(repo, "  devices: done\n", ""),
        "devices: not listed",
    ),
    "quality scale: tier claimed too high": (
        lambda repo: _yaml_edit(
            repo,
            "  devices: done\n",
            "  devices:\n    status: todo\n    comment: not yet\n",
        ),
        "quality_scale is 'platinum', but the rules reach 'silver'",
    ),
    "quality scale: documentation missing": (
        lambda repo: _write(repo / "README.md", "# Connected Car\n\nNothing here.\n"),
        "docs-troubleshooting is done, but README.md has no section",
    ),
    "hacs.json: unknown key": (
        lambda repo: edit_json(repo / "hacs.json", lambda h: h.update(domains=["x"])),
        "hacs.json: unknown key 'domains'",
    ),
    "hacs.json: no name": (
        lambda repo: edit_json(repo / "hacs.json", lambda h: h.pop("name")),
        "hacs.json: required key 'name' is missing",
    ),
    "brand: wrong size": (
        lambda repo: shutil.copy(
            repo / INTEGRATION / "brand" / "icon@2x.png",
            repo / INTEGRATION / "brand" / "icon.png",
        ),
        "icon.png: is 512x512, must be 256x256",
    ),
    "changelog: other version": (
        lambda repo: edit_json(_manifest(repo), lambda m: m.update(version="9.9.9")),
        "the manifest says 9.9.9",
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_broken_copy_is_caught(repo: Path, breakage: str) -> None:
    """The broken copy names exactly its problem."""
    breaker, expected = BREAKAGES[breakage]
    breaker(repo)
    problems = validate.validate(repo, import_code=False)
    assert any(expected in problem for problem in problems), problems


def _run(root: Path) -> subprocess.CompletedProcess[str]:
    """Run the validator as scripts/lint does, in its own interpreter."""
    return subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "scripts" / "validate.py"), str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_command_line_passes_on_the_repository() -> None:
    run = _run(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "are valid" in run.stdout


def test_command_line_finds_an_entity_without_a_name(repo: Path) -> None:
    """Imports the broken copy's code: an entity key strings.json lacks fails."""
    for path in (
        repo / INTEGRATION / "strings.json",
        *(repo / INTEGRATION / "translations").glob("*.json"),
    ):
        edit_json(path, lambda s: s["entity"]["sensor"].pop("odometer"))
    run = _run(repo)
    assert run.returncode == 1
    assert (
        "strings.json: entity.sensor.odometer.name: missing "
        "(used by custom_components.connected_car.sensor.SENSORS)" in run.stdout
    ), run.stdout
