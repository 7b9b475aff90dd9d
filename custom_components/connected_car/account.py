"""The account behind an entry's cars: following its status, entities showing it.

Backends report their account through `Backend.account_status()` (signed out,
the cars on the account, live stream, quota). Every entry follows it: refused
credentials start re-authentication, a changed list of cars reloads the entry.
Adapters that give the account a device of its own build its entities from the
descriptions here, and show repair issues while the account calls for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.sensor import SensorEntity, SensorEntityDescription
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.typing import StateType

from .const import DOMAIN
from .coordinator import ConnectedCarConfigEntry
from .entity import unique_id
from .vehicle import AccountStatus


@callback
def async_follow_account(hass: HomeAssistant, entry: ConnectedCarConfigEntry) -> None:
    """Reauthenticate when the account signs out; reload when its cars change."""
    backend = entry.runtime_data.backend
    reloading = False

    @callback
    def account_changed() -> None:
        nonlocal reloading
        status = backend.account_status()
        if status.signed_out:
            entry.async_start_reauth(hass)
        elif (
            not reloading
            and status.vins
            and set(status.vins) != set(entry.runtime_data.coordinators)
        ):
            reloading = True  # once; the reload builds a new backend
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(backend.add_account_listener(account_changed))


@callback
def async_show_issue_while(
    hass: HomeAssistant,
    entry: ConnectedCarConfigEntry,
    issue: str,
    placeholders: Callable[[], Mapping[str, str] | None],
) -> None:
    """Show the repair issue ``issue`` of entry while the account calls for it.

    placeholders() returns the issue's placeholders while it applies, None
    once it no longer does; it is asked whenever the account changes.
    """
    issue_id = f"{issue}_{entry.entry_id}"

    @callback
    def update_issue() -> None:
        values = placeholders()
        if values is None:
            ir.async_delete_issue(hass, DOMAIN, issue_id)
            return
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=issue,
            translation_placeholders=dict(values),
        )

    entry.async_on_unload(entry.runtime_data.backend.add_account_listener(update_issue))
    update_issue()


def account_device_id(entry: ConfigEntry) -> str:
    """Return the identifier of the entry's account device (no personal id in it)."""
    return f"account-{entry.entry_id}"


def account_device_info(
    entry: ConfigEntry, *, name: str, manufacturer: str, model: str
) -> DeviceInfo:
    """Return the device of the account itself (a service, beside the cars)."""
    return DeviceInfo(
        identifiers={(DOMAIN, account_device_id(entry))},
        name=name,
        manufacturer=manufacturer,
        model=model,
        entry_type=DeviceEntryType.SERVICE,
    )


@dataclass(frozen=True, kw_only=True)
class AccountSensorDescription(SensorEntityDescription):
    """A sensor of the account: its value in the account status."""

    value_fn: Callable[[AccountStatus], StateType]
    recount_every: timedelta | None = None
    """Also update this often (for values that change with time alone)."""


@dataclass(frozen=True, kw_only=True)
class AccountBinarySensorDescription(BinarySensorEntityDescription):
    """A binary sensor of the account: its value in the account status."""

    value_fn: Callable[[AccountStatus], bool | None]


def live_stream_description(key: str) -> AccountBinarySensorDescription:
    """Describe the account's "live stream" sensor (key: also its translation key)."""
    return AccountBinarySensorDescription(
        key=key,
        translation_key=key,
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        value_fn=lambda status: status.stream_connected,
    )


class AccountEntity(Entity):
    """An entity of the account, updated whenever the backend says it changed."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(
        self,
        entry: ConnectedCarConfigEntry,
        device_info: DeviceInfo,
        description: EntityDescription,
    ) -> None:
        """Show one value of the entry's account on the account's device."""
        self._backend = entry.runtime_data.backend
        self.entity_description = description
        self._attr_unique_id = unique_id(str(entry.unique_id), description.key)
        self._attr_device_info = device_info

    @property
    def status(self) -> AccountStatus:
        """Return the account's status now."""
        return self._backend.account_status()

    async def async_added_to_hass(self) -> None:
        """Follow the backend's changes."""
        self.async_on_remove(
            self._backend.add_account_listener(self.async_write_ha_state)
        )


class AccountSensor(AccountEntity, SensorEntity):
    """A sensor of the account."""

    entity_description: AccountSensorDescription

    @property
    def native_value(self) -> StateType:
        """Return the value from the account status."""
        return self.entity_description.value_fn(self.status)

    async def async_added_to_hass(self) -> None:
        """Also recount regularly where the value changes with time."""
        await super().async_added_to_hass()
        if (interval := self.entity_description.recount_every) is not None:
            self.async_on_remove(
                async_track_time_interval(self.hass, self._recount, interval)
            )

    @callback
    def _recount(self, _now: datetime) -> None:
        # A callback: a plain lambda would run in an executor thread.
        self.async_write_ha_state()


class AccountBinarySensor(AccountEntity, BinarySensorEntity):
    """A binary sensor of the account."""

    entity_description: AccountBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """Return the value from the account status."""
        return self.entity_description.value_fn(self.status)
