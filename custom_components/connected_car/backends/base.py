"""What an adapter gives Home Assistant for one kind of backend.

Each backend (a car API, or the simulation) has one adapter module in this
package. Everything Home Assistant-specific about that backend lives there:
building the backend from a config entry, its config flow steps and option
fields, extra entities (an account device), repair issues, what to keep and
delete, and diagnostics. The generic modules only call the hooks below, found
through the registry in ``__init__.py`` by the entry's ``backend`` id.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
from homeassistant.helpers.storage import Store
import voluptuous as vol

from ..account import account_device_id
from ..storage import BoundedStore
from ..vehicle import Backend

if TYPE_CHECKING:
    from homeassistant.components.application_credentials import ClientCredential
    from homeassistant.helpers.config_entry_oauth2_flow import (
        AbstractOAuth2Implementation,
    )

    from ..config_flow import ConnectedCarConfigFlow
    from ..coordinator import ConnectedCarConfigEntry


class BackendStore(BoundedStore[dict[str, Any]]):
    """A backend's own account data in a private ``Store``.

    Counts of paid or limited calls must survive a crash, so a change is on
    disk within `SAVE_DELAY` seconds however often the counts change.
    """

    SAVE_DELAY = 1.0

    def __init__(self, hass: HomeAssistant, key: str) -> None:
        """Keep the data under key (in .storage, private: it may hold account ids)."""
        super().__init__(Store(hass, 1, key, private=True), max_delay=self.SAVE_DELAY)


def whole_number(minimum: int, maximum: int, unit: str | None = None) -> NumberSelector:
    """Return a selector of whole numbers between minimum and maximum (a box)."""
    config = NumberSelectorConfig(
        min=minimum, max=maximum, step=1, mode=NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


class BackendFlow[AdapterT: BackendAdapter]:
    """A backend's config flow steps, for one running flow (holds its state).

    The generic flow forwards every step whose id is the backend's id or starts
    with it and an underscore (``bmw_cardata``, ``bmw_cardata_login``) to the
    method ``async_step_<step id>`` of this object: the step the menu opens is
    ``async_step_<backend id>``. Reauthentication and reconfiguration of an
    entry of this backend end up in `async_reauth` and `async_reconfigure`.
    The flow's helpers (forms, unique id, creating or updating the entry) are
    on `flow`.
    """

    def __init__(self, flow: ConnectedCarConfigFlow, adapter: AdapterT) -> None:
        """Belong to one running config flow."""
        self.flow = flow
        self.adapter = adapter

    @property
    def hass(self) -> HomeAssistant:
        """Return Home Assistant."""
        return self.flow.hass

    async def async_reauth(self, entry: ConfigEntry) -> ConfigFlowResult:
        """Start re-authenticating entry: by default the user confirms first.

        The generic confirmation step then calls `async_reauth_confirmed`.
        """
        return await self.flow.async_step_reauth_confirm()

    async def async_reauth_confirmed(self, entry: ConfigEntry) -> ConfigFlowResult:
        """Renew the credentials of entry once the user confirmed."""
        return self.flow.async_abort(reason="reauth_not_supported")

    async def async_reconfigure(
        self, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Change entry's settings (the step ``reconfigure`` comes back here)."""
        return self.flow.async_abort(reason="reconfigure_not_supported")


class BackendAdapter(ABC):
    """Everything Home Assistant-specific about one kind of backend."""

    backend_id: ClassVar[str]
    """The entry data's ``backend`` value and the config flow's menu option."""
    flow_class: ClassVar[type[BackendFlow[Any]]]
    """The config flow steps of this backend."""
    redact: ClassVar[frozenset[str]] = frozenset()
    """Keys to redact (besides the generic ones) in entry data and diagnostics."""
    account_device: ClassVar[bool] = False
    """Whether the account has a device of its own (``account.account_device_info``)."""
    application_credentials: ClassVar[bool] = False
    """Whether the backend signs in with Home Assistant's application credentials.

    They are kept per integration, not per backend: at most one adapter may
    say so, and it provides the OAuth2 implementation (`auth_implementation`).
    """

    @abstractmethod
    def create_backend(self, hass: HomeAssistant, entry: ConfigEntry) -> Backend:
        """Return the entry's backend, not yet signed in.

        Raises `VehicleError` subclasses only (`VehicleAuthError` when the stored
        credentials are unusable): setup translates them.
        """

    async def async_create_backend(
        self, hass: HomeAssistant, entry: ConfigEntry
    ) -> Backend:
        """Return the entry's backend, when building it needs I/O (stored keys).

        By default `create_backend`; the same errors.
        """
        return self.create_backend(hass, entry)

    def auth_implementation(
        self, hass: HomeAssistant, auth_domain: str, credential: ClientCredential
    ) -> AbstractOAuth2Implementation:
        """Return the sign-in with an application credential (if the backend has one)."""
        raise NotImplementedError

    def credentials_placeholders(self) -> dict[str, str]:
        """Return the placeholders of the application credentials dialog's text."""
        return {}

    def poll_interval(self, backend: Backend) -> timedelta | None:
        """Return how often a car may be polled now, when the backend paces it.

        None: as often as the entry's polling option says. A value is a lower
        bound (the option may ask for less); asked again after every poll.
        """
        return None

    def option_fields(self, entry: ConfigEntry) -> Mapping[vol.Marker, Any]:
        """Return the backend's own fields of the options form.

        Numbers that are whole are stored as int.
        """
        return {}

    @callback  # noqa: B027 - a hook adapters may leave out
    def async_setup_entry(
        self, hass: HomeAssistant, entry: ConnectedCarConfigEntry
    ) -> None:
        """Start what the backend needs once its cars are loaded (repair issues, ...).

        Runs before the platforms are set up; clean up with
        ``entry.async_on_unload``.
        """

    def entities(
        self, entry: ConnectedCarConfigEntry, platform: Platform
    ) -> list[Entity]:
        """Return the backend's own entities of a platform (e.g. of its account)."""
        return []

    def device_identifiers(self, entry: ConfigEntry) -> set[str]:
        """Return the identifiers of the backend's own devices beside the cars.

        Devices of the entry that are neither a loaded car nor listed here are
        removed at setup. By default: the account's device, if it has one.
        """
        return {account_device_id(entry)} if self.account_device else set()

    async def async_remove_entry(  # noqa: B027 - a hook adapters may leave out
        self, hass: HomeAssistant, entry: ConfigEntry
    ) -> None:
        """Delete what the backend stored for entry (the entry was deleted)."""

    def diagnostics(self, entry: ConnectedCarConfigEntry) -> dict[str, Any]:
        """Return more details for the entry's diagnostics (redacted afterwards)."""
        return {}
