"""Reading what an API or a stream sends, without trusting it.

Bodies are read up to a size limit and decoded as UTF-8 JSON no deeper than
`MAX_DEPTH`; anything else is returned as a `BodyProblem` (for the caller to
count and log once), never raised.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
import json
import math

import aiohttp

MAX_DEPTH = 32
"""Nesting levels a JSON document may have (CarData's have four)."""
MAX_BODY_BYTES = 4 * 1024 * 1024
"""Largest HTTP body read (a full CarData snapshot is ~50 kB)."""
READ_CHUNK = 64 * 1024

type ProblemHandler = Callable[[str, str], None]
"""Called with a problem kind and a detail (never a value or an id) to count
and log it (a backend's counter)."""


class BodyProblem(StrEnum):
    """Why a body could not be read as JSON."""

    NOT_UTF8 = "not_utf8"
    NOT_JSON = "not_json"
    TOO_DEEP = "too_deep"
    TOO_LARGE = "too_large"


def decode_json(raw: bytes) -> tuple[object, BodyProblem | None]:
    """Return the JSON document in raw, or None and why it is not one.

    An empty body is no document and no problem (None, None).
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, BodyProblem.NOT_UTF8
    if not text.strip():
        return None, None
    try:
        document: object = json.loads(text)
    except RecursionError:
        return None, BodyProblem.TOO_DEEP
    except ValueError:  # also digits beyond Python's int limit
        return None, BodyProblem.NOT_JSON
    if deeper_than(document, MAX_DEPTH):
        return None, BodyProblem.TOO_DEEP
    return document, None


def deeper_than(document: object, limit: int) -> bool:
    """Return whether lists and objects in document nest more than limit deep."""
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: list[object] = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


async def read_body(
    response: aiohttp.ClientResponse, limit: int = MAX_BODY_BYTES
) -> bytes | None:
    """Return the response body, or None when it is larger than limit bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(READ_CHUNK):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after_seconds(header: str | None, now: datetime) -> float | None:
    """Return the wait a Retry-After header asks for (seconds or an HTTP date)."""
    if not header:
        return None
    text = header.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            until = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if until.utcoffset() is None:
            return None
        try:
            seconds = (until - now).total_seconds()
        except OverflowError:
            return None
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)
