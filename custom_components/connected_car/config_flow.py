"""Config flow: pick a backend, then its settings; options and reconfigure."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import re
from typing import Any

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
)
import voluptuous as vol

from .backends import (
    cardata_clock,
    cardata_endpoints,
    create_cardata_backend,
    simulated_car_names,
)
from .cardata import CarDataStore
from .const import (
    BACKEND_BMW_CARDATA,
    BACKEND_SIMULATED,
    CONF_BACKEND,
    CONF_CARS,
    CONF_CLIENT_ID,
    CONF_DEPARTURE_ALARM,
    CONF_NAMES,
    CONF_POLL_INTERVAL,
    CONF_SEED,
    CONF_SIMULATION_SPEED,
    CONF_TOKEN,
    DEFAULT_POLL_INTERVAL,
    DEFAULT_SIMULATION_SPEED,
    DOMAIN,
    MAX_CARS,
    MAX_POLL_INTERVAL,
    MAX_SEED,
    MAX_SIMULATION_SPEED,
    MIN_CARS,
    MIN_POLL_INTERVAL,
)
from .coordinator import ConnectedCarConfigEntry
from .vehicle import Vehicle, VehicleConnectionError, VehicleError
from .vehicle.bmw import (
    AccessDeniedError,
    CarDataApiError,
    CarDataAuth,
    CarDataOAuthError,
    DeviceAuthorization,
    DeviceCodeExpiredError,
    InvalidClientError,
    InvalidGrantError,
    Tokens,
    normalize_client_id,
    wait_for_device_authorization,
)
from .vehicle.simulator import SimulatedBackend, SimulationSettings

BACKENDS = [BACKEND_SIMULATED, BACKEND_BMW_CARDATA]
"""Backends offered in the first step, in menu order (each has a step of its name)."""

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


def _whole_number(
    minimum: int, maximum: int, unit: str | None = None
) -> NumberSelector:
    config = NumberSelectorConfig(
        min=minimum, max=maximum, step=1, mode=NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


CARS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_CARS, default=1): _whole_number(MIN_CARS, MAX_CARS),
        vol.Optional(CONF_NAMES, default=list): TextSelector(
            TextSelectorConfig(multiple=True)
        ),
    }
)
SIMULATED_SCHEMA = CARS_SCHEMA.extend(
    {vol.Required(CONF_SEED, default=1): _whole_number(0, MAX_SEED)}
)


def _validate_cars(user_input: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Normalise the car count and names; return them with any field errors."""
    cars = int(user_input[CONF_CARS])
    names = [name.strip() for name in user_input.get(CONF_NAMES, [])]
    errors: dict[str, str] = {}
    if any(not name for name in names):
        errors[CONF_NAMES] = "empty_name"
    elif len(names) > cars:
        errors[CONF_NAMES] = "too_many_names"
    elif len({name.casefold() for name in names}) < len(names):
        errors[CONF_NAMES] = "duplicate_names"
    return {CONF_CARS: cars, CONF_NAMES: names}, errors


async def _async_test_simulation(data: Mapping[str, Any]) -> None:
    """Build the simulation once, as setup will: proves the settings work."""
    backend = SimulatedBackend(
        SimulationSettings(names=simulated_car_names(data), seed=data[CONF_SEED])
    )
    await backend.login()
    await backend.list_vehicles()


def _may_precondition(entry: ConnectedCarConfigEntry) -> bool:
    """Return whether a car of the entry has a departure plan (unknown: maybe)."""
    if entry.state is not ConfigEntryState.LOADED:
        return True
    return any(
        coordinator.vehicle.capabilities.can_precondition
        for coordinator in entry.runtime_data.coordinators.values()
    )


def _sign_in_errors(failure: BaseException | None) -> dict[str, str]:
    """Return the form error for why the last CarData sign-in failed."""
    errors: dict[str, str] = {}
    if isinstance(failure, DeviceCodeExpiredError):
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


async def _async_check_cardata_account(
    flow: ConfigFlow, client_id: str, tokens: Tokens
) -> list[Vehicle]:
    """List the account's cars once, as setup will (the answers are kept).

    Proves the client may use the CarData API; spends two or three of the
    account's calls, which setup then does not repeat.
    """
    store = CarDataStore(flow.hass, tokens.gcid)
    backend = create_cardata_backend(flow.hass, client_id, tokens, store)
    try:
        await backend.login()
        return await backend.list_vehicles()
    finally:
        await backend.close()  # writes the account data for setup to reuse


class ConnectedCarConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a car account (or a simulation) to Home Assistant."""

    VERSION = 1

    def __init__(self) -> None:
        """Start without a CarData sign-in."""
        self._client_id: str | None = None
        self._authorization: DeviceAuthorization | None = None
        self._login_task: asyncio.Task[Tokens] | None = None
        self._login_failure: BaseException | None = None
        self._tokens: Tokens | None = None

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user pick the backend."""
        return self.async_show_menu(step_id="user", menu_options=BACKENDS)

    async def async_step_simulated(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Configure simulated cars: how many, their names, the seed."""
        errors: dict[str, str] = {}
        if user_input is not None:
            cars, errors = _validate_cars(user_input)
            if not errors:
                data = {CONF_BACKEND: BACKEND_SIMULATED, **cars}
                data[CONF_SEED] = int(user_input[CONF_SEED])
                await self.async_set_unique_id(f"{BACKEND_SIMULATED}-{data[CONF_SEED]}")
                self._abort_if_unique_id_configured()
                await _async_test_simulation(data)
                return self.async_create_entry(
                    title=f"Simulated cars (seed {data[CONF_SEED]})", data=data
                )
        return self.async_show_form(
            step_id=BACKEND_SIMULATED,
            data_schema=self.add_suggested_values_to_schema(
                SIMULATED_SCHEMA, user_input
            ),
            errors=errors,
        )

    # -- BMW CarData ------------------------------------------------------------

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
                    self._authorization = await CarDataAuth(
                        async_get_clientsession(self.hass), cardata_endpoints()
                    ).request_device_code(client_id, cardata_clock().now())
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
        if suggested is None and self.source == SOURCE_RECONFIGURE:
            suggested = dict(self._get_reconfigure_entry().data)
        return self.async_show_form(
            step_id=BACKEND_BMW_CARDATA,
            data_schema=self.add_suggested_values_to_schema(CARDATA_SCHEMA, suggested),
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
            auth = CarDataAuth(async_get_clientsession(self.hass), cardata_endpoints())
            self._login_task = self.hass.async_create_background_task(
                wait_for_device_authorization(auth, authorization, cardata_clock()),
                f"{DOMAIN} CarData sign-in",
            )
        if not self._login_task.done():
            return self.async_show_progress(
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
            return self.async_show_progress_done(next_step_id=BACKEND_BMW_CARDATA)
        return self.async_show_progress_done(next_step_id="bmw_cardata_done")

    async def async_step_bmw_cardata_done(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Create or update the entry of the signed-in account."""
        tokens, client_id = self._tokens, self._client_id
        assert tokens is not None  # noqa: S101 - signed in by the previous step
        assert client_id is not None  # noqa: S101 - asked by the first step
        await self.async_set_unique_id(tokens.gcid)
        data = {CONF_CLIENT_ID: client_id, CONF_TOKEN: tokens.as_dict()}
        if self.source == SOURCE_REAUTH:
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            return self.async_update_reload_and_abort(
                self._get_reauth_entry(), data_updates=data
            )
        if self.source == SOURCE_RECONFIGURE:
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            return self.async_update_reload_and_abort(
                self._get_reconfigure_entry(),
                data_updates=data,
                reason="client_id_changed",
            )
        self._abort_if_unique_id_configured(error="account_already_configured")
        try:
            vehicles = await _async_check_cardata_account(self, client_id, tokens)
        except VehicleError as err:
            self._login_failure = err
            return await self.async_step_bmw_cardata()
        if not vehicles:
            return self.async_abort(reason="no_vehicles")
        return self.async_create_entry(
            title=f"BMW CarData ({', '.join(v.name for v in vehicles)})",
            data={CONF_BACKEND: BACKEND_BMW_CARDATA, **data},
            description="read_only",  # no lock or heater to point to
        )

    # -- re-authentication ---------------------------------------------------------

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start re-authentication after the backend refused the credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Renew the credentials (a simulation just starts a fresh session)."""
        entry = self._get_reauth_entry()
        if user_input is not None:
            if entry.data[CONF_BACKEND] == BACKEND_BMW_CARDATA:
                return await self.async_step_bmw_cardata(
                    {CONF_CLIENT_ID: entry.data[CONF_CLIENT_ID]}
                )
            await _async_test_simulation(entry.data)
            return self.async_update_reload_and_abort(entry)
        return self.async_show_form(
            step_id="reauth_confirm",
            description_placeholders={"name": entry.title},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the cars of a simulation, or the client ID of a CarData account."""
        entry = self._get_reconfigure_entry()
        if entry.data[CONF_BACKEND] == BACKEND_BMW_CARDATA:
            return await self.async_step_bmw_cardata()
        errors: dict[str, str] = {}
        if user_input is not None:
            cars, errors = _validate_cars(user_input)
            if not errors:
                return self.async_update_reload_and_abort(entry, data_updates=cars)
        return self.async_show_form(
            step_id=SOURCE_RECONFIGURE,
            data_schema=self.add_suggested_values_to_schema(
                CARS_SCHEMA, user_input or entry.data
            ),
            errors=errors,
        )

    @staticmethod
    @callback
    def async_get_options_flow(
        config_entry: ConnectedCarConfigEntry,  # noqa: ARG004 - HA's signature
    ) -> OptionsFlowHandler:
        """Return the options flow."""
        return OptionsFlowHandler()


class OptionsFlowHandler(OptionsFlowWithReload):
    """Tune how the integration talks to the backend."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the options of this entry's backend."""
        if user_input is not None:
            return self.async_create_entry(
                data={
                    key: value if key == CONF_DEPARTURE_ALARM else int(value)
                    for key, value in user_input.items()
                }
            )
        fields: dict[vol.Marker, Any] = {
            vol.Required(
                CONF_POLL_INTERVAL, default=DEFAULT_POLL_INTERVAL
            ): _whole_number(MIN_POLL_INTERVAL, MAX_POLL_INTERVAL, "min"),
        }
        if self.config_entry.data[CONF_BACKEND] == BACKEND_SIMULATED:
            fields[
                vol.Required(CONF_SIMULATION_SPEED, default=DEFAULT_SIMULATION_SPEED)
            ] = _whole_number(1, MAX_SIMULATION_SPEED)
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
