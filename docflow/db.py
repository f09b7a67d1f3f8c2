"""The database: opened from a URL, bound to the models, one connection per job.

Models are bound to ``database`` (a proxy). A process initialises it with
:func:`open_database` when a job or command starts, and closes it when it ends, so a
forked RQ work-horse never inherits its parent's connection.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import peewee

from docflow.errors import ConfigError, DatabaseError
from docflow.redaction import redact
from docflow.settings import Settings

log = logging.getLogger(__name__)

database = peewee.DatabaseProxy()


def connect(url: str, *, busy_timeout_ms: int = 30_000) -> peewee.Database:
    """A peewee database for ``url``; SQLite gets WAL and a busy timeout."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        # urlsplit's message quotes the bad part, which may be a piece of the password.
        raise ConfigError(
            "DOCFLOW_DATABASE_URL is not a URL the driver can read: check the host and that "
            "the port is a number from 1 to 65535, e.g. postgresql://user@host:5432/dbname"
        ) from None
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
            port=port or None,
        )
    raise ConfigError(
        f"DOCFLOW_DATABASE_URL: unsupported scheme {parts.scheme!r}; use sqlite:/// or postgresql://"
    )


def is_postgres(db: peewee.Database | peewee.DatabaseProxy | None = None) -> bool:
    db = db if db is not None else database
    if isinstance(db, peewee.DatabaseProxy):
        db = db.obj
    return isinstance(db, peewee.PostgresqlDatabase)


def _driver_error(exc: Exception, url: str) -> str:
    """The driver's message on one line, without the URL's password: drivers may quote
    what they were given (a database "name" that was the rest of a malformed URL)."""
    text = " ".join(str(exc).split())
    password = urlsplit(url).password
    for form in {password, unquote(password)} if password else ():
        text = text.replace(form, "***")
    return redact(text)


@contextlib.contextmanager
def open_database(settings: Settings) -> Iterator[peewee.Database]:
    """Bind the models to the settings' database and connect; close on exit."""
    db = connect(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except peewee.OperationalError as exc:
        raise DatabaseError(
            f"cannot open the database at {redact(settings.database_url)}: "
            f"{_driver_error(exc, settings.database_url)}"
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
        raise DatabaseError(
            f"cannot reach PostgreSQL at {redact(server_url)}: {_driver_error(exc, server_url)}"
        ) from exc
    admin.connection().autocommit = True
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def insert_rows(
    model: type[peewee.Model],
    fields: Sequence[peewee.Field[Any]],
    rows: Sequence[tuple[object, ...]],
) -> None:
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


class Table(Protocol):
    """A model class, as far as the bulk writers below need one: its metadata."""

    _meta: peewee.Metadata


def primary_key(model: type[Table]) -> peewee.Field[Any]:
    """The primary key field of ``model`` (every DocFlow model has a one-column key)."""
    pk = model._meta.primary_key
    if not isinstance(pk, peewee.Field):
        raise TypeError(f"{model._meta.name} has no primary key")
    return pk


def tuple_rows(query: peewee.BaseQuery) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query`` as tuples.

    Same as iterating ``query.tuples()``, which peewee-stubs types as the query itself, so
    its rows would be model instances to the type checker.
    """
    return iter(query.tuples())


def dict_rows(query: peewee.BaseQuery) -> Iterator[dict[str, Any]]:
    """The rows of ``query`` as dicts by column name (``query.dicts()``, typed as such)."""
    return iter(query.dicts())


SQLITE_MAX_VARIABLES = 30_000

_PG_TYPES = {
    "AUTO": "integer",
    "BIGAUTO": "bigint",
    "INT": "integer",
    "BIGINT": "bigint",
    "FLOAT": "double precision",
    "DOUBLE": "double precision",
    "VARCHAR": "varchar",
    "TEXT": "text",
    "TIMESTAMPTZ": "timestamptz",
    "BOOL": "boolean",
}


def update_many(
    model: type[Table],
    rows: Sequence[dict[str, Any]],
    columns: Sequence[peewee.Field[Any]],
    *,
    guard: tuple[peewee.Field[Any], object] | None = None,
    clear: Sequence[peewee.Field[Any]] = (),
) -> set[Any]:
    """Give each row (keyed by primary key) its own ``columns`` values, in few statements.

    ``UPDATE ... FROM (VALUES ...)`` instead of one UPDATE per row. Only rows where
    ``guard`` (field, value) holds are written; ``clear`` fields are set to NULL. Runs in
    the caller's transaction; returns the primary keys of the rows written.
    """
    written: set[Any] = set()
    chunk = max(1, SQLITE_MAX_VARIABLES // (len(columns) + 1))
    for start in range(0, len(rows), chunk):
        written.update(_update_chunk(model, rows[start : start + chunk], columns, guard, clear))
    return written


def _update_chunk(
    model: type[Table],
    rows: Sequence[dict[str, Any]],
    columns: Sequence[peewee.Field[Any]],
    guard: tuple[peewee.Field[Any], object] | None,
    clear: Sequence[peewee.Field[Any]],
) -> list[Any]:
    db = model._meta.database
    table = model._meta.table_name
    pk = primary_key(model)
    fields = [pk, *columns]
    params: list[Any] = []
    for row in rows:
        params.extend(f.db_value(row[f.name]) for f in fields)
    placeholder = "(" + ", ".join([db.param] * len(fields)) + ")"
    values = ", ".join([placeholder] * len(rows))
    # Both backends name the columns of a bare VALUES list column1, column2, ...
    refs = [f"v.column{i}" for i in range(1, len(fields) + 1)]
    if is_postgres(db):
        # VALUES parameters are untyped in PostgreSQL: cast each to its column's type.
        refs = [
            f"CAST({ref} AS {_PG_TYPES[f.field_type]})" for ref, f in zip(refs, fields, strict=True)
        ]
    sets = [f'"{c.column_name}" = {ref}' for c, ref in zip(columns, refs[1:], strict=True)]
    sets += [f'"{c.column_name}" = NULL' for c in clear]
    where = f'"{table}"."{pk.column_name}" = {refs[0]}'
    if guard is not None:
        where += f' AND "{table}"."{guard[0].column_name}" = {db.param}'
        params.append(guard[0].db_value(guard[1]))
    sql = (
        f'UPDATE "{table}" SET {", ".join(sets)} FROM (VALUES {values}) AS v '
        f'WHERE {where} RETURNING "{table}"."{pk.column_name}"'
    )
    return [row[0] for row in db.execute_sql(sql, params).fetchall()]


def write_transaction(db: peewee.Database | None = None) -> peewee._atomic:
    """A transaction that takes the write lock at once (BEGIN IMMEDIATE on SQLite).

    Taking it up front means two SQLite writers queue on the busy timeout instead of
    one failing with 'database is locked' when it upgrades a read lock.
    """
    db = db if db is not None else database.obj
    if isinstance(db, peewee.SqliteDatabase):
        return db.atomic("IMMEDIATE")
    return db.atomic()
