"""BMW CarData: BMW's official, read-only API for BMW and MINI cars (EU).

Sign-in with a device code (the user confirms a code on BMW's website), the
tokens saved back into the entry after every refresh (no reload), the account's
data in a ``Store`` per account (REST quota, vehicle list, basic data,
container), a repair issue while BMW refuses calls for quota (CU-429), and an
account device with two entities: the REST calls left and the live stream.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
import hashlib
import re
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.sensor import SensorStateClass
from homeassistant.config_entries import ConfigEntry, ConfigEntryState, ConfigFlowResult
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.selector import TextSelector
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey
from homeassistant.util.ssl import client_context
import voluptuous as vol

from ..account import (
    AccountBinarySensor,
    AccountSensor,
    AccountSensorDescription,
    account_device_info,
    async_show_issue_while,
    live_stream_description,
)
from ..const import DOMAIN
from ..coordinator import ConnectedCarConfigEntry
from ..vehicle import (
    ClientRejectedError,
    Vehicle,
    VehicleAuthError,
    VehicleConnectionError,
    VehicleError,
)
from ..vehicle.bmw import (
    AccessDeniedError,
    AccountPersistence,
    BmwCarDataBackend,
    CarDataApiError,
    CarDataAuth,
    CarDataEndpoints,
    CarDataOAuthError,
    DeviceAuthorization,
    DeviceCodeExpiredError,
    InvalidClientError,
    InvalidGrantError,
    TokenManager,
    Tokens,
    normalize_client_id,
    wait_for_device_authorization,
)
from ..vehicle.clock import Clock, RealClock
from .base import BackendAdapter, BackendFlow, BackendStore

if TYPE_CHECKING:
    from ..config_flow import ConnectedCarConfigFlow

BACKEND_ID: Final = "bmw_cardata"

CONF_CLIENT_ID: Final = "client_id"
"""The client ID the owner created in the MyBMW portal (CarData section)."""
CONF_TOKEN: Final = "token"  # noqa: S105 - a key, not a secret
"""The CarData tokens (refreshed and saved back by the integration)."""

QUOTA_ISSUE = "cardata_quota_exhausted"
TOKEN_MANAGERS: HassKey[dict[str, TokenManager]] = HassKey(f"{DOMAIN}_cardata_tokens")
"""Each entry's token manager, kept until a refresh under way at unload ended."""
CLIENT_ID_PATTERN = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
"""Client IDs from the MyBMW portal are UUIDs."""
CARDATA_PORTAL_URL = (
    "https://bmw-cardata.bmwgroup.com/customer/public/api-documentation/"
    "Id-Technical-registration"
)
"""BMW's own instructions for creating and activating a CarData client ID."""
CARDATA_SCHEMA = vol.Schema({vol.Required(CONF_CLIENT_ID): TextSelector()})

CALLS_LEFT = AccountSensorDescription(
    key="api_calls_left",
    translation_key="api_calls_left",
    state_class=SensorStateClass.MEASUREMENT,
    value_fn=lambda status: status.calls_left,
    recount_every=timedelta(minutes=1),  # calls age out of the 24 h window
)
LIVE_STREAM = live_stream_description("cardata_stream")


class CarDataStore(BackendStore):
    """The persisted data of one CarData account (keyed by account, not entry).

    The quota belongs to the BMW account, so the config flow's check and the
    entry share it. Written at most `SAVE_DELAY` after a change.
    """

    def __init__(self, hass: HomeAssistant, gcid: str) -> None:
        """Use a private storage file named after a hash of the account id."""
        digest = hashlib.sha256(gcid.encode()).hexdigest()[:16]
        super().__init__(hass, f"{DOMAIN}.{BACKEND_ID}.{digest}")


def _sign_in_errors(failure: BaseException | None) -> dict[str, str]:
    """Return the form error for why the last CarData sign-in failed."""
    errors: dict[str, str] = {}
    if isinstance(failure, ClientRejectedError):
        errors["base"] = "client_rejected"
    elif isinstance(failure, DeviceCodeExpiredError):
        errors["base"] = "code_expired"
    elif isinstance(failure, AccessDeniedError):
        errors["base"] = "access_denied"
    elif isinstance(failure, InvalidGrantError):
        errors["base"] = "login_rejected"
    elif isinstance(failure, CarDataApiError):
        errors["base"] = "api_not_enabled"
    elif isinstance(failure, VehicleConnectionError):
        errors["base"] = "cannot_connect"
    elif failure is not None:
        errors["base"] = "unknown"
    return errors


