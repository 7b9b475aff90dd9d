"""The backends Home Assistant can use, one adapter each, by backend id.

A new backend is a module in this package with a `BackendAdapter` subclass,
one line in `ADAPTERS` and its texts in strings.json; no generic module
changes.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.exceptions import ConfigEntryError

from ..const import CONF_BACKEND, DOMAIN
from .base import BackendAdapter, BackendFlow, whole_number
from .bmw_cardata import BmwCarDataAdapter
from .simulated import SimulatedAdapter
from .tesla import TeslaAdapter

__all__ = [
    "ADAPTERS",
    "BackendAdapter",
    "BackendFlow",
    "UnknownBackendError",
    "credentials_adapter",
    "get_adapter",
    "whole_number",
]

ADAPTERS: dict[str, BackendAdapter] = {
    adapter.backend_id: adapter
    for adapter in (SimulatedAdapter(), BmwCarDataAdapter(), TeslaAdapter())
}
"""Every adapter by backend id, in the order the config flow's menu offers them."""


class UnknownBackendError(ConfigEntryError):
    """An entry names a backend this version does not have (e.g. after a downgrade)."""


def get_adapter(entry_or_id: ConfigEntry | str) -> BackendAdapter:
    """Return the adapter of an entry (or of a backend id).

    Raises `UnknownBackendError` (setup fails with a translated message) for a
    backend id no adapter has.
    """
    if isinstance(entry_or_id, str):
        backend_id: object = entry_or_id
    else:
        backend_id = entry_or_id.data.get(CONF_BACKEND)
    if isinstance(backend_id, str) and (adapter := ADAPTERS.get(backend_id)):
        return adapter
    raise UnknownBackendError(
        translation_domain=DOMAIN,
        translation_key="unknown_backend",
        translation_placeholders={"backend": str(backend_id)},
    )


def credentials_adapter() -> BackendAdapter:
    """Return the adapter that signs in with application credentials (there is one)."""
    (adapter,) = (a for a in ADAPTERS.values() if a.application_credentials)
    return adapter
