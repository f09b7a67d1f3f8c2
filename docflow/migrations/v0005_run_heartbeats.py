"""Schema version 5: a heartbeat per job run, so that runs whose worker died get closed.

A run writes ``heartbeat_at`` when it starts and with every batch it commits; a run still
``running`` whose heartbeat is older than the lease is abandoned (``docflow.runs.reap``).
The index serves that search: only running rows are looked at.
"""

from __future__ import annotations

import peewee

from docflow.migrations._frozen import FrozenModel, Timestamp

VERSION = 5
NAME = "job run heartbeats"


class JobRun(FrozenModel):
    heartbeat_at = Timestamp(null=True)


def apply(db: peewee.Database) -> None:
    # The type as the database names it (TEXT on SQLite, see docflow.db): what a table
    # created from the models has.
    context = db.get_sql_context()
    ddl, _ = context.sql(JobRun.heartbeat_at.ddl_datatype(context)).query()
    db.execute_sql(f'ALTER TABLE "job_run" ADD COLUMN "heartbeat_at" {ddl}')
    db.execute_sql(
        'CREATE INDEX "job_run_outcome_heartbeat_at" ON "job_run" ("outcome", "heartbeat_at")'
    )
