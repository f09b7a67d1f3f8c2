"""A real `docflow worker` and a paused queue: its jobs wait, other queues run, resume runs them."""

from __future__ import annotations

import pytest

from docflow.db import open_database
from docflow.migrations import migrate
from docflow.models import JobRun
from docflow.queues import connect_redis, get_queue, pause, resume
from docflow.registry import get_job
from tests.conftest import make_settings
from tests.integration.helpers import start_worker, stop, wait_for

pytestmark = pytest.mark.slow


def finished_runs(settings) -> int:
    with open_database(settings):
        return JobRun.select().where(JobRun.finished_at.is_null(False)).count()


def test_paused_queue_keeps_its_jobs_until_resumed(tmp_path, redis_conn):
    settings = make_settings(tmp_path)
    with open_database(settings) as db:
        migrate(db)
    conn = connect_redis(settings.redis_url)
    pause(conn, settings, "high")
    held = get_job("check_quotas").enqueue(conn, settings, {}, priority="high")
    worker = start_worker(settings, tmp_path / "worker.log")
    try:
        get_job("check_quotas").enqueue(conn, settings, {}, priority="low")
        wait_for(lambda: finished_runs(settings) == 1, 30, "the low-queue job to run")
        # A second low job run after the first proves the worker looked for work again
        # with the high job waiting, and still passed it over.
        get_job("check_quotas").enqueue(conn, settings, {}, priority="low")
        wait_for(lambda: finished_runs(settings) == 2, 30, "the second low-queue job to run")
        assert get_queue(conn, settings, "high").job_ids == [held.id]
        resume(conn, settings, "high")
        wait_for(lambda: finished_runs(settings) == 3, 30, "the resumed high-queue job to run")
        assert get_queue(conn, settings, "high").count == 0
    finally:
        stop([worker])
