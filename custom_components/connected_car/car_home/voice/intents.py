"""Intents: the car's status and preconditioning, for voice and LLM agents.

Home Assistant's `intent` integration calls `async_setup_intents` (through our
top-level `intent.py` platform) once for every integration that has one. Each
handler has a description and a slot schema, so HA's built-in "assist" LLM API
offers it as a tool; our own voice sentences (sentences.py) run the same
handlers.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import intent
import voluptuous as vol

from .answers import (
    Answer,
    Topic,
    async_precondition_answer,
    async_status_answer,
)

INTENT_CAR_STATUS = "ConnectedCarGetStatus"
INTENT_CAR_PRECONDITION = "ConnectedCarStartPreconditioning"

SLOT_NAME = "name"
SLOT_TOPIC = "topic"
SLOT_TEMPERATURE = "temperature"

_NAME_SLOT = vol.Optional(
    SLOT_NAME,
    description="Name of the car. Leave it out when the user has only one car.",
)


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the car intents (called by HA's intent integration)."""
    intent.async_register(hass, CarStatusIntentHandler())
    intent.async_register(hass, CarPreconditionIntentHandler())


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
    """Answer questions about a car from its live state."""

    intent_type = INTENT_CAR_STATUS
    description = (
        "Reads the live status of the user's car (Connected Car integration): "
        "remaining range, fuel and battery level, open doors, windows, sunroof, "
        "trunk or hood, whether it is locked, and where it is. Use it for any "
        "question about the car. Distances and volumes are in the user's units."
    )

    @property
    def slot_schema(self) -> dict[vol.Marker, Any]:
        """Return the slots: which car, and what to report."""
        return {
            _NAME_SLOT: intent.non_empty_string,
            vol.Optional(
                SLOT_TOPIC,
                description=(
                    "What to report: range, fuel, charge, openings, location, "
                    "or all (default)."
                ),
            ): vol.In([topic.value for topic in Topic]),
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
        "Starts warming up (preconditioning) the cabin of the user's car "
        "(Connected Car integration) and waits for the car to confirm. Answers "
        "why not when the car's connection cannot do it or the car refuses."
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
        answer = await async_precondition_answer(
            intent_obj.hass,
            intent_obj.language,
            _value(slots, SLOT_NAME),
            _value(slots, SLOT_TEMPERATURE),
        )
        return _response(intent_obj, answer, intent.IntentResponseType.ACTION_DONE)
