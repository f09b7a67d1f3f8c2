"""Is DocFlow ready to work: Redis answers, the database answers and has the current schema.

What ``/readyz`` and `docflow health` report, for load balancers, supervisors and container
probes. Each check opens its own connection and closes it, so a probe never depends on a
connection an earlier one left behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import peewee
import redis

from docflow.db import open_database
from docflow.errors import DocflowError
from docflow.migrations import require_current
from docflow.queues import connect_redis
from docflow.redaction import redact
from docflow.settings import Settings


@dataclass(frozen=True)
class Check:
    component: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{self.component}: {'ok' if self.ok else 'NOT READY'} ({self.detail})"


def checks(settings: Settings, db: peewee.Database | None = None) -> list[Check]:
    """Redis and the database; ``db``: a database already bound to the models (a
    long-running server's), else the settings' is opened for the check."""
    return [_redis(settings), _database(settings, db)]


def ready(found: list[Check]) -> bool:
    return all(c.ok for c in found)


def _redis(settings: Settings) -> Check:
    where = redact(settings.redis_url)
    try:
        conn = connect_redis(settings.redis_url)
        try:
            conn.ping()
        finally:
            conn.close()
    except (DocflowError, redis.RedisError, OSError) as exc:
        return Check("redis", False, f"{where}: {exc}")
    return Check("redis", True, where)


def _database(settings: Settings, bound: peewee.Database | None) -> Check:
    where = redact(settings.database_url)
    try:
        if bound is None:
            with open_database(settings) as db:
                require_current(db)
        else:
            with bound.connection_context():
                require_current(bound)
    except (DocflowError, peewee.PeeweeException, OSError) as exc:
        return Check("database", False, f"{where}: {exc}")
    return Check("database", True, f"{where}, schema current")
