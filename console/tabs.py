"""The tables of each console tab but the DLQ (see console/dlq.py), from the database and Redis.

Every query is bounded: large tables are filtered and limited in SQL and counted through
an index; only small results (tenants x statuses, per-job windows) are shaped in Python.
"""

from __future__ import annotations

import math
from datetime import datetime

import peewee
import redis
from peewee import SQL, fn
from rq import Worker
from rq.registry import (
    DeferredJobRegistry,
    FailedJobRegistry,
    ScheduledJobRegistry,
    StartedJobRegistry,
)

from console.cells import View, filtered, scrub, seconds, table, yes_no
from console.snapshot import Bar, Row, Table
from docflow import documents as documents_mod
from docflow import review as review_mod
from docflow import schedule
from docflow.db import dict_rows, tuple_rows
from docflow.models import (
    Document,
    DocumentStatus,
    EventStatus,
    JobRun,
    Tenant,
    TenantBilling,
    TenantQuota,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookEvent,
)
from docflow.queues import PRIORITIES, get_queue, paused
from docflow.redaction import without_userinfo
from docflow.registry import all_jobs
from docflow.services.webhooks.signing import mask_secret
from docflow.settings import Settings
from docflow.timefmt import when_text

D, E, W, R = Document, WebhookEvent, WebhookEndpoint, JobRun
STATS_WINDOW = 200  # runs per job the success rate and percentiles are computed over
THROUGHPUT_RUNS = 20
ERROR_WIDTH = 80


# --- queues -------------------------------------------------------------------------------


def queues(conn: redis.Redis, settings: Settings, view: View) -> tuple[list[Table], list[str]]:
    stopped = paused(conn, settings)
    queue_objs = [get_queue(conn, settings, p) for p in PRIORITIES]
    pipe = conn.pipeline(transaction=False)
    for q in queue_objs:
        pipe.llen(q.key)
        # ZCARD, not the registries' .count: that runs RQ's cleanup, a write the console
        # must not make on every refresh.
        for registry in (StartedJobRegistry, FailedJobRegistry, ScheduledJobRegistry,
                         DeferredJobRegistry):  # fmt: skip
            pipe.zcard(registry(queue=q).key)
    counts = pipe.execute()
    rows = []
    for i, (priority, q) in enumerate(zip(PRIORITIES, queue_objs, strict=True)):
        queued, started, failed, scheduled, deferred = counts[i * 5 : i * 5 + 5]
        cells = (q.name, queued, started, failed, scheduled, deferred, yes_no(priority in stopped))
        rows.append(Row(f"queue:{priority}", cells))
    names = {q.name: p for p, q in zip(PRIORITIES, queue_objs, strict=True)}
    worker_rows = []
    for w in sorted(Worker.all(connection=conn), key=lambda w: w.name):
        ours = [names[n] for n in w.queue_names() if n in names]
        if ours:
            state = (w.name, w.get_state(), ", ".join(ours), w.get_current_job_id() or "-")
            worker_rows.append(Row(f"worker:{w.name}", state))
    periodic_rows = [
        Row(
            f"periodic:{e['job']}",
            (e["job"], e["cron"], when_text(e["last_run"]), when_text(e["next_run"])),
        )
        for e in schedule.listing(conn, settings, schedule.last_runs())
    ]
    tables = [
        filtered(
            view,
            "queues",
            "Queues",
            ("queue", "queued", "started", "failed", "scheduled", "deferred", "paused"),
            rows,
        ),  # fmt: skip
        filtered(
            view, "workers", "Workers", ("worker", "state", "queues", "current job"), worker_rows
        ),  # fmt: skip
        filtered(
            view,
            "periodic",
            "Periodic jobs",
            ("job", "cron", "last run", "next run"),
            periodic_rows,
        ),  # fmt: skip
    ]
    notes = [f"paused: {', '.join(p for p in PRIORITIES if p in stopped)}"] if stopped else []
    return tables, notes


# --- documents ----------------------------------------------------------------------------


