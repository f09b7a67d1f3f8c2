"""Runs that never close, runs that stop promptly, and runs held on a paused queue:
heartbeats and the reaper, the warm-shutdown flag, a failure recorded through a new
connection, and jobs that honour pauses under a stock RQ worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import redis
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from docflow import shutdown
from docflow.classification import BatchClassifier
from docflow.db import database, is_postgres
from docflow.jobs.classify import classify_documents
from docflow.models import Document, DocumentStatus, JobRun
from docflow.pauses import set_paused
from docflow.queues import get_queue, held_key, pause, queue_names
from docflow.runs import ABANDONED, reap
from tests import factories
from tests.test_jobs import INVOICE, NOW, run


@pytest.fixture
def stop_request():
    shutdown.reset()
    yield shutdown.request
    shutdown.reset()


def _running(started, beat, worker="host:1"):
    return JobRun.create(job="classify_documents", worker=worker, started_at=started,
                         heartbeat_at=beat, counts={"classified": 4})  # fmt: skip


def test_a_run_without_a_heartbeat_for_a_lease_is_abandoned_with_its_counts(backend):
    dead = _running(NOW - timedelta(minutes=30), NOW - timedelta(minutes=20), "host:4242")
    alive = _running(NOW - timedelta(minutes=30), NOW - timedelta(seconds=30))
    done = JobRun.create(job="classify_documents", started_at=NOW - timedelta(hours=1),
                         heartbeat_at=NOW - timedelta(hours=1), outcome="succeeded",
                         finished_at=NOW - timedelta(hours=1))  # fmt: skip
    assert reap(300, NOW) == [dead.id]
    row = JobRun.get_by_id(dead.id)
    assert row.outcome == ABANDONED and row.counts == {"classified": 4}
    assert row.finished_at == NOW - timedelta(minutes=20)
    assert "host:4242" in row.error and "no heartbeat" in row.error
    assert JobRun.get_by_id(alive.id).outcome == "running"
    assert JobRun.get_by_id(done.id).outcome == "succeeded"
    assert reap(300, NOW) == []


def test_every_run_reaps_the_dead_ones_and_beats_with_each_batch(backend):
    dead = _running(NOW - timedelta(hours=2), NOW - timedelta(hours=2))
    owner = factories.tenant()
    for _ in range(3):
        factories.document(backend, owner, INVOICE, now=NOW)
    later = NOW + timedelta(seconds=40)
    ticks = iter([NOW, NOW, later, later, later, later, later, later])
    summary = classify_documents.run({"batch_size": 2}, settings=backend,
                                     now=lambda: next(ticks, later))  # fmt: skip
    assert JobRun.get_by_id(dead.id).outcome == ABANDONED
    own = JobRun.get_by_id(summary["run_id"])
    assert own.outcome == "succeeded" and own.heartbeat_at > own.started_at


def test_a_stop_request_ends_the_run_after_its_batch_and_leaves_the_rest_claimable(
    backend, monkeypatch, stop_request
):
    owner = factories.tenant()
    for _ in range(6):
        factories.document(backend, owner, INVOICE, now=NOW)
    monkeypatch.setattr("docflow.jobs.classify.ClaimSize.__call__", lambda self: 2)
    decide = BatchClassifier.decide

    def decide_then_stop(self, rows, at):
        stop_request()  # SIGTERM arrives while the first batch is being classified
        return decide(self, rows, at)

    monkeypatch.setattr("docflow.classification.BatchClassifier.decide", decide_then_stop)
    summary = run(classify_documents, backend)
    assert summary["outcome"] == "succeeded" and summary["stopped"] == "shutdown"
    assert summary["batches"] == 1 and summary["counts"]["classified"] == 2
    left = Document.select().where(Document.status == DocumentStatus.PENDING)
    assert left.count() == 4 and all(d.claimed_by is None for d in left)


def test_a_run_whose_connection_died_records_its_real_error(backend, monkeypatch):
    if not is_postgres():
        pytest.skip("terminating a server connection needs PostgreSQL")

    def body(self, rows, at):
        db = database.obj
        pid = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
        other = type(db)(db.database, **db.connect_params)
        other.execute_sql("SELECT pg_terminate_backend(%s)", (pid,))
        other.close()
        raise RuntimeError("the classifier broke")

    factories.document(backend, factories.tenant(), INVOICE, now=NOW)
    monkeypatch.setattr("docflow.classification.BatchClassifier.decide", body)
    with pytest.raises(RuntimeError, match="the classifier broke"):
        run(classify_documents, backend)
    database.obj.close()
    database.obj.connect()
    [row] = JobRun.select()
    assert row.outcome == "failed" and row.error == "RuntimeError: the classifier broke"


def test_a_stock_worker_holds_runs_of_a_paused_queue_until_it_is_resumed(
    sqlite_db, redis_conn, monkeypatch
):
    for name, value in sqlite_db.env().items():  # the worker's job reads its settings there
        monkeypatch.setenv(name, value)
    factories.document(sqlite_db, factories.tenant(), INVOICE, now=NOW)
    classify_documents.enqueue(redis_conn, sqlite_db, priority="high")
    pause(redis_conn, sqlite_db, "high")

    def work():
        SimpleWorker(queue_names(sqlite_db), connection=redis_conn,
                     serializer=JSONSerializer).work(burst=True)  # fmt: skip

    work()  # RQ's own worker knows nothing of DocFlow's pauses: the job itself does
    assert JobRun.select().count() == 0
    assert Document.get().status == DocumentStatus.PENDING
    assert redis_conn.scard(held_key(sqlite_db, "high")) == 1
    assert set_paused(redis_conn, sqlite_db, "high", False, actor="op", now=datetime.now(UTC))
    assert redis_conn.scard(held_key(sqlite_db, "high")) == 0
    assert len(get_queue(redis_conn, sqlite_db, "high").jobs) == 1
    work()
    assert [r.outcome for r in JobRun.select()] == ["succeeded"]
    assert Document.get().status == DocumentStatus.CLASSIFIED


def test_a_follow_up_that_redis_refuses_after_the_commit_leaves_the_run_succeeded(
    sqlite_db, redis_conn, monkeypatch
):
    for name, value in sqlite_db.env().items():
        monkeypatch.setenv(name, value)
    factories.document(sqlite_db, factories.tenant(), INVOICE, now=NOW)
    classify_documents.enqueue(redis_conn, sqlite_db)

    def refused(*args, **kwargs):
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    def body(run, settings, now, **kwargs):
        Document.update(status=DocumentStatus.CLASSIFIED).execute()  # the committed work
        monkeypatch.setattr(redis.Redis, "set", refused)  # Redis goes before the follow-up
        run.note(follow_up=run.follow_up(classify_documents))

    monkeypatch.setattr(classify_documents, "body", body)
    SimpleWorker(queue_names(sqlite_db), connection=redis_conn,
                 serializer=JSONSerializer).work(burst=True)  # fmt: skip
    [row] = JobRun.select()
    assert row.outcome == "succeeded" and row.error is None
