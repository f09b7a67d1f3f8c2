"""Job declarations: a job declared in one place is listed, enqueueable, runnable and
schedulable everywhere, with no other file touched (README, "Adding a job")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import pytest
from click.testing import CliRunner
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from console.backend import Backend
from docflow import registry
from docflow.cli import cli
from docflow.errors import ConfigError, InvalidArgument
from docflow.models import JobRun
from docflow.queues import get_queue, queue_names
from docflow.registry import IntRange, Job, all_jobs, get_job, job, wake
from docflow.runs import RunRecorder
from docflow.schedule import entries, register
from docflow.settings import Settings
from tests.conftest import make_settings

ROUNDS = IntRange(1, 5, "rounds to play")


@pytest.fixture
def throwaway() -> Iterator[Job]:
    """A job declared right here, as a new job module would declare it."""

    @job(queue="low", schedule="*/7 * * * *", wakes_on=("test.throwaway",))
    def throwaway_job(
        run: RunRecorder,
        settings: Settings,
        now: registry.Clock,
        rounds: Annotated[int | None, ROUNDS] = None,
    ) -> None:
        """Play a few rounds, for the declaration tests."""
        run.add(rounds=rounds or 1)

    # RQ finds a job by its module attribute, which a decorator at module level would set.
    globals()["throwaway_job"] = throwaway_job
    yield throwaway_job
    registry.unregister("throwaway_job")
    del globals()["throwaway_job"]


def test_a_declared_job_is_listed_with_its_parameters(throwaway, settings):
    assert all_jobs(settings)["throwaway_job"] is throwaway
    assert throwaway.path == f"{__name__}.throwaway_job"
    assert (throwaway.queue, throwaway.schedule, throwaway.params) == (
        "low",
        "*/7 * * * *",
        {"rounds": ROUNDS},
    )
    env = settings.env()
    help_text = CliRunner().invoke(cli, ["enqueue", "--help"], env=env).output
    assert "throwaway_job: Play a few rounds" in help_text and "--rounds" in help_text
    listed = CliRunner().invoke(cli, ["settings"], env=env).output
    assert "DOCFLOW_SCHEDULE_THROWAWAY_JOB='*/7 * * * *'  (default)" in listed
    [enqueue] = [
        a for a in Backend(settings, actor="operator:t").actions() if a.id == "jobs.enqueue"
    ]
    fields = {f.name: f for f in enqueue.fields}
    assert "throwaway_job" in fields["job"].choices and "1..5" in fields["rounds"].help


def test_a_declared_job_is_enqueued_checked_and_run_by_a_worker(
    throwaway, sqlite_db, redis_conn, monkeypatch
):
    env = sqlite_db.env()
    for name, value in env.items():  # the worker's job reads its settings from the environment
        monkeypatch.setenv(name, value)
    bad = CliRunner().invoke(cli, ["enqueue", "throwaway_job", "--rounds", "9"], env=env)
    assert bad.exit_code == 1 and "rounds must be from 1 to 5, got 9" in bad.output
    good = CliRunner().invoke(cli, ["enqueue", "throwaway_job", "--rounds", "3"], env=env)
    assert good.exit_code == 0, good.output
    [queued] = get_queue(redis_conn, sqlite_db, "low").jobs
    assert (queued.func_name, queued.kwargs) == (throwaway.path, {"rounds": 3})
    worker = SimpleWorker(queue_names(sqlite_db), connection=redis_conn, serializer=JSONSerializer)
    worker.work(burst=True)
    run = JobRun.get(JobRun.job == "throwaway_job")
    assert (run.outcome, run.counts, run.args) == ("succeeded", {"rounds": 3}, {"rounds": 3})


def test_a_declared_job_is_scheduled_and_its_setting_overrides(
    throwaway, settings, redis_conn, tmp_path
):
    [entry] = [e for e in entries(settings) if e.name == "throwaway_job"]
    assert (entry.cron, entry.path, entry.queue) == (
        "*/7 * * * *",
        throwaway.path,
        f"{settings.queue_prefix}-low",
    )
    assert register(redis_conn, settings).created == len([e for e in entries(settings) if e.cron])
    off = make_settings(tmp_path, **{**settings.env(), "DOCFLOW_SCHEDULE_THROWAWAY_JOB": "off"})
    assert register(redis_conn, off).removed == 1


def test_wake_asks_once_for_each_job_of_the_topic(throwaway, settings, redis_conn):
    assert [j.func_name for j in wake(redis_conn, settings, "test.throwaway")] == [throwaway.path]
    assert wake(redis_conn, settings, "test.throwaway") == []  # one is already waiting
    assert wake(redis_conn, settings, "no.such.topic") == []


def test_a_schedule_setting_for_no_job_is_refused(tmp_path):
    settings = make_settings(tmp_path, DOCFLOW_SCHEDULE_CLASIFY_DOCUMENTS="* * * * *")
    with pytest.raises(
        ConfigError,
        match="DOCFLOW_SCHEDULE_CLASIFY_DOCUMENTS names no job.*DOCFLOW_SCHEDULE_CLASSIFY_DOCUMENTS",
    ):
        entries(settings)


def test_declarations_are_checked_when_made():
    with pytest.raises(TypeError, match="starts with \\(run, settings, now\\)"):
        job()(lambda settings, now: None)
    with pytest.raises(TypeError, match="needs Annotated"):

        @job()
        def untyped(
            run: RunRecorder, settings: Settings, now: registry.Clock, size: int = 5
        ) -> None:
            """No range."""

    with pytest.raises(TypeError, match="queue must be one of"):

        @job(queue="urgent")
        def nowhere(run: RunRecorder, settings: Settings, now: registry.Clock) -> None:
            """Unknown queue."""

    assert "untyped" not in all_jobs() and "nowhere" not in all_jobs()


def test_two_jobs_may_not_share_a_name():
    classify = get_job("classify_documents")

    def classify_documents(run: RunRecorder, settings: Settings, now: registry.Clock) -> None:
        """Another module's job of the same name."""

    classify_documents.__module__ = "somewhere.else"
    with pytest.raises(TypeError, match="two jobs are called classify_documents"):
        job()(classify_documents)
    assert get_job("classify_documents") is classify


@pytest.mark.parametrize("value", [" 5", "1_000", "٥", "5.0", "-1", True, 2.5])
def test_parameters_take_plain_whole_numbers_only(value):
    with pytest.raises(InvalidArgument, match="whole number"):
        get_job("classify_documents").validate({"batch_size": value})
