"""The heater: preconditioning on and off, targets, refusals, bounds."""

from __future__ import annotations

from datetime import timedelta
from types import MappingProxyType

from homeassistant.components.climate import (
    ATTR_CURRENT_TEMPERATURE,
    ATTR_HVAC_ACTION,
    ATTR_HVAC_MODE,
    DOMAIN as CLIMATE_DOMAIN,
    HVACAction,
    HVACMode,
)
from homeassistant.const import ATTR_ENTITY_ID, ATTR_TEMPERATURE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.connected_car.vehicle import Reading, VehicleState, signals
from custom_components.connected_car.vehicle.simulator import SimulatedBackend
from tests.clock import ManualClock
from tests.simulation import inject

from .common import async_advance, async_call_and_advance

HEATER = "climate.simulated_car_heater"


async def test_heater_warms_the_cabin_and_stops_by_itself(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
) -> None:
    """Turned on, the cabin warms toward the target; the car stops after 30 min."""
    state = hass.states.get(HEATER)
    assert state.state == HVACMode.OFF
    assert state.attributes[ATTR_HVAC_ACTION] == HVACAction.OFF
    cold = state.attributes[ATTR_CURRENT_TEMPERATURE]
    assert cold < 0

    await async_call_and_advance(
        hass, manual_clock, CLIMATE_DOMAIN, "turn_on", {ATTR_ENTITY_ID: HEATER}
    )
    state = hass.states.get(HEATER)
    assert state.state == HVACMode.HEAT_COOL
    assert state.attributes[ATTR_HVAC_ACTION] == HVACAction.HEATING

    await async_advance(hass, manual_clock, 5 * 60)
    warmer = hass.states.get(HEATER).attributes[ATTR_CURRENT_TEMPERATURE]
    assert warmer > cold + 5

    await async_advance(hass, manual_clock, 15 * 60)
    state = hass.states.get(HEATER)
    assert state.attributes[ATTR_CURRENT_TEMPERATURE] == 21.0
    assert state.attributes[ATTR_HVAC_ACTION] == HVACAction.IDLE

    await async_advance(hass, manual_clock, 11 * 60)
    assert hass.states.get(HEATER).state == HVACMode.OFF


async def test_turn_off(
    hass: HomeAssistant, init_integration: MockConfigEntry, manual_clock: ManualClock
) -> None:
    """Turning off stops preconditioning, confirmed by the car."""
    for service, expected in (
        ("turn_on", HVACMode.HEAT_COOL),
        ("turn_off", HVACMode.OFF),
    ):
        await async_call_and_advance(
            hass, manual_clock, CLIMATE_DOMAIN, service, {ATTR_ENTITY_ID: HEATER}
        )
        assert hass.states.get(HEATER).state == expected


async def test_set_hvac_mode(
    hass: HomeAssistant, init_integration: MockConfigEntry, manual_clock: ManualClock
) -> None:
    """The HVAC mode starts and stops preconditioning."""
    for mode in (HVACMode.HEAT_COOL, HVACMode.OFF):
        await async_call_and_advance(
            hass,
            manual_clock,
            CLIMATE_DOMAIN,
            "set_hvac_mode",
            {ATTR_ENTITY_ID: HEATER, ATTR_HVAC_MODE: mode},
        )
        assert hass.states.get(HEATER).state == mode


async def test_set_temperature_snaps_to_the_cars_step(
    hass: HomeAssistant, init_integration: MockConfigEntry, manual_clock: ManualClock
) -> None:
    """A target between steps (e.g. converted from °F) goes to the nearest step."""
    await async_call_and_advance(
        hass,
        manual_clock,
        CLIMATE_DOMAIN,
        "set_temperature",
        {ATTR_ENTITY_ID: HEATER, ATTR_TEMPERATURE: 22.3},
    )
    state = hass.states.get(HEATER)
    assert state.attributes[ATTR_TEMPERATURE] == 22.5
    assert state.state == HVACMode.OFF


