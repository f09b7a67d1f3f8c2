"""Schema version 2: stored error fingerprints of dead items, and the indexes that use them.

Adds ``error_fingerprint`` to documents and webhook events, the DLQ grouping indexes and
the recent-events index, then fingerprints the items dead-lettered before.

Databases created while version 1 was still ``create_tables(<the models>)`` also carry
a ``usage_report.error_fingerprint`` column that nothing reads; it left the model
(usage reports are never dead-lettered), so those databases and new ones behave alike.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

import peewee

from docflow.db import Table, primary_key, tuple_rows, update_many
from docflow.fingerprint import fingerprint
from docflow.migrations._frozen import FrozenModel

VERSION = 2
NAME = "error fingerprints of dead items"

DEAD_LETTERED = "DeadLettered"

COLUMNS = (
    ("document", "error_fingerprint", "VARCHAR(255)"),
    ("webhook_event", "error_fingerprint", "VARCHAR(255)"),
)
INDEXES = (
    ("document", ("status", "error_fingerprint", "dead_lettered_at")),
    ("webhook_event", ("status", "error_fingerprint", "dead_lettered_at")),
    ("webhook_event", ("created_at",)),
)


class Document(FrozenModel):
    """Only the columns the backfill reads and writes."""

    status = peewee.CharField(max_length=16)
    last_error = peewee.TextField(null=True)
    dead_letter_reason = peewee.TextField(null=True)
    error_fingerprint = peewee.CharField(max_length=255, null=True)


class WebhookEvent(FrozenModel):
    id = peewee.CharField(primary_key=True, max_length=40)
    status = peewee.CharField(max_length=16)
    last_error = peewee.TextField(null=True)
    error_fingerprint = peewee.CharField(max_length=255, null=True)


class _DeadItems(Table, Protocol):
    """A frozen model with dead-lettered rows to fingerprint (Document, WebhookEvent)."""

    status: ClassVar[peewee.CharField[str]]
    error_fingerprint: ClassVar[peewee.CharField[str | None]]

    @classmethod
    def select(cls, *fields: object) -> peewee.ModelSelect[Any]: ...


def apply(db: peewee.Database) -> None:
    for table, column, ddl in COLUMNS:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {ddl}')
    for table, columns in INDEXES:
        name = "_".join((table, *columns))
        cols = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'CREATE INDEX "{name}" ON "{table}" ({cols})')
    with db.bind_ctx((Document, WebhookEvent)):
        _backfill(Document, (Document.last_error, Document.dead_letter_reason))
        _backfill(WebhookEvent, (WebhookEvent.last_error,))


def _backfill(
    model: type[_DeadItems], text: tuple[peewee.Field[Any], ...], batch: int = 5_000
) -> None:
    """Fingerprint the items dead-lettered before fingerprints were stored."""
    pk = primary_key(model)
    while True:
        rows = list(
            tuple_rows(
                model.select(pk, *text)
                .where((model.status == DEAD_LETTERED) & model.error_fingerprint.is_null())
                .limit(batch)
            )
        )
        if not rows:
            return
        update_many(
            model,
            [
                {
                    pk.name: row[0],
                    "error_fingerprint": fingerprint(next((t for t in row[1:] if t), None)),
                }
                for row in rows
            ],
            [model.error_fingerprint],
        )
