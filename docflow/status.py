"""`docflow status`: what the system holds and does, from the database and Redis."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import peewee
import redis
from rq import Queue, Worker
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

from docflow import schedule
from docflow.db import dict_rows, tuple_rows
from docflow.errors import QueueError
from docflow.models import (
    Document,
    DocumentStatus,
    EventStatus,
    JobRun,
    Tenant,
    WebhookEndpoint,
    WebhookEvent,
    utcnow,
)
from docflow.queues import PRIORITIES, connect_redis, get_queue
from docflow.settings import Settings
from docflow.texttable import text_table
from docflow.timefmt import when_text

RECENT = timedelta(hours=24)
RUN_OUTCOMES = ("succeeded", "failed", "abandoned", "running")


def counts_by_status() -> dict[str, int]:
    query = Document.select(Document.status, peewee.fn.COUNT(Document.id)).group_by(Document.status)
    return dict(tuple_rows(query))


def event_counts() -> tuple[dict[str, int], int]:
    """Webhook events by status, and how many wait for delivery to an enabled endpoint."""
    E = WebhookEvent
    counts = dict(tuple_rows(E.select(E.status, peewee.fn.COUNT(E.id)).group_by(E.status)))
    enabled = WebhookEndpoint.select(WebhookEndpoint.id).where(WebhookEndpoint.enabled)
    waiting = (
        E.select()
        .where(E.status.in_([EventStatus.PENDING, EventStatus.FAILED]) & E.endpoint.in_(enabled))
        .count()
    )
    return counts, waiting


def collect(settings: Settings, now: datetime | None = None) -> dict[str, Any]:
    by_tenant: dict[str, dict[str, int]] = {}
    query = (
        Document.select(Tenant.name, Document.status, peewee.fn.COUNT(Document.id))
        .join(Tenant)
        .group_by(Tenant.name, Document.status)
    )
    for tenant, status, count in tuple_rows(query):
        by_tenant.setdefault(tenant, {})[status] = count
    last_runs = list(
        dict_rows(
            JobRun.select(
                JobRun.job, JobRun.outcome, JobRun.started_at, JobRun.finished_at, JobRun.counts
            )
            .where(JobRun.id.in_(JobRun.select(peewee.fn.MAX(JobRun.id)).group_by(JobRun.job)))
            .order_by(JobRun.job)
        )
    )
    since = (now or utcnow()) - RECENT
    recent: dict[str, dict[str, int]] = {}
    for job, outcome, count in tuple_rows(
        JobRun.select(JobRun.job, JobRun.outcome, peewee.fn.COUNT(JobRun.id))
        .where(JobRun.started_at >= since)
        .group_by(JobRun.job, JobRun.outcome)
    ):
        recent.setdefault(job, {})[outcome] = count
    report: dict[str, Any] = {"documents": by_tenant, "last_runs": last_runs, "recent_runs": recent}
    try:
        conn = connect_redis(settings.redis_url)
        report["queues"] = [_queue_stats(get_queue(conn, settings, p)) for p in PRIORITIES]
        report["periodic"] = schedule.listing(
            conn, settings, {r["job"]: r["started_at"] for r in last_runs}
        )
        report["workers"] = [
            {"name": w.name, "state": w.get_state(), "job": (w.get_current_job_id() or "")}
            for w in Worker.all(connection=conn)
        ]
    except (QueueError, redis.RedisError) as exc:
        report["redis_error"] = str(exc)
    return report


def jobs_in_flight(conn: redis.Redis, settings: Settings) -> int:
    """Jobs queued or running on the DocFlow queues."""
    queues = [get_queue(conn, settings, p) for p in PRIORITIES]
    return sum(q.count + StartedJobRegistry(queue=q).count for q in queues)


def _queue_stats(queue: Queue) -> dict[str, Any]:
    return {
        "name": queue.name,
        "queued": queue.count,
        "started": StartedJobRegistry(queue=queue).count,
        "failed": FailedJobRegistry(queue=queue).count,
        "scheduled": ScheduledJobRegistry(queue=queue).count,
    }


def render(report: dict[str, Any]) -> str:
    out = ["Documents by tenant and status"]
    statuses = list(DocumentStatus.ALL)
    rows = [
        [t, *(counts.get(s, 0) for s in statuses), sum(counts.values())]
        for t, counts in sorted(report["documents"].items())
    ]
    totals = [sum(r[i + 1] for r in rows) for i in range(len(statuses) + 1)]
    rows.append(["all", *totals])
    out.append(text_table(["tenant", *statuses, "total"], rows))
    out.append("")
    if "redis_error" in report:
        out.append(f"Redis: unreachable ({report['redis_error']})")
    else:
        out.append("Queues")
        out.append(
            text_table(
                ["queue", "queued", "started", "failed", "scheduled"],
                [list(q.values()) for q in report["queues"]],
            )
        )
        out.append("")
        out.append("Periodic jobs")
        out.append(
            text_table(
                ["job", "cron", "last run", "next run"],
                [
                    [p["job"], p["cron"], when_text(p["last_run"]), when_text(p["next_run"])]
                    for p in report["periodic"]
                ],
            )
        )
        out.append("")
        workers = report["workers"]
        out.append(f"Workers: {len(workers)}")
        if workers:
            out.append(
                text_table(["name", "state", "current job"], [list(w.values()) for w in workers])
            )
    out.append("")
    out.append("Last run of each job")
    if report["last_runs"]:
        rows = [
            [
                r["job"],
                r["outcome"],
                when_text(r["started_at"]),
                " ".join(f"{k}={v}" for k, v in sorted((r["counts"] or {}).items())),
            ]
            for r in report["last_runs"]
        ]
        out.append(text_table(["job", "outcome", "started", "counts"], rows))
    else:
        out.append("(no runs yet)")
    recent = report.get("recent_runs") or {}
    if recent:
        out.append("")
        out.append("Runs in the last 24 hours (abandoned: the worker died; they count as failures)")
        rows = []
        for job, outcomes in sorted(recent.items()):
            ended = sum(n for o, n in outcomes.items() if o != "running")
            ok = outcomes.get("succeeded", 0)
            rate = f"{100 * ok / ended:.1f}%" if ended else "-"
            rows.append([job, *(str(outcomes.get(o, 0)) for o in RUN_OUTCOMES), rate])
        out.append(text_table(["job", *RUN_OUTCOMES, "success"], rows))
    return "\n".join(out)
