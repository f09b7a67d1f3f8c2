"""The whole system as operators run it: the Procfile under honcho, and the faults they meet.

Periodic jobs run on seven-field (seconds) crons here, so every job comes round within
a few seconds instead of the production minutes and hours.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import requests

from docflow import seed
from docflow.db import open_database
from docflow.models import (
    BillingStatus,
    DocumentStatus,
    EventStatus,
    JobRun,
    Tenant,
    TenantBilling,
    TenantQuota,
    WebhookEvent,
)
from docflow.queues import PRIORITIES, get_queue
from docflow.registry import all_jobs
from docflow.schedule import entries, scheduled_jobs_key
from docflow.services.webhooks.signing import verify
from tests.conftest import make_settings
from tests.integration.helpers import (
    classified_writes,
    document_statuses,
    kill_hard,
    kill_mid_batch,
    mid_batch,
    start_scheduler,
    start_worker,
    stop,
    wait_for,
    worker_env,
)
from tests.webhook_servers import Receiver

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EVERY_SECOND = "* * * * * * *"
UNSETTLED = (DocumentStatus.PENDING, DocumentStatus.PROCESSING, DocumentStatus.FAILED)


def fast_env(**extra: str) -> dict[str, str]:
    """Settings for a system that goes round in seconds."""
    env = {f"DOCFLOW_SCHEDULE_{name.upper()}": EVERY_SECOND for name in all_jobs()}
    env.update(
        DOCFLOW_SCHEDULER_INTERVAL_SECONDS="0.2",
        DOCFLOW_RETRY_BASE_SECONDS="0.2",
        DOCFLOW_RETRY_CAP_SECONDS="0.5",
        DOCFLOW_WEBHOOK_RETRY_SCHEDULE="1s",
        DOCFLOW_WEBHOOK_ALLOW_PRIVATE="true",
    )
    env.update(extra)
    return env


def jobs_run(settings) -> Counter[str]:
    with open_database(settings):
        return Counter(r.job for r in JobRun.select(JobRun.job))


def test_the_procfile_under_honcho_runs_every_job(database_url, tmp_path, redis_conn):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        metrics_port = probe.getsockname()[1]
    settings = make_settings(tmp_path, **fast_env(DOCFLOW_DATABASE_URL=database_url,
                                                  DOCFLOW_METRICS_PORT=str(metrics_port)))  # fmt: skip
    env = worker_env(
        settings, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    )
    subprocess.run(
        [sys.executable, "-m", "docflow", "migrate"], env=env, check=True, capture_output=True
    )
    with open_database(settings):
        seed.seed(
            settings,
            tenants=3,
            documents=300,
            unreadable_ratio=0.05,
            expired_ratio=0.05,
            history_days=2,
            random_seed=11,
        )
    secrets = tmp_path / "secrets.json"
    log = tmp_path / "honcho.log"
    with Receiver() as receiver:
        setup = subprocess.run(
            [
                sys.executable,
                "scripts/demo_setup.py",
                "--receiver",
                receiver.url,
                "--secrets",
                str(secrets),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert setup.returncode == 0, setup.stderr
        with open(log, "wb") as out:
            honcho = subprocess.Popen(
                [
                    "honcho",
                    "-f",
                    str(ROOT / "Procfile"),
                    "-d",
                    str(ROOT),
                    "start",
                    "-c",
                    "worker=2",
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:

            def settled() -> bool:
                return set(jobs_run(settings)) == set(all_jobs()) and not any(
                    document_statuses(settings)[s] for s in UNSETTLED
                )

            wait_for(settled, 90, "every job run and every document settled", interval=0.5)
            # The Procfile's metrics process answers probes and scrapes meanwhile.
            ready = requests.get(f"http://127.0.0.1:{metrics_port}/readyz", timeout=30)
            assert ready.status_code == 200, ready.text
            scraped = requests.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=30).text
            assert 'docflow_up{component="database"} 1.0' in scraped
            with open_database(settings):
                wait_for(
                    lambda: (
                        not WebhookEvent.select()
                        .where(WebhookEvent.status != EventStatus.SENT)
                        .exists()
                    ),
                    60,
                    "every webhook event delivered",
                    interval=0.5,
                )
                blocked = [
                    q.tenant.name for q in TenantQuota.select().where(TenantQuota.is_blocked)
                ]
                read_only = [
                    b.tenant.name
                    for b in TenantBilling.select().where(
                        TenantBilling.status == BillingStatus.READ_ONLY
                    )
                ]
                tenants = [t.name for t in Tenant.select().order_by(Tenant.name)]
                events = WebhookEvent.select().count()
            counts = document_statuses(settings)
            assert counts[DocumentStatus.CLASSIFIED] > 0
            assert counts[DocumentStatus.DEAD_LETTERED] > 0
            assert counts[DocumentStatus.EXPIRED] > 0
            # demo_setup gives the first tenant a limit below what it holds and ends the
            # second one's grace period.
            assert blocked == [tenants[0]] and read_only == [tenants[1]]
            known = json.loads(secrets.read_text())
            for request in receiver.requests:
                verify(request.body, dict(request.headers), known[request.path])
            delivered = {r.headers["webhook-id"] for r in receiver.requests}
            assert len(delivered) == events > 0
        finally:
            honcho.send_signal(signal.SIGTERM)
            honcho.wait(timeout=30)
    output = log.read_text()
    for process in ("worker.1", "worker.2", "scheduler.1"):
        assert f"{process} stopped" in output, output
    for name in all_jobs():  # each run logs its summary line
        assert f"docflow.jobs: {name} run" in output


def seed_pending(settings, count: int, random_seed: int) -> None:
    with open_database(settings):
        seed.seed(settings, tenants=3, documents=count, unreadable_ratio=0, random_seed=random_seed)


def all_classified(settings, total: int) -> bool:
    return document_statuses(settings)[DocumentStatus.CLASSIFIED] == total


def periodic_entries(conn, settings) -> list[str]:
    return sorted(m.decode() for m in conn.zrange(scheduled_jobs_key(settings), 0, -1))


@pytest.fixture
def system(database_url, tmp_path, redis_conn):
    """Fast-cadence settings over a migrated database, with a real Redis."""
    return make_settings(
        tmp_path,
        **fast_env(
            DOCFLOW_DATABASE_URL=database_url,
            DOCFLOW_LEASE_SECONDS="2",
            DOCFLOW_CLASSIFY_BATCH_SIZE="500",
        ),
    )


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(system, tmp_path, redis_conn):
    total = 6_000
    seed_pending(system, total, random_seed=1)
    procs = [start_scheduler(system, tmp_path / "scheduler.log")]
    try:
        kill_mid_batch(
            lambda: start_worker(system, tmp_path / "victim.log"),
            lambda: mid_batch(system),
            lambda: document_statuses(system)[DocumentStatus.PROCESSING],
        )
        procs.append(start_worker(system, tmp_path / "rescuer.log"))
        # The scheduler's next ticks find the stranded rows once their lease runs out.
        wait_for(lambda: all_classified(system, total), 90, "every document classified")
    finally:
        stop(procs)
    assert classified_writes(system) == total


def test_a_flushed_redis_loses_no_work(system, tmp_path, redis_conn):
    total = 6_000
    seed_pending(system, total, random_seed=2)
    log = tmp_path / "scheduler.log"
    procs = [start_scheduler(system, log), start_worker(system, tmp_path / "worker.log")]
    try:
        # Seeding queues a classification run, so a worker may be mid-batch before the
        # scheduler has registered anything: the flush must come after both are running.
        wait_for(lambda: periodic_entries(redis_conn, system), 60, "the periodic table registered")
        wait_for(lambda: mid_batch(system), 60, "a worker in the middle of a batch", interval=0.01)
        redis_conn.flushdb()
        # Work that arrives while Redis is empty is in the database alone.
        seed_pending(system, 500, random_seed=3)
        wait_for(
            lambda: all_classified(system, total + 500), 90, "every document classified after it"
        )
        assert periodic_entries(redis_conn, system) == sorted(e.id for e in entries(system))
        assert "were missing from Redis" in log.read_text()
        assert all(p.poll() is None for p in procs), log.read_text()
    finally:
        stop(procs)
    assert classified_writes(system) == total + 500


def test_a_scheduler_killed_and_restarted_misses_nothing_and_doubles_nothing(
    system, tmp_path, redis_conn
):
    log = tmp_path / "scheduler.log"
    scheduler = start_scheduler(system, log)
    worker = start_worker(system, tmp_path / "worker.log")
    try:
        wait_for(lambda: set(jobs_run(system)) == set(all_jobs()), 60, "every job run once")
        kill_hard(scheduler)
        seed_pending(system, 300, random_seed=4)  # arrives while no scheduler runs
        scheduler = start_scheduler(system, log)
        waiting: list[int] = []

        def done() -> bool:
            waiting.append(
                max(Counter(j.func_name for j in queued(redis_conn, system)).values(), default=0)
            )
            return all_classified(system, 300)

        wait_for(done, 60, "the documents classified after the restart", interval=0.05)
        assert max(waiting) <= 1  # never two runs of a job waiting at once
        assert periodic_entries(redis_conn, system) == sorted(e.id for e in entries(system))
    finally:
        stop([scheduler, worker])
    assert classified_writes(system) == 300


def queued(conn, settings):
    return [job for p in PRIORITIES for job in get_queue(conn, settings, p).jobs]
