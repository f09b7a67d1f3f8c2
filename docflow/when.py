"""Moments and durations typed by people: ``2026-12-01``, ``...T02:00Z``, ``90s``, ``5m``.

Everything comes back timezone-aware UTC or in seconds; anything else is an
:class:`~docflow.errors.InvalidArgument` that shows the accepted forms. Numbers are ASCII
digits only: float() would also take ' 5', '1_000', other scripts' digits ('٥'), 'inf'
and '1e3', none of which a person means as a delay.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

from docflow.errors import InvalidArgument
from docflow.timefmt import when_text

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
MAX_AHEAD = timedelta(days=365)
"""How far ahead a one-off run may be put, by --at as by --in."""


def parse_duration(text: str) -> float:
    """Seconds in ``text``: a number with a unit (s, m, h, d); ValueError if it is not one."""
    number, unit = text[:-1], text[-1:]
    if unit not in _UNITS or number.startswith("-") or not _NUMBER.fullmatch(number):
        raise ValueError(f"expected a duration like 30s, 5m, 2h or 1d, got {text!r}")
    seconds = float(number) * _UNITS[unit]
    if not math.isfinite(seconds):
        raise ValueError(f"expected a duration like 30s, 5m, 2h or 1d, got {text!r}")
    return seconds


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
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 is in the year 10000 in UTC
        raise InvalidArgument(
            f"{value!r} is out of range: give a date from 0001-01-02 to 9999-12-30"
        ) from None


def parse_future(
    value: str, option: str, now: datetime, *, within: timedelta | None = None
) -> datetime:
    """``value`` (see :func:`parse_moment`) as a moment after ``now``, and at most ``within``
    after it when given; ``option`` names where it was typed, for the message."""
    moment = parse_moment(value)
    if moment <= now:
        raise InvalidArgument(
            f"{option} {value} is in the past (now is {when_text(now)}); give a later time"
        )
    if within is not None and moment - now > within:
        raise InvalidArgument(
            f"{option} {value} is more than {within.days} days ahead "
            f"(now is {when_text(now)}); give a time within {within.days} days"
        )
    return moment


def run_at(at: str | None, delay: str | None, now: datetime) -> datetime | None:
    """When a one-off job should run, from ``--at`` or ``--in``; None means now."""
    if at is not None and delay is not None:
        raise InvalidArgument("give --at or --in, not both")
    if at is not None:
        try:
            return parse_future(at, "--at", now, within=MAX_AHEAD)
        except InvalidArgument as exc:
            raise InvalidArgument(f"{exc}, or leave --at out to run now") from None
    if delay is not None:
        try:
            seconds = _seconds(delay)
        except ValueError as exc:
            raise InvalidArgument(f"invalid --in {delay!r}: {exc}") from None
        if not 0 < seconds <= MAX_AHEAD.total_seconds():
            raise InvalidArgument(
                f"--in must be a positive delay up to 365d, got {delay!r}; leave it out to run now"
            )
        return now + timedelta(seconds=seconds)
    return None


def _seconds(text: str) -> float:
    """A bare number is seconds; otherwise a duration with its unit."""
    if _NUMBER.fullmatch(text):
        return float(text)
    return parse_duration(text)
