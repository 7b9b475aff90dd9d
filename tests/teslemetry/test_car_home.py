"""The car and the home with a Tesla: the departure plan and "warm up the car"."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.components.climate import HVACMode
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from tests.cardata.fixtures import eventually
from tests.common import (
    async_converse_and_advance,
    async_wait_while_time_passes,
    speech,
)

from .conftest import fall_asleep, settle

HEATER = "climate.my_tesla_heater"


async def test_departure_plan_wakes_the_tesla_and_starts_its_climate(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    fake_car,
    local_teslemetry,
    manual_clock,
) -> None:
    """A cold morning, the car asleep in the drive: the plan starts it on time."""
    await fall_asleep(hass, fake_car, manual_clock)
    departure = (dt_util.now() + timedelta(minutes=40)).replace(second=0, microsecond=0)
    for domain, service, data in (
        ("time", "set_value", {"time": departure.strftime("%H:%M:%S")}),
        ("number", "set_value", {"value": 20}),
        ("switch", "turn_on", {}),
    ):
        entity = {
            "time": "time.my_tesla_departure_time",
            "number": "number.my_tesla_preconditioning_lead_time",
            "switch": "switch.my_tesla_departure_plan",
        }[domain]
        await hass.services.async_call(
            domain, service, {ATTR_ENTITY_ID: entity, **data}, blocking=True
        )
    plan = hass.states.get("switch.my_tesla_departure_plan").attributes
    start = plan["next_start"]
    assert start == departure - timedelta(minutes=20)
    assert hass.states.get(HEATER).state == HVACMode.OFF

    async_fire_time_changed(hass, start + timedelta(seconds=1))
    await settle(hass)
    await async_wait_while_time_passes(
        manual_clock,
        eventually(lambda: hass.states.get(HEATER).state == HVACMode.HEAT_COOL),
    )
    assert fake_car.car.climate_active
    assert fake_car.commands[-1] == "auto_conditioning_start"
    woken = [r for r in local_teslemetry.requests if r.path.endswith("/wake_up")]
    assert len(woken) == 1
    assert hass.states.get("sensor.teslemetry_wake_ups_this_month").state == "1"


async def test_warm_up_the_car_by_voice(
    hass: HomeAssistant,
    tesla_loaded: MockConfigEntry,
    fake_car,
    manual_clock,
) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    await hass.async_block_till_done()  # intent platforms of loaded integrations
    result = await async_converse_and_advance(
        hass, manual_clock, "warm up my car", "en"
    )
    assert speech(result) == "My Tesla is warming up to 21 degrees."
    assert hass.states.get(HEATER).state == HVACMode.HEAT_COOL
    assert fake_car.car.climate_active
    assert fake_car.commands == ["set_temps", "auto_conditioning_start"]

    result = await async_converse_and_advance(
        hass, manual_clock, "Heize das Auto vor", "de"
    )
    assert speech(result) == "My Tesla wird schon auf 21 Grad vorgeheizt."
