"""Real `docflow scheduler` processes on a real Redis: never a doubled job, healed after a flush.

Cron's one-minute granularity is too coarse to wait for, so the tests move entries' due
time in Redis and watch what the schedulers do with them.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from docflow.queues import PRIORITIES, get_queue, run_request_key
from docflow.registry import all_jobs
from docflow.schedule import entries, entry_id, scheduled_jobs_key
from docflow.settings import Settings
from tests.conftest import make_settings
from tests.integration.helpers import kill_hard, start_scheduler, stop, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def settings(tmp_path: Path, redis_conn) -> Settings:
    return make_settings(tmp_path, DOCFLOW_SCHEDULER_INTERVAL_SECONDS="0.2")


def registrations(log: Path) -> int:
    return log.read_text().count("periodic jobs registered") if log.exists() else 0


def periodic(conn, settings: Settings) -> tuple[list[str], list[str]]:
    """The ids in the scheduler's sorted set, and the stored templates."""
    ids = sorted(m.decode() for m in conn.zrange(scheduled_jobs_key(settings), 0, -1))
    keys = conn.keys(f"rq:job:{settings.queue_prefix}-periodic-*")
    return ids, sorted(k.decode().removeprefix("rq:job:") for k in keys)


def expected(settings: Settings) -> tuple[list[str], list[str]]:
    ids = sorted(e.id for e in entries(settings))
    return ids, ids


def runs_queued(conn, settings: Settings) -> Counter[str]:
    paths = {spec.path: name for name, spec in all_jobs().items()}
    return Counter(
        paths[job.func_name] for p in PRIORITIES for job in get_queue(conn, settings, p).jobs
    )


def all_due_and_wait(conn, settings: Settings) -> None:
    """Make every entry due now and wait until a scheduler has enqueued and rescheduled it."""
    key = scheduled_jobs_key(settings)
    conn.zadd(key, {entry_id(settings, name): 0 for name in all_jobs()})
    wait_for(lambda: conn.zcount(key, 0, time.time()) == 0, 30, "every due entry handled")


def test_schedulers_never_double_a_periodic_job(settings, redis_conn, tmp_path):
    logs = [tmp_path / "s0.log", tmp_path / "s1.log"]
    procs = [start_scheduler(settings, log) for log in logs]
    try:
        wait_for(lambda: all(registrations(log) for log in logs), 30, "both schedulers registered")
        assert periodic(redis_conn, settings) == expected(settings)

        all_due_and_wait(redis_conn, settings)
        assert runs_queued(redis_conn, settings) == Counter(dict.fromkeys(all_jobs(), 1))

        kill_hard(procs[0])
        procs[0] = start_scheduler(settings, logs[0])
        wait_for(lambda: registrations(logs[0]) == 2, 30, "the restarted scheduler registered")
        assert periodic(redis_conn, settings) == expected(settings)

        # Runs that started clear their markers; the next due tick enqueues each job once more.
        redis_conn.delete(*(run_request_key(settings, name) for name in all_jobs()))
        all_due_and_wait(redis_conn, settings)
        assert runs_queued(redis_conn, settings) == Counter(dict.fromkeys(all_jobs(), 2))
        assert periodic(redis_conn, settings) == expected(settings)
        assert all(p.poll() is None for p in procs), [log.read_text() for log in logs]
    finally:
        stop(procs)


def test_a_flushed_redis_gets_its_periodic_jobs_back(settings, redis_conn, tmp_path):
    log = tmp_path / "s.log"
    proc = start_scheduler(settings, log)
    try:
        wait_for(lambda: registrations(log), 30, "the scheduler registered")
        redis_conn.flushdb()
        wait_for(
            lambda: periodic(redis_conn, settings) == expected(settings),
            30,
            "the periodic jobs registered again after the flush",
        )
        assert "were missing from Redis" in log.read_text()
        all_due_and_wait(redis_conn, settings)
        assert runs_queued(redis_conn, settings) == Counter(dict.fromkeys(all_jobs(), 1))
    finally:
        stop([proc])
    assert proc.returncode == 0, log.read_text()
