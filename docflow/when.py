"""Moments and durations typed by people: ``2026-12-01``, ``...T02:00Z``, ``90s``, ``5m``.

Everything comes back timezone-aware UTC or in seconds; anything else is an
:class:`~docflow.errors.InvalidArgument` that shows the accepted forms.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from docflow.errors import InvalidArgument
from docflow.timefmt import when_text

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``text``: a number with a unit (s, m, h, d); ValueError if it is not one."""
    text = text.strip()
    number, unit = text[:-1], text[-1:]
    if unit not in _UNITS or not number.replace(".", "", 1).isdigit():
        raise ValueError(f"expected a duration like 30s, 5m, 2h or 1d, got {text!r}")
    return float(number) * _UNITS[unit]


def parse_moment(value: str) -> datetime:
    """A date (midnight UTC) or an ISO date-time with a zone, as aware UTC."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidArgument(
            f"invalid date {value!r}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM+00:00"
        ) from None
    if moment.tzinfo is None:
        if len(value) > 10:
            raise InvalidArgument(f"{value!r} has a time but no zone: add +00:00 (or Z)")
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def run_at(at: str | None, delay: str | None, now: datetime) -> datetime | None:
    """When a one-off job should run, from ``--at`` or ``--in``; None means now."""
    if at is not None and delay is not None:
        raise InvalidArgument("give --at or --in, not both")
    if at is not None:
        moment = parse_moment(at)
        if moment <= now:
            raise InvalidArgument(
                f"--at {at} is in the past (now is {when_text(now)}); leave it out to run now"
            )
        return moment
    if delay is not None:
        try:
            seconds = _seconds(delay)
        except ValueError as exc:
            raise InvalidArgument(f"invalid --in {delay!r}: {exc}") from None
        if not 0 < seconds < 366 * 86400:
            raise InvalidArgument(
                f"--in must be a positive delay up to 365d, got {delay!r}; leave it out to run now"
            )
        return now + timedelta(seconds=seconds)
    return None


def _seconds(text: str) -> float:
    """A bare number is seconds; otherwise a duration with its unit."""
    try:
        seconds = float(text)
    except ValueError:
        return parse_duration(text)
    if not math.isfinite(seconds):
        raise ValueError(f"expected a number of seconds, got {text!r}")
    return seconds
