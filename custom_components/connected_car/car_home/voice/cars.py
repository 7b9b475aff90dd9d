"""Which car a sentence means: by name, by "my car", or all of them."""

from __future__ import annotations

import re

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from ...const import DOMAIN
from ...coordinator import VehicleCoordinator
from ..common import loaded_cars
from .phrases import Answer, Phrases

_DETERMINERS = frozenset(
    # English, then German articles and possessives
    [
        "the",
        "a",
        "an",
        "my",
        "our",
        "your",
        "this",
        "that",
        "der",
        "die",
        "das",
        "dem",
        "den",
        "des",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "mein",
        "meine",
        "meinem",
        "meinen",
        "meiner",
        "meines",
        "unser",
        "unsere",
        "unserem",
        "unseren",
        "unserer",
        "unseres",
        "dein",
        "deine",
        "deinem",
        "deinen",
        "dieser",
        "diese",
        "dieses",
        "diesem",
        "diesen",
    ]
)
_ZH_DETERMINERS = (
    "我们家的", "我们的", "我家的", "咱家的", "我的", "这辆", "那辆", "这台", "的", "这", "那",
)  # fmt: skip
_GENERIC_CAR_WORDS = frozenset(
    [
        "car",
        "vehicle",
        "auto",
        "automobile",
        "ev",
        "hybrid",
        "wagen",
        "fahrzeug",
        "karre",
        "kiste",
        "pkw",
        "e-auto",
        "elektroauto",
        "车",
        "汽车",
        "车子",
        "爱车",
        "座驾",
        "电车",
        "小车",
        "车辆",
    ]
)
_NOT_A_NAME = frozenset(
    # Pronouns and car parts a `{car}` wildcard can take in where no name was
    # said: "how far can I drive with it", Chinese "我还能开多远".
    ("i", "we", "it", "ich", "wir", "es", "我", "我们", "油箱", "车里", "电池")
)
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)


def normalize_name(text: str) -> str:
    """Return a name as compared: no case, punctuation, articles or spaces."""
    words = _PUNCTUATION.sub(" ", text.casefold()).split()
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    compact = "".join(words)
    stripped = True
    while stripped:
        stripped = False
        for prefix in _ZH_DETERMINERS:
            if compact.startswith(prefix) and len(compact) > len(prefix):
                compact = compact.removeprefix(prefix)
                stripped = True
    return compact


def display_name(spoken: str) -> str:
    """Return a spoken name without its article, as written: "the Batmobile" -> "Batmobile"."""
    words = spoken.split()
    while len(words) > 1 and words[0].casefold() in _DETERMINERS:
        words = words[1:]
    text = " ".join(words)
    for prefix in _ZH_DETERMINERS:
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text.removeprefix(prefix)
    return text


def is_generic_car(text: str | None) -> bool:
    """Return whether a spoken car reference names no car ("my car", "车").

    Chinese runs words together, so a wildcard can take in more than the car:
    "我的车的油箱" ("my car's tank") still means the car.
    """
    if text is None:
        return True
    name = normalize_name(text)
    if name in ("", *_GENERIC_CAR_WORDS, *_NOT_A_NAME):
        return True
    return any(name.startswith(f"{word}的") for word in _GENERIC_CAR_WORDS)


def car_name(hass: HomeAssistant, coordinator: VehicleCoordinator) -> str:
    """Return the car's name as the user sees it (their device name, if set)."""
    device = dr.async_get(hass).async_get_device({(DOMAIN, coordinator.vehicle.vin)})
    if device is not None and device.name_by_user:
        return device.name_by_user
    return coordinator.vehicle.name


def car_names(hass: HomeAssistant, coordinator: VehicleCoordinator) -> list[str]:
    """Return every name the car answers to (the user's name and the API's)."""
    names = [car_name(hass, coordinator), coordinator.vehicle.name]
    return list(dict.fromkeys(names))


def all_car_names(hass: HomeAssistant) -> list[str]:
    """Return every name the loaded cars answer to."""
    return [name for car in loaded_cars(hass) for name in car_names(hass, car)]


def name_in(hass: HomeAssistant, sentence: str) -> str | None:
    """Return the (longest) known car name a sentence says, as a whole word."""
    spoken = " ".join(_PUNCTUATION.sub(" ", sentence.casefold()).split())
    found = [
        name
        for name in all_car_names(hass)
        if (wanted := " ".join(_PUNCTUATION.sub(" ", name.casefold()).split()))
        and re.search(rf"(?<![a-z0-9äöüß]){re.escape(wanted)}(?![a-z0-9äöüß])", spoken)
    ]
    return max(found, key=len, default=None)


def _names_match(name: str, wanted: str) -> bool:
    """Return whether a spoken (normalized) reference names the car called name."""
    known = normalize_name(name)
    return bool(known) and (wanted == known or wanted.startswith(f"{known}的"))


def async_find_cars(
    hass: HomeAssistant, phrases: Phrases, spoken: str | None
) -> list[VehicleCoordinator] | Answer:
    """Return the cars a sentence means, or the answer explaining why there is none.

    A name picks its car; "my car", "the car" or no name means every car (one,
    usually): questions answer for each, requests ask which (see one_car).
    """
    cars = loaded_cars(hass)
    if not cars:
        return Answer(phrases.say("no_cars"), failed=True)
    if is_generic_car(spoken):
        names = [car_name(hass, car) for car in cars]
        if twice := next((n for n in names if names.count(n) > 1), None):
            # Answers for each could not be told apart.
            return Answer(phrases.say("ambiguous_car", name=twice), failed=True)
        return cars
    assert spoken is not None  # noqa: S101 - is_generic_car(None) is True
    wanted = normalize_name(spoken)
    found = [
        car
        for car in cars
        if any(_names_match(name, wanted) for name in car_names(hass, car))
    ]
    if len(found) == 1:
        return found
    if found:
        return Answer(
            phrases.say("ambiguous_car", name=display_name(spoken)), failed=True
        )
    all_names = phrases.join([car_name(hass, car) for car in cars])
    return Answer(
        phrases.say("unknown_car", name=display_name(spoken), cars=all_names),
        failed=True,
    )


def one_car(
    hass: HomeAssistant, phrases: Phrases, found: list[VehicleCoordinator] | Answer
) -> VehicleCoordinator | Answer:
    """Return the one car a request is for; with several, ask which."""
    if isinstance(found, Answer):
        return found
    if len(found) == 1:
        return found[0]
    names = phrases.join([car_name(hass, car) for car in found])
    return Answer(phrases.say("which_car", cars=names), failed=True)
