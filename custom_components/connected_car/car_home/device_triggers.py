"""Device triggers: the car's events (events.py) in the automation editor.

Home Assistant finds them through the top-level ``device_trigger.py``.

Every trigger but "left open" is an event trigger on `connected_car_event` for
the device. "Left open" has its own delay: it waits that many minutes after the
car locked and fires if the car is still locked with something open.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.core import CALLBACK_TYPE, Event, HassJob, HomeAssistant, callback
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType
import voluptuous as vol

from ..const import DOMAIN
from .events import (
    ATTR_OPEN,
    ATTR_OPEN_ENTITIES,
    EVENT_CONNECTED_CAR,
    LEFT_OPEN_AFTER,
    CarEvent,
    LeftOpenWatch,
    coordinator_for_device,
    opening_entities,
    vehicle_events,
)

CONF_MINUTES = "minutes"
MAX_LEFT_OPEN_MINUTES = 120

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In([event.value for event in CarEvent]),
        vol.Optional(CONF_MINUTES): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=MAX_LEFT_OPEN_MINUTES)
        ),
    }
)


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, Any]]:
    """List the triggers of a car: the events it can produce."""
    if (coordinator := coordinator_for_device(hass, device_id)) is None:
        return []
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: event.value,
        }
        for event in vehicle_events(coordinator.vehicle)
    ]


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """Offer the delay of "left open"; the other triggers have no options."""
    if config[CONF_TYPE] != CarEvent.LEFT_OPEN:
        return {}
    default = int(LEFT_OPEN_AFTER.total_seconds() // 60)
    return {
        "extra_fields": vol.Schema(
            {
                vol.Optional(CONF_MINUTES, default=default): vol.All(
                    vol.Coerce(int), vol.Range(min=1, max=MAX_LEFT_OPEN_MINUTES)
                )
            }
        )
    }


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Attach a trigger of a car."""
    if config[CONF_TYPE] == CarEvent.LEFT_OPEN:
        return _async_attach_left_open(hass, config, action, trigger_info)
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            event_trigger.CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: EVENT_CONNECTED_CAR,
            event_trigger.CONF_EVENT_DATA: {
                CONF_DEVICE_ID: config[CONF_DEVICE_ID],
                CONF_TYPE: config[CONF_TYPE],
            },
        }
    )
    return await event_trigger.async_attach_trigger(
        hass, event_config, action, trigger_info, platform_type="device"
    )


def _async_attach_left_open(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Run the action when the car is still open some minutes after locking."""
    device_id: str = config[CONF_DEVICE_ID]
    minutes: int = config.get(CONF_MINUTES, int(LEFT_OPEN_AFTER.total_seconds() // 60))
    job = HassJob(action, f"{DOMAIN} left open trigger {device_id}")

    def current_state() -> Any:
        coordinator = coordinator_for_device(hass, device_id)
        return None if coordinator is None else coordinator.data

    @callback
    def left_open(still_open: list[str]) -> None:
        coordinator = coordinator_for_device(hass, device_id)
        vin = "" if coordinator is None else coordinator.vehicle.vin
        hass.async_run_hass_job(
            job,
            {
                "trigger": {
                    **trigger_info["trigger_data"],
                    CONF_PLATFORM: "device",
                    CONF_DOMAIN: DOMAIN,
                    CONF_DEVICE_ID: device_id,
                    CONF_TYPE: CarEvent.LEFT_OPEN.value,
                    CONF_MINUTES: minutes,
                    ATTR_OPEN: still_open,
                    ATTR_OPEN_ENTITIES: opening_entities(hass, vin, still_open),
                    "description": f"{DOMAIN} left open",
                }
            },
        )

    watch = LeftOpenWatch(hass, current_state, timedelta(minutes=minutes), left_open)

    @callback
    def lock_changed(event: Event[dict[str, Any]]) -> None:
        if event.data[CONF_TYPE] == CarEvent.LOCKED:
            watch.locked()
        else:
            watch.cancel()

    @callback
    def is_lock_event(event_data: dict[str, Any]) -> bool:
        return event_data.get(CONF_DEVICE_ID) == device_id and event_data.get(
            CONF_TYPE
        ) in (CarEvent.LOCKED, CarEvent.UNLOCKED)

    remove_listener = hass.bus.async_listen(
        EVENT_CONNECTED_CAR, lock_changed, event_filter=is_lock_event
    )

    @callback
    def remove() -> None:
        remove_listener()
        watch.cancel()

    return remove
