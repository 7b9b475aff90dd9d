"""The Tesla backend imports and parses where Home Assistant cannot be imported."""

from __future__ import annotations

from tests.vehicle.isolation import run_without_homeassistant


def test_tesla_package_needs_no_homeassistant() -> None:
    output = run_without_homeassistant("""
from vehicle.tesla import TeslaBackend, TeslemetryTransport, VehicleProfile

print(len(VehicleProfile(sunroof=True).capabilities().signals))
""")
    assert output.split() == ["33"]
