"""Config flow: pick a backend, then its own steps; options, reauth, reconfigure.

The backends' steps live in their adapters (backends/). This flow shows the
menu of the registered backends and forwards every step of a backend (its id,
or its id, an underscore and more) to that backend's `BackendFlow`: Home Assistant finds a step by looking up the method
``async_step_<step id>``, which `__getattr__` answers for those ids.
Reauthentication and reconfiguration go to the backend of the entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from typing import Any

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import callback
from homeassistant.helpers.selector import EntitySelector, EntitySelectorConfig
import voluptuous as vol

from .backends import (
    ADAPTERS,
    BackendAdapter,
    BackendFlow,
    UnknownBackendError,
    get_adapter,
    whole_number,
)
from .const import (
    CONF_BACKEND,
    CONF_DEPARTURE_ALARM,
    CONF_POLL_INTERVAL,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
)
from .coordinator import ConnectedCarConfigEntry

STEP_PREFIX = "async_step_"


def _backend_of_step(step_id: str) -> str | None:
    """Return the backend whose step step_id is (the longest matching id)."""
    owners = [
        backend_id
        for backend_id in ADAPTERS
        if step_id == backend_id or step_id.startswith(f"{backend_id}_")
    ]
    return max(owners, key=len, default=None)


class ConnectedCarConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a car account to Home Assistant, through the chosen backend's steps."""

    VERSION = 1

    def __init__(self) -> None:
        """Start before any backend was chosen."""
        self._backend_flows: dict[str, BackendFlow[Any]] = {}
        self.adapter: BackendAdapter | None = None
        """The backend whose steps run (chosen in the menu, or the entry's)."""

    def __getattr__(self, name: str) -> Any:
        """Answer ``async_step_<step id>`` of a backend's steps with its method."""
        if name.startswith(STEP_PREFIX) and "_backend_flows" in self.__dict__:
            backend_id = _backend_of_step(name.removeprefix(STEP_PREFIX))
            if backend_id is not None:
                return getattr(self.backend_flow(ADAPTERS[backend_id]), name)
        raise AttributeError(name)

    def backend_flow(self, adapter: BackendAdapter) -> BackendFlow[Any]:
        """Return the steps of a backend for this flow (made once, keeping state)."""
        self.adapter = adapter
        if (flow := self._backend_flows.get(adapter.backend_id)) is None:
            flow = self._backend_flows[adapter.backend_id] = adapter.flow_class(
                self, adapter
            )
        return flow

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user pick the backend."""
        return self.async_show_menu(step_id="user", menu_options=list(ADAPTERS))

    # -- re-authentication and reconfiguration: the entry's backend decides ------

    def _entry_flow(self, entry: ConfigEntry) -> BackendFlow[Any]:
        return self.backend_flow(get_adapter(entry))

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start re-authentication after the backend refused the credentials."""
        entry = self._get_reauth_entry()
        try:
            flow = self._entry_flow(entry)
        except UnknownBackendError:
            return self.async_abort(reason="unknown_backend")
        return await flow.async_reauth(entry)

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask before renewing the credentials; then the backend renews them."""
        entry = self._get_reauth_entry()
        if user_input is not None:
            return await self._entry_flow(entry).async_reauth_confirmed(entry)
        return self.async_show_form(
            step_id="reauth_confirm",
            description_placeholders={"name": entry.title},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the entry's settings, as its backend offers."""
        entry = self._get_reconfigure_entry()
        try:
            flow = self._entry_flow(entry)
        except UnknownBackendError:
            return self.async_abort(reason="unknown_backend")
        return await flow.async_reconfigure(entry, user_input)

    # -- helpers for the backends' steps -------------------------------------------

    @property
    def changed_entry(self) -> ConfigEntry | None:
        """Return the entry this flow reauthenticates or reconfigures (else None)."""
        if self.source == SOURCE_REAUTH:
            return self._get_reauth_entry()
        if self.source == SOURCE_RECONFIGURE:
            return self._get_reconfigure_entry()
        return None

    def abort_if_configured(self, error: str = "already_configured") -> None:
        """Abort when an entry with this flow's unique id exists."""
        self._abort_if_unique_id_configured(error=error)

    def abort_if_wrong_account(self, reason: str) -> None:
        """Abort with reason when the flow's unique id is not the changed entry's."""
        self._abort_if_unique_id_mismatch(reason=reason)

    def update_changed_entry(
        self,
        data_updates: Mapping[str, Any] | None = None,
        *,
        wrong_account_reason: str | None = None,
        reconfigure_reason: str = "reconfigure_successful",
    ) -> ConfigFlowResult:
        """Save data_updates into the changed entry, reload it and finish.

        With wrong_account_reason, abort with it when the flow's unique id (the
        account signed in to) is not the entry's.
        """
        if wrong_account_reason is not None:
            self.abort_if_wrong_account(wrong_account_reason)
        updates = dict(data_updates or {})
        if self.source == SOURCE_RECONFIGURE:
            return self.async_update_reload_and_abort(
                self._get_reconfigure_entry(),
                data_updates=updates,
                reason=reconfigure_reason,
            )
        return self.async_update_reload_and_abort(
            self._get_reauth_entry(), data_updates=updates
        )

    def create_backend_entry(
        self, *, title: str, data: Mapping[str, Any], description: str | None = None
    ) -> ConfigFlowResult:
        """Create the entry of the chosen backend (its id goes into the data)."""
        assert self.adapter is not None  # noqa: S101 - a backend's step calls this
        return self.async_create_entry(
            title=title,
            data={CONF_BACKEND: self.adapter.backend_id, **data},
            description=description,
        )

    @staticmethod
    @callback
    def async_get_options_flow(
        config_entry: ConnectedCarConfigEntry,  # noqa: ARG004 - HA's signature
    ) -> OptionsFlowHandler:
        """Return the options flow."""
        return OptionsFlowHandler()


def _may_precondition(entry: ConnectedCarConfigEntry) -> bool:
    """Return whether a car of the entry has a departure plan (unknown: maybe)."""
    if entry.state is not ConfigEntryState.LOADED:
        return True
    return any(
        coordinator.vehicle.capabilities.can_precondition
        for coordinator in entry.runtime_data.coordinators.values()
    )


def _stored(value: Any) -> Any:
    """Return an option value as stored: whole numbers as int."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class OptionsFlowHandler(OptionsFlowWithReload):
    """Tune how the integration talks to the backend."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the generic options and those of the entry's backend."""
        if user_input is not None:
            return self.async_create_entry(
                data={key: _stored(value) for key, value in user_input.items()}
            )
        fields: dict[vol.Marker, Any] = {
            vol.Required(
                CONF_POLL_INTERVAL, default=DEFAULT_POLL_INTERVAL
            ): whole_number(MIN_POLL_INTERVAL, MAX_POLL_INTERVAL, "min"),
        }
        with suppress(UnknownBackendError):  # the generic options still apply
            fields.update(
                get_adapter(self.config_entry).option_fields(self.config_entry)
            )
        if _may_precondition(self.config_entry):
            fields[vol.Optional(CONF_DEPARTURE_ALARM)] = EntitySelector(
                EntitySelectorConfig(
                    domain="sensor", device_class=SensorDeviceClass.TIMESTAMP
                )
            )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(fields), self.config_entry.options
            ),
        )
