"""Keep tokens, VINs and raw payloads of the Tesla libraries out of log files.

teslemetry-stream 0.9.0 logs an error's repr, which carries the request's
``Authorization`` header; tesla-fleet-api logs every request's URL (with the VIN)
and, at debug level, whole answers (with the GPS position). A filter on their
loggers rewrites the first two and drops the payload records.
"""

from __future__ import annotations

import logging
import re

from .const import LIBRARY_LOGGERS

_SECRETS = (
    (re.compile(r"Bearer\s+[^\s'\",}]+"), "Bearer **REDACTED**"),
    (re.compile(r"((?:access_)?token=)[^&\s'\"]+"), r"\1**REDACTED**"),
    (re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b"), "**VIN**"),
)
_DROPPED_MESSAGES = (
    "Response JSON",
    "Body:",
    "Parameters:",
    "Command failed with reason",
)
"""Library records dropped: debug dumps of request or answer bodies (positions,
VINs), and the signed path's error-level note of a car's refusal, which the
backend reports itself (a door left open is no error of the integration)."""


def redact(text: str) -> str:
    """Return text with bearer tokens, token parameters and VINs replaced."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites library log records so that no secret reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop payload dumps and refusal notes; redact everything else."""
        if isinstance(record.msg, str) and record.msg.startswith(_DROPPED_MESSAGES):
            return False
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


_FILTER = RedactingFilter()


def install_log_filter() -> None:
    """Attach the filter to the libraries' loggers (once)."""
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