@pytest.mark.parametrize(
    ("mode", "expected"),
    [(HVACMode.HEAT_COOL, HVACMode.HEAT_COOL), (HVACMode.OFF, HVACMode.OFF)],
)
async def test_set_temperature_with_mode(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    manual_clock: ManualClock,
    mode: HVACMode,
    expected: HVACMode,
) -> None:
    """A target with a mode sets both."""
    await async_call_and_advance(
        hass, manual_clock, CLIMATE_DOMAIN, "turn_on", {ATTR_ENTITY_ID: HEATER}
    )
    await async_call_and_advance(
        hass,
        manual_clock,
        CLIMATE_DOMAIN,
        "set_temperature",
        {ATTR_ENTITY_ID: HEATER, ATTR_TEMPERATURE: 18, ATTR_HVAC_MODE: mode},
        seconds=20,
    )
    state = hass.states.get(HEATER)
    assert state.attributes[ATTR_TEMPERATURE] == 18
    assert state.state == expected


async def test_target_outside_the_cars_range_is_rejected(
    hass: HomeAssistant, init_integration: MockConfigEntry, manual_clock: ManualClock
) -> None:
    """A target the car cannot take is a validation error; nothing is sent."""
    with pytest.raises(ServiceValidationError) as err:
        await async_call_and_advance(
            hass,
            manual_clock,
            CLIMATE_DOMAIN,
            "set_temperature",
            {ATTR_ENTITY_ID: HEATER, ATTR_TEMPERATURE: 35},
        )
    assert err.value.translation_key == "temp_out_of_range"
    assert hass.states.get(HEATER).attributes[ATTR_TEMPERATURE] == 21


async def test_low_fuel_refuses_to_heat(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """A car almost out of energy refuses to precondition, like a real one."""
    car = next(iter(simulated_backend.cars.values()))
    car.battery = 5.0
    car.fuel = 1.0
    with pytest.raises(HomeAssistantError) as err:
        await async_call_and_advance(
            hass, manual_clock, CLIMATE_DOMAIN, "turn_on", {ATTR_ENTITY_ID: HEATER}
        )
    assert err.value.translation_key == "command_refused_low_fuel"
    assert hass.states.get(HEATER).state == HVACMode.OFF


@pytest.mark.parametrize(
    ("cabin", "action"),
    [(30.0, HVACAction.COOLING), (21.4, HVACAction.IDLE), (12.0, HVACAction.HEATING)],
)
async def test_action_compares_the_cabin_with_the_target(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
    cabin: float,
    action: HVACAction,
) -> None:
    """Within half a degree of the target the heater idles, else it heats or cools."""
    await async_call_and_advance(
        hass, manual_clock, CLIMATE_DOMAIN, "turn_on", {ATTR_ENTITY_ID: HEATER}
    )
    vin = next(iter(simulated_backend.cars))
    later = manual_clock.now() + timedelta(seconds=1)
    inject(simulated_backend, vin, [Reading(signals.CABIN_TEMPERATURE, cabin, later)])
    await hass.async_block_till_done()
    state = hass.states.get(HEATER)
    assert state.attributes[ATTR_TEMPERATURE] == 21
    assert state.attributes[ATTR_HVAC_ACTION] == action


async def test_action_is_unknown_without_a_cabin_temperature(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulated_backend: SimulatedBackend,
    manual_clock: ManualClock,
) -> None:
    """Preconditioning on, but no cabin temperature known: no action is claimed."""
    await async_call_and_advance(
        hass, manual_clock, CLIMATE_DOMAIN, "turn_on", {ATTR_ENTITY_ID: HEATER}
    )
    coordinator = init_integration.runtime_data.coordinators[
        next(iter(simulated_backend.cars))
    ]
    readings = dict(coordinator.data.readings)
    del readings[signals.CABIN_TEMPERATURE.key]
    coordinator.async_set_updated_data(VehicleState(MappingProxyType(readings)))
    await hass.async_block_till_done()
    state = hass.states.get(HEATER)
    assert state.state == HVACMode.HEAT_COOL
    assert ATTR_HVAC_ACTION not in state.attributes
