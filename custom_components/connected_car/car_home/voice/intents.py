"""Intents: questions about the car and requests to it, for voice and LLM agents.

Home Assistant's `intent` integration calls `async_setup_intents` (through our
top-level `intent.py` platform) once for every integration that has one. Each
handler has a description and a slot schema, so HA's built-in "assist" LLM API
offers it as a tool; our own voice sentences (sentences.py) run the same
handlers. Handlers that change the car say so in their description.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent
import voluptuous as vol

from .actions import async_climate_start, async_climate_stop, async_set_lock
from .answers import Topic, async_status_answer
from .grammar import TOPICS
from .numbers import SpokenTemperature
from .phrases import Answer

INTENT_CAR_STATUS = "ConnectedCarGetStatus"
INTENT_CAR_PRECONDITION = "ConnectedCarStartPreconditioning"
INTENT_CAR_STOP_PRECONDITION = "ConnectedCarStopPreconditioning"
INTENT_CAR_LOCK = "ConnectedCarLock"
INTENT_CAR_UNLOCK = "ConnectedCarUnlock"

SLOT_NAME = "name"
SLOT_TOPIC = "topic"
SLOT_TEMPERATURE = "temperature"

_NAME_SLOT = vol.Optional(
    SLOT_NAME,
    description=(
        "Name of the car. Leave it out when the user names no car: with one car "
        "that car is meant, with several a question is answered for each and a "
        "request asks which car."
    ),
)


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the car intents (called by HA's intent integration)."""
    intent.async_register(hass, CarStatusIntentHandler())
    intent.async_register(hass, CarPreconditionIntentHandler())
    intent.async_register(hass, CarStopPreconditionIntentHandler())
    intent.async_register(hass, CarLockIntentHandler(lock=True))
    intent.async_register(hass, CarLockIntentHandler(lock=False))


def _value(slots: dict[str, Any], name: str) -> Any:
    """Return a validated slot's value, or None when it was not given."""
    slot = slots.get(name)
    return None if slot is None else slot["value"]


def _response(
    intent_obj: intent.Intent,
    answer: Answer,
    success_type: intent.IntentResponseType,
) -> intent.IntentResponse:
    """Turn an answer into an intent response (speech plus facts for LLMs)."""
    response = intent_obj.create_response()
    if answer.failed:
        response.async_set_error(
            intent.IntentResponseErrorCode.FAILED_TO_HANDLE, answer.speech
        )
    else:
        response.response_type = success_type
        response.async_set_speech(answer.speech)
    if answer.data:
        response.async_set_speech_slots(answer.data)
    return response


class CarStatusIntentHandler(intent.IntentHandler):
    """Answer questions about a car from its live state; never changes anything."""

    intent_type = INTENT_CAR_STATUS
    description = (
        "Reads the current state of the user's car (Connected Car integration) "
        "without changing anything: remaining range, fuel level, battery level, "
        "charging (plugged in, charging power, time until full), mileage, tire "
        "pressures, the 12 V battery, cabin and outside temperature, whether "
        "the heater (preconditioning) runs, whether it is locked, open doors, "
        "windows, trunk, hood or sunroof, where it is and whether it is at home, "
        "and when it last reported. Use it for any question about the car. "
        "Values are in the user's units; old data comes with its age."
    )

    @property
    def slot_schema(self) -> dict[vol.Marker, Any]:
        """Return the slots: which car, and what to report."""
        return {
            _NAME_SLOT: intent.non_empty_string,
            vol.Optional(
                SLOT_TOPIC,
                description=(
                    "What to report: "
                    + ", ".join(topic.value for topic in TOPICS)
                    + " (everything important, the default)."
                ),
            ): vol.In([topic.value for topic in TOPICS]),
        }

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Answer from the car's live state."""
        slots = self.async_validate_slots(intent_obj.slots)
        topic = Topic(_value(slots, SLOT_TOPIC) or Topic.ALL)
        answer = await async_status_answer(
            intent_obj.hass, intent_obj.language, _value(slots, SLOT_NAME), topic
        )
        return _response(intent_obj, answer, intent.IntentResponseType.QUERY_ANSWER)


