"""A Tesla owner's view: the device, every entity in metric and US units, setup work."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util.unit_system import (
    METRIC_SYSTEM,
    US_CUSTOMARY_SYSTEM,
    UnitSystem,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.connected_car import PLATFORMS
from custom_components.connected_car.const import DOMAIN
from custom_components.connected_car.vehicle import signals
from custom_components.connected_car.vehicle.tesla import stream_field_names
from tests.cardata.fixtures import eventually
from tests.tesla.fixtures import make_tesla_car
from tests.tesla.https import Fault

from .conftest import CAR, backend_of, see_streamed

Setup = Callable[[], Coroutine[Any, Any, MockConfigEntry]]
KM_PER_MILE = 1.609344
PSI_PER_KPA = 0.1450377


async def _loaded(setup: Setup, platforms: list[Platform]) -> MockConfigEntry:
    with patch("custom_components.connected_car.PLATFORMS", platforms):
        entry = await setup()
    await eventually(
        lambda: all(c.live.streaming for c in entry.runtime_data.coordinators.values())
    )
    return entry


SNAPSHOTS = [
    *((METRIC_SYSTEM, platform) for platform in PLATFORMS),
    *(
        (US_CUSTOMARY_SYSTEM, platform)
        for platform in (Platform.SENSOR, Platform.CLIMATE, Platform.NUMBER)
    ),
]
"""Every platform in metric units; the platforms with units also in US units."""


@pytest.mark.parametrize(
    ("units", "platform"),
    SNAPSHOTS,
    ids=[
        f"{'metric' if units is METRIC_SYSTEM else 'us_customary'}-{platform.value}"
        for units, platform in SNAPSHOTS
    ],
)
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_every_entity(
    hass: HomeAssistant,
    setup_tesla: Setup,
    fake_car,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    units: UnitSystem,
    platform: Platform,
) -> None:
    """A parked, charging Tesla's entities: km, °C, bar or mi, °F, psi."""
    hass.config.units = units
    entry = await _loaded(setup_tesla, [platform])
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_units_follow_the_users_unit_system(
    hass: HomeAssistant, setup_tesla: Setup, fake_car
) -> None:
    """Tesla reports miles; the model holds km; HA shows each user their own."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    await _loaded(setup_tesla, PLATFORMS)
    car = fake_car.car

    def state(entity_id: str) -> tuple[float, str]:
        found = hass.states.get(entity_id)
        return float(found.state), found.attributes["unit_of_measurement"]

    miles, unit = state("sensor.my_tesla_remaining_range")
    assert unit == "mi"
    assert miles == pytest.approx(car.range_km() / KM_PER_MILE, abs=0.01)
    miles, unit = state("sensor.my_tesla_odometer")
    assert unit == "mi"
    assert miles == pytest.approx(car.odometer / KM_PER_MILE, abs=0.01)
    fahrenheit, unit = state("sensor.my_tesla_cabin_temperature")
    assert unit == "°F"
    assert fahrenheit == pytest.approx(car.cabin * 9 / 5 + 32, abs=0.2)
    psi, unit = state("sensor.my_tesla_front_left_tire_pressure")
    assert unit == "psi"
    assert 28 < psi < 40
    climate = hass.states.get("climate.my_tesla_heater")
    assert climate.attributes["temperature"] == 70  # 21 °C, shown in whole °F
    assert (climate.attributes["min_temp"], climate.attributes["max_temp"]) == (
        59,
        82,
    )  # the car's 15-28 °C


async def test_the_car_and_its_account_are_devices(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    fake_car,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    car = device_registry.async_get_device(identifiers={(DOMAIN, fake_car.vin)})
    vehicle = backend_of(tesla_loaded).vehicle(fake_car.vin)
    assert (car.name, car.manufacturer, car.model) == (CAR, "Tesla", vehicle.model)
    assert car.serial_number == fake_car.vin
    account = device_registry.async_get_device(
        identifiers={(DOMAIN, f"account-{tesla_loaded.entry_id}")}
    )
    assert (account.name, account.model) == ("Teslemetry", "Tesla account")
    on_account = {
        entry.entity_id
        for entry in er.async_entries_for_device(entity_registry, account.id)
    }
    assert on_account == {
        "sensor.teslemetry_credits_left",
        "sensor.teslemetry_wake_ups_this_month",
        "binary_sensor.teslemetry_live_stream",
    }
    assert hass.states.get("binary_sensor.teslemetry_live_stream").state == "on"
    assert hass.states.get("sensor.my_tesla_status").state == "online"
    assert hass.states.get("sensor.my_tesla_charging_state").state == "charging"
    assert hass.states.get("sensor.my_tesla_software_version").state == "2026.14.6"
    assert hass.states.get("sensor.my_tesla_charge_limit").state == "80.0"
    # An EV has no fuel entities; a car with remote commands has no lock sensor.
    for missing in (
        "sensor.my_tesla_fuel_level",
        "sensor.my_tesla_remaining_fuel",
        "binary_sensor.my_tesla_lock",
        "sensor.my_tesla_preconditioning",
    ):
        assert hass.states.get(missing) is None, missing


async def test_a_car_never_set_up_for_streaming_is_configured_at_setup(
    hass: HomeAssistant,
    setup_tesla: Setup,
    fake_car,
    local_teslemetry,
    manual_clock,
) -> None:
    """Without a stream configuration the car would stream nothing: setup adds it."""
    fake_car.stream_config = None
    await _loaded(setup_tesla, PLATFORMS)
    await eventually(lambda: fake_car.stream_config is not None)
    assert set(fake_car.stream_config["fields"]) == set(
        stream_field_names(location=True)
    )
    await see_streamed(
        hass, manual_clock, fake_car, signals.TRUNK_OPEN, "binary_sensor.my_tesla_trunk"
    )


async def test_a_configured_car_is_only_read(
    hass: HomeAssistant, tesla_loaded: MockConfigEntry, local_teslemetry
) -> None:
    await eventually(
        lambda: any("/api/config/" in r.path for r in local_teslemetry.requests)
    )
    assert [
        r.method for r in local_teslemetry.requests if "/api/config/" in r.path
    ] == ["GET"]


async def test_stream_configuration_refused_is_logged_and_setup_goes_on(
    hass: HomeAssistant,
    setup_tesla: Setup,
    fake_car,
    local_teslemetry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    local_teslemetry.fail_next(
        Fault(
            503,
            {"response": None, "error": "unavailable"},
            path_contains="/api/config/",
        )
    )
    entry = await _loaded(setup_tesla, PLATFORMS)
    await eventually(lambda: "Could not set up what My Tesla streams" in caplog.text)
    assert entry.state is ConfigEntryState.LOADED
    assert fake_car.vin not in caplog.text


async def test_new_equipment_reloads_the_entry_with_its_entities(
    hass: HomeAssistant,
    setup_tesla: Setup,
    local_teslemetry,
    account,
    manual_clock,
) -> None:
    """A streaming car's products entry lacks its equipment: vehicle_data has it."""
    local_teslemetry.add_car(
        account,
        make_tesla_car(manual_clock),
        display_name=CAR,
        config_in_products=False,
    )
    entry = await setup_tesla()
    await eventually(
        lambda: hass.states.get("binary_sensor.my_tesla_sunroof") is not None
    )
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert (
        backend_of(entry)
        .vehicle(next(iter(account.cars)))
        .capabilities.has(signals.SUNROOF_OPEN)
    )
