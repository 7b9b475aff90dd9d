"""Exceptions injected into background work by the supervision tests."""

from __future__ import annotations

from custom_components.connected_car.vehicle import (
    VehicleConnectionError,
    VehicleRateLimitError,
)

UNEXPECTED_ERRORS: tuple[Exception, ...] = (
    RuntimeError("a bug"),
    OverflowError("int too large to convert to float"),
    RecursionError("maximum recursion depth exceeded"),
    UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
    KeyError("missing"),
    VehicleConnectionError("cloud down"),
    VehicleRateLimitError("slow down", retry_after=120),
)
"""One of each kind a background task met in issue 12's fault suite (the rate
limit asks for two minutes)."""
