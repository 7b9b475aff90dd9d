"""The simulated cars: no account, every feature, the engine of our tests.

Entry data: how many cars, their names and the seed that makes them. Options:
how much faster than real time they live. Reauthentication just starts a
fresh session; reconfiguring changes the cars.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig
import voluptuous as vol

from ..vehicle import Backend
from ..vehicle.simulator import Clock, RealClock, SimulatedBackend, SimulationSettings
from .base import BackendAdapter, BackendFlow, whole_number

BACKEND_ID: Final = "simulated"

CONF_CARS: Final = "cars"
CONF_NAMES: Final = "names"
CONF_SEED: Final = "seed"
CONF_SIMULATION_SPEED: Final = "simulation_speed"
"""Option: how many times faster than real time the simulated cars live."""
MIN_CARS: Final = 1
MAX_CARS: Final = 10
MAX_SEED: Final = 2**31 - 1
DEFAULT_CAR_NAME: Final = "Simulated car"
DEFAULT_SIMULATION_SPEED: Final = 1
MAX_SIMULATION_SPEED: Final = 120


CARS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_CARS, default=1): whole_number(MIN_CARS, MAX_CARS),
        vol.Optional(CONF_NAMES, default=list): TextSelector(
            TextSelectorConfig(multiple=True)
        ),
    }
)
SIMULATED_SCHEMA = CARS_SCHEMA.extend(
    {vol.Required(CONF_SEED, default=1): whole_number(0, MAX_SEED)}
)


def simulated_car_names(data: Mapping[str, Any]) -> tuple[str, ...]:
    """Return one name per simulated car: the user's names, then numbered defaults."""
    count: int = data[CONF_CARS]
    names = [name.strip() for name in data.get(CONF_NAMES, []) if name.strip()]
    if count == 1 and not names:
        return (DEFAULT_CAR_NAME,)
    defaults = (f"{DEFAULT_CAR_NAME} {number}" for number in range(1, count + 1))
    return tuple(names[:count]) + tuple(defaults)[len(names) : count]


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


class SimulatedFlow(BackendFlow["SimulatedAdapter"]):
    """How many cars, their names, the seed."""

    async def async_step_simulated(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Configure simulated cars: how many, their names, the seed."""
        errors: dict[str, str] = {}
        if user_input is not None:
            cars, errors = _validate_cars(user_input)
            if not errors:
                data = {**cars, CONF_SEED: int(user_input[CONF_SEED])}
                await self.flow.async_set_unique_id(f"{BACKEND_ID}-{data[CONF_SEED]}")
                self.flow.abort_if_configured()
                await self.adapter.async_test(data)
                return self.flow.create_backend_entry(
                    title=f"Simulated cars (seed {data[CONF_SEED]})", data=data
                )
        return self.flow.async_show_form(
            step_id=BACKEND_ID,
            data_schema=self.flow.add_suggested_values_to_schema(
                SIMULATED_SCHEMA, user_input
            ),
            errors=errors,
        )

    async def async_reauth_confirmed(self, entry: ConfigEntry) -> ConfigFlowResult:
        """Start a fresh session (the simulation's "credentials")."""
        await self.adapter.async_test(entry.data)
        return self.flow.update_changed_entry()

    async def async_reconfigure(
        self, entry: ConfigEntry, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Change the number and names of the cars."""
        errors: dict[str, str] = {}
        if user_input is not None:
            cars, errors = _validate_cars(user_input)
            if not errors:
                return self.flow.update_changed_entry(cars)
        return self.flow.async_show_form(
            step_id="reconfigure",
            data_schema=self.flow.add_suggested_values_to_schema(
                CARS_SCHEMA, user_input or entry.data
            ),
            errors=errors,
        )


class SimulatedAdapter(BackendAdapter):
    """Simulated cars, run inside Home Assistant."""

    backend_id = BACKEND_ID
    flow_class = SimulatedFlow

    def __init__(self) -> None:
        """Use real time and the settings the entry asks for."""
        self.make_clock: Callable[[float], Clock] = RealClock
        """Returns the simulation's clock for a speed-up (tests drive their own)."""
        self.settings_factory: Callable[..., SimulationSettings] = SimulationSettings
        """Builds the simulation settings (tests make the cars read-only)."""

    def settings(
        self, data: Mapping[str, Any], home: tuple[float, float] | None = None
    ) -> SimulationSettings:
        """Return the simulation of entry data (at home, when given)."""
        where = {} if home is None else {"home": home}
        return self.settings_factory(
            names=simulated_car_names(data), seed=data[CONF_SEED], **where
        )

    def create_backend(self, hass: HomeAssistant, entry: ConfigEntry) -> Backend:
        """Return the entry's simulation, at the home's location and chosen speed."""
        speed = entry.options.get(CONF_SIMULATION_SPEED, DEFAULT_SIMULATION_SPEED)
        home = (hass.config.latitude, hass.config.longitude)
        return SimulatedBackend(self.settings(entry.data, home), self.make_clock(speed))

    def option_fields(self, entry: ConfigEntry) -> Mapping[vol.Marker, Any]:
        """Offer the simulation speed."""
        return {
            vol.Required(
                CONF_SIMULATION_SPEED, default=DEFAULT_SIMULATION_SPEED
            ): whole_number(1, MAX_SIMULATION_SPEED)
        }

    async def async_test(self, data: Mapping[str, Any]) -> None:
        """Build the simulation once, as setup will: proves the settings work."""
        backend = SimulatedBackend(self.settings(data))
        await backend.login()
        await backend.list_vehicles()
