"""The one way DocFlow shows a moment to people: UTC to the second, with the zone named."""

from __future__ import annotations

from datetime import UTC, datetime


def when_text(at: datetime | None) -> str:
    """``2026-12-01 02:00:00 UTC``, or "-" for none; a naive time is taken as UTC."""
    if at is None:
        return "-"
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    return f"{at:%Y-%m-%d %H:%M:%S} UTC"