class CarPreconditionIntentHandler(intent.IntentHandler):
    """Warm up (precondition) a car's cabin, confirmed by the car."""

    intent_type = INTENT_CAR_PRECONDITION
    description = (
        "Changes the car: starts warming up (preconditioning) the cabin of the "
        "user's car (Connected Car integration), or changes the temperature it "
        "warms up to, and waits for the car to confirm. Use it only when the "
        "user asks for it. Answers why not when the heater is not exposed to "
        "Assist, the car's connection cannot do it or the car refuses."
    )

    @property
    def slot_schema(self) -> dict[vol.Marker, Any]:
        """Return the slots: which car, and optionally the target temperature."""
        return {
            _NAME_SLOT: intent.non_empty_string,
            vol.Optional(
                SLOT_TEMPERATURE,
                description=(
                    "Target cabin temperature in the user's temperature unit; "
                    "leave it out to keep the car's current target."
                ),
            ): vol.Coerce(float),
        }

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Start preconditioning and report the car's answer."""
        slots = self.async_validate_slots(intent_obj.slots)
        value = _value(slots, SLOT_TEMPERATURE)
        answer = await async_climate_start(
            intent_obj.hass,
            intent_obj.language,
            _value(slots, SLOT_NAME),
            None if value is None else SpokenTemperature(value, None),
            context=intent_obj.context,
            assistant=intent_obj.assistant or "conversation",
        )
        return _response(intent_obj, answer, intent.IntentResponseType.ACTION_DONE)


class _CarRequestIntentHandler(intent.IntentHandler):
    """A request to one car that names nothing but the car."""

    @property
    def slot_schema(self) -> dict[vol.Marker, Any]:
        """Return the slots: which car."""
        return {_NAME_SLOT: intent.non_empty_string}

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Run the request and report the car's answer."""
        slots = self.async_validate_slots(intent_obj.slots)
        answer = await self.async_request(intent_obj, _value(slots, SLOT_NAME))
        return _response(intent_obj, answer, intent.IntentResponseType.ACTION_DONE)

    async def async_request(
        self, intent_obj: intent.Intent, name: str | None
    ) -> Answer:
        """Carry out the request for the named car (None: the only one)."""
        raise NotImplementedError


class CarStopPreconditionIntentHandler(_CarRequestIntentHandler):
    """Stop warming up a car's cabin."""

    intent_type = INTENT_CAR_STOP_PRECONDITION
    description = (
        "Changes the car: stops warming up (preconditioning) the cabin of the "
        "user's car (Connected Car integration) and waits for the car to "
        "confirm. Use it only when the user asks for it."
    )

    async def async_request(
        self, intent_obj: intent.Intent, name: str | None
    ) -> Answer:
        """Stop preconditioning."""
        return await async_climate_stop(
            intent_obj.hass,
            intent_obj.language,
            name,
            context=intent_obj.context,
            assistant=intent_obj.assistant or "conversation",
        )


class CarLockIntentHandler(_CarRequestIntentHandler):
    """Lock or unlock a car, if its lock is exposed to the assistant."""

    def __init__(self, *, lock: bool) -> None:
        """Make the handler for locking or for unlocking."""
        self.lock = lock
        if lock:
            self.intent_type = INTENT_CAR_LOCK
            self.description = (
                "Changes the car: locks the user's car (Connected Car "
                "integration) and waits for the car to confirm. Use it only "
                "when the user asks to lock the car. Works only if the user "
                "exposed the car's lock to Assist."
            )
        else:
            self.intent_type = INTENT_CAR_UNLOCK
            self.description = (
                "Changes the car: unlocks the user's car (Connected Car "
                "integration), so anyone near it can open it. Use it only when "
                "the user explicitly asks to unlock the car. Works only if the "
                "user exposed the car's lock to Assist."
            )

    async def async_request(
        self, intent_obj: intent.Intent, name: str | None
    ) -> Answer:
        """Lock or unlock."""
        return await async_set_lock(
            intent_obj.hass,
            intent_obj.language,
            name,
            lock=self.lock,
            context=intent_obj.context,
            assistant=intent_obj.assistant or "conversation",
        )
