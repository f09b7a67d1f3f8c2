"""`docflow watch`: it says when no worker is there to move the work it watches."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner
from rq import Worker

from docflow.cli import cli
from docflow.db import open_database
from docflow.migrations import migrate
from docflow.queues import queue_names
from tests import factories


@pytest.fixture
def pending(settings, redis_conn):
    """A migrated database with one Pending document, and a test Redis with no worker."""
    with open_database(settings) as db:
        migrate(db)
        factories.document(settings, factories.tenant())
    return settings


def watch(settings, *args: str):
    runner = CliRunner()
    started = time.monotonic()
    result = runner.invoke(cli, ["watch", *args], env=settings.env(), catch_exceptions=False)
    return result, time.monotonic() - started


def test_until_idle_without_a_worker_gives_up_after_the_grace_with_one_line(pending):
    result, took = watch(pending, "--until-idle", "--interval", "0.1", "--worker-grace", "0.5")
    assert result.exit_code == 1
    assert took < 30  # not the hour-long --timeout
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: no DocFlow worker is running, so the 1 documents or events waiting will not "
        "move: start one with `docflow worker`, then watch again"
    ]


def test_until_idle_with_a_worker_keeps_watching(pending, redis_conn):
    worker = Worker(queue_names(pending), connection=redis_conn)
    worker.register_birth()
    try:
        result, _ = watch(pending, "--until-idle", "--interval", "0.1", "--worker-grace", "0",
                          "--timeout", "1")  # fmt: skip
    finally:
        worker.register_death()
    assert result.exit_code == 1
    assert "still 1 documents or events in progress after 1s" in result.stderr
    assert "no DocFlow worker" not in result.output


def test_a_worker_on_other_queues_does_not_count(pending, redis_conn):
    worker = Worker(["someone-elses-queue"], connection=redis_conn)
    worker.register_birth()
    try:
        result, _ = watch(pending, "--until-idle", "--interval", "0.1", "--worker-grace", "0.2")
    finally:
        worker.register_death()
    assert "no DocFlow worker is running" in result.stderr


def test_plain_watch_warns_once(pending):
    result, _ = watch(pending, "--interval", "0.1", "--worker-grace", "0.2", "--timeout", "1")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: no DocFlow worker is running, so the 1 documents or events waiting will not "
        "move: start one with `docflow worker`"
    ]
    assert result.output.count("Pending=1") > 3  # it went on watching
