"""Config flow: pick a backend, then its settings; options and reconfigure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import callback
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

from .backends import simulated_car_names
from .const import (
    BACKEND_SIMULATED,
    CONF_BACKEND,
    CONF_CARS,
    CONF_DEPARTURE_ALARM,
    CONF_NAMES,
    CONF_POLL_INTERVAL,
    CONF_SEED,
    CONF_SIMULATION_SPEED,
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
from .departure import can_precondition
from .vehicle.simulator import SimulatedBackend, SimulationSettings

BACKENDS = [BACKEND_SIMULATED]
"""Backends offered in the first step, in menu order (each has a step of its name)."""


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
        can_precondition(coordinator.vehicle)
        for coordinator in entry.runtime_data.coordinators.values()
    )


class ConnectedCarConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a car account (or a simulation) to Home Assistant."""

    VERSION = 1

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
            await _async_test_simulation(entry.data)
            return self.async_update_reload_and_abort(entry)
        return self.async_show_form(
            step_id="reauth_confirm",
            description_placeholders={"name": entry.title},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the cars of a simulation (the seed is its identity)."""
        entry = self._get_reconfigure_entry()
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
