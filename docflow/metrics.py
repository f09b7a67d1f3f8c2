"""What DocFlow holds and does, as Prometheus metrics, from the database and Redis.

One collection reads a few bounded aggregate queries (every one a GROUP BY over indexed
columns or a top N) and a handful of Redis counts, and is cached for
``DOCFLOW_METRICS_CACHE_SECONDS``: Prometheus scraping every 15 s, and several of them,
cost one collection per interval, not one per scrape. Labels stay bounded: job, queue,
status, category, route, outcome; tenant only with ``DOCFLOW_METRICS_TENANT_LABELS``, since
tenants can be many. When the database or Redis cannot be read, its metrics are left out
and ``docflow_up{component=...}`` says 0: a scrape never fails because a component does.
"""

from __future__ import annotations

import logging
import platform
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import peewee
import redis
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
)
from prometheus_client.registry import Collector, CollectorRegistry
from rq import Worker
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

from docflow import schedule
from docflow.db import is_postgres, tuple_rows
from docflow.errors import DocflowError
from docflow.models import (
    BillingStatus,
    Document,
    DocumentStatus,
    EventStatus,
    JobRun,
    Label,
    LabelSource,
    Tenant,
    TenantBilling,
    TenantQuota,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookEvent,
    utcnow,
)
from docflow.queues import PRIORITIES, connect_redis, get_queue
from docflow.settings import MANUAL_REVIEW_ROUTE, Settings

log = logging.getLogger(__name__)

Family = GaugeMetricFamily | CounterMetricFamily | HistogramMetricFamily | InfoMetricFamily

TOP_GROUPS = 10
"""DLQ error groups exported per source: the largest ones, so the label set stays small."""
LATENCY_BUCKETS_SECONDS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0)
DURATION_BUCKETS_SECONDS = (0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0)
COMPONENTS = ("database", "redis")


def build_version() -> str:
    try:
        return version("docflow")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


class DocflowCollector(Collector):
    """The collector a registry scrapes; ``collect`` serves the cached families."""

    def __init__(
        self, settings: Settings, db: peewee.Database, *, now: Callable[[], datetime] = utcnow
    ) -> None:
        self.settings = settings
        self.db = db
        self.now = now
        self._lock = threading.Lock()
        self._cached: list[Family] = []
        self._at = float("-inf")

    def collect(self) -> Iterator[Family]:
        with self._lock:
            if time.monotonic() - self._at >= self.settings.metrics_cache_seconds:
                self._cached = self.fresh()
                self._at = time.monotonic()
            return iter(list(self._cached))

    def fresh(self) -> list[Family]:
        """A new collection, uncached."""
        up = GaugeMetricFamily("docflow_up", "1 when the component could be read, else 0",
                               labels=["component"])  # fmt: skip
        info = InfoMetricFamily("docflow_build", "DocFlow's version and Python's")
        info.add_metric([], {"version": build_version(), "python": platform.python_version()})
        families: list[Family] = [info]
        for component, read in (("database", self._database), ("redis", self._redis)):
            started = time.perf_counter()
            try:
                found = list(read())
            except (DocflowError, peewee.PeeweeException, redis.RedisError, OSError) as exc:
                log.warning("metrics: cannot read the %s: %s", component, exc)
                up.add_metric([component], 0)
                continue
            up.add_metric([component], 1)
            families += found
            log.debug("metrics: %s read in %.3fs", component, time.perf_counter() - started)
        return [up, *families]

    def _database(self) -> Iterable[Family]:
        # A connection of its own per collection: one a restart or a terminated backend
        # killed is never reused.
        with self.db.connection_context():
            return list(_database_families(self.settings, self.now()))

    def _redis(self) -> Iterable[Family]:
        conn = connect_redis(self.settings.redis_url)
        try:
            return list(_redis_families(conn, self.settings))
        finally:
            conn.close()


def registry(settings: Settings, db: peewee.Database) -> CollectorRegistry:
    """A registry holding DocFlow's collector over ``db`` (bound to the models)."""
    found = CollectorRegistry(auto_describe=False)
    found.register(DocflowCollector(settings, db))
    return found


def _gauge(
    name: str, doc: str, labels: Sequence[str], rows: Iterable[tuple[Any, ...]],
    known: Sequence[str] = (),
) -> Family:  # fmt: skip
    """A gauge of ``(label values..., value)`` rows; each of ``known`` (values of a single
    label) is exported, as 0 when no row has it, so alerts see a zero and not an absence."""
    family = GaugeMetricFamily(name, doc, labels=list(labels))
    found = {tuple(str(v) for v in values): float(count) for *values, count in rows}
    for value in known:
        found.setdefault((value,), 0.0)
    for values, count in found.items():
        family.add_metric(list(values), count)
    return family


