"""How long one console refresh takes per tab, and one metrics collection, on a
production-sized database.

    python -m console.bench [--documents N] [--tenants N] [--database-url postgresql://...]

Seeds a scratch database (a temporary SQLite file, or a temporary PostgreSQL database on
the server of --database-url): documents over tenants through the tenant benchmark's
seeder, a tenth of them dead-lettered with a mix of real-looking errors, some failed and
due for retry, webhook endpoints and events (some dead, with attempts), job runs, and a
few failed RQ jobs. Then times Backend.snapshot for each tab: one warm-up, then the
median of --runs refreshes. ``--keep DIR`` keeps the SQLite file in DIR and reuses it
on the next run, skipping the seeding.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import peewee
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.results import Result

from console.backend import Backend
from console.snapshot import TABS
from docflow.bench.tenants import _seed
from docflow.db import (
    connect,
    database,
    insert_rows,
    is_postgres,
    open_database,
    scratch_postgres,
    write_transaction,
)
from docflow.fingerprint import fingerprint
from docflow.jobs.check_quotas import check_quotas
from docflow.metrics import DocflowCollector
from docflow.migrations import migrate
from docflow.models import (
    Document,
    DocumentStatus,
    EventStatus,
    JobRun,
    Tenant,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookEvent,
    to_db_time,
    utcnow,
)
from docflow.queues import connect_redis, get_queue
from docflow.registry import all_jobs
from docflow.settings import Settings

TARGET_MS = 200
METRICS_TARGET_MS = 1_000
"""One uncached metrics collection, at most once per cache period: a second of database
time per 10 s is the most a scrape may cost."""

# (weight, exception type or None for DocFlow's own, message template with {n}); the
# numbers and ids vary per row, so only fingerprinting groups them.
DEAD_ERRORS: tuple[tuple[int, str, str], ...] = (
    (20, "", "stored file is missing: t/acme/2024/{n}/invoice-{n}.txt"),
    (12, "UnicodeDecodeError", "'utf-8' codec can't decode byte 0xff in position {n}: invalid start byte"),
    (10, "", "classifier timed out after {n} ms"),
    (8, "", "document {n} is larger than the 10485760 byte limit"),
    (6, "PermissionError", "[Errno 13] Permission denied: '/srv/docflow/storage/{n}.pdf'"),
    (6, "OSError", "[Errno 5] Input/output error reading block {n}"),
    (5, "ValueError", "invalid literal for int() with base 10: 'page-{n}'"),
    (5, "KeyError", "'category_{n}'"),
    (4, "", "unsupported content type application/x-{n}"),
    (4, "ConnectionError", "HTTPConnectionPool(host='ocr.internal', port=8080): Max retries exceeded with url: /ocr/{n}"),
    (3, "TimeoutError", "read timed out after {n}.5 s"),
    (3, "", "empty document (0 bytes) for upload {n}"),
    (2, "MemoryError", "cannot allocate {n} bytes"),
    (2, "zlib.error", "Error -3 while decompressing data: invalid distance too far back at {n}"),
    (2, "", "checksum mismatch: expected 9f{n}ab got 00{n}ff"),
    (2, "RuntimeError", "classifier model v{n} not loaded"),
    (2, "", "storage path escapes the root: ../../etc/{n}"),
    (1, "AttributeError", "'NoneType' object has no attribute 'text' (doc {n})"),
    (1, "", "tenant 7f3e2a9c-1b4d-4e6f-8a9b-{n:012d} has no route for category other"),
    (1, "IndexError", "list index out of range at token {n}"),
)  # fmt: skip


def _sql_text(kind: str, template: str) -> tuple[str, str]:
    """SQL building one row's message (row id for {n}), and the fingerprint all share."""
    pieces = template.replace("{n:012d}", "{n}").split("{n}")
    prefix = f"{kind}: " if kind else ""
    quoted = [("'" + p.replace("'", "''") + "'") for p in pieces]
    quoted[0] = "'" + (prefix + pieces[0]).replace("'", "''") + "'"
    sql = " || CAST(id AS TEXT) || ".join(quoted)
    sample = prefix + template.format(n=123456)
    return sql, fingerprint(sample)


def _mod(n: int) -> str:
    """``id mod n`` in SQL without '%', which psycopg2 would take for a parameter."""
    return f"(id - (id / {n}) * {n})"


