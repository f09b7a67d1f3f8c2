"""`docflow bench tenants`: quota check + usage report, set-based vs the per-tenant ORM loop.

ours:     the check_quotas and report_usage jobs (one aggregate query each, bulk writes);
original: what the C# jobs did: for every tenant, load its documents through the ORM,
          count and sum them in the application, save the quota row; then the same loop
          again for the usage report.

Both run on the same scratch data: N tenants and M document rows (no files: neither
job reads them), in a temporary SQLite file or a temporary PostgreSQL database.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import peewee

from docflow.db import insert_rows, is_postgres, open_database, scratch_postgres, write_transaction
from docflow.jobs.check_quotas import check_quotas, over_limit
from docflow.jobs.report_usage import report_usage
from docflow.migrations import migrate
from docflow.models import (
    Document,
    DocumentStatus,
    ReportStatus,
    Tenant,
    TenantBilling,
    TenantQuota,
    UsageReport,
    to_db_time,
    utcnow,
)
from docflow.settings import Settings

D = Document


@dataclass(frozen=True)
class Result:
    backend: str
    tenants: int
    documents: int
    ours_seconds: float
    original_seconds: float

    @property
    def ratio(self) -> float:
        return self.original_seconds / self.ours_seconds


def _seed(tenants: int, documents: int, say: Callable[[str], Any]) -> None:
    now = utcnow()
    with write_transaction():
        Tenant.insert_many(
            [{"name": f"tenant-{i:05d}", "created_at": now} for i in range(tenants)]
        ).execute()
        ids = [t.id for t in Tenant.select(Tenant.id)]
        TenantQuota.insert_many(
            [{"tenant": i, "max_documents": documents // tenants} for i in ids]
        ).execute()
        TenantBilling.insert_many([{"tenant": i, "updated_at": now} for i in ids]).execute()
    rng = random.Random(3)
    stamp = to_db_time(now)
    statuses = [DocumentStatus.CLASSIFIED] * 8 + [
        DocumentStatus.EXPIRED,
        DocumentStatus.DEAD_LETTERED,
    ]
    fields: list[peewee.Field[Any]] = [D.tenant, D.filename, D.content_type, D.size_bytes, D.storage_path, D.status, D.retry_count,
              D.created_at, D.updated_at]  # fmt: skip
    chunk = 20_000
    for start in range(0, documents, chunk):
        rows = [
            (
                rng.choice(ids),
                "doc.txt",
                "text/plain",
                rng.randrange(500, 5000),
                f"t/{n}",
                rng.choice(statuses),
                0,
                stamp,
                stamp,
            )
            for n in range(start, min(start + chunk, documents))
        ]
        with write_transaction():
            insert_rows(D, fields, rows)
        say(f"  {min(start + chunk, documents):,} documents")


def original_loop() -> None:
    """The per-tenant ORM loop of the original system, both jobs."""
    for tenant in Tenant.select():
        docs = list(D.select().where((D.tenant == tenant) & (D.status != DocumentStatus.EXPIRED)))
        count, size = len(docs), sum(d.size_bytes for d in docs)
        quota = TenantQuota.get(TenantQuota.tenant == tenant)
        quota.document_count, quota.used_bytes = count, size
        quota.is_blocked = over_limit(count, size, quota.max_documents, quota.max_bytes)
        quota.save()
    for tenant in Tenant.select():
        docs = list(D.select().where((D.tenant == tenant) & (D.status != DocumentStatus.EXPIRED)))
        UsageReport.create(
            tenant=tenant, period="original", document_count=len(docs), byte_count=sum(d.size_bytes for d in docs),
            idempotency_key=f"original-{tenant.id}", status=ReportStatus.RECORDED,
        )  # fmt: skip


def run(
    *, tenants: int, documents: int, database_url: str | None, say: Callable[[str], Any] = print
) -> Result:
    workdir = Path(tempfile.mkdtemp(prefix="docflow-bench-tenants-"))
    try:
        with contextlib.ExitStack() as stack:
            url = (
                stack.enter_context(scratch_postgres(database_url, prefix="docflow_bench"))
                if database_url
                else (f"sqlite:///{workdir / 'bench.sqlite3'}")
            )
            settings = Settings.from_env(
                {"DOCFLOW_DATABASE_URL": url, "DOCFLOW_LOG_LEVEL": "WARNING"}
            )
            with open_database(settings) as db:
                migrate(db)
                say(f"seeding {tenants:,} tenants and {documents:,} documents ...")
                _seed(tenants, documents, say)
                if is_postgres(db):
                    # What autovacuum would soon do after a bulk load: statistics for the
                    # planner and a visibility map for index-only scans, for both runs alike.
                    db.execute_sql("VACUUM ANALYZE")
                say("ours: check_quotas + report_usage ...")
                started = time.perf_counter()
                check_quotas.run(settings=settings)
                # An hour on, so the period reported is one the seeded tenants lived through.
                later = utcnow() + timedelta(hours=1)
                summary = report_usage.run(settings=settings, now=lambda: later)
                if summary["counts"].get("created") != tenants:
                    raise RuntimeError(
                        f"report_usage did not report every tenant: {summary['counts']}"
                    )
                ours = time.perf_counter() - started
                say("original: per-tenant ORM loops ...")
                started = time.perf_counter()
                original_loop()
                original = time.perf_counter() - started
            backend = "PostgreSQL" if database_url else "SQLite"
            return Result(backend, tenants, documents, ours, original)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def render(result: Result) -> str:
    return (
        f"quota check + usage report, {result.tenants:,} tenants, {result.documents:,} documents, {result.backend}\n"
        f"  ours (aggregate SQL, bulk writes)   {result.ours_seconds:8.2f} s\n"
        f"  original (per-tenant ORM loops)    {result.original_seconds:8.2f} s\n"
        f"  original/ours = {result.ratio:.0f}x"
    )
