"""What a Tesla entry's data says: the backend, and the way to Tesla it takes."""

from __future__ import annotations

from typing import Final

BACKEND_ID: Final = "tesla"

CONF_TRANSPORT: Final = "transport"
"""Entry data: how the entry reaches Tesla (one of TRANSPORTS)."""
TRANSPORT_TESLEMETRY: Final = "teslemetry"
"""The paid Teslemetry service: one API token, commands signed by the service, a stream."""
TRANSPORT_FLEET: Final = "fleet_api"
"""Tesla's own Fleet API with the owner's developer app (backends/tesla_fleet.py)."""
TRANSPORTS: Final = (TRANSPORT_TESLEMETRY, TRANSPORT_FLEET)
