"""A simulated car in Tesla's words: vehicle_data sections and stream fields.

The physics are the foundation's `SimulatedCar` (kilometres, kPa, °C); Tesla
reports miles, bar and °C, driver/passenger instead of left/right, and integers
for doors and windows. The REST answer is the real sample (tests/fixtures/tesla)
with the car's values written into it, so every other key keeps its real shape.
"""

from __future__ import annotations

from datetime import UTC, datetime
import functools
import json
from pathlib import Path
from typing import Any

from custom_components.connected_car.vehicle import signals
from custom_components.connected_car.vehicle.models import Position, Reading
from custom_components.connected_car.vehicle.simulator import SimulatedCar

FIXTURES = Path(__file__).parent.parent / "fixtures" / "tesla" / "samples"
KM_PER_MILE = 1.609344


@functools.cache
def _sample_text(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text()


def sample(name: str) -> Any:
    """Return a fresh copy of a shared sample's payload (tests/fixtures/tesla/samples)."""
    return json.loads(_sample_text(name))["payload"]


def sample_document(name: str) -> dict[str, Any]:
    """Return a fresh copy of a whole sample document (with _source, _http_status, _headers)."""
    return json.loads(_sample_text(name))


def created_at(moment: datetime) -> str:
    """Return a stream timestamp as Teslemetry writes it (ms, ``Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _sides(right_hand_drive: bool) -> tuple[str, str]:
    """Return (driver side, passenger side) in our signal keys."""
    return ("right", "left") if right_hand_drive else ("left", "right")


def door_keys(right_hand_drive: bool) -> dict[str, str]:
    """Return Tesla's door key -> our signal key."""
    driver, passenger = _sides(right_hand_drive)
    return {
        "df": f"door_front_{driver}_open",
        "pf": f"door_front_{passenger}_open",
        "dr": f"door_rear_{driver}_open",
        "pr": f"door_rear_{passenger}_open",
    }


def window_keys(right_hand_drive: bool) -> dict[str, str]:
    """Return Tesla's window key -> our signal key."""
    driver, passenger = _sides(right_hand_drive)
    return {
        "fd_window": f"window_front_{driver}_open",
        "fp_window": f"window_front_{passenger}_open",
        "rd_window": f"window_rear_{driver}_open",
        "rp_window": f"window_rear_{passenger}_open",
    }


def charging_state(car: SimulatedCar) -> str:
    """Return the REST ``charging_state`` of the car."""
    if not car.plugged_in:
        return "Disconnected"
    if car.charging:
        return "Charging"
    return "Complete" if car.battery >= car.charge_target else "Stopped"


def vehicle_data(
    car: SimulatedCar,
    *,
    state: str,
    endpoints: set[str] | None,
    right_hand_drive: bool,
    sunroof: bool,
    version: str,
    now: datetime,
) -> dict[str, Any]:
    """Return the vehicle_data ``response`` for the car, sections as asked for."""
    values = car._values()
    data = sample("fleet_vehicle_data")["response"]
    stamp = int(now.timestamp() * 1000)
    data["vin"] = car.vin
    data["state"] = state
    charge = data["charge_state"]
    power = float(values[signals.CHARGING_POWER.key])
    charge.update(
        battery_level=round(car.battery),
        usable_battery_level=round(car.battery),
        battery_range=round(car.range_km() / KM_PER_MILE, 2),
        charging_state=charging_state(car),
        charger_power=round(power),
        charge_limit_soc=round(car.charge_target),
        minutes_to_full_charge=round(float(values[signals.CHARGE_TIME_REMAINING.key])),
        time_to_full_charge=round(
            float(values[signals.CHARGE_TIME_REMAINING.key]) / 60, 2
        ),
        timestamp=stamp,
    )
    climate = data["climate_state"]
    climate.update(
        inside_temp=round(car.cabin, 1),
        outside_temp=round(car.outside_temperature(), 1),
        is_climate_on=car.climate_active,
        is_auto_conditioning_on=car.climate_active,
        driver_temp_setting=car.climate_target,
        passenger_temp_setting=car.climate_target,
        timestamp=stamp,
    )
    position: Position = values[signals.LOCATION.key]  # type: ignore[assignment]
    drive = data["drive_state"]
    drive.update(
        latitude=position.latitude,
        longitude=position.longitude,
        native_latitude=position.latitude,
        native_longitude=position.longitude,
        heading=round(position.heading or 0),
        gps_as_of=int(now.timestamp()),
        shift_state="D" if car.moving else None,
        speed=28 if car.moving else None,
        timestamp=stamp,
    )
    vehicle = data["vehicle_state"]
    vehicle.update(
        odometer=round(car.odometer / KM_PER_MILE, 6),
        locked=car.locked,
        ft=int(car.open[signals.HOOD_OPEN.key]),
        rt=int(car.open[signals.TRUNK_OPEN.key]),
        car_version=f"{version} 06f534d46010",
        timestamp=stamp,
    )
    for tesla_key, key in (
        door_keys(right_hand_drive) | window_keys(right_hand_drive)
    ).items():
        vehicle[tesla_key] = int(car.open[key])
    for corner, tyre in zip(
        ("fl", "fr", "rl", "rr"), signals.TYRE_PRESSURES, strict=True
    ):
        vehicle[f"tpms_pressure_{corner}"] = round(float(values[tyre.key]) / 100, 3)
    if sunroof:
        percent = 20 if car.open[signals.SUNROOF_OPEN.key] else 0
        vehicle["sun_roof_state"] = "open" if percent else "closed"
        vehicle["vehicle_state_sun_roof_percent_open"] = percent
    else:
        vehicle.pop("sun_roof_state", None)
        vehicle.pop("vehicle_state_sun_roof_percent_open", None)
    config = data["vehicle_config"]
    config.update(rhd=right_hand_drive, sun_roof_installed=True if sunroof else None)
    if endpoints is not None:
        for section in (
            "charge_state",
            "climate_state",
            "drive_state",
            "gui_settings",
            "vehicle_config",
            "vehicle_state",
        ):
            if section not in endpoints:
                data.pop(section, None)
        if "drive_state" in data and "location_data" not in endpoints:
            for key in (
                "latitude",
                "longitude",
                "heading",
                "native_latitude",
                "native_longitude",
            ):
                data["drive_state"].pop(key, None)
    return data


_WINDOW_FIELDS = ("FdWindow", "FpWindow", "RdWindow", "RpWindow")


def stream_fields(
    car: SimulatedCar, changes: list[Reading[Any]], *, right_hand_drive: bool
) -> dict[str, Any]:
    """Return the Fleet Telemetry fields a car streams for its changed readings."""
    fields: dict[str, Any] = {}
    changed = {reading.signal.key: reading.value for reading in changes}
    simple = {
        signals.BATTERY_LEVEL.key: ("BatteryLevel", lambda v: v),
        signals.RANGE.key: ("RatedRange", lambda v: round(v / KM_PER_MILE, 2)),
        signals.ODOMETER.key: ("Odometer", lambda v: round(v / KM_PER_MILE, 3)),
        signals.CABIN_TEMPERATURE.key: ("InsideTemp", lambda v: v),
        signals.OUTSIDE_TEMPERATURE.key: ("OutsideTemp", lambda v: v),
        signals.CLIMATE_TARGET_TEMPERATURE.key: (
            "HvacLeftTemperatureRequest",
            lambda v: v,
        ),
        signals.LOCKED.key: ("Locked", lambda v: v),
        signals.CLIMATE_ACTIVE.key: (
            "HvacPower",
            lambda v: "HvacPowerStateOn" if v else "HvacPowerStateOff",
        ),
        signals.CHARGING_POWER.key: ("ACChargingPower", lambda v: v),
        signals.CHARGE_TIME_REMAINING.key: (
            "TimeToFullCharge",
            lambda v: round(v / 60, 2),
        ),
        signals.MOVING.key: ("Gear", lambda v: "ShiftStateD" if v else "ShiftStateP"),
    }
    for key, (name, convert) in simple.items():
        if key in changed:
            fields[name] = convert(changed[key])
    for corner, tyre in zip(
        ("Fl", "Fr", "Rl", "Rr"), signals.TYRE_PRESSURES, strict=True
    ):
        if tyre.key in changed:
            fields[f"TpmsPressure{corner}"] = round(changed[tyre.key] / 100, 3)
    if signals.CHARGING.key in changed or signals.PLUGGED_IN.key in changed:
        fields["DetailedChargeState"] = f"DetailedChargeState{charging_state(car)}"
    doors = door_keys(right_hand_drive)
    if any(
        key in changed
        for key in (*doors.values(), signals.TRUNK_OPEN.key, signals.HOOD_OPEN.key)
    ):
        fields["DoorState"] = {
            "DriverFront": car.open[doors["df"]],
            "PassengerFront": car.open[doors["pf"]],
            "DriverRear": car.open[doors["dr"]],
            "PassengerRear": car.open[doors["pr"]],
            "TrunkFront": car.open[signals.HOOD_OPEN.key],
            "TrunkRear": car.open[signals.TRUNK_OPEN.key],
        }
    for name, key in zip(
        _WINDOW_FIELDS, window_keys(right_hand_drive).values(), strict=True
    ):
        if key in changed:
            fields[name] = "WindowStateOpened" if changed[key] else "WindowStateClosed"
    if signals.LOCATION.key in changed:
        position: Position = changed[signals.LOCATION.key]
        fields["Location"] = {
            "latitude": position.latitude,
            "longitude": position.longitude,
        }
        if position.heading is not None:
            fields["GpsHeading"] = position.heading
    return fields
