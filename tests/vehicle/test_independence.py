"""The vehicle layer must never import Home Assistant."""

from __future__ import annotations

import ast

from tests.vehicle.isolation import PACKAGE_DIR, run_without_homeassistant


def test_no_module_mentions_homeassistant() -> None:
    """No import statement in the package names homeassistant."""
    offenders = []
    for path in PACKAGE_DIR.rglob("*.py"):
        depth = len(path.relative_to(PACKAGE_DIR).parts) - 1
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
                if node.level > depth + 1:  # climbs out into the HA integration
                    offenders.append(f"{path.name}: relative import above the package")
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if name.split(".")[0] == "homeassistant"
            ]
    assert offenders == []


def test_package_imports_with_homeassistant_blocked() -> None:
    """The package and its simulator import and run where HA cannot be imported."""
    output = run_without_homeassistant("""
import asyncio
from vehicle.simulator import RealClock, SimulatedBackend, SimulationSettings

async def main():
    backend = SimulatedBackend(SimulationSettings(), RealClock())
    vehicles = await backend.list_vehicles()
    state = await backend.fetch_state(vehicles[0].vin)
    print(len(state.readings))

asyncio.run(main())
""")
    assert int(output) > 20
