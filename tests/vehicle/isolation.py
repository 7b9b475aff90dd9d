"""Run code of the vehicle layer in a fresh interpreter where Home Assistant cannot be imported."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys

import custom_components.connected_car.vehicle as vehicle_package

PACKAGE_DIR = Path(vehicle_package.__file__).parent

_PRELUDE = f"""
import importlib.util, sys

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
"""
"""Loads the package as the top-level package ``vehicle`` with homeassistant blocked."""


def run_without_homeassistant(body: str) -> str:
    """Run body (which imports from ``vehicle``) after the prelude; return its output."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _PRELUDE + body],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