class BmwCarDataFlow(BackendFlow["BmwCarDataAdapter"]):
    """Client ID, device-code sign-in, then the account's cars."""

    def __init__(
        self, flow: ConnectedCarConfigFlow, adapter: BmwCarDataAdapter
    ) -> None:
        """Start without a sign-in."""
        super().__init__(flow, adapter)
        self._client_id: str | None = None
        self._authorization: DeviceAuthorization | None = None
        self._login_task: asyncio.Task[Tokens] | None = None
        self._login_failure: BaseException | None = None
        self._tokens: Tokens | None = None

    def _auth(self) -> CarDataAuth:
        return CarDataAuth(async_get_clientsession(self.hass), self.adapter.endpoints)

    async def async_step_bmw_cardata(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Explain the portal steps and ask for the client ID; then sign in."""
        errors = _sign_in_errors(self._login_failure)
        self._login_failure = None
        if user_input is not None:
            client_id = normalize_client_id(user_input[CONF_CLIENT_ID])
            if not CLIENT_ID_PATTERN.match(client_id):
                errors[CONF_CLIENT_ID] = "invalid_client_id"
            else:
                self._client_id = client_id
                try:
                    self._authorization = await self._auth().request_device_code(
                        client_id, self.adapter.make_clock().now()
                    )
                except InvalidClientError:
                    errors[CONF_CLIENT_ID] = "unknown_client_id"
                except CarDataOAuthError:
                    errors[CONF_CLIENT_ID] = "client_id_refused"
                except VehicleError:
                    errors["base"] = "cannot_connect"
                else:
                    return await self.async_step_bmw_cardata_login()
        suggested = user_input
        if suggested is None and self._client_id is not None:
            suggested = {CONF_CLIENT_ID: self._client_id}
        if suggested is None and (entry := self.flow.changed_entry) is not None:
            suggested = dict(entry.data)
        return self.flow.async_show_form(
            step_id=BACKEND_ID,
            data_schema=self.flow.add_suggested_values_to_schema(
                CARDATA_SCHEMA, suggested
            ),
            description_placeholders={"portal": CARDATA_PORTAL_URL},
            errors=errors,
        )

    async def async_step_bmw_cardata_login(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the link and code, and wait while the user approves."""
        authorization = self._authorization
        assert authorization is not None  # noqa: S101 - set by the previous step
        if self._login_task is None:
            self._login_task = self.hass.async_create_background_task(
                wait_for_device_authorization(
                    self._auth(), authorization, self.adapter.make_clock()
                ),
                f"{DOMAIN} CarData sign-in",
            )
        if not self._login_task.done():
            return self.flow.async_show_progress(
                step_id="bmw_cardata_login",
                progress_action="bmw_cardata_login",
                description_placeholders={
                    "url": authorization.verification_url,
                    "code": authorization.user_code,
                },
                progress_task=self._login_task,
            )
        task, self._login_task = self._login_task, None
        try:
            self._tokens = task.result()
        except (VehicleError, asyncio.CancelledError) as err:
            self._login_failure = err
            return self.flow.async_show_progress_done(next_step_id=BACKEND_ID)
        return self.flow.async_show_progress_done(next_step_id="bmw_cardata_done")

    async def async_step_bmw_cardata_done(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Create or update the entry of the signed-in account."""
        tokens, client_id = self._tokens, self._client_id
        assert tokens is not None  # noqa: S101 - signed in by the previous step
        assert client_id is not None  # noqa: S101 - asked by the first step
        await self.flow.async_set_unique_id(tokens.gcid)
        data = {CONF_CLIENT_ID: client_id, CONF_TOKEN: tokens.as_dict()}
        if self.flow.changed_entry is not None:
            return self.flow.update_changed_entry(
                data,
                wrong_account_reason="wrong_account",
                reconfigure_reason="client_id_changed",
            )
        self.flow.abort_if_configured(error="account_already_configured")
        try:
            vehicles = await self._async_check_account(client_id, tokens)
        except VehicleError as err:
            self._login_failure = err
            return await self.async_step_bmw_cardata()
        if not vehicles:
            return self.flow.async_abort(reason="no_vehicles")
        return self.flow.create_backend_entry(
            title=f"BMW CarData ({', '.join(v.name for v in vehicles)})",
            data=data,
            description="read_only",  # no lock or heater to point to
        )

    async def _async_check_account(
        self, client_id: str, tokens: Tokens
    ) -> list[Vehicle]:
        """List the account's cars once, as setup will (the answers are kept).

        Proves the client may use the CarData API; spends two or three of the
        account's calls, which setup then does not repeat.
        """
        store = CarDataStore(self.hass, tokens.gcid)
        backend = self.adapter.backend(self.hass, client_id, tokens, store)
        try:
            await backend.login()
            return await backend.list_vehicles()
        finally:
            await backend.close()  # writes the account data for setup to reuse

    async def async_reauth(self, entry: ConfigEntry) -> ConfigFlowResult:
        """Sign in again; for a client BMW refused, ask for the client ID first.

        Signing in with the refused client cannot work: the form says so
        (the portal steps) with the client ID filled in.
        """
        if (
            entry.state is ConfigEntryState.LOADED
            and isinstance(backend := entry.runtime_data.backend, BmwCarDataBackend)
            and backend.tokens.client_rejected
        ):
            self._login_failure = ClientRejectedError("client refused")
            return await self.async_step_bmw_cardata()
        return await super().async_reauth(entry)

    async def async_reauth_confirmed(self, entry: ConfigEntry) -> ConfigFlowResult:
        """Sign in again with the entry's client ID."""
        return await self.async_step_bmw_cardata(
            {CONF_CLIENT_ID: entry.data[CONF_CLIENT_ID]}
        )

    async def async_reconfigure(
        self, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Change the client ID: sign in again with the new one."""
        return await self.async_step_bmw_cardata()


class BmwCarDataAdapter(BackendAdapter):
    """A BMW CarData account and all its cars."""

    backend_id = BACKEND_ID
    flow_class = BmwCarDataFlow
    account_device = True
    redact = frozenset({CONF_CLIENT_ID, "gcid"})

    def __init__(self) -> None:
        """Talk to BMW's servers on real time."""
        self.endpoints = CarDataEndpoints()
        """Where CarData lives (tests point it at a local fake)."""
        self.make_clock: Callable[[], Clock] = RealClock
        """Returns the clock of token expiry, quota and polling."""

    def backend(
        self,
        hass: HomeAssistant,
        client_id: str,
        tokens: Tokens,
        persistence: AccountPersistence,
    ) -> BmwCarDataBackend:
        """Return a CarData backend using Home Assistant's HTTP session and CAs."""
        return BmwCarDataBackend(
            session=async_get_clientsession(hass),
            client_id=client_id,
            tokens=tokens,
            persistence=persistence,
            clock=self.make_clock(),
            endpoints=self.endpoints,
            tls_context=self.endpoints.tls_context or client_context(),
        )

    def create_backend(
        self, hass: HomeAssistant, entry: ConfigEntry
    ) -> BmwCarDataBackend:
        """Return the account's backend; refreshed tokens go back into the entry."""
        try:
            tokens = Tokens.from_dict(entry.data[CONF_TOKEN])
        except (KeyError, ValueError) as err:
            msg = "The stored CarData tokens are unusable"
            raise VehicleAuthError(msg) from err
        managers = hass.data.setdefault(TOKEN_MANAGERS, {})
        if (previous := managers.get(entry.entry_id)) and previous.refreshing:
            # Its answer carries the only valid refresh token: wait for it.
            msg = "A CarData token refresh of the previous start is still running"
            raise VehicleConnectionError(msg)
        backend = self.backend(
            hass, entry.data[CONF_CLIENT_ID], tokens, CarDataStore(hass, tokens.gcid)
        )
        managers[entry.entry_id] = backend.tokens

        @callback
        def save_tokens(tokens: Tokens) -> None:
            if hass.config_entries.async_get_entry(entry.entry_id) is entry:
                hass.config_entries.async_update_entry(
                    entry, data={**entry.data, CONF_TOKEN: tokens.as_dict()}
                )

        stop_saving = backend.add_tokens_listener(save_tokens)

        async def async_save_tokens_until_settled() -> None:
            """Keep saving until a refresh under way ends (BMW rotated the token)."""
            await backend.tokens.settled()
            stop_saving()
            if managers.get(entry.entry_id) is backend.tokens:
                del managers[entry.entry_id]

        entry.async_on_unload(async_save_tokens_until_settled)
        return backend

    @callback
    def async_setup_entry(
        self, hass: HomeAssistant, entry: ConnectedCarConfigEntry
    ) -> None:
        """Show the quota repair issue while BMW refuses calls."""
        backend = entry.runtime_data.backend

        def placeholders() -> dict[str, str] | None:
            until = backend.account_status().calls_blocked_until
            if until is None:
                return None
            return {
                "account": entry.title,
                "until": dt_util.as_local(until).strftime("%Y-%m-%d %H:%M"),
            }

        async_show_issue_while(hass, entry, QUOTA_ISSUE, placeholders)

    def entities(
        self, entry: ConnectedCarConfigEntry, platform: Platform
    ) -> list[Entity]:
        """Return the account device's calls-left sensor and stream sensor."""
        device = account_device_info(
            entry, name="BMW CarData", manufacturer="BMW Group", model="CarData account"
        )
        if platform is Platform.SENSOR:
            return [AccountSensor(entry, device, CALLS_LEFT)]
        if platform is Platform.BINARY_SENSOR:
            return [AccountBinarySensor(entry, device, LIVE_STREAM)]
        return []

    async def async_remove_entry(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Delete the account's stored data."""
        if entry.unique_id:
            await CarDataStore(hass, entry.unique_id).async_remove()
