"""Periodic jobs: registration, ticks and listing, on a real Redis."""

from __future__ import annotations

import re
import signal
import time
import warnings
from datetime import UTC, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from rq.job import Job
from rq.serializers import JSONSerializer

from docflow import schedule
from docflow.cli import cli
from docflow.db import open_database
from docflow.errors import ConfigError
from docflow.migrations import migrate
from docflow.models import JobRun
from docflow.queues import get_queue, queue_name, run_request_key
from docflow.registry import all_jobs, get_job
from docflow.schedule import entries, listing, next_run, register, scheduled_jobs_key
from docflow.settings import Settings
from tests.conftest import make_settings


def with_env(settings: Settings, tmp_path, **env: str) -> Settings:
    return make_settings(tmp_path, **{**settings.env(), **env})


def scheduled(conn, settings: Settings) -> dict[str, float]:
    return {
        k.decode(): v for k, v in conn.zrange(scheduled_jobs_key(settings), 0, -1, withscores=True)
    }


def templates(conn, settings: Settings) -> list[str]:
    return sorted(k.decode() for k in conn.keys(f"rq:job:{settings.queue_prefix}-periodic-*"))


def tick(settings: Settings) -> None:
    """One enqueueing pass; rq-scheduler installs signal handlers, so put pytest's back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        schedule.run_scheduler(settings, burst=True)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def make_due(conn, settings: Settings, *names: str) -> None:
    # Cron's one-minute granularity is too coarse to wait for: move the due time instead.
    conn.zadd(scheduled_jobs_key(settings), {schedule.entry_id(settings, n): 0 for n in names})


def active(settings: Settings) -> list[str]:
    """The jobs the table schedules (their cron is not off)."""
    return [e.name for e in entries(settings) if e.cron]


def queued(conn, settings: Settings, priority: str) -> list[Job]:
    return get_queue(conn, settings, priority).jobs


def test_every_job_has_an_entry_with_a_safe_stable_id(settings):
    table = entries(settings)
    assert [e.name for e in table] == list(all_jobs())
    for entry in table:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", entry.id)
        assert entry.id == f"{settings.queue_prefix}-periodic-{entry.name}"
        assert entry.path == all_jobs()[entry.name].path
        assert entry.queue == queue_name(settings, get_job(entry.name).queue)
    assert {e.name: e.cron for e in table}["cleanup_expired_documents"] == "0 3 * * *"


def test_register_twice_leaves_one_entry_per_job(redis_conn, settings):
    first = register(redis_conn, settings)
    second = register(redis_conn, settings)
    n = len(active(settings))
    assert (first.created, first.kept) == (n, 0)
    assert (second.created, second.kept, second.replaced, second.removed) == (0, n, 0, 0)
    ids = sorted(e.id for e in entries(settings))
    assert sorted(scheduled(redis_conn, settings)) == ids
    assert templates(redis_conn, settings) == [f"rq:job:{i}" for i in ids]


def test_templates_carry_the_settings_ttl_and_json(redis_conn, settings):
    register(redis_conn, settings)
    for entry in entries(settings):
        job = Job.fetch(entry.id, connection=redis_conn, serializer=JSONSerializer)
        assert job.result_ttl == settings.result_ttl_seconds != -1
        assert job.timeout == settings.job_timeout_seconds
        assert (job.func_name, job.kwargs, job.origin) == (entry.path, {}, entry.queue)
        # A template never runs, so nothing ever gives it an expiry.
        assert redis_conn.ttl(job.key) == -1


def test_a_changed_cron_replaces_only_that_entry(redis_conn, settings, tmp_path):
    register(redis_conn, settings)
    changed = with_env(settings, tmp_path, DOCFLOW_SCHEDULE_REPORT_USAGE="45 */2 * * *")
    result = register(redis_conn, changed)
    n = len(active(settings))
    assert (result.replaced, result.kept, result.created) == (1, n - 1, 0)
    job = Job.fetch(
        schedule.entry_id(settings, "report_usage"),
        connection=redis_conn,
        serializer=JSONSerializer,
    )
    assert job.meta["cron_string"] == "45 */2 * * *"
    due = datetime.fromtimestamp(scheduled(redis_conn, settings)[job.id], UTC)
    assert (due.minute, due.hour % 2) == (45, 0)
    assert len(scheduled(redis_conn, settings)) == n


def test_off_removes_the_entry(redis_conn, settings, tmp_path):
    register(redis_conn, settings)
    off = with_env(settings, tmp_path, DOCFLOW_SCHEDULE_SUSPEND_TENANTS="off")
    result = register(redis_conn, off)
    assert (result.removed, result.kept) == (1, len(active(settings)) - 1)
    gone = schedule.entry_id(settings, "suspend_tenants")
    assert gone not in scheduled(redis_conn, settings)
    assert f"rq:job:{gone}" not in templates(redis_conn, settings)
    row = {r["job"]: r for r in listing(redis_conn, off)}["suspend_tenants"]
    assert (row["cron"], row["next_run"]) == ("off", None)


def test_listing_shows_the_registered_cron_not_this_process_settings(
    redis_conn, settings, tmp_path
):
    fast = with_env(settings, tmp_path, DOCFLOW_SCHEDULE_CHECK_QUOTAS="*/10 * * * * * *")
    register(redis_conn, fast)
    rows = {r["job"]: r for r in listing(redis_conn, settings)}
    assert rows["check_quotas"]["cron"] == "*/10 * * * * * *"
    assert rows["check_quotas"]["next_run"] <= datetime.now(UTC) + timedelta(seconds=10)


def test_unknown_ids_with_our_prefix_go_and_foreign_ones_stay(redis_conn, settings, tmp_path):
    neighbour = make_settings(tmp_path)
    register(redis_conn, neighbour)
    stale = schedule.entry_id(settings, "retired_job")
    redis_conn.zadd(scheduled_jobs_key(settings), {stale: 1, "someone-elses-job": 1})
    result = register(redis_conn, settings)
    assert result.removed == 1
    assert stale not in scheduled(redis_conn, settings)
    assert "someone-elses-job" in scheduled(redis_conn, settings)
    assert len(scheduled(redis_conn, neighbour)) == len(active(neighbour))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("* * * *", "expected 5 cron fields"),
        ("* * * * * *", "expected 5 cron fields"),
        ("@hourly", "expected 5 cron fields"),
        ("61 * * * *", "not a valid cron string"),
        ("*/0 * * * *", "not a valid cron string"),
        ("every minute", "expected 5 cron fields"),
        ("0 0 31 2 *", "never fires"),
        ("*/5 * * * * *", "or 7 with seconds"),
    ],
)
def test_an_invalid_cron_names_the_variable(tmp_path, value, message):
    with pytest.raises(ConfigError, match=rf"DOCFLOW_SCHEDULE_CLASSIFY_DOCUMENTS=.*{message}"):
        make_settings(tmp_path, DOCFLOW_SCHEDULE_CLASSIFY_DOCUMENTS=value)


def test_a_seven_field_cron_fires_every_few_seconds(tmp_path):
    settings = make_settings(tmp_path, DOCFLOW_SCHEDULE_DELIVER_WEBHOOKS="*/5 * * * * * *")
    after = datetime(2026, 11, 29, 12, 0, 1, tzinfo=UTC)
    assert schedule.next_run(settings.schedules["deliver_webhooks"], after) == after.replace(
        second=5
    )


def test_cron_settings_are_normalised_and_survive_a_round_trip(tmp_path):
    settings = make_settings(
        tmp_path,
        DOCFLOW_SCHEDULE_CHECK_QUOTAS=" 0  3 * * mon-fri ",
        DOCFLOW_SCHEDULE_REPORT_USAGE="OFF",
    )
    assert settings.schedules == {"check_quotas": "0 3 * * mon-fri", "report_usage": None}
    assert Settings.from_env(settings.env()) == settings


def test_listing_gives_aware_utc_times(redis_conn, settings):
    before = datetime.now(UTC)
    register(redis_conn, settings)
    after = datetime.now(UTC)
    last = {"check_quotas": after - timedelta(minutes=3)}
    rows = listing(redis_conn, settings, last)
    assert [r["job"] for r in rows] == list(all_jobs())
    for row in rows:
        assert row["next_run"].utcoffset() == timedelta(0)
        assert row["next_run"] in (next_run(row["cron"], before), next_run(row["cron"], after))
    assert {r["job"]: r["last_run"] for r in rows}["check_quotas"] == last["check_quotas"]


def test_a_due_entry_enqueues_a_fresh_job_and_stays_scheduled(redis_conn, settings):
    register(redis_conn, settings)
    make_due(redis_conn, settings, "classify_documents", "report_usage")
    tick(settings)
    (classify,) = queued(redis_conn, settings, "default")
    (report,) = queued(redis_conn, settings, "low")
    entry = schedule.entry_id(settings, "classify_documents")
    assert classify.id != entry
    assert classify.func_name == get_job("classify_documents").path
    assert report.func_name == get_job("report_usage").path
    assert classify.result_ttl == settings.result_ttl_seconds
    assert classify.failure_ttl == settings.failure_ttl_seconds
    # The entry is due again at its next cron time, its template untouched.
    assert scheduled(redis_conn, settings)[entry] > time.time()
    template = Job.fetch(entry, connection=redis_conn, serializer=JSONSerializer)
    assert template.get_status() == "scheduled"
    assert redis_conn.ttl(template.key) == -1


def test_a_tick_is_skipped_while_a_run_is_waiting(redis_conn, settings):
    register(redis_conn, settings)
    for _ in range(2):
        make_due(redis_conn, settings, "deliver_webhooks")
        tick(settings)
    assert len(queued(redis_conn, settings, "default")) == 1
    # A run clears the marker when it starts; the next tick then enqueues again.
    redis_conn.delete(run_request_key(settings, "deliver_webhooks"))
    make_due(redis_conn, settings, "deliver_webhooks")
    tick(settings)
    assert len(queued(redis_conn, settings, "default")) == 2


def test_a_flushed_redis_is_registered_again_on_the_next_tick(redis_conn, settings):
    register(redis_conn, settings)
    redis_conn.flushdb()
    tick(settings)
    n = len(active(settings))
    assert len(scheduled(redis_conn, settings)) == len(templates(redis_conn, settings)) == n


@pytest.fixture
def new_york(monkeypatch):
    """A local time zone far from UTC, so local-time cron evaluation would show."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_cron_strings_are_evaluated_in_utc(new_york, redis_conn, settings):
    after = datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert next_run("0 3 * * *", after) == datetime(2026, 1, 2, 3, 0, tzinfo=UTC)
    register(redis_conn, settings)
    cleanup = schedule.entry_id(settings, "cleanup_expired_documents")
    due = datetime.fromtimestamp(scheduled(redis_conn, settings)[cleanup], UTC)
    assert (due.hour, due.minute) == (3, 0)


