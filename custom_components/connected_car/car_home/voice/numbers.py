"""Spoken temperatures: "22", "21.5 degrees", "twenty one", "einundzwanzig", "二十二度".

Speech recognition mostly writes digits, but not always; a temperature the
user said must never be guessed, so anything not understood is None.
"""

from __future__ import annotations

from dataclasses import dataclass
import re

from homeassistant.const import UnitOfTemperature

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_DE_UNITS = {
    "null": 0, "eins": 1, "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
    "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
    "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}  # fmt: skip
_DE_TENS = {
    "zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40,
    "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
}  # fmt: skip
_ZH_DIGITS = {
    "零": 0, "〇": 0,  # noqa: RUF001 - the Chinese zero
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip

_FAHRENHEIT = re.compile(r"fahrenheit|华氏|\bf\b|°f", re.IGNORECASE)
_CELSIUS = re.compile(r"celsius|摄氏|\bc\b|°c", re.IGNORECASE)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)?")
_HALF = re.compile(
    r"\b(and a half|point five|komma fünf|einhalb)\b|点五|半", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class SpokenTemperature:
    """A temperature as said: the number and the unit, if one was said."""

    value: float
    unit: UnitOfTemperature | None


def parse_temperature(text: str, sentence: str = "") -> SpokenTemperature | None:
    """Return the temperature a phrase says, or None if it says none clearly.

    The unit may be said after the number, outside the phrase: sentence is
    where to look for it then ("... to 72 degrees fahrenheit").
    """
    value = _number(text)
    if value is None:
        return None
    return SpokenTemperature(value, unit_in(text) or unit_in(sentence))


def unit_in(text: str) -> UnitOfTemperature | None:
    """Return the temperature unit a text names, if any."""
    if _FAHRENHEIT.search(text):
        return UnitOfTemperature.FAHRENHEIT
    if _CELSIUS.search(text):
        return UnitOfTemperature.CELSIUS
    return None


def _number(text: str) -> float | None:
    if digits := _DIGITS.findall(text):
        if len(digits) != 1:
            return None
        return float(digits[0].replace(",", "."))
    half = 0.5 if _HALF.search(text) else 0.0
    whole = _english(text) or _german(text) or _chinese(text)
    return None if whole is None else whole + half


def _english(text: str) -> int | None:
    words = re.findall(r"[a-z]+", text.casefold())
    total = None
    for word in words:
        if word in _EN_TENS:
            total = (total or 0) + _EN_TENS[word]
        elif word in _EN_UNITS:
            total = (total or 0) + _EN_UNITS[word]
    return total


def _german(text: str) -> int | None:
    for word in re.findall(r"[a-zäöüß]+", text.casefold()):
        if word in _DE_UNITS:
            return _DE_UNITS[word]
        for tens_word, tens in _DE_TENS.items():
            if word == tens_word:
                return tens
            if word.endswith(tens_word) and word[: -len(tens_word)].endswith("und"):
                unit_word = word[: -len(tens_word) - 3]
                if unit_word in _DE_UNITS:
                    return tens + _DE_UNITS[unit_word]
    return None


def _chinese(text: str) -> int | None:
    match = re.search(r"[零〇一二两三四五六七八九十]+", text)
    if match is None:
        return None
    numeral = match.group(0)
    if "十" not in numeral:
        if len(numeral) != 1:
            return None
        return _ZH_DIGITS[numeral]
    tens_part, _, units_part = numeral.partition("十")
    tens = _ZH_DIGITS.get(tens_part, 1) if tens_part else 1
    if len(tens_part) > 1 or len(units_part) > 1:
        return None
    units = _ZH_DIGITS.get(units_part, 0) if units_part else 0
    return tens * 10 + units
