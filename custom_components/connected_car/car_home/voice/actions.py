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
from dataclasses import dataclass
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


async def _async_run(
    request: _Request,
    call: Coroutine[Any, Any, Any],
    pending_key: str,
    data: dict[str, Any],
) -> Answer | None:
    """Run a service call; None once done, else what to say (pending or failed)."""
    hass, phrases, name = request.hass, request.phrases, request.name
    task = hass.async_create_background_task(call, f"{DOMAIN} voice request {name}")
    done, _ = await asyncio.wait({task}, timeout=COMMAND_ANSWER_WAIT)
    if not done:
        task.add_done_callback(_log_late_outcome)
        return Answer(
            phrases.say(pending_key, vehicle=name), {**data, "confirmed": False}
        )
    try:
        task.result()
    except HomeAssistantError as err:
        return Answer(phrases.error(err), data, failed=True)
    return None


def _log_late_outcome(task: asyncio.Task[Any]) -> None:
    """Log how a command ended that the speaker stopped waiting for."""
    if task.cancelled():
        return
    if (err := task.exception()) is not None:
        _LOGGER.warning("A request made by voice failed: %s", err)


@dataclass(slots=True)
class _Request:
    """A request to one car: who asked in which language, for which car."""

    hass: HomeAssistant
    phrases: Phrases
    car: VehicleCoordinator
    name: str
    entity_id: str
    """The entity that carries the request out (the heater or the lock)."""


_ENTITIES = {
    CLIMATE_DOMAIN: ("climate", "precondition_not_supported", "climate_not_exposed"),
    LOCK_DOMAIN: ("lock", "lock_not_supported", "lock_not_exposed"),
}
"""Per domain: the car entity's unique id suffix, and the answers when a request
cannot use it (the car has none; it is not exposed to the assistant)."""


async def _async_request(
    hass: HomeAssistant,
    language: str | None,
    spoken_name: str | None,
    assistant: str,
    domain: str,
) -> _Request | Answer:
    """Return the car and entity of a request, or why the request cannot be done.

    Home Assistant's choice of what Assist may control holds here too: an
    entity not exposed to the assistant answers how to expose it.
    """
    phrases = await Phrases.async_load(hass, language)
    found = one_car(hass, phrases, async_find_cars(hass, phrases, spoken_name))
    if isinstance(found, Answer):
        return found
    name = car_name(hass, found)
    suffix, unsupported_key, not_exposed_key = _ENTITIES[domain]
    entity_id = er.async_get(hass).async_get_entity_id(
        domain, DOMAIN, f"{found.vehicle.vin}-{suffix}"
    )
    if entity_id is None:
        key = unsupported_key
    elif not async_should_expose(hass, assistant, entity_id):
        key = not_exposed_key
    else:
        return _Request(hass, phrases, found, name, entity_id)
    return Answer(phrases.say(key, vehicle=name), {"vehicle": name}, failed=True)


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
    request = await _async_request(
        hass, language, spoken_name, assistant, CLIMATE_DOMAIN
    )
    if isinstance(request, Answer):
        return request
    phrases, car, name = request.phrases, request.car, request.name
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
        ATTR_ENTITY_ID: request.entity_id,
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
    if problem := await _async_run(request, call, "precondition_pending", data):
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
    request = await _async_request(
        hass, language, spoken_name, assistant, CLIMATE_DOMAIN
    )
    if isinstance(request, Answer):
        return request
    phrases, name = request.phrases, request.name
    data: dict[str, Any] = {"vehicle": name}
    if request.car.data.value(signals.CLIMATE_ACTIVE) is False:
        return Answer(phrases.say("precondition_not_running", vehicle=name), data)
    call = hass.services.async_call(
        CLIMATE_DOMAIN,
        SERVICE_TURN_OFF,
        {ATTR_ENTITY_ID: request.entity_id},
        blocking=True,
        context=context,
    )
    if problem := await _async_run(request, call, "stop_pending", data):
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
    request = await _async_request(hass, language, spoken_name, assistant, LOCK_DOMAIN)
    if isinstance(request, Answer):
        return request
    phrases, name = request.phrases, request.name
    data: dict[str, Any] = {"vehicle": name}
    if request.car.data.value(signals.LOCKED) is lock:
        key = "lock_already_locked" if lock else "lock_already_unlocked"
        return Answer(phrases.say(key, vehicle=name), {**data, "locked": lock})
    call = hass.services.async_call(
        LOCK_DOMAIN,
        SERVICE_LOCK if lock else SERVICE_UNLOCK,
        {ATTR_ENTITY_ID: request.entity_id},
        blocking=True,
        context=context,
    )
    pending = "lock_pending" if lock else "unlock_pending"
    if problem := await _async_run(request, call, pending, data):
        return problem
    key = "lock_done" if lock else "unlock_done"
    return Answer(phrases.say(key, vehicle=name), {**data, "locked": lock})