def _dead_letter(stamp: str, say: Callable[[str], Any]) -> None:
    """Give the seeded dead documents errors: a weighted mix over row ids."""
    table = Document._meta.table_name
    buckets, start = [], 0
    for weight, kind, template in DEAD_ERRORS:
        buckets.append((start, start + weight, *_sql_text(kind, template)))
        start += weight
    message = (
        "CASE "
        + " ".join(f"WHEN {_mod(start)} < {hi} THEN {sql}" for lo, hi, sql, _ in buckets)
        + " END"
    )
    fp = (
        "CASE "
        + " ".join(
            f"WHEN {_mod(start)} < {hi} THEN '{f.replace(chr(39), chr(39) * 2)}'"
            for lo, hi, _, f in buckets
        )
        + " END"
    )
    with write_transaction():
        Document._meta.database.execute_sql(
            f'UPDATE "{table}" SET last_error = {message}, error_fingerprint = {fp}, '
            f"dead_letter_reason = 'gave up after 3 retries (max 3)', retry_count = 3, "
            f"dead_lettered_at = ? WHERE status = ?".replace("?", Document._meta.database.param),
            (stamp, DocumentStatus.DEAD_LETTERED),
        )
        # Some that have not given up yet: failed and due for a retry.
        Document._meta.database.execute_sql(
            f'UPDATE "{table}" SET status = ?, last_error = {message}, retry_count = {_mod(3)}, '
            f"next_retry_at = ? WHERE status = ? AND {_mod(50)} = 7".replace(
                "?", Document._meta.database.param
            ),
            (DocumentStatus.FAILED, stamp, DocumentStatus.CLASSIFIED),
        )
    say("  dead-lettered and failed documents have their errors")


def _webhooks(events: int, stamp: str, say: Callable[[str], Any]) -> None:
    tenants = [t.id for t in Tenant.select(Tenant.id).order_by(Tenant.id).limit(200)]
    with write_transaction():
        WebhookEndpoint.insert_many(
            [
                {"tenant": t, "url": f"https://hooks.example.com/{t}",
                 "secret": f"whsec_{uuid.uuid4().hex}{uuid.uuid4().hex[:8]}"}
                for t in tenants
            ]
        ).execute()  # fmt: skip
    endpoints = {e.tenant_id: e.id for e in WebhookEndpoint.select()}
    E = WebhookEvent
    fields: list[peewee.Field[Any]] = [E.id, E.tenant, E.endpoint, E.type, E.payload, E.status, E.attempts,
              E.last_status_code, E.last_error, E.error_fingerprint, E.dead_lettered_at,
              E.next_attempt_at, E.created_at]  # fmt: skip
    statuses = [EventStatus.SENT] * 16 + [EventStatus.PENDING, EventStatus.FAILED] * 1
    statuses += [EventStatus.DEAD_LETTERED] * 2
    rows, attempts = [], []
    for n in range(events):
        tenant = tenants[n % len(tenants)]
        status = statuses[n % len(statuses)]
        dead = status == EventStatus.DEAD_LETTERED
        code = (503, 500, 404)[n % 3] if dead or status == EventStatus.FAILED else 200
        error = f"HTTP {code}" if code != 200 else None
        event_id = f"msg_{uuid.uuid4().hex[:24]}"
        rows.append((event_id, tenant, endpoints[tenant], "document.classified", "{}", status,
                     10 if dead else 1, code, error, fingerprint(error) if dead else None,
                     stamp if dead else None, None if dead else stamp, stamp))  # fmt: skip
        if dead:
            attempts += [(event_id, k, stamp, code, 120, "unavailable", None) for k in range(1, 4)]
    A = WebhookAttempt
    with write_transaction():
        insert_rows(E, fields, rows)
        insert_rows(A, [A.event, A.number, A.attempted_at, A.status_code, A.latency_ms,
                        A.response_excerpt, A.error], attempts)  # fmt: skip
    say(f"  {len(rows):,} webhook events, {len(attempts):,} attempts")


def _job_runs(runs: int, say: Callable[[str], Any]) -> None:
    names = list(all_jobs())
    start = utcnow() - timedelta(minutes=runs)
    fields = [JobRun.job, JobRun.started_at, JobRun.finished_at, JobRun.outcome, JobRun.counts]
    rows = []
    for n in range(runs):
        at = start + timedelta(minutes=n)
        failed = n % 37 == 0
        rows.append((names[n % len(names)], to_db_time(at),
                     to_db_time(at + timedelta(milliseconds=200 + (n * 7919) % 5000)),
                     "failed" if failed else "succeeded",
                     JobRun.counts.db_value({"classified": n % 100, "failed": n % 3})))  # fmt: skip
    with write_transaction():
        insert_rows(JobRun, fields, rows)
    say(f"  {runs:,} job runs")


