"""Tesla: a real car that locks, unlocks, heats and pushes its state.

The way to Tesla is the entry's transport: Teslemetry (one API token, commands
signed by the service, a push stream) or Tesla's own Fleet API with the owner's
developer app (every region including China, signed commands, a monthly
budget; its sign-in, key and budget live in tesla_fleet.py). Entry data: the
transport and its credentials; the unique id is the account's id at the
service, never a token.

The backend runs on Home Assistant's HTTP session with a private ``Store`` of what
it learns (each car's equipment, this month's calls by kind). At setup every car
is asked to stream the fields the integration reads (Teslemetry's stream
configuration, adding only what is missing), so that the stream and not polling
keeps the entities current. An account device shows the credits left, the live
stream and this month's wake-ups; a repair issue stays while Teslemetry refuses
calls for lack of credits. A car that reports new equipment, and a car that
joined or left the account (its list is checked daily), reload the entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_API_TOKEN, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.typing import StateType
import voluptuous as vol

from ..account import (
    AccountBinarySensor,
    AccountEntity,
    account_device_info,
    async_show_issue_while,
    live_stream_description,
)
from ..const import DOMAIN
from ..coordinator import ConnectedCarConfigEntry
from ..vehicle import (
    Backend,
    Vehicle,
    VehicleAllowanceError,
    VehicleAuthError,
    VehicleError,
    signals,
)
from ..vehicle.clock import Clock, RealClock
from ..vehicle.tesla import (
    CallKind,
    TeslaAccountStatus,
    TeslaBackend,
    TeslaTransport,
    TeslemetryTransport,
    stream_field_names,
)
from .base import BackendAdapter, BackendStore
from .tesla_entry import (
    BACKEND_ID,
    CONF_TRANSPORT,
    TRANSPORT_FLEET,
    TRANSPORT_TESLEMETRY,
    TRANSPORTS,
)
from .tesla_fleet import (
    CONF_AUTH_IMPLEMENTATION,
    CONF_KEY_DOMAIN,
    DEVELOPER_PORTALS,
    REALM_CHINA,
    REALM_GLOBAL,
    FleetImplementation,
    FleetSteps,
    async_create_fleet_backend,
    async_remove_fleet_entry,
    async_setup_fleet_entry,
    budget_option_field,
    fleet_diagnostics,
    fleet_poll_interval,
)

if TYPE_CHECKING:
    from homeassistant.components.application_credentials import ClientCredential
    from homeassistant.helpers.config_entry_oauth2_flow import (
        AbstractOAuth2Implementation,
    )

_LOGGER = logging.getLogger(__name__)

__all__ = ["BACKEND_ID", "CONF_TRANSPORT", "TRANSPORTS", "TeslaAdapter"]

TESLEMETRY_CONSOLE_URL: Final = "https://teslemetry.com/console"
"""Where the owner creates an API token and manages credits."""
CREDITS_ISSUE: Final = "teslemetry_credits_exhausted"
CAR_LIST_INTERVAL: Final = timedelta(days=1)
"""How often the account's list of cars is checked for cars that joined or left."""

TOKEN_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_API_TOKEN): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD)
        )
    }
)


@dataclass(frozen=True, kw_only=True)
class TeslaAccountSensorDescription(SensorEntityDescription):
    """A sensor of the Tesla account: its value in the backend's Tesla status."""

    value_fn: Callable[[TeslaAccountStatus], StateType]
    restore: bool = False
    """Show the last value from before a restart until the service reports anew."""


CREDITS = TeslaAccountSensorDescription(
    key="teslemetry_credits",
    translation_key="teslemetry_credits",
    state_class=SensorStateClass.MEASUREMENT,
    suggested_display_precision=0,
    value_fn=lambda status: status.credits,
    restore=True,  # Teslemetry reports the balance only when credits are spent
)


def calls_this_month(key: str, kind: CallKind) -> TeslaAccountSensorDescription:
    """Return the sensor of this month's billed calls of one kind."""
    return TeslaAccountSensorDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda status: status.calls[kind],
    )


WAKE_UPS = calls_this_month("tesla_wake_ups", CallKind.WAKE)
COST = TeslaAccountSensorDescription(
    key="tesla_fleet_cost",
    translation_key="tesla_fleet_cost",
    device_class=SensorDeviceClass.MONETARY,
    native_unit_of_measurement="USD",
    state_class=SensorStateClass.TOTAL,
    suggested_display_precision=2,
    value_fn=lambda status: status.estimated_cost,
)
"""This month's Fleet API bill so far (before Tesla's allowance)."""
DATA_REQUESTS = calls_this_month("tesla_fleet_data_requests", CallKind.DATA)
COMMANDS = calls_this_month("tesla_fleet_commands", CallKind.COMMAND)
LIVE_STREAM = live_stream_description("tesla_stream")
ACCOUNT_DEVICES: Final = {
    TRANSPORT_TESLEMETRY: ("Teslemetry", "Teslemetry", "Tesla account"),
    TRANSPORT_FLEET: ("Tesla Fleet API", "Tesla", "Fleet API account"),
}
"""Per transport the account device's name, manufacturer and model."""


