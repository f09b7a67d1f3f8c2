"""Real Redis, real worker processes, both databases: the pipeline end to end.

The concurrency and crash tests count classification writes through the job_runs
rows: each batch adds what it wrote to its run's counts in the same transaction, so
the sum over all runs equals the number of writes that were committed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from docflow import seed
from docflow.db import open_database
from docflow.models import Document, DocumentStatus, JobRun
from docflow.queues import connect_redis
from docflow.registry import get_job
from tests.conftest import make_settings
from tests.integration.helpers import (
    classified_writes,
    document_statuses,
    kill_mid_batch,
    mid_batch,
    start_worker,
    stop,
    wait_for,
    worker_env,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def system(database_url, tmp_path, redis_conn):
    """Settings for a migrated database on each backend, with a real Redis."""
    return make_settings(tmp_path, DOCFLOW_DATABASE_URL=database_url)


def with_env(settings, tmp_path, **env):
    merged = {**settings.env(), **env}
    return make_settings(tmp_path, **merged)


def seed_docs(settings, count, unreadable_ratio=0.0):
    with open_database(settings):
        return seed.seed(
            settings, tenants=3, documents=count, unreadable_ratio=unreadable_ratio, random_seed=7
        )


def test_seeded_documents_are_classified_or_dead_lettered(system, tmp_path):
    settings = with_env(system, tmp_path, DOCFLOW_RETRY_BASE_SECONDS="0", DOCFLOW_MAX_RETRIES="2")
    result = seed_docs(settings, 300, unreadable_ratio=0.1)
    assert result.unreadable > 0
    conn = connect_redis(settings.redis_url)
    workers = [start_worker(settings, tmp_path / f"w{i}.log") for i in range(2)]
    try:
        get_job("classify_documents").enqueue(conn, settings, {"batch_size": 50})

        def settled():
            # The scheduler is not part of this test: keep asking for retries, as it would.
            get_job("retry_failed_documents").enqueue(conn, settings, {})
            counts = document_statuses(settings)
            done = counts.get(DocumentStatus.CLASSIFIED, 0) + counts.get(
                DocumentStatus.DEAD_LETTERED, 0
            )
            return counts if done == 300 else None

        counts = wait_for(
            settled, 90, "every document to be classified or dead-lettered", interval=0.5
        )
    finally:
        stop(workers)
    assert counts[DocumentStatus.DEAD_LETTERED] == result.unreadable
    assert counts[DocumentStatus.CLASSIFIED] == 300 - result.unreadable
    with open_database(settings):
        dead = Document.select().where(Document.status == DocumentStatus.DEAD_LETTERED)
        # A missing file may be restored: retried, then dead. A corrupt file stays corrupt:
        # dead at once, retries unspent.
        for d in dead:
            if d.content_type == "application/pdf":
                assert d.retry_count == 0 and d.dead_letter_reason.startswith("damaged PDF")
            else:
                assert d.retry_count == 2 and "gave up after 2 retries" in d.dead_letter_reason
        assert "application/pdf" in {d.content_type for d in dead}


def test_four_workers_classify_every_document_exactly_once(system, tmp_path):
    total = 20_000
    seed_docs(system, total)
    conn = connect_redis(system.redis_url)
    workers = [start_worker(system, tmp_path / f"w{i}.log") for i in range(4)]
    try:
        for _ in range(8):
            get_job("classify_documents").enqueue(conn, system, {"batch_size": 200})
        wait_for(
            lambda: document_statuses(system).get(DocumentStatus.CLASSIFIED) == total,
            240,
            "all documents classified",
            interval=0.5,
        )
    finally:
        stop(workers)
    assert classified_writes(system) == total
    with open_database(system):
        runs = list(JobRun.select().where(JobRun.job == "classify_documents"))
        assert len({r.worker for r in runs if (r.counts or {}).get("classified")}) >= 2
        assert all(r.outcome == "succeeded" for r in runs)


def test_killed_worker_loses_nothing_and_doubles_nothing(system, tmp_path):
    total = 6_000
    settings = with_env(system, tmp_path, DOCFLOW_LEASE_SECONDS="2")
    seed_docs(settings, total)
    conn = connect_redis(settings.redis_url)

    def victim():
        proc = start_worker(settings, tmp_path / "victim.log")
        get_job("classify_documents").enqueue(conn, settings, {"batch_size": 500})
        return proc

    kill_mid_batch(
        victim,
        lambda: mid_batch(settings),
        lambda: document_statuses(settings)[DocumentStatus.PROCESSING],
    )
    rescuer = start_worker(settings, tmp_path / "rescuer.log")
    try:
        get_job("classify_documents").enqueue(conn, settings, {"batch_size": 500})

        def all_done():
            if document_statuses(settings).get(DocumentStatus.CLASSIFIED) == total:
                return True
            # Until the dead worker's lease runs out its rows are not claimable; ask again.
            get_job("classify_documents").enqueue(conn, settings, {"batch_size": 500})
            return False

        wait_for(all_done, 120, "every document classified after the crash", interval=0.5)
    finally:
        stop([rescuer])
    assert classified_writes(settings) == total


def test_stock_rq_worker_command_runs_the_jobs(tmp_path, redis_conn):
    settings = make_settings(tmp_path)
    from docflow.migrations import migrate

    with open_database(settings) as db:
        migrate(db)
    seed_docs(settings, 50)
    get_job("classify_documents").enqueue(connect_redis(settings.redis_url), settings, {})
    queues = [f"{settings.queue_prefix}-{p}" for p in ("high", "default", "low")]
    rq = [sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", settings.redis_url,
          "--serializer", "rq.serializers.JSONSerializer", *queues]  # fmt: skip
    done = subprocess.run(rq, env=worker_env(settings), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert document_statuses(settings) == {DocumentStatus.CLASSIFIED: 50}
    assert "classify_documents run" in done.stderr
