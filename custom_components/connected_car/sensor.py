"""Sensors: energy, charging, range, mileage, tyres, 12 V, temperatures, reachability."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    EntityCategory,
    Platform,
    UnitOfPressure,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import METRIC_SYSTEM

from .coordinator import ConnectedCarConfigEntry, VehicleCoordinator
from .entity import ConnectedCarEntity
from .vehicle import Signal, Vehicle, VehicleState, signals

PARALLEL_UPDATES = 0

FRESHNESS_STEP = timedelta(minutes=10)
""""Last update from car" moves at most this often while the car keeps reporting,
and shows the exact time once the car has been quiet this long."""


@dataclass(frozen=True, kw_only=True)
class ConnectedCarSensorDescription(SensorEntityDescription):
    """A sensor: how to read it from the state, and whether a vehicle has it."""

    value_fn: Callable[[VehicleState], StateType | datetime]
    exists_fn: Callable[[Vehicle], bool]
    watches: tuple[Signal[Any], ...] | None = None
    """The signals value_fn reads (None: it is written on every change)."""
    metric_suggested_unit: str | None = None
    """Unit suggested to metric users only; others get their unit system's."""


def _signal_sensor(signal: Signal[Any], **kwargs: Any) -> ConnectedCarSensorDescription:
    """Describe a sensor that shows one signal, existing where the car has it.

    Its native unit is the signal's: the vehicle layer's canonical unit.
    """
    return ConnectedCarSensorDescription(
        key=signal.key,
        translation_key=signal.key,
        native_unit_of_measurement=None if signal.unit is None else signal.unit.value,
        value_fn=lambda state: state.value(signal),
        exists_fn=lambda vehicle: vehicle.capabilities.has(signal),
        watches=(signal,),
        **kwargs,
    )


def _tyre_sensor(signal: Signal[float]) -> ConnectedCarSensorDescription:
    return _signal_sensor(
        signal,
        device_class=SensorDeviceClass.PRESSURE,
        state_class=SensorStateClass.MEASUREMENT,
        metric_suggested_unit=UnitOfPressure.BAR,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
    )


def _temperature_sensor(signal: Signal[float]) -> ConnectedCarSensorDescription:
    return _signal_sensor(
        signal,
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
    )


