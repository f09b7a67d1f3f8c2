"""Migrations, on SQLite and PostgreSQL: migrating an empty database gives the models' schema.

The schema is read back by SQL introspection (tables, columns, indexes, foreign keys), so a
field added to ``docflow.models`` without a migration fails here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import peewee
import pytest

from docflow import models
from docflow.db import connect, scratch_postgres
from docflow.errors import DatabaseError
from docflow.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    current_version,
    migrate,
    require_current,
    v0001_initial,
)
from tests.conftest import make_settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

NewDatabase = Callable[[], peewee.Database]


@pytest.fixture(params=["sqlite", "postgres"])
def new_database(request, tmp_path: Path) -> Iterator[NewDatabase]:
    """Makes empty, connected databases on the backend; each is dropped at the end."""
    server = request.getfixturevalue("pg_database_url") if request.param == "postgres" else None
    numbers = itertools.count()
    with ExitStack() as stack:

        def make() -> peewee.Database:
            if server is None:
                url = make_settings(tmp_path / f"db{next(numbers)}").database_url
            else:
                url = stack.enter_context(scratch_postgres(server, prefix="docflow_migrations"))
            db = connect(url)
            db.connect()
            stack.callback(db.close)
            return db

        yield make


def fresh_from_models(db: peewee.Database) -> peewee.Database:
    with db.bind_ctx(models.ALL_MODELS):
        db.create_tables(models.ALL_MODELS)
    return db


def _spelling(text: str | None) -> str | None:
    return None if text is None else re.sub(r"\s+", " ", str(text)).strip().lower()


def schema(db: peewee.Database) -> dict[str, dict]:
    """Every table's columns, indexes and foreign keys, as the database reports them."""
    tables = {}
    for table in db.get_tables():
        tables[table] = {
            "columns": {
                c.name: {
                    "type": _spelling(c.full_type or c.data_type),
                    "null": c.null,
                    "primary key": c.primary_key,
                    "default": _spelling(c.default),
                }
                for c in db.get_columns(table)
            },
            "indexes": {
                i.name: {"columns": tuple(i.columns), "unique": bool(i.unique)}
                for i in db.get_indexes(table)
            },
            "foreign keys": {
                fk.column: {
                    "references": f"{fk.dest_table}.{fk.dest_column}",
                    "on delete": _spelling(fk.on_delete or "no action"),
                    "on update": _spelling(fk.on_update or "no action"),
                }
                for fk in db.get_foreign_keys(table)
            },
        }
    return tables


def differences(migrated: dict[str, dict], fresh: dict[str, dict]) -> list[str]:
    """What a migrated schema lacks, has extra or has otherwise, against the models' own."""
    found = []
    for table in sorted(migrated.keys() | fresh.keys()):
        if table not in migrated:
            found.append(f"table {table}: in the models, no migration creates it")
            continue
        if table not in fresh:
            found.append(f"table {table}: made by the migrations, not in the models")
            continue
        for part in ("columns", "indexes", "foreign keys"):
            got, want = migrated[table][part], fresh[table][part]
            for name in sorted(got.keys() | want.keys()):
                if name not in got:
                    found.append(f"{table} {part} {name}: in the models, not migrated")
                elif name not in want:
                    found.append(f"{table} {part} {name}: migrated, not in the models")
                elif got[name] != want[name]:
                    found.append(
                        f"{table} {part} {name}: migrated {got[name]}, models {want[name]}"
                    )
    return found


def test_versions_are_numbered_one_by_one():
    assert [version for version, _, _ in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert len(MIGRATIONS) == LATEST_VERSION


def test_migrating_an_empty_database_gives_the_schema_of_the_models(new_database):
    migrated = new_database()
    assert migrate(migrated) == list(range(1, LATEST_VERSION + 1))
    assert differences(schema(migrated), schema(fresh_from_models(new_database()))) == []


def test_migrating_twice_changes_nothing(new_database):
    db = new_database()
    migrate(db)
    before = schema(db)
    rows = db.execute_sql('SELECT version, name FROM "schema_version" ORDER BY version').fetchall()
    assert migrate(db) == []
    assert schema(db) == before
    assert (
        db.execute_sql('SELECT version, name FROM "schema_version" ORDER BY version').fetchall()
        == rows
    )
    assert current_version(db) == LATEST_VERSION


def test_a_version_1_database_with_dead_items_upgrades_to_the_latest(new_database):
    db = new_database()
    assert migrate(db, to=1) == [1]
    assert current_version(db) == 1
    assert "error_fingerprint" not in {c.name for c in db.get_columns("document")}
    v1 = v0001_initial
    with db.bind_ctx(v1.MODELS):
        owner = v1.Tenant.create(name="acme", created_at=NOW)
        v1.Document.create(
            tenant=owner, filename="a.txt", content_type="text/plain", size_bytes=1,
            storage_path="acme/a.txt", status="DeadLettered", retry_count=3,
            last_error="stored file is missing: acme/a.txt", created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        v1.WebhookEvent.create(
            id="evt_1", tenant=owner, type="document.classified", payload="{}",
            status="DeadLettered", attempts=5, last_error="HTTP 503", created_at=NOW,
        )  # fmt: skip

    assert migrate(db) == list(range(2, LATEST_VERSION + 1))
    assert current_version(db) == LATEST_VERSION
    assert differences(schema(db), schema(fresh_from_models(new_database()))) == []
    fingerprints = [
        db.execute_sql(f'SELECT error_fingerprint FROM "{table}"').fetchone()[0]
        for table in ("document", "webhook_event")
    ]
    assert fingerprints == ["Error: stored file is missing: <path>", "Error: HTTP 503"]


def test_require_current_refuses_a_missing_or_older_schema(new_database):
    db = new_database()
    with pytest.raises(DatabaseError, match="has no DocFlow schema.*docflow migrate"):
        require_current(db)
    migrate(db, to=1)
    with pytest.raises(DatabaseError, match="is at schema version 1.*docflow migrate"):
        require_current(db)
    migrate(db)
    require_current(db)


def test_version_6_counts_the_retry_deadline_of_documents_failing_now_from_their_last_failure(
    new_database,
):
    db = new_database()
    migrate(db, to=5)
    v1 = v0001_initial
    failed_at = datetime(2026, 2, 27, 8, 0, tzinfo=UTC)
    with db.bind_ctx(v1.MODELS):
        owner = v1.Tenant.create(name="acme", created_at=NOW)
        for status, retries in [("Failed", 1), ("Pending", 2), ("Processing", 1), ("Pending", 0),
                                ("Classified", 1), ("DeadLettered", 3)]:  # fmt: skip
            v1.Document.create(
                tenant=owner, filename=f"{status}-{retries}.txt", content_type="text/plain",
                size_bytes=1, storage_path="acme/a.txt", status=status, retry_count=retries,
                created_at=datetime(2025, 1, 1, tzinfo=UTC), updated_at=failed_at,
            )  # fmt: skip
    assert migrate(db)[0] == 6
    with db.bind_ctx([models.Document]):
        found = {d.filename: d.first_failed_at for d in models.Document.select()}
    assert found == {
        "Failed-1.txt": failed_at,
        "Pending-2.txt": failed_at,
        "Processing-1.txt": failed_at,
        "Pending-0.txt": None,
        "Classified-1.txt": None,
        "DeadLettered-3.txt": None,
    }
