"""Turning database and Redis values into table cells: times, durations, safe error text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from console.snapshot import Cell, Row, Table
from docflow.redaction import scrub

__all__ = ["scrub"]


def seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds(), 3)


def yes_no(value: object) -> str:
    return "yes" if value else "no"


def matches(needle: str, cells: Iterable[Cell]) -> bool:
    """Case-insensitive substring filter over a row's text, for small in-memory tables."""
    if not needle:
        return True
    needle = needle.lower()
    return any(needle in str(c).lower() for c in cells if c is not None)


@dataclass(frozen=True)
class View:
    """What one snapshot asks for: the filter and the display limit."""

    filter: str
    limit: int


def table(
    name: str, title: str, columns: Sequence[str], rows: Sequence[Row], total: int | None = None
) -> Table:
    return Table(name, title, tuple(columns), tuple(rows), len(rows) if total is None else total)


def filtered(
    view: View, name: str, title: str, columns: Sequence[str], rows: Sequence[Row]
) -> Table:
    """A small table filtered and limited in memory, ``total`` being the matches."""
    kept = [r for r in rows if matches(view.filter, (r.key, *r.cells))]
    return table(name, title, columns, kept[: view.limit], len(kept))
