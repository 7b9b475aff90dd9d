"""Spoken requests that change the car: heater on, off and its temperature; lock.

They go through the car's own entities (the climate entity's and the lock's
services), so the entities show what happens, the logbook says who asked, and
Home Assistant's choices hold: a request only works while that entity is
exposed to the assistant (Home Assistant never exposes a lock by itself).
Every answer waits a while for the car's confirmation; nothing is raised at the
speaker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
import logging
from typing import Any

from homeassistant.components.climate import (
    ATTR_HVAC_MODE,
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_TEMPERATURE,
    SERVICE_TURN_OFF,
    HVACMode,
)
from homeassistant.components.homeassistant.exposed_entities import (
    async_should_expose,
)
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_TEMPERATURE,
    SERVICE_LOCK,
    SERVICE_UNLOCK,
    UnitOfTemperature,
)
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_conversion import TemperatureConverter

from ...const import DOMAIN
from ...coordinator import VehicleCoordinator
from ...vehicle import signals
from .answers import temperature
from .cars import async_find_cars, car_name, one_car
from .numbers import SpokenTemperature
from .phrases import Answer, Phrases

_LOGGER = logging.getLogger(__name__)

COMMAND_ANSWER_WAIT = 20.0
"""Seconds a spoken request waits for the car's confirmation before answering
that the command is still on its way (it then finishes in the background)."""

ASSISTANT = "conversation"
"""The assistant whose exposure settings Assist (voice and LLMs) uses."""


def _entity_id(hass: HomeAssistant, domain: str, unique_id: str) -> str | None:
    return er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)


async def _async_run(
    hass: HomeAssistant,
    phrases: Phrases,
    call: Coroutine[Any, Any, Any],
    name: str,
    pending_key: str,
) -> Answer | None:
    """Run a service call; None once done, else what to say (pending or failed)."""
    task = hass.async_create_background_task(call, f"{DOMAIN} voice request {name}")
    done, _ = await asyncio.wait({task}, timeout=COMMAND_ANSWER_WAIT)
    if not done:
        task.add_done_callback(_log_late_outcome)
        return Answer(phrases.say(pending_key, vehicle=name), {"confirmed": False})
    try:
        task.result()
    except HomeAssistantError as err:
        return Answer(phrases.error(err), failed=True)
    return None


def _log_late_outcome(task: asyncio.Task[Any]) -> None:
    """Log how a command ended that the speaker stopped waiting for."""
    if task.cancelled():
        return
    if (err := task.exception()) is not None:
        _LOGGER.warning("A request made by voice failed: %s", err)


def _car(
    hass: HomeAssistant, phrases: Phrases, spoken: str | None
) -> VehicleCoordinator | Answer:
    return one_car(hass, phrases, async_find_cars(hass, phrases, spoken))


def _climate_entity(
    hass: HomeAssistant, phrases: Phrases, car: VehicleCoordinator, assistant: str
) -> str | Answer:
    """Return the car's heater entity, or why a voice request cannot use it."""
    name = car_name(hass, car)
    entity_id = _entity_id(hass, CLIMATE_DOMAIN, f"{car.vehicle.vin}-climate")
    if entity_id is None:
        return Answer(
            phrases.say("precondition_not_supported", vehicle=name),
            {"vehicle": name},
            failed=True,
        )
    if not async_should_expose(hass, assistant, entity_id):
        return Answer(
            phrases.say("climate_not_exposed", vehicle=name),
            {"vehicle": name},
            failed=True,
        )
    return entity_id


