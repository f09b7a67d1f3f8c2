"""How DocFlow writes a moment: to people (UTC to the second, the zone named) and to machines
(ISO 8601 in UTC with ``Z``, the one form in every webhook payload and report)."""

from __future__ import annotations

from datetime import UTC, datetime


def when_text(at: datetime | None) -> str:
    """``2026-12-01 02:00:00 UTC``, or "-" for none; a naive time is taken as UTC."""
    if at is None:
        return "-"
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    return f"{at:%Y-%m-%d %H:%M:%S} UTC"


def iso_utc(at: datetime) -> str:
    """``2026-12-01T02:00:00.123456Z``: aware ``at`` in UTC, for payloads."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")
