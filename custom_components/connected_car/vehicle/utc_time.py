"""Calendar arithmetic in UTC shared by the quotas and budgets of the backends.

Car APIs reset their quotas and bills on UTC boundaries (BMW's daily calls at
midnight, Tesla's monthly bill at the start of the month); stored times must be
timezone-aware to be compared with them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def next_utc_midnight(now: datetime) -> datetime:
    """Return the next 00:00 UTC after now."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=1)


def utc_month_start(now: datetime) -> datetime:
    """Return 00:00 UTC on the first day of now's month (in UTC)."""
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_utc_month_start(now: datetime) -> datetime:
    """Return 00:00 UTC on the first day of the month after now's."""
    start = utc_month_start(now)
    if start.month == 12:  # noqa: PLR2004 - December
        return start.replace(year=start.year + 1, month=1)
    return start.replace(month=start.month + 1)


def parse_aware_time(value: object) -> datetime | None:
    """Return value parsed as a timezone-aware ISO time, or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