SENSORS: tuple[ConnectedCarSensorDescription, ...] = (
    _signal_sensor(
        signals.RANGE,
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    ),
    _signal_sensor(
        signals.FUEL_LEVEL,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    ),
    _signal_sensor(
        signals.FUEL_AMOUNT,
        device_class=SensorDeviceClass.VOLUME_STORAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
    ),
    _signal_sensor(
        signals.BATTERY_LEVEL,
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
    ),
    _signal_sensor(
        signals.CHARGING_POWER,
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
    ),
    _signal_sensor(
        signals.CHARGE_TIME_REMAINING,
        device_class=SensorDeviceClass.DURATION,
        suggested_display_precision=0,
    ),
    _signal_sensor(
        signals.CHARGE_LIMIT,
        suggested_display_precision=0,
    ),
    _signal_sensor(
        signals.CHARGING_STATE,
        device_class=SensorDeviceClass.ENUM,
        options=list(signals.CHARGING_STATES),
    ),
    _signal_sensor(
        signals.ODOMETER,
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=0,
    ),
    *(_tyre_sensor(tyre) for tyre in signals.TYRE_PRESSURES),
    _signal_sensor(
        signals.LOW_VOLTAGE_BATTERY_LEVEL,
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
    ),
    _signal_sensor(
        signals.LOW_VOLTAGE_BATTERY_VOLTAGE,
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,  # the level says enough for most
    ),
    _temperature_sensor(signals.OUTSIDE_TEMPERATURE),
    _temperature_sensor(signals.CABIN_TEMPERATURE),
    _signal_sensor(
        signals.PRECONDITIONING_STATE,
        device_class=SensorDeviceClass.ENUM,
        options=list(signals.PRECONDITIONING_STATES),
    ),
    _signal_sensor(
        signals.ONLINE_STATE,
        device_class=SensorDeviceClass.ENUM,
        options=list(signals.ONLINE_STATES),
    ),
    _signal_sensor(signals.SOFTWARE_VERSION, entity_category=EntityCategory.DIAGNOSTIC),
    LAST_UPDATE := ConnectedCarSensorDescription(
        key="last_update",
        translation_key="last_update",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda state: state.last_updated,
        exists_fn=lambda _: True,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors each vehicle has, and the backend's own (its account)."""
    async_add_entities(
        (LastUpdateSensor if description is LAST_UPDATE else ConnectedCarSensor)(
            coordinator, description, description.watches
        )
        for coordinator in entry.runtime_data.coordinators.values()
        for description in SENSORS
        if description.exists_fn(coordinator.vehicle)
    )
    async_add_entities(entry.runtime_data.adapter.entities(entry, Platform.SENSOR))


class ConnectedCarSensor(ConnectedCarEntity, SensorEntity):
    """A sensor of a vehicle."""

    entity_description: ConnectedCarSensorDescription

    @property
    def suggested_unit_of_measurement(self) -> str | None:
        """Suggest e.g. bar to metric users; US users get psi from their system."""
        metric_unit = self.entity_description.metric_suggested_unit
        if metric_unit is not None and self.hass.config.units is METRIC_SYSTEM:
            return metric_unit
        return super().suggested_unit_of_measurement

    @property
    def native_value(self) -> StateType | datetime:
        """Return the value the car last reported."""
        return self.entity_description.value_fn(self.coordinator.data)


class LastUpdateSensor(ConnectedCarSensor):
    """When the car last reported, without a new state for every report.

    The Activity log lists every change of a sensor that has no unit, and a
    timestamp sensor cannot have one (nor a state class): a car that reports
    every few seconds while driving or charging would fill it. So while the car
    keeps reporting, the shown time moves at most every FRESHNESS_STEP (the
    frontend says "3 minutes ago" either way), and once the car is quiet that
    long it shows the exact time of the last report, which is what tells how
    old a sleeping car's data is.
    """

    def __init__(
        self,
        coordinator: VehicleCoordinator,
        description: ConnectedCarSensorDescription,
        watches: tuple[Signal[Any], ...] | None = None,
    ) -> None:
        """Start showing the time of the state the car last reported."""
        super().__init__(coordinator, description, watches)
        self._shown: datetime | None = coordinator.data.last_updated
        self._shown_available = True
        self._settle: CALLBACK_TYPE | None = None
        self._last_report = dt_util.utcnow()
        """When the newest report not yet shown arrived (Home Assistant's time)."""

    @property
    def native_value(self) -> datetime | None:
        """Return the shown time of the car's last report."""
        return self._shown

    async def async_added_to_hass(self) -> None:
        """Stop a pending settle when removed."""
        await super().async_added_to_hass()
        self._shown_available = self.available
        self.async_on_remove(self._cancel_settle)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Show a new report time only if it moved on far enough (or availability changed)."""
        latest = self.coordinator.data.last_updated
        if (
            self.available != self._shown_available
            or self._shown is None
            or latest is None
            or latest - self._shown >= FRESHNESS_STEP
        ):
            self._show(latest)
        elif latest != self._shown:
            # One timer per quiet period, not one per report: it checks, when
            # it fires, whether reports came in since and waits on if so.
            self._last_report = dt_util.utcnow()
            if self._settle is None:
                self._settle = async_call_later(
                    self.hass, FRESHNESS_STEP, self._settled
                )

    @callback
    def _settled(self, now: datetime) -> None:
        """Show the exact time of the last report once the car went quiet."""
        self._settle = None
        quiet_until = self._last_report + FRESHNESS_STEP
        if now < quiet_until:
            self._settle = async_call_later(self.hass, quiet_until - now, self._settled)
            return
        self._show(self.coordinator.data.last_updated)

    @callback
    def _show(self, latest: datetime | None) -> None:
        self._cancel_settle()
        self._shown = latest
        self._shown_available = self.available
        self.async_write_ha_state()

    @callback
    def _cancel_settle(self) -> None:
        if self._settle is not None:
            self._settle()
            self._settle = None
