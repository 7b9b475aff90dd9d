"""The intent platform: Home Assistant's intent integration looks for it here.

The handlers live with the rest of the voice code in car_home/voice/intents.py.
"""

from .car_home.voice.intents import async_setup_intents

__all__ = ["async_setup_intents"]
