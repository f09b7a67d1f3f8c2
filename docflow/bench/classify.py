"""`docflow bench classify`: classification throughput, three ways, in one run.

(a) our pipeline: one classify_documents job through a real worker on real Redis;
(b) the naive design: one RQ job per document, through the same kind of worker;
(c) the limit: claim + classify + bulk write in a loop in this process, no queue.

All three run on the same seeded data (reset to Pending between runs) in a scratch
workspace, so the ratios a/b and a/c compare like with like on this machine.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from docflow import seed
from docflow.db import open_database, scratch_postgres
from docflow.jobs.classify import classify_documents
from docflow.migrations import migrate
from docflow.models import Document, DocumentStatus, JobRun
from docflow.queues import PRIORITIES, connect_redis, get_queue, queue_names
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


def _reset() -> None:
    Document.update(
        status=DocumentStatus.PENDING, category=None, confidence=None, route=None, classified_at=None,
        claimed_by=None, lease_expires_at=None,
    ).execute()  # fmt: skip
    JobRun.delete().execute()


def _classified() -> int:
    return Document.select().where(Document.status == DocumentStatus.CLASSIFIED).count()


def _wait(condition: Callable[[], bool], timeout: float, interval: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark run did not finish in time")
        time.sleep(interval)


def _start_worker(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env.update(settings.env())
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "docflow", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def run(
    *,
    documents: int,
    naive_documents: int,
    batch_size: int,
    database_url: str | None,
    redis_url: str,
    say: Callable[[str], Any] = print,
) -> list[Measurement]:
    """Measure (c), (a) and (b) on scratch data: a temporary folder, and a temporary
    database on the PostgreSQL server of ``database_url`` when one is given."""
    workdir = Path(tempfile.mkdtemp(prefix="docflow-bench-"))
    try:
        with contextlib.ExitStack() as stack:
            if database_url:
                database_url = stack.enter_context(
                    scratch_postgres(database_url, prefix="docflow_bench")
                )
            else:
                database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            return _measure(
                workdir, documents, naive_documents, batch_size, database_url, redis_url, say
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _measure(
    workdir: Path,
    documents: int,
    naive_documents: int,
    batch_size: int,
    database_url: str,
    redis_url: str,
    say: Callable[[str], Any],
) -> list[Measurement]:
    env = {
        "DOCFLOW_DATABASE_URL": database_url,
        "DOCFLOW_STORAGE_ROOT": str(workdir / "storage"),
        "DOCFLOW_REDIS_URL": redis_url,
        "DOCFLOW_QUEUE_PREFIX": f"bench{uuid.uuid4().hex[:8]}",
        "DOCFLOW_CLASSIFY_TIME_BUDGET_SECONDS": "3600",
        "DOCFLOW_JOB_TIMEOUT_SECONDS": "7200",
        "DOCFLOW_LOG_LEVEL": "WARNING",
    }
    settings = Settings.from_env(env)
    conn = connect_redis(redis_url)
    results = []
    with open_database(settings) as db:
        migrate(db)
        say(f"seeding {documents} documents in {workdir} ...")
        seed.seed(settings, tenants=10, documents=documents, unreadable_ratio=0, random_seed=1)

        say("(c) in-process loop ...")
        started = time.perf_counter()
        classify_documents.run({"batch_size": batch_size}, settings=settings)
        results.append(
            Measurement(
                "c: claim+classify+bulk write, no queue",
                _classified(),
                time.perf_counter() - started,
            )
        )
        _reset()

        worker = _start_worker(settings, workdir / "worker.log")
        try:
            _wait(lambda: _worker_ready(conn, settings), 30)
            say("(a) pipeline through a worker ...")
            started = time.perf_counter()
            job = classify_documents.enqueue(conn, settings, {"batch_size": batch_size})
            # Polling Redis, not the database, keeps the measurement from slowing the worker.
            _wait(lambda: job.get_status(refresh=True) in ("finished", "failed"), 3600)
            results.append(
                Measurement(
                    "a: batch pipeline via RQ worker", documents, time.perf_counter() - started
                )
            )
            _reset()

            say(f"(b) naive, one RQ job per document, {naive_documents} documents ...")
            ids = [
                d.id
                for d in Document.select(Document.id).order_by(Document.id).limit(naive_documents)
            ]
            queue = get_queue(conn, settings, "default")
            started = time.perf_counter()
            with conn.pipeline() as pipe:
                for doc_id in ids:
                    queue.enqueue(
                        "docflow.bench.classify.classify_one", doc_id, pipeline=pipe, result_ttl=0
                    )
                pipe.execute()
            _wait(lambda: _classified() == len(ids), 3600, interval=0.2)
            results.append(
                Measurement(
                    "b: naive, one RQ job per document", len(ids), time.perf_counter() - started
                )
            )
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            _cleanup_redis(conn, settings)
    return results


def _worker_ready(conn: redis.Redis, settings: Settings) -> bool:
    from rq import Worker

    names = set(queue_names(settings))
    return any(names & set(w.queue_names()) for w in Worker.all(connection=conn))


def _cleanup_redis(conn: redis.Redis, settings: Settings) -> None:
    for priority in PRIORITIES:
        get_queue(conn, settings, priority).empty()


def render(results: list[Measurement], backend: str) -> str:
    by = {m.name[0]: m for m in results}
    lines = [
        f"classification throughput on {backend}",
        f"{'run':<42} {'docs':>8} {'seconds':>9} {'docs/s':>10}",
    ]
    for m in results:
        lines.append(f"{m.name:<42} {m.documents:>8} {m.seconds:>9.2f} {m.per_second:>10.0f}")
    if {"a", "b", "c"} <= by.keys():
        lines.append(
            f"a/b = {by['a'].per_second / by['b'].per_second:.0f}x   a/c = {by['a'].per_second / by['c'].per_second:.2f}"
        )
    return "\n".join(lines)