async def async_climate_start(  # noqa: PLR0913 - one request, said in full
    hass: HomeAssistant,
    language: str | None,
    spoken_name: str | None,
    spoken_temperature: SpokenTemperature | None,
    *,
    context: Context | None = None,
    assistant: str = ASSISTANT,
) -> Answer:
    """Warm the car up (to a temperature, if one was said)."""
    phrases = await Phrases.async_load(hass, language)
    car = _car(hass, phrases, spoken_name)
    if isinstance(car, Answer):
        return car
    entity_id = _climate_entity(hass, phrases, car, assistant)
    if isinstance(entity_id, Answer):
        return entity_id
    name = car_name(hass, car)
    temperatures = car.vehicle.capabilities.climate_temperatures
    assert temperatures is not None  # noqa: S101 - the heater entity needs them
    running = bool(car.data.value(signals.CLIMATE_ACTIVE))
    system_unit = hass.config.units.temperature_unit
    if spoken_temperature is None:
        target = car.data.value(signals.CLIMATE_TARGET_TEMPERATURE)
        if target is None:
            target = temperatures.nearest(
                (temperatures.minimum + temperatures.maximum) / 2
            )
    else:
        celsius = TemperatureConverter.convert(
            spoken_temperature.value,
            spoken_temperature.unit or system_unit,
            UnitOfTemperature.CELSIUS,
        )
        if not temperatures.minimum - 0.5 <= celsius <= temperatures.maximum + 0.5:
            low, _ = temperature(hass, phrases, temperatures.minimum)
            high, _ = temperature(hass, phrases, temperatures.maximum)
            return Answer(
                phrases.say(
                    "temperature_out_of_range", vehicle=name, low=low, high=high
                ),
                {"vehicle": name},
                failed=True,
            )
        target = temperatures.nearest(celsius)
    spoken_target, target_data = temperature(hass, phrases, target)
    data: dict[str, Any] = {"vehicle": name, "target_temperature": target_data}
    if running and spoken_temperature is None:
        return Answer(
            phrases.say(
                "precondition_already", vehicle=name, temperature=spoken_target
            ),
            data,
        )
    service_data: dict[str, Any] = {
        ATTR_ENTITY_ID: entity_id,
        ATTR_TEMPERATURE: TemperatureConverter.convert(
            target, UnitOfTemperature.CELSIUS, system_unit
        ),
    }
    if not running:
        service_data[ATTR_HVAC_MODE] = HVACMode.HEAT_COOL
    call = hass.services.async_call(
        CLIMATE_DOMAIN,
        SERVICE_SET_TEMPERATURE,
        service_data,
        blocking=True,
        context=context,
    )
    if (
        problem := await _async_run(hass, phrases, call, name, "precondition_pending")
    ) is not None:
        problem.data = {**data, **problem.data}
        return problem
    key = "precondition_target_set" if running else "precondition_started"
    return Answer(
        phrases.say(key, vehicle=name, temperature=spoken_target),
        {**data, "confirmed": True},
    )


async def async_climate_stop(
    hass: HomeAssistant,
    language: str | None,
    spoken_name: str | None,
    *,
    context: Context | None = None,
    assistant: str = ASSISTANT,
) -> Answer:
    """Stop warming the car up."""
    phrases = await Phrases.async_load(hass, language)
    car = _car(hass, phrases, spoken_name)
    if isinstance(car, Answer):
        return car
    entity_id = _climate_entity(hass, phrases, car, assistant)
    if isinstance(entity_id, Answer):
        return entity_id
    name = car_name(hass, car)
    data: dict[str, Any] = {"vehicle": name}
    if car.data.value(signals.CLIMATE_ACTIVE) is False:
        return Answer(phrases.say("precondition_not_running", vehicle=name), data)
    call = hass.services.async_call(
        CLIMATE_DOMAIN,
        SERVICE_TURN_OFF,
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
        context=context,
    )
    if (
        problem := await _async_run(hass, phrases, call, name, "stop_pending")
    ) is not None:
        problem.data = {**data, **problem.data}
        return problem
    return Answer(
        phrases.say("precondition_stopped", vehicle=name), {**data, "confirmed": True}
    )


async def async_set_lock(  # noqa: PLR0913 - one request, said in full
    hass: HomeAssistant,
    language: str | None,
    spoken_name: str | None,
    *,
    lock: bool,
    context: Context | None = None,
    assistant: str = ASSISTANT,
) -> Answer:
    """Lock or unlock the car, if its lock is exposed to the assistant."""
    phrases = await Phrases.async_load(hass, language)
    car = _car(hass, phrases, spoken_name)
    if isinstance(car, Answer):
        return car
    name = car_name(hass, car)
    data: dict[str, Any] = {"vehicle": name}
    entity_id = _entity_id(hass, LOCK_DOMAIN, f"{car.vehicle.vin}-lock")
    if entity_id is None:
        return Answer(
            phrases.say("lock_not_supported", vehicle=name), data, failed=True
        )
    if not async_should_expose(hass, assistant, entity_id):
        return Answer(phrases.say("lock_not_exposed", vehicle=name), data, failed=True)
    if car.data.value(signals.LOCKED) is lock:
        key = "lock_already_locked" if lock else "lock_already_unlocked"
        return Answer(phrases.say(key, vehicle=name), {**data, "locked": lock})
    call = hass.services.async_call(
        LOCK_DOMAIN,
        SERVICE_LOCK if lock else SERVICE_UNLOCK,
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
        context=context,
    )
    pending = "lock_pending" if lock else "unlock_pending"
    if (problem := await _async_run(hass, phrases, call, name, pending)) is not None:
        problem.data = {**data, **problem.data}
        return problem
    key = "lock_done" if lock else "unlock_done"
    return Answer(phrases.say(key, vehicle=name), {**data, "locked": lock})
