"""Schema versions: each migration runs once, in order, and is recorded.

``migrate()`` is idempotent: it applies only the versions the database lacks, each in
its own transaction together with its ``schema_version`` row, so a crash mid-way
leaves the schema at the last complete version.

Each version is a module ``vNNNN_<what>.py`` with ``VERSION``, ``NAME`` and ``apply(db)``.
Migrations never use the models of ``docflow.models``: version 1 is a frozen copy of them as
they were, and each later version changes that schema unconditionally (plain DDL, or
frozen models of its own built from ``_frozen``), so what a version does never changes.

To add version N: write ``vNNNN_<what>.py`` (copy ``v0002_error_fingerprints.py``), append
it to ``_VERSIONS`` below, and make the same change in ``docflow.models``;
``tests/test_migrations.py`` fails until a migrated schema equals the models' own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import peewee

from docflow.db import write_transaction
from docflow.errors import DatabaseError
from docflow.migrations import (
    v0001_initial,
    v0002_error_fingerprints,
    v0003_document_contents,
    v0004_labels_and_models,
    v0005_run_heartbeats,
    v0006_first_failures,
    v0007_classification_indexes,
)
from docflow.migrations._frozen import SchemaVersion

log = logging.getLogger(__name__)

_VERSIONS = (
    v0001_initial,
    v0002_error_fingerprints,
    v0003_document_contents,
    v0004_labels_and_models,
    v0005_run_heartbeats,
    v0006_first_failures,
    v0007_classification_indexes,
)

MIGRATIONS: list[tuple[int, str, Callable[[peewee.Database], None]]] = [
    (module.VERSION, module.NAME, module.apply) for module in _VERSIONS
]
LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(db: peewee.Database) -> int:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    with db.bind_ctx([SchemaVersion]):
        return SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar() or 0


def migrate(db: peewee.Database, *, to: int | None = None) -> list[int]:
    """Bring the schema to the latest version (or to version ``to``); return those applied now."""
    applied = []
    with db.bind_ctx([SchemaVersion]):
        db.create_tables([SchemaVersion], safe=True)
        for version, name, apply in MIGRATIONS:
            if to is not None and version > to:
                break
            with write_transaction(db):
                if SchemaVersion.get_or_none(SchemaVersion.version == version):
                    continue
                apply(db)
                SchemaVersion.create(version=version, name=name, applied_at=datetime.now(UTC))
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