def _failed_rq_jobs(settings: Settings, count: int) -> list[Job]:
    """Failed RQ jobs as a worker leaves them: in the failed registry, traceback in a result."""
    conn = connect_redis(settings.redis_url)
    queue = get_queue(conn, settings, "default")
    registry = FailedJobRegistry(queue=queue)
    jobs = []
    for n in range(count):
        job = Job.create("docflow.jobs.classify.classify_documents", kwargs={}, origin=queue.name,
                         connection=conn, serializer=queue.serializer)  # fmt: skip
        error = f"Traceback ...\nOperationalError: database is locked ({n})"
        registry.add(job, ttl=3600, exc_string=error)
        Result.create_failure(job, ttl=3600, exc_string=error)
        jobs.append(job)
    return jobs


def seed(settings: Settings, tenants: int, documents: int, say: Callable[[str], Any]) -> None:
    with open_database(settings) as db:
        migrate(db)
        say(f"seeding {tenants:,} tenants and {documents:,} documents ...")
        _seed(tenants, documents, say)
        stamp = to_db_time(utcnow())
        _dead_letter(stamp, say)
        _webhooks(documents // 20, stamp, say)
        _job_runs(20_000, say)
        say("  tenant usage (check_quotas) ...")
        check_quotas.run(settings=settings)
        if is_postgres(db):
            db.execute_sql("VACUUM ANALYZE")
        else:
            db.execute_sql("ANALYZE")


def measure(settings: Settings, runs: int) -> list[tuple[str, float]]:
    backend = Backend(settings, actor="operator:bench", read_only=True)
    backend.open()
    try:
        results = []
        for tab in TABS:
            backend.snapshot(tab)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                backend.snapshot(tab)
                times.append((time.perf_counter() - started) * 1000)
            results.append((tab, statistics.median(times)))
        return results
    finally:
        backend.close()


def measure_metrics(settings: Settings, runs: int) -> tuple[str, float]:
    """One uncached collection of `docflow metrics` (what each scrape costs at most once
    per DOCFLOW_METRICS_CACHE_SECONDS), the median of ``runs``."""
    db = connect(settings.database_url)
    database.initialize(db)
    collector = DocflowCollector(settings, db)
    collector.fresh()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        collector.fresh()
        times.append((time.perf_counter() - started) * 1000)
    db.close()
    return "metrics", statistics.median(times)


def render(results: list[tuple[str, float]], label: str) -> str:
    lines = [label, f"{'tab':<10} {'ms/refresh':>10} {'target':>7}  verdict"]
    for tab, ms in results:
        verdict = "ok" if ms < TARGET_MS else "over"
        lines.append(f"{tab:<10} {ms:>10.1f} {TARGET_MS:>7}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m console.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--tenants", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5, help="timed refreshes per tab (median)")
    parser.add_argument(
        "--database-url", help="a PostgreSQL server URL to bench on instead of SQLite"
    )
    parser.add_argument(
        "--keep", type=Path, help="keep (and reuse) the SQLite database in this directory"
    )
    parser.add_argument(
        "--redis-url", default=None, help="Redis for the queue tabs (default: settings)"
    )
    args = parser.parse_args(argv)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="docflow-bench-console-"))
    try:
        with contextlib.ExitStack() as stack:
            url = (
                stack.enter_context(scratch_postgres(args.database_url, prefix="docflow_bench"))
                if args.database_url
                else f"sqlite:///{workdir / 'bench.sqlite3'}"
            )
            env = {"DOCFLOW_DATABASE_URL": url, "DOCFLOW_LOG_LEVEL": "WARNING",
                   "DOCFLOW_QUEUE_PREFIX": f"bench{uuid.uuid4().hex[:8]}"}  # fmt: skip
            if args.redis_url:
                env["DOCFLOW_REDIS_URL"] = args.redis_url
            settings = Settings.from_env(env)
            reuse = (
                args.keep is not None
                and (workdir / "bench.sqlite3").exists()
                and not args.database_url
            )
            started = time.perf_counter()
            if reuse:
                print(f"reusing {workdir / 'bench.sqlite3'}", flush=True)
            else:
                seed(settings, args.tenants, args.documents, lambda m: print(m, flush=True))
                print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
            failed = _failed_rq_jobs(settings, 200)
            backend_name = "PostgreSQL" if args.database_url else "SQLite"
            label = (f"console refresh per tab, {args.documents:,} documents, {args.tenants:,} tenants, "
                     f"{backend_name}, median of {args.runs}")  # fmt: skip
            results = measure(settings, args.runs)
            print(render(results, label))
            name, ms = measure_metrics(settings, args.runs)
            print(f"{name:<10} {ms:>10.1f} {METRICS_TARGET_MS:>7}  "
                  f"{'ok' if ms < METRICS_TARGET_MS else 'over'}  (one uncached collection)")  # fmt: skip
            for job in failed:
                job.delete()
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
