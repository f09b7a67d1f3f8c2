"""Schema versions: each migration runs once, in order, and is recorded.

``migrate()`` is idempotent: it applies only the versions the database lacks, each in
its own transaction together with its ``schema_version`` row, so a crash mid-way
leaves the schema at the last complete version.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import peewee
from playhouse.migrate import SchemaMigrator

from docflow import models
from docflow.db import update_many, write_transaction
from docflow.errors import DatabaseError
from docflow.fingerprint import fingerprint

log = logging.getLogger(__name__)


def _v1_initial(db: peewee.Database) -> None:
    db.create_tables([m for m in models.ALL_MODELS if m is not models.SchemaVersion], safe=True)


def _v2_error_fingerprints(db: peewee.Database) -> None:
    """Stored error fingerprints of dead items, the DLQ grouping index, recent-events index."""
    migrator = SchemaMigrator.from_database(db)
    # v1 creates tables from the current models, so a database made by this code already
    # has the columns; only older ones need them added.
    for model in (models.Document, models.WebhookEvent):
        table = model._meta.table_name
        if "error_fingerprint" not in {c.name for c in db.get_columns(table)}:
            migrator.add_column(table, "error_fingerprint", model.error_fingerprint).run()
        model._schema.create_indexes(safe=True)
    _backfill(models.Document, models.DocumentStatus.DEAD_LETTERED)
    _backfill(models.WebhookEvent, models.EventStatus.DEAD_LETTERED)


def _backfill(model: type[peewee.Model], dead: str, batch: int = 5_000) -> None:
    """Fingerprint the items dead-lettered before fingerprints were stored."""
    text = [model.last_error]
    if model is models.Document:
        text.append(models.Document.dead_letter_reason)
    pk = model._meta.primary_key
    while True:
        rows = list(
            model.select(pk, *text)
            .where((model.status == dead) & model.error_fingerprint.is_null())
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


MIGRATIONS: list[tuple[int, str, Callable[[peewee.Database], None]]] = [
    (1, "initial schema", _v1_initial),
    (2, "error fingerprints of dead items", _v2_error_fingerprints),
]
LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(db: peewee.Database) -> int:
    if not db.table_exists(models.SchemaVersion._meta.table_name):
        return 0
    latest = models.SchemaVersion.select(peewee.fn.MAX(models.SchemaVersion.version)).scalar()
    return latest or 0


def migrate(db: peewee.Database) -> list[int]:
    """Bring the schema to the latest version; return the versions applied now."""
    db.create_tables([models.SchemaVersion], safe=True)
    applied = []
    for version, name, apply in MIGRATIONS:
        with write_transaction(db):
            if models.SchemaVersion.get_or_none(models.SchemaVersion.version == version):
                continue
            apply(db)
            models.SchemaVersion.create(version=version, name=name)
        log.info("applied schema version %d: %s", version, name)
        applied.append(version)
    return applied


def require_current(db: peewee.Database) -> None:
    """Refuse to work on a database whose schema is missing or older than this code."""
    version = current_version(db)
    if version < LATEST_VERSION:
        state = "has no DocFlow schema" if version == 0 else f"is at schema version {version}"
        raise DatabaseError(
            f"the database {state}; run `docflow migrate` (needs version {LATEST_VERSION})"
        )