def test_no_future_warning_escapes(redis_conn, settings, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        changed = with_env(settings, tmp_path, DOCFLOW_SCHEDULE_CHECK_QUOTAS="*/7 * * * *")
        register(redis_conn, settings)
        register(redis_conn, changed)
        listing(redis_conn, changed)
        make_due(redis_conn, changed, *all_jobs())
        tick(changed)
    assert not [w for w in caught if issubclass(w.category, FutureWarning)]


def test_schedule_list_shows_cron_next_and_last_run(redis_conn, settings):
    started = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
    with open_database(settings) as db:
        migrate(db)
        JobRun.create(job="check_quotas", started_at=started - timedelta(hours=1), counts={})
        JobRun.create(job="check_quotas", started_at=started, counts={})
    env = settings.env() | {"DOCFLOW_SCHEDULE_SUSPEND_TENANTS": "off"}
    before = CliRunner().invoke(cli, ["schedule", "list"], env=env, catch_exceptions=False)
    assert "not registered: start docflow scheduler" in before.output
    now = datetime.now(UTC)
    register(redis_conn, Settings.from_env(env))
    result = CliRunner().invoke(cli, ["schedule", "list"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()}
    cron, next_day, next_time, next_zone, last_day, last_time, last_zone = (
        " ".join(lines["check_quotas"][:5]),
        *lines["check_quotas"][5:],
    )
    assert next_zone == last_zone == "UTC"
    assert cron == "15 * * * *"
    assert f"{next_day} {next_time}" in {
        f"{next_run(cron, at):%Y-%m-%d %H:%M:%S}" for at in (now, datetime.now(UTC))
    }
    assert (last_day, last_time) == ("2026-05-04", "03:02:01")
    assert lines["suspend_tenants"] == ["off", "-", "-"]
