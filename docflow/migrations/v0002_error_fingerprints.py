"""Schema version 2: stored error fingerprints of dead items, and the indexes that use them.

Adds ``error_fingerprint`` to documents, webhook events and usage reports, the DLQ grouping
indexes and the recent-events index, then fingerprints the items dead-lettered before.

The usage-report column came into the model with version 2, but the first version-2
migration left it out; it hid because version 1 then created the tables from the current
models. A database that went from a pre-version-2 version 1 to version 2 before version 1
was frozen still lacks that column.
"""

from __future__ import annotations

import peewee

from docflow.db import update_many
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


def apply(db: peewee.Database) -> None:
    for table, column, ddl in COLUMNS:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {ddl}')
    # Looked for first only because tests/test_fingerprint.py takes a database back to
    # version 1 by dropping the two columns above (and their indexes), not this one.
    if "error_fingerprint" not in {c.name for c in db.get_columns("usage_report")}:
        db.execute_sql('ALTER TABLE "usage_report" ADD COLUMN "error_fingerprint" VARCHAR(255)')
    for table, columns in INDEXES:
        # IF NOT EXISTS for the same reason: that database keeps webhook_event_created_at.
        name = "_".join((table, *columns))
        cols = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({cols})')
    with db.bind_ctx((Document, WebhookEvent)):
        _backfill(Document, (Document.last_error, Document.dead_letter_reason))
        _backfill(WebhookEvent, (WebhookEvent.last_error,))


def _backfill(model: type[FrozenModel], text: tuple[peewee.Field, ...], batch: int = 5_000) -> None:
    """Fingerprint the items dead-lettered before fingerprints were stored."""
    pk = model._meta.primary_key
    while True:
        rows = list(
            model.select(pk, *text)
            .where((model.status == DEAD_LETTERED) & model.error_fingerprint.is_null())
            .limit(batch)
            .tuples()
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