def documents(view: View) -> list[Table]:
    tenants = Tenant.select(Tenant.id, Tenant.name)
    if view.filter:
        tenants = tenants.where(Tenant.name.contains(view.filter))
    names: dict[int, str] = dict(tuple_rows(tenants))
    counts: dict[int, dict[str, int]] = {t: {} for t in names}
    # GROUP BY (status, tenant) reads the (status, tenant) index alone.
    query = D.select(D.status, D.tenant, fn.COUNT(SQL("*"))).group_by(D.status, D.tenant)
    if view.filter:
        query = query.where(D.tenant.in_(list(names)))
    for status, tenant_id, count in tuple_rows(query):
        counts.setdefault(tenant_id, {})[status] = count
    statuses = DocumentStatus.ALL
    columns = ("tenant", *statuses, "total")
    everything = {s: sum(c.get(s, 0) for c in counts.values()) for s in statuses}
    all_row = Row("all:documents", ("all", *everything.values(), sum(everything.values())))
    ordered = sorted(names.items(), key=lambda item: item[1])
    rows = [
        Row(
            f"tenant:{name}",
            (name, *(counts[i].get(s, 0) for s in statuses), sum(counts[i].values())),
        )  # fmt: skip
        for i, name in ordered[: view.limit]
    ]
    # The "all" row is one of the rows shown, so it counts in the total too.
    by_tenant = table("by_tenant", "Documents by tenant and status", columns, [all_row, *rows],
                      len(names) + 1)  # fmt: skip
    return [by_tenant, _recent(view), _throughput(min(view.limit, THROUGHPUT_RUNS))]


def _recent(view: View) -> Table:
    """The newest documents, as `docflow documents list` shows them; enter opens one."""
    found = [d for d in documents_mod.listing(limit=max(view.limit, 1))
             if not view.filter or view.filter.lower() in f"{d['tenant']} {d['filename']}".lower()]  # fmt: skip
    rows = [
        Row(f"doc:{d['id']}", (d["id"], d["tenant"], scrub(d["filename"], 40), d["format"],
                               d["method"], d["status"], d["category"], d["route"], d["parent_id"]))
        for d in found
    ]  # fmt: skip
    columns = ("id", "tenant", "filename", "format", "read by", "status", "category", "route",
               "attached to")  # fmt: skip
    return table("recent", "Recent documents", columns, rows, len(rows))


def _throughput(limit: int) -> Table:
    where = R.job == "classify_documents"
    runs = R.select().where(where).order_by(R.started_at.desc()).limit(limit)
    rows = []
    for run in runs:
        took = seconds(run.started_at, run.finished_at)
        counts = run.counts or {}
        done = counts.get("classified", 0)
        rate = round(done / took, 1) if took else None
        cells = (when_text(run.started_at), took, done, counts.get("failed", 0), rate)
        rows.append(Row(f"run:{run.id}", cells))
    columns = ("started", "seconds", "classified", "failed", "docs/s")
    return table("throughput", "Classification throughput (recent runs)", columns, rows,
                 R.select().where(where).count())  # fmt: skip


# --- review -------------------------------------------------------------------------------


def review(view: View) -> list[Table]:
    waiting = review_mod.waiting(limit=view.limit, search=view.filter)
    rows = [
        Row(f"doc:{d['id']}", (d["id"], d["tenant"], scrub(d["filename"], 40),
                               review_mod.suggestions_text(d["suggestions"]),
                               when_text(datetime.fromisoformat(d["created_at"]))))
        for d in waiting
    ]  # fmt: skip
    columns = ("id", "tenant", "filename", "suggestions", "uploaded")
    total = review_mod.count_waiting(search=view.filter)
    decided, decided_total = review_mod.recent_decisions(search=view.filter, limit=view.limit)
    decision_rows = [
        Row(f"doc:{d['document_id']}", (d["document_id"], d["tenant"], d["category"],
                                        d["source"], scrub(d["actor"], 40), when_text(d["at"])))
        for d in decided
    ]  # fmt: skip
    return [
        table("waiting", "Waiting for an operator, oldest first", columns, rows, total),
        table(
            "decided",
            "Recent decisions (labels the classifier learns from)",
            ("document", "tenant", "category", "source", "by", "at"),
            decision_rows,
            decided_total,
        ),  # fmt: skip
    ]


