"""Keeping VINs, tokens and account ids out of log lines and error messages.

Our own messages never format such values in; these helpers clean text we do
not write ourselves (an API's error text, a library's log line, a traceback).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
import logging
import re

REDACTED = "**REDACTED**"
MAX_TEXT = 300
"""Characters of foreign text kept in a message (an error page can be huge)."""
MIN_PRIVATE_CHARS = 8
"""Shorter values are not masked (tokens and ids are long; "id" is a word)."""

VIN_PATTERN = re.compile(
    r"(?<![A-Za-z0-9])(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])"
)
"""17 characters of a VIN's alphabet (no I, O, Q), at least one of them a letter."""
JWT_PATTERN = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.?[A-Za-z0-9_-]*")
"""A JSON Web Token (ID, access and device-code tokens are JWTs)."""
UUID_PATTERN = re.compile(
    r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-"
    r"[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f])"
)
"""Account ids (BMW's GCID) and portal client IDs are UUIDs."""


def redact(text: str, private: Iterable[str] = (), limit: int | None = MAX_TEXT) -> str:
    """Return text with private values, VINs and JWTs masked, and shortened."""
    for value in private:
        if len(value) >= MIN_PRIVATE_CHARS:
            text = text.replace(value, REDACTED)
    for pattern in (JWT_PATTERN, UUID_PATTERN, VIN_PATTERN):
        text = pattern.sub(REDACTED, text)
    if limit is not None and len(text) > limit:
        return f"{text[:limit]}…"
    return text


def describe_error(err: BaseException) -> str:
    """Return an exception as short, redacted text for a log line or a message."""
    detail = redact(str(err))
    name = type(err).__name__
    return f"{name}: {detail}" if detail else name


class RedactingFilter(logging.Filter):
    """Masks private values in every record of the logger it is attached to.

    For a library's logger that formats values we cannot keep out (the MQTT
    client logs its client id and topics, which hold the account id and VINs).
    """

    def __init__(self, private: Callable[[], Iterable[str]]) -> None:
        """private() returns the values to mask at the time of each record."""
        super().__init__()
        self._private = private

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's message by its redacted form; keep the record."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is not ours to fix
            message = str(record.msg)
        record.msg = redact(message, self._private(), limit=None)
        record.args = None
        return True