def _database_families(settings: Settings, now: datetime) -> Iterator[Family]:
    D, E = Document, WebhookEvent
    count = peewee.fn.COUNT(peewee.SQL("*"))
    yield _gauge("docflow_documents", "Documents by status", ["status"],
                 tuple_rows(D.select(D.status, count).group_by(D.status)),
                 DocumentStatus.ALL)  # fmt: skip
    if settings.metrics_tenant_labels:
        yield _gauge("docflow_tenant_documents", "Documents by tenant and status",
                     ["tenant", "status"],
                     tuple_rows(D.select(Tenant.name, D.status, count).join(Tenant)
                                .group_by(Tenant.name, D.status)))  # fmt: skip
    routed = list(tuple_rows(
        D.select(D.category, D.route, count).where(D.status == DocumentStatus.CLASSIFIED)
        .group_by(D.category, D.route)
    ))  # fmt: skip
    yield _gauge("docflow_classified_documents", "Classified documents by category and route",
                 ["category", "route"], routed)  # fmt: skip
    total = sum(n for *_, n in routed)
    review = sum(n for _, route, n in routed if route == MANUAL_REVIEW_ROUTE)
    shares = GaugeMetricFamily(
        "docflow_classification_share",
        "Of the classified documents: routed automatically, or sent to the review queue",
        labels=["decision"],
    )
    if total:
        shares.add_metric(["automatic"], (total - review) / total)
        shares.add_metric(["review"], review / total)
    yield shares
    yield from _labels()
    yield from _dlq()
    yield _gauge("docflow_webhook_events", "Webhook events by status", ["status"],
                 tuple_rows(E.select(E.status, count).group_by(E.status)), EventStatus.ALL)  # fmt: skip
    W = WebhookEndpoint
    enabled = dict(tuple_rows(W.select(W.enabled, count).group_by(W.enabled)))
    yield _gauge("docflow_webhook_endpoints", "Webhook endpoints, enabled or disabled", ["state"],
                 [("enabled", enabled.get(True, 0)), ("disabled", enabled.get(False, 0))])  # fmt: skip
    yield _latency()
    yield from _runs(settings, now)
    yield from _tenants()


def _labels() -> Iterator[Family]:
    L = Label
    count = peewee.fn.COUNT(peewee.SQL("*"))
    yield _gauge("docflow_labels", "Training labels by source (operator decisions, imports)",
                 ["source"], tuple_rows(L.select(L.source, count).group_by(L.source)),
                 LabelSource.ALL)  # fmt: skip


def _dlq() -> Iterator[Family]:
    count = peewee.fn.COUNT(peewee.SQL("*"))
    sizes = GaugeMetricFamily("docflow_dlq_items", "Dead-lettered items by source",
                              labels=["source"])  # fmt: skip
    groups = GaugeMetricFamily(
        "docflow_dlq_group_items",
        f"Dead-lettered items of the {TOP_GROUPS} largest error groups per source",
        labels=["source", "fingerprint"],
    )
    dead = (("document", Document, DocumentStatus.DEAD_LETTERED),
            ("webhook_event", WebhookEvent, EventStatus.DEAD_LETTERED))  # fmt: skip
    for source, model, status in dead:
        where = model.status == status
        sizes.add_metric([source], float(model.select().where(where).count()))
        fp = model.error_fingerprint
        top = tuple_rows(model.select(fp, count).where(where).group_by(fp)
                         .order_by(count.desc()).limit(TOP_GROUPS))  # fmt: skip
        for fingerprint, n in top:
            groups.add_metric([source, fingerprint or "none"], float(n))
    yield sizes
    yield groups


def _latency() -> Family:
    """Delivery attempts and their latency, cumulated over every attempt recorded."""
    A = WebhookAttempt
    edges = [peewee.fn.SUM(peewee.Case(None, [(A.latency_ms <= 1000 * b, 1)], 0))
             for b in LATENCY_BUCKETS_SECONDS]  # fmt: skip
    row = A.select(peewee.fn.COUNT(A.id), peewee.fn.SUM(A.latency_ms), *edges).tuples().first()
    total, summed, *cumulative = row or (0, 0, *([0] * len(edges)))
    buckets = [(str(b), float(c or 0)) for b, c in zip(LATENCY_BUCKETS_SECONDS, cumulative,
                                                        strict=True)]  # fmt: skip
    buckets.append(("+Inf", float(total or 0)))
    family = HistogramMetricFamily("docflow_webhook_attempt_latency_seconds",
                                   "Webhook delivery attempts by latency")  # fmt: skip
    family.add_metric([], buckets, sum_value=float(summed or 0) / 1000)
    return family


