"""Schema versions: each migration runs once, in order, and is recorded.

``migrate()`` is idempotent: it applies only the versions the database lacks, each in
its own transaction together with its ``schema_version`` row, so a crash mid-way
leaves the schema at the last complete version.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import peewee

from docflow import models
from docflow.db import write_transaction
from docflow.errors import DatabaseError

log = logging.getLogger(__name__)


def _v1_initial(db: peewee.Database) -> None:
    db.create_tables([m for m in models.ALL_MODELS if m is not models.SchemaVersion], safe=True)


MIGRATIONS: list[tuple[int, str, Callable[[peewee.Database], None]]] = [
    (1, "initial schema", _v1_initial),
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