class TeslaStore(BackendStore):
    """What a Tesla entry's backend learned: equipment per car, calls per kind."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Use the entry's own private storage file."""
        super().__init__(hass, f"{DOMAIN}.{BACKEND_ID}.{entry.entry_id}")


def tesla_backend(entry: ConnectedCarConfigEntry) -> TeslaBackend:
    """Return the Tesla backend of a loaded Tesla entry."""
    backend = entry.runtime_data.backend
    assert isinstance(backend, TeslaBackend)  # noqa: S101 - a Tesla entry's backend
    return backend


def _check_errors(err: VehicleError) -> dict[str, str]:
    """Return the form error for why checking a token failed."""
    errors: dict[str, str] = {}
    if isinstance(err, VehicleAuthError):
        errors["base"] = "invalid_token"
    elif isinstance(err, VehicleAllowanceError):
        errors["base"] = "teslemetry_payment_required"
    else:
        errors["base"] = "teslemetry_cannot_connect"
    return errors


def _is_fleet(entry: ConfigEntry) -> bool:
    return entry.data.get(CONF_TRANSPORT) == TRANSPORT_FLEET


class TeslaFlow(FleetSteps):
    """The way to Tesla, then its credentials (checked), then the account's cars."""

    async def async_step_tesla(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Offer the two ways to Tesla: Teslemetry, or the Fleet API with one's own app."""
        return self.flow.async_show_menu(
            step_id=BACKEND_ID, menu_options=["tesla_teslemetry", "tesla_fleet"]
        )

    async def async_step_tesla_teslemetry(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the Teslemetry API token (also to change it: reconfigure)."""
        return await self._async_token_step("tesla_teslemetry", user_input)

    async def async_step_tesla_reauth(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new token after Teslemetry refused the stored one."""
        return await self._async_token_step("tesla_reauth", user_input)

    async def async_reauth(self, entry: ConfigEntry) -> ConfigFlowResult:
        """Ask for a new token, or sign in at Tesla again (Fleet API)."""
        if _is_fleet(entry):
            return await self.async_step_tesla_fleet_again()
        return await self.async_step_tesla_reauth()

    async def async_reconfigure(
        self, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Change the token, or sign in again (it must be the same account)."""
        if _is_fleet(entry):
            return await self.async_step_tesla_fleet_again()
        return await self.async_step_tesla_teslemetry()

    async def _async_token_step(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {
                CONF_TRANSPORT: TRANSPORT_TESLEMETRY,
                CONF_API_TOKEN: user_input[CONF_API_TOKEN].strip(),
            }
            try:
                account_id, vehicles = await self.adapter.async_check(self.hass, data)
            except VehicleError as err:
                errors = _check_errors(err)
            else:
                if account_id is None:
                    errors["base"] = "unknown"
                elif not vehicles:
                    errors["base"] = "tesla_no_vehicles"
                else:
                    return await self._async_finish(account_id, vehicles, data)
        entry = self.flow.changed_entry
        return self.flow.async_show_form(
            step_id=step_id,
            data_schema=TOKEN_SCHEMA,
            description_placeholders={
                "console": TESLEMETRY_CONSOLE_URL,
                "name": entry.title if entry is not None else "",
            },
            errors=errors,
        )

    async def _async_finish(
        self, account_id: str, vehicles: list[Vehicle], data: dict[str, Any]
    ) -> ConfigFlowResult:
        """Create the entry, or update the one being reauthenticated or changed."""
        await self.flow.async_set_unique_id(account_id)
        if self.flow.changed_entry is not None:
            return self.flow.update_changed_entry(
                data,
                wrong_account_reason="tesla_wrong_account",
                reconfigure_reason="tesla_token_changed",
            )
        self.flow.abort_if_configured(error="tesla_already_configured")
        return self.flow.create_backend_entry(
            title=f"Teslemetry ({', '.join(v.name for v in vehicles)})", data=data
        )


class TeslaAccountSensor(AccountEntity, RestoreSensor):
    """A sensor of the account that only Tesla's status has (credits, calls, cost)."""

    entity_description: TeslaAccountSensorDescription

    def __init__(
        self,
        entry: ConnectedCarConfigEntry,
        device_info: DeviceInfo,
        description: TeslaAccountSensorDescription,
    ) -> None:
        """Show one value of the entry's Tesla account."""
        super().__init__(entry, device_info, description)
        self._tesla = tesla_backend(entry)
        self._last: StateType = None

    async def async_added_to_hass(self) -> None:
        """Follow the account; start from the last value where it is restored."""
        await super().async_added_to_hass()
        if self.entity_description.restore and (
            last := await self.async_get_last_sensor_data()
        ):
            self._last = last.native_value  # type: ignore[assignment]

    @property
    def native_value(self) -> StateType:
        """Return the value the service last reported."""
        value = self.entity_description.value_fn(self._tesla.status)
        return self._last if value is None else value

    @property
    def last_reset(self) -> datetime | None:
        """Return when the month being counted began (totals start anew each month)."""
        if self.entity_description.state_class is SensorStateClass.TOTAL:
            return self._tesla.usage.month
        return None


class TeslaAdapter(BackendAdapter):
    """A Tesla account and all its cars, through one transport."""

    backend_id = BACKEND_ID
    flow_class = TeslaFlow
    account_device = True
    application_credentials = True
    redact = frozenset({CONF_API_TOKEN, CONF_AUTH_IMPLEMENTATION, CONF_KEY_DOMAIN})

    def __init__(self) -> None:
        """Use Home Assistant's HTTP session, on real time."""
        self.make_session: Callable[[HomeAssistant], aiohttp.ClientSession] = (
            async_get_clientsession
        )
        """Returns the HTTP session (tests reach the local Teslemetry with theirs)."""
        self.make_clock: Callable[[], Clock] = RealClock
        """Returns the clock of waking, stream retries and the month's counts."""

    def transport(self, hass: HomeAssistant, data: Mapping[str, Any]) -> TeslaTransport:
        """Return the Teslemetry transport entry data names, with its token."""
        transport_id = data.get(CONF_TRANSPORT)
        if transport_id != TRANSPORT_TESLEMETRY:
            raise ConfigEntryError(
                translation_domain=DOMAIN,
                translation_key="unknown_backend",
                translation_placeholders={"backend": f"{BACKEND_ID}/{transport_id}"},
            )
        token = data.get(CONF_API_TOKEN)
        if not isinstance(token, str) or not token:
            msg = "No Teslemetry token is stored"
            raise VehicleAuthError(msg)

        async def access_token() -> str:
            return token

        return TeslemetryTransport(self.make_session(hass), access_token)

    async def async_check(
        self, hass: HomeAssistant, data: Mapping[str, Any]
    ) -> tuple[str | None, list[Vehicle]]:
        """Check credentials (free calls): return the account's id and its cars."""
        backend = TeslaBackend(self.transport(hass, data), clock=self.make_clock())
        try:
            await backend.login()
            vehicles = await backend.list_vehicles()
        finally:
            await backend.close()
        assert backend.account is not None  # noqa: S101 - set by login
        return backend.account.account_id, vehicles

    def create_backend(self, hass: HomeAssistant, entry: ConfigEntry) -> TeslaBackend:
        """Return a Teslemetry entry's backend, keeping what it learns in the store."""
        return TeslaBackend(
            self.transport(hass, entry.data),
            clock=self.make_clock(),
            persistence=self._store(hass, entry),
        )

    async def async_create_backend(
        self, hass: HomeAssistant, entry: ConfigEntry
    ) -> TeslaBackend:
        """Return the entry's backend; a Fleet API one loads its key and tokens first."""
        if _is_fleet(entry):
            return await async_create_fleet_backend(
                self, hass, entry, self._store(hass, entry)
            )
        return self.create_backend(hass, entry)

    @staticmethod
    def _store(hass: HomeAssistant, entry: ConfigEntry) -> TeslaStore:
        store = TeslaStore(hass, entry)
        # Unload runs its callbacks last-in first-out: this flush, registered
        # before setup registers the backend's close, writes what close saved.
        entry.async_on_unload(store.flush)
        return store

    def auth_implementation(
        self, hass: HomeAssistant, auth_domain: str, credential: ClientCredential
    ) -> AbstractOAuth2Implementation:
        """Return the sign-in at Tesla with the owner's app (Fleet API)."""
        return FleetImplementation(hass, auth_domain, credential, self)

    def credentials_placeholders(self) -> dict[str, str]:
        """Name Tesla's developer portals in the application credentials dialog."""
        return {
            "portal": DEVELOPER_PORTALS[REALM_GLOBAL],
            "portal_china": DEVELOPER_PORTALS[REALM_CHINA],
        }

    def poll_interval(self, backend: Backend) -> timedelta | None:
        """Return the Fleet API budget's pace; Teslemetry leaves it to the option."""
        if isinstance(backend, TeslaBackend) and backend.planner is not None:
            return fleet_poll_interval(backend)
        return None

    def option_fields(self, entry: ConfigEntry) -> Mapping[vol.Marker, Any]:
        """Return the monthly budget of a Fleet API entry."""
        return budget_option_field(entry) if _is_fleet(entry) else {}

    @callback
    def async_setup_entry(
        self, hass: HomeAssistant, entry: ConnectedCarConfigEntry
    ) -> None:
        """Repair issues, reloads for new equipment or cars, stream configuration."""
        backend = tesla_backend(entry)
        if _is_fleet(entry):
            async_setup_fleet_entry(hass, entry, backend)
        else:

            def credits_placeholders() -> dict[str, str] | None:
                if not backend.status.credits_exhausted:
                    return None
                return {"account": entry.title, "console": TESLEMETRY_CONSOLE_URL}

            async_show_issue_while(hass, entry, CREDITS_ISSUE, credits_placeholders)
        _async_reload_on_new_equipment(hass, entry, backend)

        async def async_check_cars(_now: datetime) -> None:
            """List the account's cars (free); reload when one joined or left."""
            try:
                vehicles = await backend.list_vehicles()
            except VehicleError as err:
                _LOGGER.debug("Could not list the Tesla account's cars: %s", err)
                return  # tomorrow again; the stream and polling go on
            if {v.vin for v in vehicles} != set(entry.runtime_data.coordinators):
                hass.config_entries.async_schedule_reload(entry.entry_id)

        entry.async_on_unload(
            async_track_time_interval(hass, async_check_cars, CAR_LIST_INTERVAL)
        )
        if isinstance(backend.transport, TeslemetryTransport):
            entry.async_create_background_task(
                hass,
                _async_configure_streams(entry, backend.transport),
                f"{DOMAIN} Teslemetry stream configuration",
            )

    def entities(
        self, entry: ConnectedCarConfigEntry, platform: Platform
    ) -> list[Entity]:
        """Return the account device's credits or month's cost, calls, live stream."""
        fleet = _is_fleet(entry)
        name, manufacturer, model = ACCOUNT_DEVICES[
            TRANSPORT_FLEET if fleet else TRANSPORT_TESLEMETRY
        ]
        device = account_device_info(
            entry, name=name, manufacturer=manufacturer, model=model
        )
        if platform is Platform.SENSOR:
            descriptions = (
                (COST, DATA_REQUESTS, COMMANDS, WAKE_UPS)
                if fleet
                else (CREDITS, WAKE_UPS)
            )
            return [
                TeslaAccountSensor(entry, device, description)
                for description in descriptions
            ]
        if platform is Platform.BINARY_SENSOR and not fleet:  # no stream to show
            return [AccountBinarySensor(entry, device, LIVE_STREAM)]
        return []

    async def async_remove_entry(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Delete what the backend learned (and a Fleet API entry's tokens and key)."""
        await TeslaStore(hass, entry).async_remove()
        if _is_fleet(entry):
            await async_remove_fleet_entry(hass, entry)

    def diagnostics(self, entry: ConnectedCarConfigEntry) -> dict[str, Any]:
        """Return a Fleet API entry's budget, key fingerprint and command routes."""
        return fleet_diagnostics(tesla_backend(entry)) if _is_fleet(entry) else {}


@callback
def _async_reload_on_new_equipment(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry, backend: TeslaBackend
) -> None:
    """Reload once a car reports equipment its entities do not show (a sunroof)."""
    reloading = False

    @callback
    def equipment_changed() -> None:
        nonlocal reloading
        if reloading:
            return
        for vin, coordinator in entry.runtime_data.coordinators.items():
            if backend.vehicle(vin).capabilities != coordinator.vehicle.capabilities:
                reloading = True
                hass.config_entries.async_schedule_reload(entry.entry_id)
                return

    entry.async_on_unload(backend.add_account_listener(equipment_changed))
    equipment_changed()  # the first refresh may already have taught it


async def _async_configure_streams(
    entry: ConnectedCarConfigEntry, transport: TeslemetryTransport
) -> None:
    """Make every car stream what the integration reads (free, once per setup)."""
    for coordinator in entry.runtime_data.coordinators.values():
        vehicle = coordinator.vehicle
        fields = stream_field_names(location=vehicle.capabilities.has(signals.LOCATION))
        try:
            result = await transport.configure_stream(vehicle.vin, fields)
        except VehicleError as err:
            _LOGGER.warning(
                "Could not set up what %s streams at Teslemetry (%s); values the "
                "stream lacks update only when the stream is down or after commands",
                vehicle.name,
                err,
            )
            continue
        if result.added:
            _LOGGER.info(
                "%s now streams %d more fields through Teslemetry",
                vehicle.name,
                len(result.added),
            )
        if result.ignored:
            _LOGGER.debug(
                "%s cannot stream %s", vehicle.name, ", ".join(result.ignored)
            )
