"""The privacy guard: no log line may hold a VIN, position, token or id.

No log line of any test may hold a VIN, a position, a token, an account id or
a client ID.

`PrivateLogGuard` (used by an autouse fixture in tests/conftest.py) captures
every log record of a test, with the integration's loggers at debug level,
and reports those that contain:

- a VIN-shaped string (17 characters of the VIN alphabet, at least one letter);
- a JWT-shaped string (ID, access and device-code tokens);
- a private key in PEM (Tesla's command key; its lines are also registered);
- a value a fake registered with `register_secret` (the fake CarData's tokens,
  account ids and client IDs as it issues them);
- a coordinate of a test car: numbers near one of the test homes (a latitude
  and its longitude in one line, or one of them with four or more decimals),
  in the integration's lines and in anyone's warnings and errors (Home
  Assistant's own debug lines are full of durations like 4.872767 s).

Exception texts and tracebacks attached to a record are checked too.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
from dataclasses import dataclass
import logging
import re
from typing import ClassVar

from custom_components.connected_car.vehicle.simulator import SimulationSettings

VIN_SHAPED = re.compile(
    r"(?<![A-Za-z0-9])(?=[A-HJ-NPR-Z0-9]{0,16}[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])"
)
JWT_SHAPED = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
PRIVATE_KEY_PEM = "PRIVATE KEY-----"
NUMBER = re.compile(r"(?<![\d.])-?\d{1,3}\.(\d+)")
NEAR = 0.2
"""Degrees around a home within which the test cars drive."""
PRECISE_DECIMALS = 4

TEST_HOMES: list[tuple[float, float]] = [
    SimulationSettings().home,  # the simulator's default home
    (48.1771, 11.5562),  # tests/cardata/fixtures.py HOME (BMW Welt)
    (32.87336, -117.22743),  # the hass fixture's home (phcc)
]
"""Where the test cars live; their positions are near one of these."""

WATCHED_DEBUG_LOGGERS = ("custom_components.connected_car",)
"""Loggers raised to debug level for the test: their lines are checked too.
(The fakes' own MQTT clients log topics with VINs to "mqtt" at debug level;
our client logs through a logger of the integration.)"""

IGNORED_LOGGERS = frozenset(
    {"pytest_homeassistant_custom_component.common", "aiohttp.access"}
)
"""Test-harness loggers: phcc's mock storage logs what HA would write to disk
(the integration's private storage of positions); the test client's server
logs each request line (Home Assistant's bootstrap sets ``aiohttp.access`` to
warnings only, so a running HA never logs an OAuth callback's code and state).
No product log line."""

_secrets: set[str] = set()


def register_secret(*values: str | None) -> None:
    """Make the guard look for values in every log line (tokens, ids)."""
    _secrets.update(value for value in values if value and len(value) >= 6)


def private_data_in(text: str, *, positions: bool = True) -> list[str]:
    """Return what kinds of private data text contains (empty: none)."""
    found: list[str] = []
    if VIN_SHAPED.search(text):
        found.append("VIN")
    if JWT_SHAPED.search(text):
        found.append("token (JWT)")
    if PRIVATE_KEY_PEM in text:
        found.append("private key")
    if any(secret in text for secret in _secrets):
        found.append("token/account id/client ID")
    if positions and _has_coordinates(text):
        found.append("GPS position")
    return found


def _has_coordinates(text: str) -> bool:
    numbers = [
        (float(match.group(0)), len(match.group(1))) for match in NUMBER.finditer(text)
    ]
    for latitude, longitude in TEST_HOMES:
        near_lat = [d for n, d in numbers if abs(n - latitude) <= NEAR]
        near_lon = [d for n, d in numbers if abs(n - longitude) <= NEAR]
        if near_lat and near_lon:
            return True
        if any(d >= PRECISE_DECIMALS for d in near_lat + near_lon):
            return True
    return False


@dataclass
class Leak:
    """One log record that holds private data."""

    logger: str
    level: str
    kinds: list[str]
    excerpt: str


class PrivateLogGuard(logging.Handler):
    """Collects log records that hold private data while a test runs."""

    formatter_for_exceptions: ClassVar[logging.Formatter] = logging.Formatter()

    def __init__(self) -> None:
        """Start with nothing found."""
        super().__init__(level=logging.NOTSET)
        self.leaks: list[Leak] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Check the record's message and any exception it carries."""
        if record.name in IGNORED_LOGGERS:
            return
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is not a leak
            text = str(record.msg)
        if record.exc_info:
            text += "\n" + self.formatter_for_exceptions.formatException(
                record.exc_info
            )
        positions = (
            record.name.startswith("custom_components")
            or record.levelno >= logging.WARNING
        )
        if kinds := private_data_in(text, positions=positions):
            excerpt = VIN_SHAPED.sub("<VIN>", JWT_SHAPED.sub("<JWT>", text))
            for secret in _secrets:
                excerpt = excerpt.replace(secret, "<SECRET>")
            self.leaks.append(Leak(record.name, record.levelname, kinds, excerpt[:300]))

    def failure_message(self) -> str | None:
        """Return why the test must fail, or None when nothing leaked."""
        if not self.leaks:
            return None
        lines = "\n".join(
            f"  - [{leak.logger} {leak.level}] {', '.join(leak.kinds)}: {leak.excerpt}"
            for leak in self.leaks
        )
        return (
            f"{len(self.leaks)} log record(s) of this test hold private data "
            f"(tests/privacy.py):\n{lines}"
        )

    @classmethod
    @contextlib.contextmanager
    def attached(cls) -> Iterator[PrivateLogGuard]:
        """Capture every record (our loggers at debug level) until the end."""
        guard = cls()
        _secrets.clear()  # the fakes register what they issue in this test
        root = logging.getLogger()
        root.addHandler(guard)
        watched = [logging.getLogger(name) for name in WATCHED_DEBUG_LOGGERS]
        levels = [logger.level for logger in watched]
        for logger in watched:
            logger.setLevel(logging.DEBUG)
        try:
            yield guard
        finally:
            for logger, level in zip(watched, levels, strict=True):
                logger.setLevel(level)
            root.removeHandler(guard)
