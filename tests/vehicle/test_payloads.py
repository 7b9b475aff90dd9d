"""Reading untrusted bodies and keeping private data out of text."""

from __future__ import annotations

from datetime import UTC, datetime
import logging

import pytest

from custom_components.connected_car.vehicle.payloads import (
    BodyProblem,
    decode_json,
    retry_after_seconds,
)
from custom_components.connected_car.vehicle.privacy import (
    REDACTED,
    RedactingFilter,
    describe_error,
    redact,
)

NOW = datetime(2026, 1, 15, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "document", "problem"),
    [
        (b'{"a": [1, 2]}', {"a": [1, 2]}, None),
        (b"\xef\xbb\xbf[]", [], None),  # a byte order mark is fine
        (b"  ", None, None),  # empty: no document, no problem
        (b'{"a": "\xff"}', None, BodyProblem.NOT_UTF8),
        (b"{'a': 1}", None, BodyProblem.NOT_JSON),
        (b"1" * 5000, None, BodyProblem.NOT_JSON),  # beyond Python's int digits
        (b"[" * 40 + b"]" * 40, None, BodyProblem.TOO_DEEP),
        (b"[" * 100_000 + b"]" * 100_000, None, BodyProblem.TOO_DEEP),
    ],
)
def test_decode_json(raw, document, problem) -> None:
    assert decode_json(raw) == (document, problem)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("120", 120.0),
        (" 7.5 ", 7.5),
        ("-3", 0.0),
        ("nan", None),
        ("inf", None),
        ("Thu, 15 Jan 2026 06:32:00 GMT", 120.0),
        ("Thu, 15 Jan 2026 06:00:00 GMT", 0.0),
        ("Thu, 15 Jan 2026 06:32:00 -0000", None),  # RFC 2822: unknown zone, naive
        ("soon", None),
    ],
)
def test_retry_after(header, seconds) -> None:
    assert retry_after_seconds(header, NOW) == seconds


def test_redact_masks_vins_tokens_ids_and_shortens() -> None:
    text = (
        "GET /customers/vehicles/WBA12345678901234/basicData for "
        "0f0e0d0c-0b0a-4000-8000-000000000001 with eyJhbGciOiJSUzI1NiJ9.eyJzdWIi.sig "
        "secret-value id"
    )
    cleaned = redact(text, ["secret-value", "id"])
    assert "WBA12345678901234" not in cleaned
    assert "0f0e0d0c" not in cleaned
    assert "eyJ" not in cleaned
    assert "secret-value" not in cleaned
    assert cleaned.endswith(" id")  # too short to be a secret: a word
    assert cleaned.count(REDACTED) == 4
    assert len(redact("x" * 1000)) == 301
    assert describe_error(ValueError()) == "ValueError"


def test_redacting_filter_survives_a_broken_record() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d items", ("a",), None)
    assert RedactingFilter(list).filter(record)
    assert record.getMessage() == "%d items"
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "topic %s", ("gcid-0123456789/+",), None
    )
    RedactingFilter(lambda: ["gcid-0123456789"]).filter(record)
    assert record.getMessage() == f"topic {REDACTED}/+"
