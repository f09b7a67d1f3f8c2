"""The one writer of a claimed batch's outcomes (DESIGN rules 2, 4 and 5).

A batch job sorts its claimed rows into outcomes (classified, failed, requeued, dead,
...). :func:`write_outcomes` writes them all in one transaction: each outcome's columns
in one statement and only to rows the batch still holds (:func:`docflow.claim.write_claimed`),
then, for exactly the rows written, their audit rows and webhook events, and the run's
counts. A row whose lease was lost to another worker gets neither an audit row nor an
event, so nothing is reported twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import peewee

from docflow.audit import record_many
from docflow.claim import Claimable, write_claimed
from docflow.db import write_transaction
from docflow.events import emit_many

Row = dict[str, Any]


class Counts(Protocol):
    """What the writer needs of a run (:class:`docflow.runs.RunRecorder`)."""

    def add(self, **counts: int) -> None: ...

    def emitted(self, events: int) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """Rows that end the same way. Each row has ``id``, ``tenant`` and a value per column
    (other keys are for ``details`` and ``data``)."""

    count: str
    rows: Sequence[Row]
    columns: Sequence[peewee.Field]
    audit: str | None = None
    details: Callable[[Row], dict[str, Any] | None] | None = None
    event: str | None = None
    data: Callable[[Row], dict[str, Any]] | None = None
    tally: Mapping[str, Callable[[Row], bool]] = field(default_factory=dict)
    """Further run counts: how many of the rows written match each predicate."""


def write_outcomes(
    model: type[Claimable],
    outcomes: Sequence[Outcome],
    *,
    token: str,
    run: Counts,
    actor: str,
    subject: str,
    at: datetime,
    claimed: int | None = None,
    also: Callable[[Mapping[str, set[Any]]], Mapping[str, int]] | None = None,
) -> dict[str, set[Any]]:
    """Write every outcome of one batch; return the ids written, by outcome ``count``.

    With ``claimed`` (the batch's size), rows written by none of the outcomes are counted
    as ``lease_lost``. ``also`` runs in the same transaction with the ids written, for
    writes of the batch's own (attempt rows, disabled endpoints), and returns counts to
    add to the run's.
    """
    written: dict[str, set[Any]] = {}
    counts: Counter[str] = Counter()
    with write_transaction():
        events = 0
        for outcome in outcomes:
            ids = write_claimed(model, outcome.rows, token=token, columns=outcome.columns)
            written[outcome.count] = written.get(outcome.count, set()) | ids
            done = [row for row in outcome.rows if row["id"] in ids]
            counts[outcome.count] += len(done)
            for name, matches in outcome.tally.items():
                counts[name] += sum(1 for row in done if matches(row))
            if outcome.audit:
                details = outcome.details or (lambda row: None)
                subjects = ((subject, r["id"], r["tenant"], details(r)) for r in done)
                record_many(actor, outcome.audit, subjects, at=at)
            if outcome.event and outcome.data:
                data = outcome.data
                events += len(emit_many(((r["tenant"], outcome.event, data(r)) for r in done), at))
        if claimed is not None:
            counts["lease_lost"] += claimed - sum(len(ids) for ids in written.values())
        counts.update(also(written) if also else {})
        run.add(**counts)
        run.emitted(events)
    return written
