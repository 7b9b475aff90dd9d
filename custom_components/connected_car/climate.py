"""The heater: the car's preconditioning as a climate entity."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import (
    ATTR_HVAC_MODE,
    ClimateEntity,
    ClimateEntityDescription,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, Platform, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .car_home.common import Cabin, cabin_versus_target
from .coordinator import ConnectedCarConfigEntry, VehicleCoordinator
from .entity import ConnectedCarEntity
from .vehicle import Command, CommandKind, TemperatureRange, signals

PARALLEL_UPDATES = 1

CLIMATE_DESCRIPTION = ClimateEntityDescription(key="climate", translation_key="climate")
HVAC_ACTIONS = {
    Cabin.BELOW: HVACAction.HEATING,
    Cabin.AT: HVACAction.IDLE,
    Cabin.ABOVE: HVACAction.COOLING,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a heater for each vehicle that can precondition remotely."""
    async_add_entities(
        ConnectedCarClimate(coordinator, temperatures)
        for coordinator in entry.runtime_data.coordinators.values()
        if coordinator.vehicle.capabilities.can_precondition
        and (temperatures := coordinator.vehicle.capabilities.climate_temperatures)
    )
    async_add_entities(entry.runtime_data.adapter.entities(entry, Platform.CLIMATE))


class ConnectedCarClimate(ConnectedCarEntity, ClimateEntity):
    """Preconditioning: heat or cool the cabin toward a target before driving."""

    _attr_hvac_modes = [HVACMode.OFF, HVACMode.HEAT_COOL]  # noqa: RUF012 - HA's attribute
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )

    def __init__(
        self, coordinator: VehicleCoordinator, temperatures: TemperatureRange
    ) -> None:
        """Create the heater of a vehicle with the target range it accepts."""
        super().__init__(
            coordinator,
            CLIMATE_DESCRIPTION,
            (
                signals.CABIN_TEMPERATURE,
                signals.CLIMATE_TARGET_TEMPERATURE,
                signals.CLIMATE_ACTIVE,
            ),
        )
        self._temperatures = temperatures
        self._attr_min_temp = temperatures.minimum
        self._attr_max_temp = temperatures.maximum
        self._attr_target_temperature_step = temperatures.step

    @property
    def current_temperature(self) -> float | None:
        """Return the cabin temperature."""
        return self.coordinator.data.value(signals.CABIN_TEMPERATURE)

    @property
    def target_temperature(self) -> float | None:
        """Return the preconditioning target the car reports."""
        return self.coordinator.data.value(signals.CLIMATE_TARGET_TEMPERATURE)

    @property
    def hvac_mode(self) -> HVACMode | None:
        """Return heat_cool while preconditioning runs."""
        active = self.coordinator.data.value(signals.CLIMATE_ACTIVE)
        if active is None:
            return None
        return HVACMode.HEAT_COOL if active else HVACMode.OFF

    @property
    def hvac_action(self) -> HVACAction | None:
        """Return whether the car is heating, cooling or holding the target."""
        mode = self.hvac_mode
        if mode is None:
            return None
        if mode is HVACMode.OFF:
            return HVACAction.OFF
        cabin = cabin_versus_target(self.coordinator.data)
        return None if cabin is None else HVAC_ACTIONS[cabin]

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Start or stop preconditioning."""
        if hvac_mode == HVACMode.OFF:
            await self.async_send_command(Command(CommandKind.STOP_CLIMATE))
        else:
            await self.async_send_command(
                Command(CommandKind.START_CLIMATE, self.target_temperature),
            )

    async def async_turn_on(self) -> None:
        """Start preconditioning."""
        await self.async_set_hvac_mode(HVACMode.HEAT_COOL)

    async def async_turn_off(self) -> None:
        """Stop preconditioning."""
        await self.async_set_hvac_mode(HVACMode.OFF)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Set the target (snapped to the car's step); start or stop if asked."""
        temperature = self._temperatures.nearest(float(kwargs[ATTR_TEMPERATURE]))
        mode = kwargs.get(ATTR_HVAC_MODE)
        if mode == HVACMode.HEAT_COOL:
            await self.async_send_command(
                Command(CommandKind.START_CLIMATE, temperature)
            )
            return
        await self.async_send_command(
            Command(CommandKind.SET_CLIMATE_TARGET, temperature)
        )
        if mode == HVACMode.OFF:
            await self.async_send_command(Command(CommandKind.STOP_CLIMATE))
