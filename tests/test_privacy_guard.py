"""The privacy guard itself must catch what it is for (and not cry wolf)."""

from __future__ import annotations

import logging
import sys

import pytest

from tests.privacy import PrivateLogGuard, private_data_in, register_secret


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("CarData did not answer GET /customers/vehicles/WBA12345678901234/x", ["VIN"]),
        (
            "Ignoring malformed value Position(latitude=52.3812, longitude=4.8756)",
            ["GPS position"],
        ),
        ("latitude 48.177123 arrived alone", ["GPS position"]),
        (
            "password eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIx.sig",
            ["token (JWT)"],
        ),
        ("client registered-secret-123 refused", ["token/account id/client ID"]),
        ("key -----BEGIN EC PRIVATE KEY-----\nMHcC...", ["private key"]),
        ("Live updates of Simulated car stopped (cloud down)", []),
        ("Finished fetching data in 0.006 seconds", []),
        ("entity sensor.simulated_car_remaining_range", []),
    ],
)
def test_private_data_is_recognised(text, kinds) -> None:
    register_secret("registered-secret-123")
    assert private_data_in(text) == kinds


def test_guard_reports_records_and_their_exceptions() -> None:
    guard = PrivateLogGuard()
    logger = logging.getLogger("custom_components.connected_car.test_guard")
    message = "VIN WBA12345678901234 refused"
    try:
        raise ValueError(message)  # noqa: TRY301 - a logged exception
    except ValueError:
        record = logger.makeRecord(
            logger.name, logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    guard.emit(record)
    # Home Assistant's own debug lines (durations) are no positions ...
    ha = logging.getLogger("homeassistant.helpers.event")
    guard.emit(
        ha.makeRecord(
            ha.name, logging.DEBUG, __file__, 1, "Called 4.872767 s early", (), None
        )
    )
    assert len(guard.leaks) == 1
    assert guard.leaks[0].kinds == ["VIN"]
    assert "WBA12345678901234" not in guard.failure_message()
