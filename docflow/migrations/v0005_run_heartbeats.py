"""Schema version 5: a heartbeat per job run, so that runs whose worker died get closed.

A run writes ``heartbeat_at`` when it starts and with every batch it commits; a run still
``running`` whose heartbeat is older than the lease is abandoned (``docflow.runs.reap``).
The index serves that search: only running rows are looked at.
"""

from __future__ import annotations

import peewee

from docflow.migrations._frozen import FrozenModel, Timestamp, add_column

VERSION = 5
NAME = "job run heartbeats"


class JobRun(FrozenModel):
    heartbeat_at = Timestamp(null=True)


def apply(db: peewee.Database) -> None:
    add_column(db, "job_run", JobRun.heartbeat_at)
    db.execute_sql(
        'CREATE INDEX "job_run_outcome_heartbeat_at" ON "job_run" ("outcome", "heartbeat_at")'
    )
