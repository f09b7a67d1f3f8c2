"""Option types for numbers typed on the command line.

click's INT and FLOAT convert with int() and float(), which also take ' 5', '1_000',
other scripts' digits ('٥') and, for floats, 'nan', 'inf' and '1e3'. These types take
ASCII digits only (and a leading minus when the range allows negatives) and show their
range in --help as click's ranges do. Give every number a range that its column or its
use can hold: an unbounded number meets SQLite's OverflowError or PostgreSQL's "out of
range" deep inside a command.
"""

from __future__ import annotations

from typing import cast

import click

from docflow.models import ID_MAX
from docflow.parse import is_decimal, is_whole_number


class WholeNumber(click.IntRange):
    """A whole number from ``low`` to ``high``, written in ASCII digits."""

    def __init__(self, low: int, high: int) -> None:
        super().__init__(low, high)
        self.low, self.high = low, high

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, str) and not is_whole_number(value, negative=self.low < 0):
            self.fail(
                f"{value!r} is not a whole number from {self.low} to {self.high} (digits 0-9 only)",
                param,
                ctx,
            )
        # click's stubs type the value as already converted; it is the typed text here.
        return int(super().convert(cast(int, value), param, ctx))


class Decimal(click.FloatRange):
    """A number from ``low`` to ``high``, written in ASCII digits with at most one point."""

    def __init__(self, low: float, high: float) -> None:
        super().__init__(low, high)
        self.low, self.high = low, high

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, str) and not is_decimal(value, negative=self.low < 0):
            self.fail(
                f"{value!r} is not a number from {self.low} to {self.high} "
                "(digits 0-9 and one '.' only)",
                param,
                ctx,
            )
        return float(super().convert(cast(float, value), param, ctx))


ROW_ID = WholeNumber(1, ID_MAX)
"""A row's id (document, endpoint, ...)."""
