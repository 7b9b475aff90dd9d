"""What the car says: every topic's answer, the data's age, and requests' rules.

Everything is asked through Home Assistant's default agent, as a user would;
the expected texts come from the translation files.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from functools import partial
import json
from typing import Any
from unittest.mock import patch

from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
)
from homeassistant.const import UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util.unit_conversion import TemperatureConverter
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.connected_car.backends import ADAPTERS
from custom_components.connected_car.vehicle import signals
from custom_components.connected_car.vehicle.simulator import (
    SimulatedBackend,
    SimulationSettings,
)
from custom_components.connected_car.vehicle.simulator.car import SimulatedCar
from tests.clock import ManualClock
from tests.simulation import set_open, set_plugged_in

from ..common import async_advance, async_converse_and_advance, speech
from ..conftest import INTEGRATION_DIR

CAR = "Simulated car"
LOCK = "lock.simulated_car"
HEATER = "climate.simulated_car_heater"


def phrase(language: str, key: str, **placeholders: Any) -> str:
    """Return one of our answer texts, from the language's translation file."""
    path = INTEGRATION_DIR / "translations" / f"{language}.json"
    texts = json.loads(path.read_text(encoding="utf-8"))["common"]
    return texts[key].format(**placeholders)


@pytest.fixture
async def car(
    hass: HomeAssistant,
    setup_integration: Callable[[], Coroutine[Any, Any, MockConfigEntry]],
) -> SimulatedCar:
    """One plug-in hybrid that stays where it is (no trips), with Assist set up."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    with patch.object(
        ADAPTERS["simulated"],
        "settings_factory",
        partial(SimulationSettings, auto_trips=False),
    ):
        entry = await setup_integration()
    backend = entry.runtime_data.backend
    assert isinstance(backend, SimulatedBackend)
    return next(iter(backend.cars.values()))


async def ask(
    hass: HomeAssistant, clock: ManualClock, text: str, language: str = "en"
) -> str:
    """Say something to the default agent and return the answer."""
    return speech(await async_converse_and_advance(hass, clock, text, language))


async def report(hass: HomeAssistant, clock: ManualClock, car: SimulatedCar) -> None:
    """Let the car report what was changed on it."""
    car.wake()
    await async_advance(hass, clock, 11)


async def test_a_sleeping_car_is_answered_with_the_age_of_its_data(
    hass: HomeAssistant, car: SimulatedCar, manual_clock: ManualClock
) -> None:
    """After hours without a report, answers say how old they are."""
    set_plugged_in(car, False)  # nothing keeps it awake
    await report(hass, manual_clock, car)
    assert await ask(hass, manual_clock, "when did my car last report") == (
        phrase("en", "freshness", vehicle=CAR, age="just now")
    )
    await async_advance(hass, manual_clock, 3 * 3600)
    assert car.asleep
    km = car.reported_state().value(signals.RANGE)
    assert await ask(hass, manual_clock, "how far can I drive") == (
        f"Simulated car can drive about {km:.0f} kilometers (as of 3 hours ago)."
    )
    assert await ask(hass, manual_clock, "wo steht mein Auto", "de") == (
        "Simulated car ist zu Hause (Stand: vor 3 Stunden)."
    )
    assert await ask(hass, manual_clock, "车锁了吗", "zh-Hans") == (
        "Simulated car已上锁（3小时前的数据）。"  # noqa: RUF001 - Chinese punctuation
    )
    assert await ask(hass, manual_clock, "when did the car last report") == (
        "Simulated car last reported 3 hours ago."
    )
    assert await ask(hass, manual_clock, "wann hat sich das Auto gemeldet", "de") == (
        "Die letzte Meldung von Simulated car kam vor 3 Stunden."
    )


async def test_charging_answers(
    hass: HomeAssistant, car: SimulatedCar, manual_clock: ManualClock
) -> None:
    """Charging, plugged in but full, unplugged; the time until full."""
    answer = await ask(hass, manual_clock, "is the car charging")
    level = car.reported_state().value(signals.BATTERY_LEVEL)
    minutes = car.reported_state().value(signals.CHARGE_TIME_REMAINING)
    assert minutes is not None
    hours, rest = divmod(round(minutes), 60)
    assert answer == (
        "Simulated car is charging at 3.7 kilowatts. The battery is at "
        f"{level:.0f} percent and will be done in about {hours} hours and "
        f"{rest} minutes."
    )
    car.battery = car.charge_target
    await report(hass, manual_clock, car)
    assert await ask(hass, manual_clock, "lädt das Auto", "de") == (
        "Simulated car ist angesteckt, lädt aber nicht. Der Akku ist bei 100 Prozent."
    )
    set_plugged_in(car, False)
    await report(hass, manual_clock, car)
    assert await ask(hass, manual_clock, "车在充电吗", "zh-Hans") == (
        "Simulated car没有插充电枪。电量100%。"
    )


async def test_tires_heater_temperatures_and_12_volts(
    hass: HomeAssistant, car: SimulatedCar, manual_clock: ManualClock
) -> None:
    """A low tire is pointed out; the heater's state comes with the cabin's."""
    car.tyre_base = [250.0, 250.0, 250.0, 210.0]
    car.cabin = 4.0
    await report(hass, manual_clock, car)
    answer = await ask(hass, manual_clock, "what's the tire pressure of my car")
    assert answer.startswith("Tire pressures of Simulated car: front left ")
    assert answer.endswith(
        " bar. The rear right tire is noticeably lower than the others."
    )
    assert await ask(hass, manual_clock, "is the heater on in the car") == (
        "The heater of Simulated car is off. It is 4 degrees inside."
    )
    await ask(hass, manual_clock, "warm up my car")
    assert await ask(hass, manual_clock, "is it warm in the car") == (
        "It is 4 degrees inside Simulated car. The heater of Simulated car is on, "
        "warming up to 21 degrees."
    )
    assert await ask(hass, manual_clock, "how is the 12 volt battery of my car") == (
        f"The 12-volt battery of Simulated car is at "
        f"{car.reported_state().value(signals.LOW_VOLTAGE_BATTERY_LEVEL):.0f} percent."
    )
    hass.config.units = US_CUSTOMARY_SYSTEM
    assert " psi. The rear right tire" in await ask(
        hass, manual_clock, "check the tire pressure"
    )
    answer = await ask(hass, manual_clock, "how warm is it in the car")
    # The cabin warms while a question is pending (the car's clock moves with
    # real time then): the answer says what Home Assistant shows once answered.
    shown = hass.states.get("sensor.simulated_car_cabin_temperature")
    cabin = TemperatureConverter.convert(
        float(shown.state),
        shown.attributes["unit_of_measurement"],
        UnitOfTemperature.FAHRENHEIT,
    )
    assert 39 <= cabin < 45  # 4 °C and warming
    assert answer == (
        f"It is {cabin:.0f} degrees inside Simulated car. The heater of Simulated "
        "car is on, warming up to 70 degrees."
    )


async def test_openings_one_by_one_and_at_home(
    hass: HomeAssistant, car: SimulatedCar, manual_clock: ManualClock
) -> None:
    """Doors, windows and lids are answered for what was asked; at home or not."""
    set_open(car, signals.DOOR_REAR_LEFT_OPEN, True)
    set_open(car, signals.HOOD_OPEN, True)
    await report(hass, manual_clock, car)
    assert await ask(hass, manual_clock, "are the doors of my car closed") == (
        "Open on Simulated car: rear left door."
    )
    assert await ask(hass, manual_clock, "are the car windows closed") == (
        "All windows of Simulated car are closed."
    )
    assert await ask(hass, manual_clock, "ist die Motorhaube zu", "de") == (
        "Die Motorhaube von Simulated car ist offen."
    )
    assert await ask(hass, manual_clock, "后备箱关了吗", "zh-Hans") == (
        "Simulated car的后备箱关着。"
    )
    assert await ask(hass, manual_clock, "is my car at home") == (
        "Yes, Simulated car is at home."
    )
    car.position = (car.home[0] + 0.05, car.home[1])
    await report(hass, manual_clock, car)
    answer = await ask(hass, manual_clock, "is my car at home")
    assert answer.startswith(
        "No, Simulated car is not at home. Simulated car is about "
    )
    assert answer.endswith(" kilometers north of home.")


async def test_locking_needs_the_exposed_lock(
    hass: HomeAssistant, car: SimulatedCar, manual_clock: ManualClock
) -> None:
    """Home Assistant never exposes a lock by itself: neither do we."""
    assert await ask(hass, manual_clock, "unlock my car") == phrase(
        "en", "lock_not_exposed", vehicle=CAR
    )
    assert car.locked
    async_expose_entity(hass, "conversation", LOCK, True)
    assert await ask(hass, manual_clock, "lock my car") == phrase(
        "en", "lock_already_locked", vehicle=CAR
    )
    assert await ask(hass, manual_clock, "entriegle mein Auto", "de") == (
        "Simulated car ist jetzt entriegelt."
    )
    assert not car.locked
    set_open(car, signals.DOOR_FRONT_LEFT_OPEN, True)
    await report(hass, manual_clock, car)
    refusal = json.loads(
        (INTEGRATION_DIR / "translations" / "zh-Hans.json").read_text(encoding="utf-8")
    )["exceptions"]["command_refused_door_open"]["message"]
    assert await ask(hass, manual_clock, "锁车", "zh-Hans") == refusal.format(
        vehicle=CAR, command="lock"
    )
    assert not car.locked


async def test_heater_requests(
    hass: HomeAssistant, car: SimulatedCar, manual_clock: ManualClock
) -> None:
    """Temperatures in range, in Fahrenheit, unclear; stop; the heater not exposed."""
    assert await ask(hass, manual_clock, "heat the car to 35 degrees") == (
        "Simulated car can warm up to between 16 degrees and 28 degrees."
    )
    assert await ask(hass, manual_clock, "heat the car to the max") == phrase(
        "en", "temperature_not_understood"
    )
    assert not car.climate_active
    assert await ask(hass, manual_clock, "stop warming up the car") == phrase(
        "en", "precondition_not_running", vehicle=CAR
    )
    assert await ask(hass, manual_clock, "heat the car to 72 degrees fahrenheit") == (
        "Simulated car is warming up to 22 degrees."
    )
    assert (car.climate_active, car.climate_target) == (True, 22.0)
    assert await ask(
        hass, manual_clock, "stell die Standheizung auf 20 Grad", "de"
    ) == ("Simulated car heizt jetzt auf 20 Grad.")
    assert car.climate_target == 20.0
    assert await ask(hass, manual_clock, "停止预热", "zh-Hans") == (
        "Simulated car已停止预热。"
    )
    assert not car.climate_active
    async_expose_entity(hass, "conversation", HEATER, False)
    assert await ask(hass, manual_clock, "warm up my car") == phrase(
        "en", "climate_not_exposed", vehicle=CAR
    )
    assert not car.climate_active


async def test_a_sentence_no_intent_explains_is_not_guessed(
    hass: HomeAssistant, car: SimulatedCar, manual_clock: ManualClock
) -> None:
    """Should the trigger catch what the classifier does not know: no action."""
    with patch(
        "custom_components.connected_car.car_home.voice.sentences.classify",
        return_value=None,
    ):
        answer = await ask(hass, manual_clock, "unlock my car")
    assert answer == phrase("en", "not_understood")
