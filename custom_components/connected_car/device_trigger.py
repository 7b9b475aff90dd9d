"""The device trigger platform: Home Assistant's automation editor looks for it here.

The triggers (the car's events) live in car_home/device_triggers.py.
"""

from .car_home.device_triggers import (
    TRIGGER_SCHEMA,
    async_attach_trigger,
    async_get_trigger_capabilities,
    async_get_triggers,
)

__all__ = [
    "TRIGGER_SCHEMA",
    "async_attach_trigger",
    "async_get_trigger_capabilities",
    "async_get_triggers",
]
