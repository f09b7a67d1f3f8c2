"""The claim protocol (DESIGN rules 2 and 3): claim rows in one statement, with a lease.

``claim()`` marks up to ``limit`` rows as owned by a unique claim token until the
lease expires and returns them, in one UPDATE ... RETURNING:

* PostgreSQL: the inner SELECT takes ``FOR UPDATE SKIP LOCKED``, so concurrent
  claimers split the rows between them instead of waiting or overlapping.
* SQLite: the statement runs in a ``BEGIN IMMEDIATE`` transaction, so claimers are
  serialised by the write lock and each sees the rows the previous one took.

A worker that dies keeps its rows only until the lease runs out; the caller's ``where``
includes expired leases, so the rows are claimed again. ``write_claimed()`` writes the
results of a batch in one statement, and only to rows still held by the same token: a
worker whose lease ran out and was overtaken cannot overwrite the newer owner's work.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import peewee

from docflow.db import is_postgres, write_transaction

SQLITE_MAX_VARIABLES = 30_000


def new_token(worker: str | None = None) -> str:
    """A claim token unique to this batch: who claimed, and a random part."""
    who = worker or f"{socket.gethostname()}:{os.getpid()}"
    return f"{who[:90]}/{uuid.uuid4().hex[:16]}"


def claim(
    model: type[peewee.Model],
    *,
    where: peewee.Expression,
    limit: int,
    token: str,
    lease_seconds: float,
    now: datetime,
    returning: Sequence[peewee.Field],
    order_by: Sequence[Any] = (),
    extra: dict[peewee.Field, Any] | None = None,
) -> list[dict[str, Any]]:
    """Claim up to ``limit`` rows matching ``where``; return ``returning`` columns of each."""
    pick = model.select(model._meta.primary_key).where(where).order_by(*order_by).limit(limit)
    if is_postgres():
        pick = pick.for_update("FOR UPDATE SKIP LOCKED")
    values = {
        model.claimed_by: token,
        model.lease_expires_at: now + timedelta(seconds=lease_seconds),
        **(extra or {}),
    }
    query = model.update(values).where(model._meta.primary_key.in_(pick)).returning(*returning)
    with write_transaction():
        return list(query.dicts().execute())


def write_claimed(
    model: type[peewee.Model],
    rows: Sequence[dict[str, Any]],
    *,
    token: str,
    columns: Sequence[peewee.Field],
) -> set[Any]:
    """Write ``columns`` of each row (keyed by ``id``) where the row is still ``token``'s.

    Clears the claim on the rows it writes. Runs inside the caller's transaction and
    returns the ids of the rows written: a row whose lease was lost to another worker
    is left alone and missing from the result.
    """
    written: set[Any] = set()
    per_row = len(columns) + 1
    chunk = max(1, SQLITE_MAX_VARIABLES // per_row)
    for start in range(0, len(rows), chunk):
        written.update(_write_chunk(model, rows[start : start + chunk], token, columns))
    return written


def _write_chunk(model, rows, token, columns) -> list[Any]:
    db = model._meta.database
    table = model._meta.table_name
    pk = model._meta.primary_key
    fields = [pk, *columns]
    params: list[Any] = []
    for row in rows:
        params.extend(f.db_value(row[f.name]) for f in fields)
    placeholder = "(" + ", ".join([db.param] * len(fields)) + ")"
    values = ", ".join([placeholder] * len(rows))
    # Both backends name the columns of a bare VALUES list column1, column2, ...
    refs = [f"v.column{i}" for i in range(1, len(fields) + 1)]
    if is_postgres():
        # VALUES parameters are untyped in PostgreSQL: cast each to its column's type.
        refs = [f"CAST({ref} AS {_pg_type(f)})" for ref, f in zip(refs, fields, strict=True)]
    sets = ", ".join(f'"{c.column_name}" = {ref}' for c, ref in zip(columns, refs[1:], strict=True))
    sql = (
        f'UPDATE "{table}" SET {sets}, "claimed_by" = NULL, "lease_expires_at" = NULL '
        f"FROM (VALUES {values}) AS v "
        f'WHERE "{table}"."{pk.column_name}" = {refs[0]} AND "{table}"."claimed_by" = {db.param} '
        f'RETURNING "{table}"."{pk.column_name}"'
    )
    return [row[0] for row in db.execute_sql(sql, [*params, token]).fetchall()]


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


def _pg_type(field: peewee.Field) -> str:
    return _PG_TYPES[field.field_type]


def release(model: type[peewee.Model], ids: Iterable[Any], *, token: str) -> int:
    """Give rows back before their lease ends (their state unchanged)."""
    ids = list(ids)
    if not ids:
        return 0
    query = model.update({model.claimed_by: None, model.lease_expires_at: None}).where(
        model._meta.primary_key.in_(ids) & (model.claimed_by == token)
    )
    return query.execute()


__all__ = ["claim", "write_claimed", "release", "new_token"]
