"""Building blocks for the migrations' frozen models; never the live :mod:`docflow.models`.

A migration that needs models defines its own copies, as the schema was at that version,
and binds them to the database only while it runs (``db.bind_ctx(...)``). Later edits to
``docflow.models`` therefore never change what an old migration creates.

Only what reaches the DDL is copied (types, lengths, null, unique, indexes, foreign keys):
peewee applies ``default=`` in Python, so the defaults are left out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import peewee

from docflow.models import to_db_time


class FrozenModel(peewee.Model):
    """Base of every frozen model: snake_case table names, no database until bound."""

    class Meta:
        legacy_table_names = False


class Timestamp(peewee.Field):
    """``UTCDateTimeField`` as it is stored: TIMESTAMPTZ (TEXT on SQLite, see ``docflow.db``)."""

    field_type = "TIMESTAMPTZ"

    def db_value(self, value: datetime | None) -> str | None:
        return None if value is None else to_db_time(value)


class SchemaVersion(FrozenModel):
    """The bookkeeping table ``migrate()`` creates before any version: one row per version."""

    version = peewee.IntegerField(primary_key=True)
    name = peewee.CharField()
    applied_at = Timestamp()


def add_column(db: peewee.Database, table: str, field: peewee.Field[Any]) -> None:
    """``ALTER TABLE ... ADD COLUMN`` for a frozen model's ``field``, typed as the database
    names it (TEXT for a Timestamp on SQLite, see ``docflow.db``): what a table created
    from the models has."""
    context = db.get_sql_context()
    ddl, _ = context.sql(field.ddl_datatype(context)).query()
    db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{field.column_name}" {ddl}')