# --- retries ------------------------------------------------------------------------------


def retries(view: View) -> list[Table]:
    where = D.status == DocumentStatus.FAILED
    if view.filter:
        f = view.filter
        where &= Tenant.name.contains(f) | D.filename.contains(f) | D.last_error.contains(f)
    base = D.select(D.id).join(Tenant).where(where)
    query = (
        D.select(D.id, Tenant.name, D.filename, D.retry_count, D.next_retry_at, D.last_error)
        .join(Tenant)
        .where(where)
        .order_by(D.next_retry_at, D.id)
        .limit(view.limit)
    )
    rows = [
        Row(
            f"doc:{d.id}",
            (
                d.id,
                d.tenant.name,
                d.filename,
                d.retry_count,
                when_text(d.next_retry_at),
                scrub(d.last_error, ERROR_WIDTH),
            ),
        )  # fmt: skip
        for d in query
    ]
    columns = ("id", "tenant", "filename", "retries", "next attempt", "last error")
    return [table("retries", "Failed documents waiting for a retry", columns, rows, base.count())]


# --- tenants ------------------------------------------------------------------------------


def tenants(view: View) -> list[Table]:
    Q, B = TenantQuota, TenantBilling
    where = Tenant.name.contains(view.filter) if view.filter else True
    query = (
        Tenant.select(
            Tenant.name,
            Q.document_count,
            Q.max_documents,
            Q.used_bytes,
            Q.max_bytes,
            Q.is_blocked,
            B.status.alias("billing"),
            B.grace_period_ends_at,
        )  # fmt: skip
        .join(Q, peewee.JOIN.LEFT_OUTER, on=Q.tenant == Tenant.id)
        .join(B, peewee.JOIN.LEFT_OUTER, on=B.tenant == Tenant.id, src=Tenant)
        .where(where)
        .order_by(Tenant.name)
        .limit(view.limit)
    )
    rows = [
        Row(
            f"tenant:{t['name']}",
            (
                t["name"],
                Bar(t["document_count"] or 0, t["max_documents"], "docs"),
                Bar(t["used_bytes"] or 0, t["max_bytes"], "bytes"),
                yes_no(t["is_blocked"]),
                t["billing"] or "-",
                when_text(t["grace_period_ends_at"]),
            ),
        )  # fmt: skip
        for t in dict_rows(query)
    ]
    columns = ("tenant", "documents", "bytes", "blocked", "billing", "grace ends")
    total = Tenant.select().where(where).count()
    return [table("tenants", "Tenants", columns, rows, total)]


# --- webhooks -----------------------------------------------------------------------------


def secret_cell(secret: str | None) -> str:
    return mask_secret(secret) if secret else "global"


def webhooks(view: View) -> list[Table]:
    return [_endpoints(view), *_events(view)]


def _endpoints(view: View) -> Table:
    f = view.filter
    where = (Tenant.name.contains(f) | W.url.contains(f)) if f else True
    endpoints = (
        W.select(W.id, Tenant.name, W.url, W.secret, W.enabled, W.disabled_reason)
        .join(Tenant).where(where).order_by(Tenant.name, W.id).limit(view.limit)
    )  # fmt: skip
    rows = [
        Row(
            f"endpoint:{e.id}",
            (
                e.id,
                e.tenant.name,
                without_userinfo(e.url),
                secret_cell(e.secret),
                yes_no(e.enabled),
                scrub(e.disabled_reason, ERROR_WIDTH),
            ),
        )  # fmt: skip
        for e in endpoints
    ]
    columns = ("id", "tenant", "url", "secret", "enabled", "disabled reason")
    total = W.select().join(Tenant).where(where).count()
    return table("endpoints", "Endpoints", columns, rows, total)


