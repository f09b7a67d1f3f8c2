"""Enqueueing from scripts and the CLI: now, at a time, after a delay; bad input enqueues nothing."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from rq.registry import ScheduledJobRegistry

from docflow.cli import cli
from docflow.errors import InvalidArgument
from docflow.queues import get_queue
from docflow.when import run_at
from tests.integration.helpers import worker_env

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "enqueue.py"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "delay", "expected"),
    [
        (None, None, None),
        ("2026-12-01", None, datetime(2026, 12, 1, tzinfo=UTC)),
        ("2026-11-29T13:30Z", None, datetime(2026, 11, 29, 13, 30, tzinfo=UTC)),
        ("2026-11-29T14:30+01:00", None, datetime(2026, 11, 29, 13, 30, tzinfo=UTC)),
        (None, "90", NOW + timedelta(seconds=90)),
        (None, "30s", NOW + timedelta(seconds=30)),
        (None, "5m", NOW + timedelta(minutes=5)),
        (None, "2h", NOW + timedelta(hours=2)),
        (None, "1.5m", NOW + timedelta(seconds=90)),
        (None, "365d", NOW + timedelta(days=365)),
        ("2027-11-29T12:00Z", None, NOW + timedelta(days=365)),
    ],
)
def test_run_at_accepts_times_and_delays(at, delay, expected):
    assert run_at(at, delay, NOW) == expected


@pytest.mark.parametrize(
    ("at", "delay", "message"),
    [
        (None, "-5", "positive delay"),
        (None, "0", "positive delay"),
        (None, "soon", "invalid --in 'soon'"),
        (None, "inf", "invalid --in"),
        (None, "400d", "up to 365d"),
        (None, "366d", "up to 365d"),
        (None, " 5", "invalid --in ' 5'"),
        (None, "1_000", "invalid --in '1_000'"),
        (None, "٥", "invalid --in '٥'"),
        (None, "٥m", "invalid --in '٥m'"),
        (None, "1e3", "invalid --in '1e3'"),
        pytest.param(None, "9" * 400 + "d", "invalid --in", id="400 nines d"),
        ("9999-12-31", None, "more than 365 days ahead"),
        ("2027-11-30", None, "more than 365 days ahead"),
        ("9999-12-31T23:00-05:00", None, "out of range"),
        ("0001-01-01T00:00+05:00", None, "out of range"),
        ("tomorrow", None, "invalid date 'tomorrow'"),
        ("2026-11-29T13:30", None, "no zone"),
        ("2026-11-28", None, "in the past"),
        ("2026-12-01", "5m", "not both"),
    ],
)
def test_run_at_refuses_bad_input_clearly(at, delay, message):
    with pytest.raises(InvalidArgument, match=message):
        run_at(at, delay, NOW)


def _script(settings, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=worker_env(settings, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _keys(redis_conn, settings) -> list[bytes]:
    return redis_conn.keys(f"*{settings.queue_prefix}*")


def test_script_enqueues_now_with_priority(settings, redis_conn):
    result = _script(settings, "classify_documents", "--batch-size", "500", "--queue", "high")
    assert result.returncode == 0, result.stderr
    assert "to run now" in result.stdout
    [job] = get_queue(redis_conn, settings, "high").jobs
    assert job.func_name == "docflow.jobs.classify.classify_documents"
    assert job.kwargs == {"batch_size": 500}


def test_script_schedules_a_one_off_run(settings, redis_conn):
    before = datetime.now(UTC)
    result = _script(settings, "deliver_webhooks", "--in", "10m")
    assert result.returncode == 0, result.stderr
    queue = get_queue(redis_conn, settings, "default")
    assert queue.count == 0
    registry = ScheduledJobRegistry(queue=queue)
    [job_id] = registry.get_job_ids()
    due = registry.get_scheduled_time(job_id)
    assert before + timedelta(minutes=10) - timedelta(seconds=2) <= due
    assert due <= datetime.now(UTC) + timedelta(minutes=10)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["classify_everything"], {}, "unknown job 'classify_everything'"),
        (["check_quotas", "--batch-size", "5"], {}, "check_quotas does not take batch_size"),
        (["classify_documents", "--batch-size", "0"], {}, "batch_size must be from 1 to 10000"),
        (["classify_documents", "--in", "-5"], {}, "positive delay"),
        (["classify_documents", "--at", "next tuesday"], {}, "invalid date 'next tuesday'"),
        (
            ["classify_documents"],
            {"DOCFLOW_SCHEDULE_CLASSIFY_DOCUMENTS": "every minute"},
            "DOCFLOW_SCHEDULE_CLASSIFY_DOCUMENTS",
        ),
    ],
)
def test_script_bad_input_is_a_clear_error_and_enqueues_nothing(
    settings, redis_conn, args, env, message
):
    result = _script(settings, *args, **env)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert _keys(redis_conn, settings) == []


def test_cli_enqueue_in_and_at(settings, redis_conn):
    env = settings.env()
    runner = CliRunner()
    later = runner.invoke(cli, ["enqueue", "report_usage", "--in", "1h"], env=env)
    assert later.exit_code == 0, later.output
    assert "UTC on" in later.output
    day = (datetime.now(UTC) + timedelta(days=30)).date()
    at = runner.invoke(cli, ["enqueue", "check_quotas", "--at", day.isoformat()], env=env)
    assert at.exit_code == 0, at.output
    low = ScheduledJobRegistry(queue=get_queue(redis_conn, settings, "low"))
    default = ScheduledJobRegistry(queue=get_queue(redis_conn, settings, "default"))
    assert low.count == 1
    [job_id] = default.get_job_ids()
    assert default.get_scheduled_time(job_id) == datetime(day.year, day.month, day.day, tzinfo=UTC)
    bad = runner.invoke(cli, ["enqueue", "check_quotas", "--in", "-5"], env=env)
    assert bad.exit_code != 0
    assert "positive delay" in bad.output
    assert low.count == 1 and default.count == 1
