"""The database: opened from a URL, bound to the models, one connection per job.

Models are bound to ``database`` (a proxy). A process initialises it with
:func:`open_database` when a job or command starts, and closes it when it ends, so a
forked RQ work-horse never inherits its parent's connection.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import peewee

from docflow.errors import ConfigError, DatabaseError
from docflow.settings import Settings

log = logging.getLogger(__name__)

database = peewee.DatabaseProxy()


def connect(url: str, *, busy_timeout_ms: int = 30_000) -> peewee.Database:
    """A peewee database for ``url``; SQLite gets WAL and a busy timeout."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = url[len("sqlite:///") :]
        if not path:
            raise ConfigError(
                "DOCFLOW_DATABASE_URL: a SQLite URL needs a path: sqlite:///var/docflow.sqlite3"
            )
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return peewee.SqliteDatabase(
            path,
            timeout=busy_timeout_ms / 1000,
            pragmas={
                "journal_mode": "wal",
                "synchronous": "normal",
                "foreign_keys": 1,
                "busy_timeout": busy_timeout_ms,
            },
            returning_clause=True,
            field_types={"TIMESTAMPTZ": "TEXT"},
        )
    if parts.scheme in ("postgresql", "postgres"):
        try:
            import psycopg2  # noqa: F401
        except ImportError as exc:
            raise ConfigError(
                "DOCFLOW_DATABASE_URL points at PostgreSQL but psycopg2 is not installed: "
                "pip install 'docflow[postgres]'"
            ) from exc
        if not parts.path.strip("/"):
            raise ConfigError(
                "DOCFLOW_DATABASE_URL: a PostgreSQL URL needs a database name: postgresql://user@host/dbname"
            )
        return peewee.PostgresqlDatabase(
            unquote(parts.path.lstrip("/")),
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            host=parts.hostname or None,
            port=parts.port or None,
        )
    raise ConfigError(
        f"DOCFLOW_DATABASE_URL: unsupported scheme {parts.scheme!r}; use sqlite:/// or postgresql://"
    )


def redact(url: str) -> str:
    """``url`` with any password replaced, safe for logs and errors."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def is_postgres(db: peewee.Database | peewee.DatabaseProxy | None = None) -> bool:
    db = db if db is not None else database
    if isinstance(db, peewee.DatabaseProxy):
        db = db.obj
    return isinstance(db, peewee.PostgresqlDatabase)


@contextlib.contextmanager
def open_database(settings: Settings) -> Iterator[peewee.Database]:
    """Bind the models to the settings' database and connect; close on exit."""
    db = connect(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except peewee.OperationalError as exc:
        raise DatabaseError(
            f"cannot open the database at {redact(settings.database_url)}: {exc}"
        ) from exc
    try:
        yield db
    finally:
        db.close()


@contextlib.contextmanager
def scratch_postgres(server_url: str, prefix: str = "docflow_scratch") -> Iterator[str]:
    """A new, empty database on the server of ``server_url``; dropped on exit. Yields its URL."""
    parts = urlsplit(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = connect(server_url)
    try:
        admin.connect()
    except peewee.OperationalError as exc:
        raise DatabaseError(f"cannot reach PostgreSQL at {redact(server_url)}: {exc}") from exc
    admin.connection().autocommit = True
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def insert_rows(model: type[peewee.Model], fields: list[peewee.Field], rows: list[tuple]) -> None:
    """Insert many rows fast; values must already be in database form (``field.db_value``).

    Peewee builds SQL per row, which made seeding 100,000 documents take minutes of CPU;
    the drivers' own batch paths take one statement for the lot.
    """
    db = model._meta.database
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES '
    if is_postgres(db):
        from psycopg2.extras import execute_values

        with db.cursor() as cursor:
            execute_values(cursor, sql + "%s", rows, page_size=1000)
    else:
        db.cursor().executemany(sql + "(" + ", ".join("?" * len(fields)) + ")", rows)


def write_transaction(db: peewee.Database | None = None):
    """A transaction that takes the write lock at once (BEGIN IMMEDIATE on SQLite).

    Taking it up front means two SQLite writers queue on the busy timeout instead of
    one failing with 'database is locked' when it upgrades a read lock.
    """
    db = db if db is not None else database.obj
    if isinstance(db, peewee.SqliteDatabase):
        return db.atomic("IMMEDIATE")
    return db.atomic()
