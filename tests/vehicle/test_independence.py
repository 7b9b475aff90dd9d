"""The vehicle layer must never import Home Assistant."""

from __future__ import annotations

import ast
from pathlib import Path
import subprocess
import sys

import custom_components.connected_car.vehicle as vehicle_package

PACKAGE_DIR = Path(vehicle_package.__file__).parent


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
    script = f"""
import asyncio, importlib.util, sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "homeassistant":
            raise ImportError("homeassistant is blocked")

sys.meta_path.insert(0, Block())
spec = importlib.util.spec_from_file_location(
    "vehicle", {str(PACKAGE_DIR / "__init__.py")!r},
    submodule_search_locations=[{str(PACKAGE_DIR)!r}],
)
module = importlib.util.module_from_spec(spec)
sys.modules["vehicle"] = module
spec.loader.exec_module(module)
from vehicle.simulator import RealClock, SimulatedBackend, SimulationSettings

async def main():
    backend = SimulatedBackend(SimulationSettings(), RealClock())
    vehicles = await backend.list_vehicles()
    state = await backend.fetch_state(vehicles[0].vin)
    print(len(state.readings))

asyncio.run(main())
"""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 20