def _events(view: View) -> list[Table]:
    f = view.filter
    by_status = dict(tuple_rows(E.select(E.status, fn.COUNT(SQL("*"))).group_by(E.status)))
    status_rows = [Row(f"status:{s}", (s, by_status.get(s, 0))) for s in EventStatus.ALL]
    where = (
        (E.id.contains(f) | Tenant.name.contains(f) | E.type.contains(f) | E.status.contains(f))
        if f
        else True
    )
    recent = list(
        E.select(E.id, Tenant.name, E.type, E.status, E.last_status_code, E.next_attempt_at)
        .join(Tenant).where(where).order_by(E.created_at.desc(), E.id).limit(view.limit)
    )  # fmt: skip
    # Every try, across DLQ requeues (the event's own counter restarts with each).
    A = WebhookAttempt
    tried = dict(tuple_rows(A.select(A.event, fn.COUNT(A.id))
                            .where(A.event.in_([e.id for e in recent])).group_by(A.event)))  # fmt: skip
    recent_rows = [
        Row(
            f"event:{e.id}",
            (
                e.id,
                e.tenant.name,
                e.type,
                e.status,
                tried.get(e.id, 0),
                e.last_status_code,
                when_text(e.next_attempt_at),
            ),
        )  # fmt: skip
        for e in recent
    ]
    columns = ("event", "tenant", "type", "status", "attempts", "last code", "next attempt")
    total = E.select().join(Tenant).where(where).count() if f else sum(by_status.values())
    return [
        table("events", "Events by status", ("status", "events"), status_rows),
        table("recent", "Recent events", columns, recent_rows, total),
    ]


def counts_summary(counts: dict[str, object] | None) -> str:
    return " ".join(f"{k}={v}" for k, v in sorted((counts or {}).items()))


def history(view: View) -> list[Table]:
    f = view.filter
    where = (R.job.contains(f) | R.outcome.contains(f) | R.error.contains(f)) if f else True
    runs = R.select().where(where).order_by(R.id.desc()).limit(view.limit)
    run_rows = [
        Row(
            f"run:{r.id}",
            (
                r.id,
                r.job,
                r.outcome,
                when_text(r.started_at),
                seconds(r.started_at, r.finished_at),
                counts_summary(r.counts),
                scrub(r.error, ERROR_WIDTH),
            ),
        )  # fmt: skip
        for r in runs
    ]
    jobs = [j for j in all_jobs() if not f or f.lower() in j.lower()]
    totals = dict(tuple_rows(R.select(R.job, fn.COUNT(SQL("*"))).group_by(R.job)))
    stat_rows = [Row(f"job:{job}", (job, totals.get(job, 0), *_stats(job))) for job in jobs]
    return [
        table(
            "runs",
            "Job runs, newest first",
            ("id", "job", "outcome", "started", "seconds", "counts", "error"),
            run_rows,
            R.select().where(where).count(),
        ),  # fmt: skip
        table(
            "stats",
            f"Per job (last {STATS_WINDOW} runs)",
            ("job", "runs", "success %", "p50 s", "p95 s"),
            stat_rows,
        ),  # fmt: skip
    ]


def _stats(job: str) -> tuple[float | None, float | None, float | None]:
    """Success rate and p50/p95 duration over the job's last runs (the job+started index)."""
    recent = list(
        tuple_rows(
            R.select(R.started_at, R.finished_at, R.outcome)
            .where(R.job == job)
            .order_by(R.started_at.desc())
            .limit(STATS_WINDOW)
        )
    )
    finished = [(o, seconds(s, e)) for s, e, o in recent if e is not None]
    if not finished:
        return None, None, None
    ok = sum(1 for outcome, _ in finished if outcome == "succeeded")
    durations = sorted(d for _, d in finished if d is not None)
    return round(100 * ok / len(finished), 1), percentile(durations, 50), percentile(durations, 95)


def percentile(ordered: list[float], pct: float) -> float | None:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return None
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def run_fields(run: JobRun) -> tuple[tuple[str, str], ...]:
    return (
        ("run", str(run.id)),
        ("job", run.job),
        ("outcome", run.outcome),
        ("rq job", run.rq_job_id or "-"),
        ("worker", run.worker or "-"),
        ("args", counts_summary(run.args) or "-"),
        ("started", when_text(run.started_at)),
        ("finished", when_text(run.finished_at)),
        ("seconds", str(seconds(run.started_at, run.finished_at) or "-")),
        ("counts", counts_summary(run.counts) or "-"),
        ("error", scrub(run.error) or "-"),
    )
