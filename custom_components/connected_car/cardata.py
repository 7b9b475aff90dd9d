"""Home Assistant's side of a BMW CarData account.

Stores the account's data (REST quota, vehicle list, basic data, container)
with a ``Store`` per account, saves refreshed tokens into the config entry
(no reload), raises a repair issue while BMW refuses calls for quota (CU-429),
reloads the entry when cars join or leave the account, and offers two account
entities: the REST calls left and the state of the live stream.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import hashlib
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
)
from homeassistant.components.sensor import SensorEntity, SensorStateClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import CONF_TOKEN, DOMAIN
from .coordinator import ConnectedCarConfigEntry
from .vehicle.bmw import BmwCarDataBackend, Tokens

STORAGE_VERSION = 1
SAVE_DELAY = 1.0
"""Seconds; short, because the quota record must survive a crash."""
QUOTA_ISSUE = "cardata_quota_exhausted"
REFRESH_INTERVAL = timedelta(minutes=1)
"""How often the calls-left sensor recounts (old calls age out of the window)."""


class CarDataStore:
    """The persisted data of one CarData account (keyed by account, not entry).

    The quota belongs to the BMW account, so the config flow's check and the
    entry share it.
    """

    def __init__(self, hass: HomeAssistant, gcid: str) -> None:
        """Use a private storage file named after a hash of the account id."""
        digest = hashlib.sha256(gcid.encode()).hexdigest()[:16]
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.bmw_cardata.{digest}", private=True
        )
        self._latest: dict[str, Any] | None = None

    async def load(self) -> dict[str, Any] | None:
        """Return the stored account data."""
        return await self._store.async_load()

    def save(self, data: dict[str, Any]) -> None:
        """Write the account data soon."""
        self._latest = data
        self._store.async_delay_save(lambda: data, SAVE_DELAY)

    async def flush(self) -> None:
        """Write pending data now (a reload must not read an older file)."""
        if self._latest is not None:
            await self._store.async_save(self._latest)

    async def async_remove(self) -> None:
        """Delete the stored data."""
        await self._store.async_remove()


def account_device_info(entry: ConnectedCarConfigEntry) -> DeviceInfo:
    """Return the device that stands for the CarData account itself."""
    return DeviceInfo(
        identifiers={(DOMAIN, account_device_id(entry))},
        name="BMW CarData",
        manufacturer="BMW Group",
        model="CarData account",
        entry_type=DeviceEntryType.SERVICE,
    )


def account_device_id(entry: ConnectedCarConfigEntry) -> str:
    """Return the account device's identifier (no personal id in it)."""
    return f"account-{entry.entry_id}"


def quota_issue_id(entry: ConnectedCarConfigEntry) -> str:
    """Return the id of the entry's quota repair issue."""
    return f"{QUOTA_ISSUE}_{entry.entry_id}"


@callback
def async_setup_cardata(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry, backend: BmwCarDataBackend
) -> None:
    """Follow the account: save tokens, manage the repair issue, spot new cars."""

    @callback
    def save_tokens(tokens: Tokens) -> None:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_TOKEN: tokens.as_dict()}
        )

    reloading = False

    @callback
    def account_changed() -> None:
        nonlocal reloading
        _async_update_quota_issue(hass, entry, backend)
        if backend.signed_out is not None:
            entry.async_start_reauth(hass)
        elif (
            not reloading
            and backend.vins
            and set(backend.vins) != set(entry.runtime_data.coordinators)
        ):
            reloading = True  # once; the reload builds a new backend
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(backend.tokens.add_listener(save_tokens))
    entry.async_on_unload(backend.add_listener(account_changed))
    _async_update_quota_issue(hass, entry, backend)


@callback
def _async_update_quota_issue(
    hass: HomeAssistant, entry: ConnectedCarConfigEntry, backend: BmwCarDataBackend
) -> None:
    """Show the repair issue while BMW refuses calls for quota, else remove it."""
    budget = backend.budget
    if not budget.exhausted_at_bmw:
        ir.async_delete_issue(hass, DOMAIN, quota_issue_id(entry))
        return
    until = budget.blocked_until or budget.next_call_at(backend.clock.now())
    ir.async_create_issue(
        hass,
        DOMAIN,
        quota_issue_id(entry),
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=QUOTA_ISSUE,
        translation_placeholders={
            "account": entry.title,
            "until": dt_util.as_local(until).strftime("%Y-%m-%d %H:%M"),
        },
    )


async def async_remove_cardata(hass: HomeAssistant, gcid: str) -> None:
    """Delete an account's stored data (its entry was removed)."""
    await CarDataStore(hass, gcid).async_remove()


class _AccountEntity(Entity):
    """An entity of the CarData account, updated when the backend says so."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(
        self, entry: ConnectedCarConfigEntry, backend: BmwCarDataBackend, key: str
    ) -> None:
        self._backend = backend
        self._attr_translation_key = key
        self._attr_unique_id = f"{entry.unique_id}-{key}"
        self._attr_device_info = account_device_info(entry)

    async def async_added_to_hass(self) -> None:
        """Follow the backend's changes."""
        self.async_on_remove(self._backend.add_listener(self.async_write_ha_state))


class CarDataCallsLeftSensor(_AccountEntity, SensorEntity):
    """How many of today's 50 REST calls are left (diagnostic)."""

    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(
        self, entry: ConnectedCarConfigEntry, backend: BmwCarDataBackend
    ) -> None:
        """Create the sensor of an account."""
        super().__init__(entry, backend, "api_calls_left")

    @property
    def native_value(self) -> int:
        """Return the calls left in the rolling 24 hours."""
        return self._backend.budget.remaining(self._backend.clock.now())

    async def async_added_to_hass(self) -> None:
        """Also recount every minute: calls age out of the window."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_track_time_interval(self.hass, self._recount, REFRESH_INTERVAL)
        )

    @callback
    def _recount(self, _now: datetime) -> None:
        # A callback: a plain lambda would run in an executor thread.
        self.async_write_ha_state()


class CarDataStreamSensor(_AccountEntity, BinarySensorEntity):
    """Whether the live stream (MQTT) of the account is connected."""

    _attr_device_class = BinarySensorDeviceClass.CONNECTIVITY

    def __init__(
        self, entry: ConnectedCarConfigEntry, backend: BmwCarDataBackend
    ) -> None:
        """Create the stream sensor of an account."""
        super().__init__(entry, backend, "cardata_stream")

    @property
    def is_on(self) -> bool:
        """Return whether the stream is up (short drops are bridged)."""
        return self._backend.stream_client.connected


def cardata_sensors(entry: ConnectedCarConfigEntry) -> list[SensorEntity]:
    """Return the account sensors of an entry (none for other backends)."""
    backend = entry.runtime_data.backend
    if not isinstance(backend, BmwCarDataBackend):
        return []
    return [CarDataCallsLeftSensor(entry, backend)]


def cardata_binary_sensors(entry: ConnectedCarConfigEntry) -> list[BinarySensorEntity]:
    """Return the account binary sensors of an entry (none for other backends)."""
    backend = entry.runtime_data.backend
    if not isinstance(backend, BmwCarDataBackend):
        return []
    return [CarDataStreamSensor(entry, backend)]
