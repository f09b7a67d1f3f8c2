"""`docflow queues list|pause|resume` against a real Redis."""

from __future__ import annotations

from click.testing import CliRunner

from docflow.cli import cli
from docflow.db import open_database
from docflow.models import AuditEvent
from docflow.queues import paused


def invoke(settings, *args):
    return CliRunner().invoke(cli, list(args), env=settings.env(), catch_exceptions=False)


def test_pause_list_resume(sqlite_db, redis_conn):
    settings = sqlite_db
    result = invoke(settings, "queues", "pause", "low")
    assert result.exit_code == 0 and "paused low" in result.output
    assert paused(redis_conn, settings) == {"low"}
    assert "already paused" in invoke(settings, "queues", "pause", "low").output
    listing = invoke(settings, "queues", "list").output.splitlines()
    assert listing[3].split()[0] == "low" and listing[3].split()[-1] == "paused"
    assert listing[1].split()[-1] == "running"
    assert "resumed low" in invoke(settings, "queues", "resume", "low").output
    assert paused(redis_conn, settings) == set()
    with open_database(settings):
        assert [a.action for a in AuditEvent.select().order_by(AuditEvent.id)] == [
            "queue.paused",
            "queue.resumed",
        ]


def test_unknown_queue_is_a_usage_error(sqlite_db, redis_conn):
    result = invoke(sqlite_db, "queues", "pause", "urgent")
    assert (
        result.exit_code == 2 and "'urgent' is not one of 'high', 'default', 'low'" in result.output
    )
