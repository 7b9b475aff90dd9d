"""Answer texts in the asker's language, and numbers, units and times as people say them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
import math
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import translation
from homeassistant.util import language as language_util

from ...const import DOMAIN

LANGUAGES = ("en", "de", "zh-Hans")
"""Languages the answers are written in; others get English."""


def answer_language(language: str | None) -> str:
    """Return the language of our translations that best fits the asker's."""
    if language and (matches := language_util.matches(language, list(LANGUAGES))):
        return matches[0]
    return "en"


class Phrases:
    """Answer texts (strings.json "common"), entity names and error messages."""

    def __init__(self, language: str, texts: Mapping[str, str]) -> None:
        """Keep the loaded texts of one language."""
        self.language = language
        self._texts = texts

    @classmethod
    async def async_load(cls, hass: HomeAssistant, language: str | None) -> Phrases:
        """Load the texts for the asker's language (English fills any gap)."""
        lang = answer_language(language)
        texts: dict[str, str] = {}
        for category in ("common", "entity", "exceptions"):
            texts.update(
                await translation.async_get_translations(hass, lang, category, [DOMAIN])
            )
        return cls(lang, texts)

    def _text(self, path: str) -> str:
        return self._texts.get(f"component.{DOMAIN}.{path}", path)

    def say(self, key: str, **placeholders: object) -> str:
        """Return the answer text key with its placeholders filled in."""
        return self._text(f"common.{key}").format(**placeholders)

    def error(self, err: HomeAssistantError) -> str:
        """Return a translated error of ours in this language (else its text)."""
        if err.translation_domain == DOMAIN and err.translation_key:
            template = self._text(f"exceptions.{err.translation_key}.message")
            return template.format(**(err.translation_placeholders or {}))
        return str(err)

    def entity_name(self, platform: str, key: str) -> str:
        """Return an entity's translated name as written mid-sentence."""
        name = self._text(f"entity.{platform}.{key}.name")
        if self.language == "en":
            return name[:1].lower() + name[1:]
        return name

    def entity_state(self, platform: str, key: str, state: str) -> str:
        """Return a translated entity state as written mid-sentence."""
        text = self._text(f"entity.{platform}.{key}.state.{state}")
        return text.lower() if self.language in ("en", "de") else text

    def join(self, items: list[str]) -> str:
        """Join items into one phrase: 'a, b and c'."""
        if len(items) < 2:  # noqa: PLR2004 - one item needs no joining
            return "".join(items)
        separator = self.say("list_separator")
        if self.language != "zh-Hans":  # Chinese lists take no spaces
            separator += " "
        return self.say("list_and", first=separator.join(items[:-1]), last=items[-1])

    @property
    def space(self) -> str:
        """Return what separates words and sentences (Chinese takes no space)."""
        return "" if self.language == "zh-Hans" else " "

    def sentences(self, *sentences: str) -> str:
        """Join whole sentences."""
        return self.space.join(sentence for sentence in sentences if sentence)

    def number(self, value: float, decimals: int = 0, *, grouping: bool = False) -> str:
        """Format a number as people of this language write it."""
        text = f"{value:,.{decimals}f}" if grouping else f"{value:.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")  # "3.0" is said "3"
        if self.language == "de":
            return text.translate(str.maketrans(",.", ".,"))
        if self.language == "zh-Hans":
            return text.replace(",", "")
        return text

    def duration(self, minutes: float) -> str:
        """Return a duration to come: "2 hours and 10 minutes"."""
        total = max(round(minutes), 1)
        hours, rest = divmod(total, 60)
        parts = []
        if hours:
            parts.append(self._count("duration_hour", hours))
        if rest or not hours:
            parts.append(self._count("duration_minute", rest))
        if self.language == "zh-Hans":
            return "".join(parts)
        return self.join(parts)

    def ago(self, age: timedelta) -> str:
        """Return how long ago something was: "3 hours ago", "vor 3 Stunden"."""
        minutes = age.total_seconds() / 60
        if minutes < 1:
            return self.say("ago_just_now")
        if minutes < 90:  # noqa: PLR2004 - "75 minutes ago" reads better than "1 hour"
            return self._count("ago_minute", round(minutes))
        hours = minutes / 60
        if hours < 36:  # noqa: PLR2004 - up to a day and a half in hours
            return self._count("ago_hour", round(hours))
        return self._count("ago_day", math.floor(hours / 24))

    def _count(self, key: str, count: int) -> str:
        """Return a counted phrase: key_one for one, key_other for more."""
        suffix = "one" if count == 1 else "other"
        return self.say(f"{key}_{suffix}", count=count)


@dataclass(slots=True)
class Answer:
    """What to say, the facts behind it (for LLMs), and whether it is a failure."""

    speech: str
    data: dict[str, Any] = field(default_factory=dict)
    failed: bool = False
