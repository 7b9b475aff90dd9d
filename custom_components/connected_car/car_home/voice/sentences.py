"""Voice sentences about the car, attached as one conversation trigger.

The sentences are a `conversation` trigger attached from code (the public
trigger API: `async_validate_trigger_config` + `async_initialize_triggers`), so
a fresh install understands them without files in the user's config. Home
Assistant's default agent tries trigger sentences before its own intents and
before its fuzzy matching: a question our sentences catch can never fall
through to an action. They must not catch what Home Assistant itself would
understand, which is why words a home also has (battery, temperature, door,
heater ...) only count together with the car (see grammar.py and languages/).

All languages and intents are one trigger, because Home Assistant runs every
matching trigger: the caught sentence is then classified (grammar.classify),
questions before requests, and runs one of our intents (intents.py), the same
handlers LLM agents call as tools. The answer is in the language of the
request (other languages get English).
"""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import device_registry as dr, intent
from homeassistant.helpers.script import ScriptRunResult
from homeassistant.helpers.trigger import (
    async_initialize_triggers,
    async_validate_trigger_config,
)
from homeassistant.setup import async_when_setup
from homeassistant.util.hass_dict import HassKey
from homeassistant.util.unit_conversion import TemperatureConverter
import voluptuous as vol

from ...const import DOMAIN
from ...coordinator import ConnectedCarConfigEntry
from .answers import Topic
from .cars import car_names, name_in
from .grammar import (
    Understood,
    VoiceIntent,
    classify,
    trigger_sentences,
)
from .intents import (
    INTENT_CAR_LOCK,
    INTENT_CAR_PRECONDITION,
    INTENT_CAR_STATUS,
    INTENT_CAR_STOP_PRECONDITION,
    INTENT_CAR_UNLOCK,
    SLOT_NAME,
    SLOT_TEMPERATURE,
    SLOT_TOPIC,
)
from .languages import LANGUAGES
from .numbers import parse_temperature
from .phrases import Phrases, answer_language

_LOGGER = logging.getLogger(__name__)

TRIGGER_ID = "connected_car"

_REQUESTS = {
    VoiceIntent.CLIMATE_START: INTENT_CAR_PRECONDITION,
    VoiceIntent.CLIMATE_SET: INTENT_CAR_PRECONDITION,
    VoiceIntent.CLIMATE_STOP: INTENT_CAR_STOP_PRECONDITION,
    VoiceIntent.LOCK_CAR: INTENT_CAR_LOCK,
    VoiceIntent.UNLOCK_CAR: INTENT_CAR_UNLOCK,
}


def languages_for(language: str | None) -> list[Any]:
    """Return our languages, the request's first."""
    first = answer_language(language)
    return [
        LANGUAGES[first],
        *(lang for code, lang in LANGUAGES.items() if code != first),
    ]


DATA_VOICE: HassKey[VoiceSentences] = HassKey(f"{DOMAIN}_voice")


async def async_setup_voice(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry
) -> None:
    """Make the entry's cars answer voice sentences until it unloads."""
    if (voice := hass.data.get(DATA_VOICE)) is None:
        voice = hass.data[DATA_VOICE] = VoiceSentences(hass)
    await voice.async_add(entry)

    async def _remove() -> None:
        await voice.async_remove(entry)

    entry.async_on_unload(_remove)


