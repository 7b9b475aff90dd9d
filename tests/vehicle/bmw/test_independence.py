"""The CarData client imports and runs where Home Assistant cannot be imported."""

from __future__ import annotations

from tests.vehicle.isolation import run_without_homeassistant


def test_cardata_package_needs_no_homeassistant() -> None:
    output = run_without_homeassistant("""
from vehicle.bmw import BmwCarDataBackend, CarDataEndpoints, vehicle_from_basic_data

vehicle = vehicle_from_basic_data("WBA00000000000001", {"driveTrain": "BEV"})
print(len(vehicle.capabilities.signals), CarDataEndpoints().mqtt_port)
""")
    assert output.split() == ["27", "9000"]
