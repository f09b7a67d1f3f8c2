"""`docflow bench classify`: classification throughput against its limit, in one run.

(a) the pipeline: classify_documents through real workers (``--workers``) on real Redis;
(b) the naive design, one RQ job per document (text only: the point of comparison);
(c) the limit, measured in the same run on the same documents:
    text: claim + classify + bulk write in a loop in this process, no queue;
    other formats: extraction alone in a tight loop, in as many processes as workers.

(a) and (c) alternate over ``rounds`` (every document back to Pending and unread between
them), after a warm-up; each is reported as its best round, so neither the order of the
runs nor a cold cache decides the ratio.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

from docflow import seed
from docflow.bench import extract_limit
from docflow.bench.workload import (
    PeakMemory,
    bench_settings,
    empty_queues,
    reset,
    settled,
    start_worker,
    wait,
    workers_ready,
)  # fmt: skip
from docflow.db import open_database, scratch_postgres
from docflow.jobs.classify import classify_documents
from docflow.migrations import migrate
from docflow.models import Document, DocumentStatus
from docflow.queues import connect_redis, get_queue
from docflow.services.classifier import load_classifier
from docflow.services.extract import Reader
from docflow.services.extract.sniff import format_of
from docflow.services.storage import Storage
from docflow.settings import MANUAL_REVIEW_ROUTE, Settings


@dataclass(frozen=True)
class Measurement:
    name: str
    documents: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else float("inf")


@dataclass
class Report:
    mix: str
    workers: int
    rounds: int
    measurements: list[Measurement] = field(default_factory=list)
    peak_rss_mb: float = 0.0

    def best(self, prefix: str) -> Measurement | None:
        found = [m for m in self.measurements if m.name.startswith(prefix)]
        return max(found, key=lambda m: m.per_second) if found else None


def classify_one(document_id: int) -> str:
    """The naive job a user writes first: one document, its own connection and commit."""
    settings = Settings.from_env()
    with open_database(settings):
        doc = Document.get_by_id(document_id)
        storage = Storage(settings.storage_root)
        with Reader(settings) as reader:
            text = reader.read(
                storage.real_path(doc.storage_path), format_of(doc.content_type)
            ).text
        result = load_classifier(settings).classify(
            text, filename=doc.filename, content_type=doc.content_type
        )
        doc.status = DocumentStatus.CLASSIFIED
        doc.category = result.category
        doc.confidence = result.confidence
        ok = result.confidence >= settings.min_confidence_ratio
        doc.route = settings.routes[result.category] if ok else MANUAL_REVIEW_ROUTE
        doc.save()
    return doc.category


def run(
    *, mix: str, documents: int, naive_documents: int, batch_size: int, workers: int,
    rounds: int, database_url: str | None, redis_url: str, say: Callable[[str], Any] = print,
) -> Report:  # fmt: skip
    """Measure on scratch data: a temporary folder, and a temporary database (SQLite, or on
    the PostgreSQL server of ``database_url``)."""
    workdir = Path(tempfile.mkdtemp(prefix="docflow-bench-"))
    try:
        with contextlib.ExitStack() as stack:
            if database_url:
                database_url = stack.enter_context(
                    scratch_postgres(database_url, prefix="docflow_bench")
                )
            else:
                database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            settings = bench_settings(workdir, database_url, redis_url)
            report = Report(mix, workers, rounds)
            with open_database(settings) as db:
                migrate(db)
                say(f"seeding {documents} {mix} documents in {workdir} ...")
                seed.seed(settings, tenants=10, documents=documents, unreadable_ratio=0,
                          random_seed=1, mix=mix)  # fmt: skip
                _measure(report, workdir, settings, batch_size, naive_documents, say)
            return report
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _limit(settings: Settings, mix: str, batch_size: int, workers: int) -> Measurement:
    if mix == "text":
        started = time.perf_counter()
        classify_documents.run({"batch_size": batch_size}, settings=settings)
        return Measurement(
            "c: claim+classify+bulk write, no queue", settled(), time.perf_counter() - started
        )
    storage = Storage(settings.storage_root)
    query = Document.select(Document.storage_path, Document.content_type).where(
        Document.parent.is_null()
    )
    files = [(storage.real_path(d.storage_path), format_of(d.content_type)) for d in query]
    done, seconds = extract_limit.measure(settings, files, workers)
    return Measurement(f"c: extraction alone, {workers} process(es)", done, seconds)


def _pipeline(conn: redis.Redis, settings: Settings, batch_size: int, workers: int) -> Measurement:
    started = time.perf_counter()
    jobs = [
        classify_documents.enqueue(conn, settings, {"batch_size": batch_size})
        for _ in range(workers)
    ]
    # Polling Redis, not the database, keeps the measurement from slowing the workers.
    wait(
        lambda: all(j.get_status(refresh=True) in ("finished", "failed") for j in jobs), 7200, 0.05
    )
    return Measurement(
        f"a: pipeline, {workers} RQ worker(s)", settled(), time.perf_counter() - started
    )


def _measure(
    report: Report, workdir: Path, settings: Settings, batch_size: int, naive: int,
    say: Callable[[str], Any],
) -> None:  # fmt: skip
    conn = connect_redis(settings.redis_url)
    procs = [start_worker(settings, workdir / f"worker{i}.log") for i in range(report.workers)]
    try:
        wait(lambda: workers_ready(conn, settings, report.workers), 60)
        say("warming up (one pipeline run, untimed) ...")
        _pipeline(conn, settings, batch_size, report.workers)
        reset()
        with PeakMemory([p.pid for p in procs]) as memory:
            for number in range(1, report.rounds + 1):
                say(f"round {number}/{report.rounds}: (c) limit ...")
                report.measurements.append(_limit(settings, report.mix, batch_size, report.workers))
                reset()
                say(f"round {number}/{report.rounds}: (a) pipeline ...")
                report.measurements.append(_pipeline(conn, settings, batch_size, report.workers))
                reset()
        report.peak_rss_mb = max(memory.peak.values()) / 1048576
        if report.mix == "text":
            report.measurements.append(_naive(conn, settings, naive, say))
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        empty_queues(conn, settings)


def _naive(
    conn: redis.Redis, settings: Settings, count: int, say: Callable[[str], Any]
) -> Measurement:
    say(f"(b) naive, one RQ job per document, {count} documents ...")
    ids = [d.id for d in Document.select(Document.id).order_by(Document.id).limit(count)]
    queue = get_queue(conn, settings, "default")
    started = time.perf_counter()
    with conn.pipeline() as pipe:
        for doc_id in ids:
            queue.enqueue(
                "docflow.bench.classify.classify_one", doc_id, pipeline=pipe, result_ttl=0
            )
        pipe.execute()
    wait(lambda: settled() == len(ids), 3600, interval=0.2)
    return Measurement("b: naive, one RQ job per document", len(ids), time.perf_counter() - started)


def render(report: Report, backend: str) -> str:
    lines = [
        f"classification throughput, {report.mix} documents, on {backend} "
        f"(best of {report.rounds} alternating rounds)",
        f"{'run':<44} {'docs':>8} {'seconds':>9} {'docs/s':>10}",
    ]
    shown = [m for m in (report.best("c"), report.best("a"), report.best("b")) if m]
    for m in shown:
        lines.append(f"{m.name:<44} {m.documents:>8} {m.seconds:>9.2f} {_rate(m.per_second):>10}")
    a, b, c = report.best("a"), report.best("b"), report.best("c")
    ratios = []
    if a and c:
        ratios.append(f"a/c = {a.per_second / c.per_second:.2f}")
    if a and b:
        ratios.append(f"a/b = {a.per_second / b.per_second:.0f}x")
    if a:
        ratios.append(f"{_rate(a.per_second / report.workers)} docs/s per worker")
    ratios.append(f"peak RSS of a worker and its children {report.peak_rss_mb:.0f} MB")
    lines.append("   ".join(ratios))
    return "\n".join(lines)


def _rate(per_second: float) -> str:
    """Docs/s with the digits that matter: a scan takes seconds, text a fraction of a ms."""
    return f"{per_second:.3f}" if per_second < 10 else f"{per_second:.1f}"
