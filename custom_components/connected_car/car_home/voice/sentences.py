"""Voice sentences for what Home Assistant has no intent for.

The sentences are `conversation` triggers attached from code (the public trigger
API: `async_validate_trigger_config` + `async_initialize_triggers`), so a fresh
install understands them without files in the user's config. Home Assistant's
default agent tries trigger sentences before its own intents, which is why they
must never catch a sentence HA itself would understand:

* a `{car}` wildcard only follows words that only a car has (range, fuel,
  preconditioning); such a sentence naming no known car is answered with
  "I don't know a car called ...";
* every other sentence ("where is ...", "warm up ...") lists the names of the
  loaded cars (plus "my car"), so "where is Paulus" or "warm up the living
  room" still reach Home Assistant's intents.

Triggers know no language: all sentences are attached once for every loaded
entry together (car names change with entries and device renames), and the
answer is in the language of the request. Each sentence runs one of our
intents (intents.py), the same handlers LLM agents call as tools.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
import logging
import re
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
import voluptuous as vol

from ...const import DOMAIN
from ...coordinator import ConnectedCarConfigEntry
from .answers import Topic, car_names, normalize_name
from .intents import (
    INTENT_CAR_PRECONDITION,
    INTENT_CAR_STATUS,
    SLOT_NAME,
    SLOT_TOPIC,
)

_LOGGER = logging.getLogger(__name__)


class VoiceQuery(StrEnum):
    """What a sentence asks for (one trigger each)."""

    RANGE = "range"
    FUEL = "fuel"
    CHARGE = "charge"
    OPENINGS = "openings"
    LOCATION = "location"
    PRECONDITION = "precondition"


CAR_SLOT = "car"
"""The wildcard slot: `{car}` in a sentence."""
NAMES = "<car>"
"""Stands for "one of the loaded cars' names, or the language's word for car"."""

_EN_THE = "[the|my|our]"
_DE_NOM = "[der|die|das|mein|meine|unser|unsere]"
_DE_DAT = "[dem|der|meinem|meiner|unserem|unserer]"
_DE_AKK = "[den|die|das|meinen|meine|mein|unseren|unsere|unser]"
_DE_AT = f"((an|bei|in) {_DE_DAT}|am|beim|im)"
_DE_OF = f"(von {_DE_DAT}|vom)"

SENTENCES: dict[str, dict[VoiceQuery, tuple[str, ...]]] = {
    "en": {
        VoiceQuery.RANGE: (
            "how far can [I|we] (drive|go)",
            "how far can [I|we] (drive|go) (with|in) {_EN_THE} {car}",
            "how far can (the|my|our) {car} (drive|go)",
            "(what is|what's) [the|my|our] [remaining] range",
            "(what is|what's) [the] [remaining] range of {_EN_THE} {car}",
            "how much range (do I have|is left) [in {_EN_THE} {car}]",
            "how much range does {_EN_THE} {car} have [left]",
        ),
        VoiceQuery.FUEL: (
            # "gas" and "tank" alone may be a home's propane or oil tank: only
            # with the car.
            "how much (fuel|petrol|diesel) (do I have|is left) [in {_EN_THE} {car}]",
            "how much gas (do I have|is left) in {_EN_THE} {car}",
            "how much (fuel|gas|petrol|diesel) does {_EN_THE} {car} have [left]",
            "(what is|what's) [the] fuel level [of {_EN_THE} {car}]",
            "how full is the fuel tank [of {_EN_THE} {car}]",
            "how full is the gas tank of {_EN_THE} {car}",
        ),
        VoiceQuery.CHARGE: (
            "(what is|what's) the (charge|charging|battery) level of {_EN_THE} <car>",
            "(what is|what's) the state of charge of {_EN_THE} <car>",
            "how much charge (does {_EN_THE} <car> have|is left in {_EN_THE} <car>)",
            "how charged is {_EN_THE} <car>",
        ),
        VoiceQuery.OPENINGS: (
            "is (anything|something) (open|opened) (on|in|at) {_EN_THE} <car>",
            "(is|are) [there] any (door|doors|window|windows) open (on|in) {_EN_THE} <car>",
            "is everything (closed|shut) (on|in) {_EN_THE} <car>",
            "what is open (on|in) {_EN_THE} <car>",
        ),
        VoiceQuery.LOCATION: (
            "(where is|where's) {_EN_THE} <car>",
            "where (did I|have I) park[ed] {_EN_THE} <car>",
            "where is {_EN_THE} <car> parked",
        ),
        VoiceQuery.PRECONDITION: (
            "(warm|heat) up {_EN_THE} <car>",
            "preheat {_EN_THE} <car>",
            "(make|get) {_EN_THE} <car> warm",
            "precondition {_EN_THE} {car}",
            "start [the] preconditioning (of|in|for) {_EN_THE} {car}",
        ),
    },
    "de": {
        VoiceQuery.RANGE: (
            "wie weit (kann ich [noch] fahren|komme ich [noch])",
            "wie weit (kann ich|komme ich) [noch] mit {_DE_DAT} {car} [fahren]",
            "wie weit kann (der|die|das|mein|meine|unser|unsere) {car} [noch] fahren",
            "(was ist|wie hoch ist|wie groß ist) [die|meine] [restliche] Reichweite",
            "(was ist|wie hoch ist|wie groß ist) die [restliche] Reichweite {_DE_OF} {car}",
            "wie viel Reichweite (habe ich|hat {_DE_NOM} {car}) [noch]",
        ),
        VoiceQuery.FUEL: (
            "wie viel (Sprit|Benzin|Diesel|Kraftstoff) (habe ich|ist) [noch] [im Tank]",
            "wie viel (Sprit|Benzin|Diesel|Kraftstoff) hat {_DE_NOM} {car} [noch]",
            # "der Tank" alone may be the heating oil tank: only with the car.
            "wie voll ist der Tank {_DE_OF} {car}",
            "(wie hoch ist|was ist) der (Tankfüllstand|Füllstand des Tanks) {_DE_OF} {car}",
        ),
        VoiceQuery.CHARGE: (
            "(wie hoch ist|was ist) der (Ladestand|Akkustand|Batteriestand) {_DE_OF} <car>",
            "wie (voll|weit) ist {_DE_NOM} <car> geladen",
            "wie viel (Strom|Ladung) hat {_DE_NOM} <car> [noch]",
        ),
        VoiceQuery.OPENINGS: (
            "ist (etwas|irgendwas|noch etwas|noch was) offen {_DE_AT} <car>",
            "ist {_DE_AT} <car> (etwas|irgendwas|noch etwas|noch was) offen",
            "was ist {_DE_AT} <car> offen",
            "ist {_DE_AT} <car> alles (zu|geschlossen)",
            "sind [alle] Türen und Fenster {_DE_AT} <car> (zu|geschlossen)",
        ),
        VoiceQuery.LOCATION: (
            "wo (ist|steht|parkt) {_DE_NOM} <car>",
            "wo (habe|hab) ich {_DE_AKK} <car> geparkt",
        ),
        VoiceQuery.PRECONDITION: (
            "(heize|heiz|wärme) {_DE_AKK} <car> vor",
            "{_DE_AKK} <car> (vorheizen|vorwärmen)",
            "klimatisiere {_DE_AKK} {car} vor",
            "{_DE_AKK} {car} vorklimatisieren",
            "(starte|aktiviere|schalte) die (Vorklimatisierung|Standheizung) (für {_DE_AKK}|{_DE_OF}|im|in {_DE_DAT}) {car} [ein|an]",
        ),
    },
    "zh-Hans": {
        VoiceQuery.RANGE: (
            "[我]还能(开|跑)多远",
            "{car}还能(开|跑|行驶)多远",
            "续航[里程][还有|是]多少",
            "{car}[的]续航[里程][还有|是]多少",
        ),
        VoiceQuery.FUEL: (
            "[油箱|车里]还有多少油",
            "{car}还有多少油",
            "{car}[的]油箱还有多少油",
            "{car}[的]油量[还有|是]多少",
        ),
        VoiceQuery.CHARGE: (
            "<car>[的]电量[还有|是]多少",
            "<car>[的电池]还有多少电",
            "<car>充了多少电",
        ),
        VoiceQuery.OPENINGS: (
            "<car>有(什么|没有什么|哪里)开着[吗]",
            "<car>哪里开着",
            "<car>[的]门窗[都]关好了[吗]",
        ),
        VoiceQuery.LOCATION: (
            "<car>[停]在哪[里|儿]",
            "我把<car>停在哪[里|儿]了",
        ),
        VoiceQuery.PRECONDITION: (
            "预热<car>",
            "[给|把]<car>预热[一下]",
            "(打开|开启|启动)<car>[的]预热",
        ),
    },
}
"""Sentence templates per language; `{car}` is a wildcard, `<car>` a known name."""

GENERIC_CAR = {
    "en": "car",
    "de": "(Auto|Wagen)",
    "zh-Hans": "[我的](车|汽车)",
}
"""The word for "car" each language's `<car>` also accepts ("where is my car")."""