def _runs(settings: Settings, now: datetime) -> Iterator[Family]:
    R = JobRun
    count = peewee.fn.COUNT(peewee.SQL("*"))
    runs = CounterMetricFamily("docflow_job_runs", "Job runs by job and outcome",
                               labels=["job", "outcome"])  # fmt: skip
    for job, outcome, n in tuple_rows(R.select(R.job, R.outcome, count).group_by(R.job, R.outcome)):
        runs.add_metric([job, outcome], float(n))
    yield runs
    yield _durations()
    last = GaugeMetricFamily("docflow_job_last_success_age_seconds",
                             "Seconds since the last successful run of each job", labels=["job"])  # fmt: skip
    query = (R.select(R.job, peewee.fn.MAX(R.finished_at)).where(R.outcome == "succeeded")
             .group_by(R.job))  # fmt: skip
    for job, finished in tuple_rows(query):
        at = R.finished_at.python_value(finished)
        if at is not None:
            last.add_metric([job], max(0.0, (now - at).total_seconds()))
    yield last
    interval = GaugeMetricFamily(
        "docflow_job_interval_seconds",
        "Seconds between two scheduled runs of each periodic job (for staleness alerts)",
        labels=["job"],
    )
    for entry in schedule.entries(settings):
        if entry.cron:
            first = schedule.next_run(entry.cron, now)
            interval.add_metric([entry.name],
                                (schedule.next_run(entry.cron, first) - first).total_seconds())  # fmt: skip
    yield interval


def _durations() -> Family:
    """Finished runs by duration, per job: one aggregate over the finished rows."""
    R = JobRun
    seconds = _seconds_between(R.started_at, R.finished_at)
    edges = [peewee.fn.SUM(peewee.Case(None, [(seconds <= b, 1)], 0))
             for b in DURATION_BUCKETS_SECONDS]  # fmt: skip
    family = HistogramMetricFamily("docflow_job_run_duration_seconds",
                                   "Finished job runs by duration", labels=["job"])  # fmt: skip
    query = (R.select(R.job, peewee.fn.COUNT(R.id), peewee.fn.SUM(seconds), *edges)
             .where(R.finished_at.is_null(False)).group_by(R.job))  # fmt: skip
    for job, total, summed, *cumulative in tuple_rows(query):
        buckets = [(str(b), float(c or 0)) for b, c in zip(DURATION_BUCKETS_SECONDS, cumulative,
                                                            strict=True)]  # fmt: skip
        buckets.append(("+Inf", float(total)))
        family.add_metric([job], buckets, sum_value=float(summed or 0))
    return family


def _seconds_between(start: peewee.Field[Any], end: peewee.Field[Any]) -> peewee.ColumnBase:
    if is_postgres():
        return peewee.fn.date_part("epoch", end - start)
    # SQLite stores UTC text; julianday is in days.
    return (peewee.fn.julianday(end) - peewee.fn.julianday(start)) * 86400


def _tenants() -> Iterator[Family]:
    count = peewee.fn.COUNT(peewee.SQL("*"))
    state = GaugeMetricFamily("docflow_tenants", "Tenants: all, blocked by quota, read-only",
                              labels=["state"])  # fmt: skip
    state.add_metric(["all"], float(Tenant.select().count()))
    state.add_metric(["blocked"], float(TenantQuota.select().where(TenantQuota.is_blocked).count()))
    B = TenantBilling
    suspended = B.select(count).where(B.status == BillingStatus.READ_ONLY).scalar() or 0
    state.add_metric(["read_only"], float(suspended))
    yield state


def _redis_families(conn: redis.Redis, settings: Settings) -> Iterator[Family]:
    jobs = GaugeMetricFamily("docflow_queue_jobs", "RQ jobs per queue and state",
                             labels=["queue", "state"])  # fmt: skip
    for priority in PRIORITIES:
        queue = get_queue(conn, settings, priority)
        registries = (("queued", queue.count), ("started", StartedJobRegistry(queue=queue).count),
                      ("scheduled", ScheduledJobRegistry(queue=queue).count),
                      ("failed", FailedJobRegistry(queue=queue).count))  # fmt: skip
        for name, value in registries:
            jobs.add_metric([priority, name], float(value))
    yield jobs
    names = {get_queue(conn, settings, p).name for p in PRIORITIES}
    workers = [w for w in Worker.all(connection=conn) if names & set(w.queue_names())]
    alive = GaugeMetricFamily("docflow_workers", "Workers alive on DocFlow's queues, by state",
                              labels=["state"])  # fmt: skip
    states: dict[str, int] = {}
    for worker in workers:
        states[str(worker.get_state())] = states.get(str(worker.get_state()), 0) + 1
    for name in ("busy", "idle", "suspended"):
        alive.add_metric([name], float(states.pop(name, 0)))
    for name, n in states.items():
        alive.add_metric([name], float(n))
    yield alive
