"""Our Tesla requirements install beside Home Assistant's own Tesla integrations.

Resolves the specifiers with pip (needs the package index) against the
constraints of HA 2026.2.3 and 2026.11.0 (tests/fixtures/tesla/constraints).
"""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys

from packaging.requirements import Requirement
from packaging.version import Version
import pytest

from custom_components.connected_car.vehicle.tesla import REQUIREMENTS

CONSTRAINTS = Path(__file__).parents[2] / "fixtures" / "tesla" / "constraints"
MANIFEST = (
    Path(__file__).parents[3] / "custom_components" / "connected_car" / "manifest.json"
)
CORE_PINS = {
    # HA version: (Python it requires, what its tesla_fleet/teslemetry manifests pin)
    "2026.2.3": ("3.13.2", {"tesla-fleet-api": "1.4.2", "teslemetry-stream": "0.9.0"}),
    "2026.11.0": (
        "3.14.2",
        {"tesla-fleet-api": "1.19.0", "teslemetry-stream": "1.3.0"},
    ),
}


def _resolve(
    python: str, constraints: Path, *requirements: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our interpreter, our arguments
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--only-binary=:all:",
            "--python-version",
            python,
            "--quiet",
            "--report",
            "-",
            "-c",
            str(constraints),
            *requirements,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _installed(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    report = json.loads(result.stdout[result.stdout.index("{") :])
    return {
        item["metadata"]["name"].replace("_", "-"): item["metadata"]["version"]
        for item in report["install"]
    }


def test_specifiers_accept_what_core_ships_and_pin_nothing() -> None:
    requirements = {Requirement(text).name: Requirement(text) for text in REQUIREMENTS}
    assert set(requirements) == {"tesla-fleet-api", "teslemetry-stream"}
    for _python, pins in CORE_PINS.values():
        for name, version in pins.items():
            assert requirements[name].specifier.contains(Version(version)), (
                name,
                version,
            )
    assert all("==" not in str(r.specifier) for r in requirements.values())


def test_manifest_lists_exactly_our_specifiers() -> None:
    listed = json.loads(MANIFEST.read_text()).get("requirements", [])
    tesla = [
        r
        for r in listed
        if Requirement(r).name in {"tesla-fleet-api", "teslemetry-stream"}
    ]
    assert tesla == list(REQUIREMENTS)  # as they are: the resolution test's strings


@pytest.mark.parametrize("ha_version", sorted(CORE_PINS))
def test_requirements_resolve_under_home_assistant_constraints(
    socket_enabled: None, ha_version: str
) -> None:
    python, pins = CORE_PINS[ha_version]
    constraints = CONSTRAINTS / f"homeassistant-{ha_version}-package_constraints.txt"
    result = _resolve(python, constraints, *REQUIREMENTS)
    if result.returncode and "Could not fetch" in result.stderr:
        pytest.skip("the package index is unreachable")
    assert result.returncode == 0, result.stderr[-2000:]
    installed = _installed(result)
    assert Requirement(REQUIREMENTS[0]).specifier.contains(installed["tesla-fleet-api"])
    # With core's own pins installed too (where its version is on the index):
    available = {n: v for n, v in pins.items() if Version(v) != Version("1.19.0")}
    together = _resolve(
        python, constraints, *REQUIREMENTS, *(f"{n}=={v}" for n, v in available.items())
    )
    assert together.returncode == 0, together.stderr[-2000:]


def test_the_resolution_can_fail(socket_enabled: None) -> None:
    """An exact pin of the newest library cannot install under HA 2026.2's protobuf."""
    constraints = CONSTRAINTS / "homeassistant-2026.2.3-package_constraints.txt"
    result = _resolve("3.13.2", constraints, "tesla-fleet-api==1.18.1")
    if result.returncode and "Could not fetch" in result.stderr:
        pytest.skip("the package index is unreachable")
    assert result.returncode != 0
    assert "ResolutionImpossible" in result.stderr