_TEMPLATE_SYNTAX = re.compile(r"[^\w\s'-]")


def sentence_name(name: str) -> str:
    """Return a car name as it can appear in a sentence template (no syntax)."""
    return " ".join(_TEMPLATE_SYNTAX.sub(" ", name).split())


def _expand(template: str) -> str:
    """Fill in the shared phrase fragments (articles) of a template."""
    return (
        template.replace("{_EN_THE}", _EN_THE)
        .replace("{_DE_NOM}", _DE_NOM)
        .replace("{_DE_DAT}", _DE_DAT)
        .replace("{_DE_AKK}", _DE_AKK)
        .replace("{_DE_AT}", _DE_AT)
        .replace("{_DE_OF}", _DE_OF)
    )


def build_sentences(
    names: Iterable[str], languages: Iterable[str] = tuple(SENTENCES)
) -> dict[VoiceQuery, list[str]]:
    """Return the languages' sentences per query, for these car names."""
    known = [cleaned for name in names if (cleaned := sentence_name(name))]
    sentences: dict[VoiceQuery, list[str]] = {query: [] for query in VoiceQuery}
    for language in languages:
        templates = SENTENCES[language]
        cars = "(" + "|".join([*known, GENERIC_CAR[language]]) + ")"
        for query, query_templates in templates.items():
            sentences[query].extend(
                _expand(template).replace(NAMES, cars) for template in query_templates
            )
    return sentences


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
                    {"platform": "conversation", "command": sentences, "id": query}
                    for query, sentences in build_sentences(names).items()
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

    def _name_in(self, sentence: str) -> str | None:
        """Return the known car name a sentence contains (the longest one)."""
        spoken = normalize_name(sentence)
        found = [
            name
            for name in self.names()
            if (wanted := normalize_name(name)) and wanted in spoken
        ]
        return max(found, key=len, default=None)

    async def _async_answer(
        self, run_variables: dict[str, Any], context: Context | None = None
    ) -> ScriptRunResult:
        """Run the intent a sentence stands for and return what to say."""
        trigger = run_variables["trigger"]
        user_input = trigger["user_input"]
        query = VoiceQuery(trigger["id"])
        spoken = trigger["slots"].get(CAR_SLOT) or self._name_in(trigger["sentence"])
        slots: dict[str, Any] = {}
        if spoken:
            slots[SLOT_NAME] = {"value": spoken}
        if query is VoiceQuery.PRECONDITION:
            intent_type = INTENT_CAR_PRECONDITION
        else:
            intent_type = INTENT_CAR_STATUS
            slots[SLOT_TOPIC] = {"value": Topic(query.value)}
        request = user_input["context"]
        response = await intent.async_handle(
            self.hass,
            DOMAIN,
            intent_type,
            slots,
            text_input=trigger["sentence"],
            context=Context(user_id=request.get("user_id"), parent_id=request["id"]),
            language=user_input["language"],
            assistant="conversation",
            device_id=trigger["device_id"],
            satellite_id=trigger["satellite_id"],
        )
        speech: str = response.speech["plain"]["speech"]
        return ScriptRunResult(
            conversation_response=speech, service_response=None, variables={}
        )


def _log(level: int, msg: str, **kwargs: Any) -> None:
    _LOGGER.log(level, "Voice sentences: %s", msg, **kwargs)