class VoiceSentences:
    """The conversation triggers of all loaded entries, kept in step with car names."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start with nothing attached."""
        self.hass = hass
        self._entries: dict[str, ConnectedCarConfigEntry] = {}
        self._names: tuple[str, ...] | None = None
        self._remove_triggers: CALLBACK_TYPE | None = None
        self._remove_device_listener: CALLBACK_TYPE | None = None
        self._waiting_for_conversation = False

    @property
    def attached(self) -> bool:
        """Return whether the sentences are attached."""
        return self._remove_triggers is not None

    def _cars(self) -> list[Any]:
        return [
            coordinator
            for entry in self._entries.values()
            for coordinator in entry.runtime_data.coordinators.values()
        ]

    def names(self) -> list[str]:
        """Return every name the loaded cars answer to."""
        return [name for car in self._cars() for name in car_names(self.hass, car)]

    async def async_add(self, entry: ConnectedCarConfigEntry) -> None:
        """Answer for an entry's cars too."""
        self._entries[entry.entry_id] = entry
        if self._remove_device_listener is None:
            self._remove_device_listener = self.hass.bus.async_listen(
                dr.EVENT_DEVICE_REGISTRY_UPDATED,
                self._async_device_updated,
                event_filter=self._is_our_rename,
            )
        await self.async_refresh()

    async def async_remove(self, entry: ConnectedCarConfigEntry) -> None:
        """Stop answering for an entry's cars; detach everything after the last."""
        self._entries.pop(entry.entry_id, None)
        if not self._entries:
            self._detach()
            if self._remove_device_listener is not None:
                self._remove_device_listener()
                self._remove_device_listener = None
            self.hass.data.pop(DATA_VOICE, None)
            return
        await self.async_refresh()

    @callback
    def _is_our_rename(self, event_data: dr.EventDeviceRegistryUpdatedData) -> bool:
        if event_data["action"] != "update" or "name_by_user" not in event_data.get(
            "changes", {}
        ):
            return False
        device = dr.async_get(self.hass).async_get(event_data["device_id"])
        return device is not None and any(
            domain == DOMAIN for domain, _ in device.identifiers
        )

    async def _async_device_updated(
        self, event: Event[dr.EventDeviceRegistryUpdatedData]
    ) -> None:
        await self.async_refresh()

    async def async_refresh(self) -> None:
        """(Re)attach the sentences if the car names changed."""
        names = tuple(sorted(set(self.names())))
        if self.attached and names == self._names:
            return
        self._detach()
        self._names = names
        try:
            config = await async_validate_trigger_config(
                self.hass,
                [
                    {
                        "platform": "conversation",
                        "command": trigger_sentences(LANGUAGES.values(), names),
                        "id": TRIGGER_ID,
                    }
                ],
            )
        except vol.Invalid as err:
            # No conversation integration (yet): try again once it is set up.
            _LOGGER.debug("Voice sentences not available: %s", err)
            if not self._waiting_for_conversation:
                self._waiting_for_conversation = True
                async_when_setup(self.hass, "conversation", self._async_retry)
            return
        self._remove_triggers = await async_initialize_triggers(
            self.hass, config, self._async_answer, DOMAIN, "voice", _log
        )

    async def _async_retry(self, hass: HomeAssistant, component: str) -> None:
        """Attach the sentences once the conversation integration is set up."""
        self._waiting_for_conversation = False
        if self._entries:
            await self.async_refresh()

    def _detach(self) -> None:
        if self._remove_triggers is not None:
            self._remove_triggers()
            self._remove_triggers = None

    async def _async_answer(
        self, run_variables: dict[str, Any], context: Context | None = None
    ) -> ScriptRunResult:
        """Classify a caught sentence, run its intent and return what to say."""
        trigger = run_variables["trigger"]
        user_input = trigger["user_input"]
        sentence: str = trigger["sentence"]
        language = user_input["language"]
        understood: Understood | None = await self.hass.async_add_executor_job(
            classify, sentence, languages_for(language), self._names or ()
        )
        if understood is None:
            # Caught by the trigger (which joins sentences around the car's
            # name) but no sentence of ours: say so, never guess an action.
            phrases = await Phrases.async_load(self.hass, language)
            speech = phrases.say("not_understood")
        else:
            speech = await self._async_run_intent(understood, trigger, language)
        return ScriptRunResult(
            conversation_response=speech, service_response=None, variables={}
        )

    async def _async_run_intent(
        self, understood: Understood, trigger: dict[str, Any], language: str
    ) -> str:
        """Run the intent a sentence stands for; return its speech."""
        slots: dict[str, Any] = {}
        if spoken := understood.car or name_in(self.hass, trigger["sentence"]):
            slots[SLOT_NAME] = {"value": spoken}
        if understood.intent.is_request:
            intent_type = _REQUESTS[understood.intent]
            if understood.intent is VoiceIntent.CLIMATE_SET:
                said = parse_temperature(
                    understood.temperature or "", trigger["sentence"]
                )
                if said is None:
                    phrases = await Phrases.async_load(self.hass, language)
                    return phrases.say("temperature_not_understood")
                system_unit = self.hass.config.units.temperature_unit
                value = TemperatureConverter.convert(
                    said.value, said.unit or system_unit, system_unit
                )
                slots[SLOT_TEMPERATURE] = {"value": value}
        else:
            intent_type = INTENT_CAR_STATUS
            slots[SLOT_TOPIC] = {"value": Topic(understood.intent.value)}
        request = trigger["user_input"]["context"]
        response = await intent.async_handle(
            self.hass,
            DOMAIN,
            intent_type,
            slots,
            text_input=trigger["sentence"],
            context=Context(user_id=request.get("user_id"), parent_id=request["id"]),
            language=language,
            assistant="conversation",
            device_id=trigger["device_id"],
            satellite_id=trigger["satellite_id"],
        )
        speech: str = response.speech["plain"]["speech"]
        return speech


def _log(level: int, msg: str, **kwargs: Any) -> None:
    _LOGGER.log(level, "Voice sentences: %s", msg, **kwargs)
