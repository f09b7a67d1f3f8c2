"""Everything the console reads and does, with no Textual in sight.

The app calls this from thread workers, several at once. Each call opens this thread's
database connection and closes it again (a worker thread may never run again), and
shares one thread-safe Redis client, made on first use. Outages surface as
``DatabaseError`` or ``QueueError`` and heal by themselves: the next call connects anew.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime

import peewee
import redis

from console import actions as acts
from console import dlq, tabs
from console.cells import View
from console.snapshot import (
    ACTIONS,
    TABS,
    Action,
    Detail,
    FormField,
    Row,
    Snapshot,
    Table,
    row_kind,
)
from docflow.db import connect, database
from docflow.endpoints import still_signing
from docflow.errors import DatabaseError, InvalidArgument, NotFound, QueueError, Refused
from docflow.migrations import require_current
from docflow.models import JobRun, Tenant, WebhookEndpoint, utcnow
from docflow.queues import PRIORITIES
from docflow.redaction import redact, without_userinfo
from docflow.registry import all_jobs, params_by_name
from docflow.settings import Settings
from docflow.tenants import documents_by_status, overview
from docflow.timefmt import when_text

try:
    import psycopg2

    _PG_ERRORS: tuple[type[Exception], ...] = (psycopg2.Error,)
except ImportError:  # SQLite-only installs
    _PG_ERRORS = ()

# peewee.DatabaseError covers OperationalError and a file that is not a database.
DB_ERRORS: tuple[type[Exception], ...] = (
    peewee.DatabaseError,
    peewee.InterfaceError,
    sqlite3.Error,
    *_PG_ERRORS,
)
# Rows whose detail is the row itself, found in the tab that lists them.
_LISTED_IN = {"queue": "queues", "worker": "queues", "periodic": "queues", "job": "history",
              "status": "webhooks", "all": "documents"}  # fmt: skip


class Backend:
    def __init__(
        self,
        settings: Settings,
        *,
        actor: str,
        read_only: bool = False,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.actor = actor
        self.read_only = read_only
        self.now = now
        self._db: peewee.Database | None = None
        self._redis: redis.Redis | None = None
        self._redis_lock = threading.Lock()

    # --- connections --------------------------------------------------------------------

    def open(self) -> None:
        """Bind the models to the database and check its schema; Redis waits for first use."""
        self._db = connect(
            self.settings.database_url, busy_timeout_ms=self.settings.sqlite_busy_timeout_ms
        )
        database.initialize(self._db)
        with self._session():
            require_current(self._db)

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(*DB_ERRORS):
                self._db.close()
        if self._redis is not None:
            self._redis.close()

    @contextlib.contextmanager
    def _session(self) -> Iterator[None]:
        """This thread's connection for one call; third-party failures as DocFlow errors."""
        if self._db is None:
            raise DatabaseError("the console backend is not open: call open() first")
        fresh = self._db.is_closed()
        try:
            if fresh:
                self._db.connect()
            with self._redis_errors():
                yield
        except DB_ERRORS as exc:
            # A broken connection must not outlive the outage: drop it, reconnect next call.
            with contextlib.suppress(*DB_ERRORS):
                self._db.close()
            fresh = False
            where = redact(self.settings.database_url)
            raise DatabaseError(
                f"database unavailable at {where}: {exc}; check it runs and DOCFLOW_DATABASE_URL"
            ) from exc
        finally:
            if fresh:
                with contextlib.suppress(*DB_ERRORS):
                    self._db.close()

    @contextlib.contextmanager
    def _redis_errors(self) -> Iterator[None]:
        try:
            yield
        except redis.RedisError as exc:
            where = redact(self.settings.redis_url)
            raise QueueError(
                f"Redis unavailable at {where}: {exc}; start it or check DOCFLOW_REDIS_URL"
            ) from exc

    def _conn(self) -> redis.Redis:
        with self._redis_lock:
            if self._redis is None:
                # Short timeouts: a dead Redis shows as a banner in seconds, not a frozen tab.
                self._redis = redis.Redis.from_url(
                    self.settings.redis_url, socket_connect_timeout=2, socket_timeout=5
                )
            return self._redis

    # --- reading ------------------------------------------------------------------------

    def snapshot(self, tab: str, *, filter: str = "", limit: int = 200) -> Snapshot:  # noqa: A002
        if tab not in TABS:
            raise InvalidArgument(f"unknown tab {tab!r}; tabs are {', '.join(TABS)}")
        view = View(filter.strip(), max(1, limit))
        notes: list[str] = []
        with self._session():
            if tab == "queues":
                tables, notes = tabs.queues(self._conn(), self.settings, view)
            elif tab == "dlq":
                jobs, notes = self._failed_jobs()
                tables = dlq.tables(dlq.groups(jobs), view)
            else:
                tables = getattr(tabs, tab)(view)
        return Snapshot(tab, self.now(), tuple(tables), tuple(notes))

    def _failed_jobs(
        self, limit: int | None = dlq.RQ_LIMIT
    ) -> tuple[list[dlq.FailedJob], list[str]]:
        """RQ's failed jobs, or none and a note while Redis is down: the rest of the DLQ
        lives in the database and stays useful."""
        try:
            with self._redis_errors():
                return dlq.failed_jobs(self._conn(), self.settings, limit), []
        except QueueError as exc:
            return [], [f"failed RQ jobs not shown: {exc}"]

    def detail(self, key: str) -> Detail:
        kind, _, ident = key.partition(":")
        with self._session():
            if kind == "group":
                jobs, notes = self._failed_jobs()
                group = dlq.find_group(dlq.groups(jobs), key)
                fields = (("fingerprint", group.fingerprint),
                          *((source, str(n)) for source, n in group.counts.items()),
                          ("oldest", when_text(group.oldest)), ("newest", when_text(group.newest)),
                          *(("note", n) for n in notes))  # fmt: skip
                return Detail(f"Dead letters: {group.fingerprint}", fields,
                              (dlq.group_items(group, jobs),))  # fmt: skip
            if kind == "doc":
                return Detail(f"Document {ident}", dlq.document_fields(_number(key, ident)))
            if kind == "event":
                fields, attempts = dlq.event_detail(ident)
                return Detail(f"Webhook event {ident}", fields, (attempts,))
            if kind == "rq":
                with self._redis_errors():
                    job = dlq.failed_job(self._conn(), self.settings, ident)
                return Detail(f"Failed RQ job {ident}", dlq.job_fields(job))
            if kind == "tenant":
                return self._tenant_detail(ident)
            if kind == "endpoint":
                return self._endpoint_detail(_number(key, ident))
            if kind == "run":
                run = JobRun.get_or_none(JobRun.id == _number(key, ident))
                if run is None:
                    raise NotFound(f"job run {ident} no longer exists")
                return Detail(f"Job run {ident}", tabs.run_fields(run))
        if kind in _LISTED_IN:
            return self._row_detail(_LISTED_IN[kind], key)
        raise NotFound(f"nothing to show for {key!r}")

    def _tenant_detail(self, name: str) -> Detail:
        found = overview(name)
        if not found:
            raise NotFound(f"tenant {name!r} no longer exists")
        t = found[0]

        def limit(used: int | None, cap: int | None) -> str:
            return f"{used or 0:,} of {'unlimited' if cap is None else f'{cap:,}'}"

        fields = (
            ("tenant", t["name"]),
            ("contact", t["contact_email"] or "-"),
            ("documents", limit(t["document_count"], t["max_documents"])),
            ("bytes", limit(t["used_bytes"], t["max_bytes"])),
            ("uploads blocked", "yes" if t["is_blocked"] else "no"),
            ("usage checked", when_text(t["checked_at"])),
            ("billing", t["billing"] or "-"),
            ("grace period ends", when_text(t["grace_period_ends_at"])),
            ("suspended", when_text(t["suspended_at"])),
        )
        counts = documents_by_status(Tenant(id=t["id"]))
        rows = tuple(Row(f"status:{s}", (s, n)) for s, n in sorted(counts.items()))
        table = Table("statuses", "Documents by status", ("status", "documents"), rows, len(rows))
        return Detail(f"Tenant {name}", fields, (table,))

    def _endpoint_detail(self, endpoint_id: int) -> Detail:
        W = WebhookEndpoint
        e = W.select(W, Tenant.name.alias("tenant_name")).join(Tenant).where(W.id == endpoint_id)
        e = e.first()
        if e is None:
            raise NotFound(f"webhook endpoint {endpoint_id} no longer exists")
        rotating = still_signing(e.previous_secret, e.previous_secret_expires_at, self.now())
        fields = (
            ("endpoint", str(e.id)),
            ("tenant", e.tenant.tenant_name),
            ("url", without_userinfo(e.url)),
            ("secret", tabs.secret_cell(e.secret)),
            ("previous secret", "kept until " + when_text(e.previous_secret_expires_at) if rotating else "-"),
            ("enabled", "yes" if e.enabled else "no"),
            ("disabled reason", e.disabled_reason or "-"),
            ("created", when_text(e.created_at)),
        )  # fmt: skip
        return Detail(f"Webhook endpoint {endpoint_id}", fields)

    def _row_detail(self, tab: str, key: str) -> Detail:
        for table in self.snapshot(tab, limit=10_000).tables:
            for row in table.rows:
                if row.key == key:
                    fields = tuple(
                        (column, "-" if cell is None else str(cell))
                        for column, cell in zip(table.columns, row.cells, strict=True)
                    )
                    return Detail(f"{table.title}: {row.cells[0]}", fields)
        raise NotFound(f"{key} is no longer listed")

    # --- acting -------------------------------------------------------------------------

    def actions(self) -> tuple[Action, ...]:
        if self.read_only:
            return ()
        return tuple(_with_form(a, self.settings) if a.id == "jobs.enqueue" else a for a in ACTIONS)

    def run(
        self, action_id: str, key: str | None = None, values: Mapping[str, str] | None = None
    ) -> str:
        if self.read_only:
            raise Refused(
                "the console runs with --read-only, so actions are off and nothing was "
                "changed; restart it without --read-only to act"
            )
        spec = next((a for a in ACTIONS if a.id == action_id), None)
        if spec is None:
            raise InvalidArgument(f"unknown action {action_id!r}")
        if spec.kinds and (key is None or row_kind(key) not in spec.kinds):
            raise InvalidArgument(
                f"{spec.label} applies to {', '.join(spec.kinds)} rows, not {key or 'no row'}"
            )
        context = acts.Context(
            self.settings, self.actor, self.now(), self._conn, self._redis_errors
        )
        with self._session():
            return acts.run(context, action_id, key, dict(values or {}))


def _number(key: str, ident: str) -> int:
    if not ident.isdigit():
        raise NotFound(f"{key!r} is not a valid row key")
    return int(ident)


def _with_form(spec: Action, settings: Settings) -> Action:
    """The enqueue action with its form: the jobs and their parameters, from their declarations."""
    jobs = all_jobs(settings)
    params = tuple(
        FormField(name, name.replace("_", " ").capitalize(), None, "",
                  f"{p.range_text}, {', '.join(names)}; blank for the default")
        for name, (p, names) in sorted(params_by_name(settings).items())
    )  # fmt: skip
    fields = (
        FormField("job", "Job", tuple(jobs), next(iter(jobs), ""),
                  "; ".join(f"{name}: {job.doc}" for name, job in jobs.items())),
        *params,
        FormField("queue", "Queue", PRIORITIES, "", "blank for the job's own queue"),
    )  # fmt: skip
    return Action(spec.id, spec.label, spec.tab, spec.kinds, spec.key, spec.destructive, fields)
