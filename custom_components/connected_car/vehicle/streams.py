"""Per-vehicle fan-out of a backend's pushed events to its open streams."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from .exceptions import VehicleError
from .models import StreamEvent, StreamStatus

type _Item = StreamEvent | VehicleError


class StreamFanout:
    """Hands a backend's events to every open `stream(vin)` of a vehicle.

    Each subscriber has its own queue, so no consumer takes another's events;
    an error published to a subscriber ends its stream by raising there.
    """

    def __init__(self) -> None:
        """Start without subscribers."""
        self._queues: dict[str, list[asyncio.Queue[_Item]]] = {}

    async def subscribe(
        self, vin: str, *, connected: bool
    ) -> AsyncGenerator[StreamEvent]:
        """Yield vin's events (CONNECTED first when connected) until an error."""
        queue: asyncio.Queue[_Item] = asyncio.Queue()
        queues = self._queues.setdefault(vin, [])
        queues.append(queue)
        if connected:
            queue.put_nowait(StreamStatus.CONNECTED)
        try:
            while True:
                event = await queue.get()
                if isinstance(event, VehicleError):
                    raise event
                yield event
        finally:
            queues.remove(queue)

    def publish(self, vin: str, event: _Item) -> None:
        """Give event to every open stream of vin."""
        for queue in self._queues.get(vin, ()):
            queue.put_nowait(event)

    def publish_all(self, event: _Item) -> None:
        """Give event to every open stream of every vehicle."""
        for vin in self._queues:
            self.publish(vin, event)
