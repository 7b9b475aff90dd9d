"""The languages Connected Car understands, each in its own module."""

from __future__ import annotations

from ..grammar import Language
from .de import GERMAN
from .en import ENGLISH
from .zh_hans import CHINESE

LANGUAGES: dict[str, Language] = {
    language.code: language for language in (ENGLISH, GERMAN, CHINESE)
}
