"""Job runs: every run records a job_runs row, logs one summary line, returns a summary.

:func:`execute` is what a declared job (:class:`docflow.registry.Job`) calls when RQ runs
it. It reads the settings, opens the database for this run only (a forked work-horse
never inherits a connection), validates the arguments, records the run and returns its
JSON-able summary. Counts are written to the run's row inside each batch's own
transaction (:meth:`RunRecorder.add`), so the row always matches what was committed,
even when the worker dies mid-run.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
import traceback
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import peewee
from peewee import fn
from rq import get_current_job
from rq.job import Job as RQJob

from docflow import queues
from docflow.db import open_database, tuple_rows
from docflow.errors import QueueError
from docflow.migrations import require_current
from docflow.models import JobRun, to_db_time, utcnow
from docflow.settings import Settings
from docflow.topics import EVENTS_PENDING

if TYPE_CHECKING:
    from docflow.registry import Job

log = logging.getLogger("docflow.jobs")

RUNNING, ABANDONED = "running", "abandoned"
REAP_AT_ONCE = 100


class RunRecorder:
    """The job_runs row of one run, the counts it has committed so far, and its follow-ups."""

    def __init__(self, job: str, args: dict[str, Any], now: datetime, settings: Settings) -> None:
        rq_job = get_current_job()
        self.job = job
        self.settings = settings
        self.worker = (
            rq_job.worker_name if rq_job else None
        ) or f"{socket.gethostname()}:{os.getpid()}"
        self.counts: Counter[str] = Counter()
        self.extra: dict[str, Any] = {}
        self.events = 0
        self.started = time.monotonic()
        self.row = JobRun.create(
            job=job,
            rq_job_id=rq_job.id if rq_job else None,
            worker=self.worker,
            args=args,
            started_at=now,
            heartbeat_at=now,
            counts={},
        )

    def add(self, **counts: int) -> None:
        """Add to this run's counts; call inside the transaction that did the work. It is
        also the run's heartbeat: a run that commits batches is alive."""
        self.counts.update({k: v for k, v in counts.items() if v})
        JobRun.update(counts=dict(self.counts), heartbeat_at=utcnow()).where(
            JobRun.id == self.row.id
        ).execute()

    def note(self, **values: object) -> None:
        """Record a summary value that is not a count (kept in memory until finish)."""
        self.extra.update(values)

    def emitted(self, events: int) -> None:
        """Webhook events this run committed; the run asks for their delivery when it ends."""
        self.events += events

    def follow_up(self, job: Job) -> bool:
        """Ask for a run of ``job`` on this run's Redis; False when not running under RQ
        (a test or a script calling the job directly) or when Redis refused."""
        rq_job = get_current_job()
        if rq_job is None:
            return False
        try:
            return job.request(rq_job.connection, self.settings) is not None
        except QueueError as exc:
            # The work is committed: the next periodic run finds it, so this run still succeeded.
            log.warning("%s: could not ask for a %s run: %s", self.job, job.name, exc)
            return False

    def wake(self, topic: str) -> None:
        """Like :meth:`follow_up`, for every job that wakes on ``topic``."""
        from docflow.registry import all_jobs

        for job in all_jobs(self.settings).values():
            if topic in job.wakes_on:
                self.follow_up(job)

    def finish(self, outcome: str, error: str | None = None) -> dict[str, Any]:
        duration = time.monotonic() - self.started
        at = utcnow()
        JobRun.update(
            finished_at=at, heartbeat_at=at, outcome=outcome, counts=dict(self.counts), error=error
        ).where(JobRun.id == self.row.id).execute()
        summary = {
            "job": self.job,
            "run_id": self.row.id,
            "outcome": outcome,
            "duration_seconds": round(duration, 3),
            "counts": dict(self.counts),
            **self.extra,
        }
        if error:
            summary["error"] = error
        counts = " ".join(f"{k}={v}" for k, v in sorted(self.counts.items())) or "nothing to do"
        log.info("%s run %s %s in %.2fs: %s", self.job, self.row.id, outcome, duration, counts)
        return summary


def execute(
    job: Job,
    args: dict[str, Any],
    *,
    settings: Settings | None = None,
    now: Callable[[], datetime] = utcnow,
) -> dict[str, Any]:
    """Run ``job.body(run, settings, now, **args)`` as a recorded run of ``job``."""
    settings = settings or Settings.from_env()
    kwargs = job.validate(args)
    rq_job = get_current_job()
    if rq_job is not None and _held(rq_job, job, kwargs, settings):
        return {"job": job.name, "outcome": "held", "queue": rq_job.origin}
    if rq_job is not None:
        # From here on, a new trigger must ask for another run, not rely on this one.
        queues.run_started(rq_job.connection, settings, job.name)
    _ensure_logging(settings.log_level)
    with open_database(settings) as db:
        require_current(db)
        started = now()
        reap(settings.lease_seconds, started)
        run = RunRecorder(job.name, kwargs, started, settings)
        try:
            job.body(run, settings, now, **kwargs)
        except Exception as exc:
            _record_failure(db, run, f"{type(exc).__name__}: {exc}")
            log.debug("%s failed:\n%s", job.name, traceback.format_exc())
            raise
        if run.events:
            run.note(webhook_events=run.events)
            run.wake(EVENTS_PENDING)
        return run.finish("succeeded")


def _held(rq_job: RQJob, job: Job, kwargs: dict[str, Any], settings: Settings) -> bool:
    """Whether the run came from a paused queue (a stock ``rq worker`` took it) and is
    kept for when the queue is resumed, instead of running now."""
    priority = queues.priority_of(settings, rq_job.origin)
    if priority is None:
        return False
    try:
        if priority not in queues.paused(rq_job.connection, settings):
            return False
        held = queues.hold(rq_job.connection, settings, priority, job.name, kwargs)
    except QueueError as exc:
        log.warning("%s: cannot tell whether %s is paused, running: %s", job.name, priority, exc)
        return False
    if held:
        log.info("%s: queue %s is paused; the run waits until it is resumed", job.name, priority)
    return held


def reap(lease_seconds: float, now: datetime) -> list[int]:
    """Mark ``abandoned`` the runs whose heartbeat is older than the lease; their ids."""
    cutoff = now - timedelta(seconds=lease_seconds)
    last = fn.COALESCE(JobRun.heartbeat_at, JobRun.started_at)
    stale = list(
        tuple_rows(
            JobRun.select(JobRun.id, JobRun.job, JobRun.worker, last)
            .where((JobRun.outcome == RUNNING) & (last < cutoff))
            .limit(REAP_AT_ONCE)
        )
    )
    reaped = []
    for run_id, name, worker, beat in stale:
        error = (f"abandoned: no heartbeat from worker {worker} since {to_db_time(beat)}; "
                 "its committed counts are kept")  # fmt: skip
        # Guarded on the outcome: a run that finished meanwhile keeps its own.
        if (
            JobRun.update(outcome=ABANDONED, finished_at=beat, error=error)
            .where((JobRun.id == run_id) & (JobRun.outcome == RUNNING))
            .execute()
        ):
            log.warning("%s run %s %s", name, run_id, error)
            reaped.append(run_id)
    return reaped


def _record_failure(db: peewee.Database, run: RunRecorder, error: str) -> None:
    """Record the run as failed, through a new connection if its own died: otherwise the
    write fails too and RQ records "connection already closed" instead of the cause."""
    try:
        run.finish("failed", error)
        return
    except peewee.PeeweeException as exc:
        log.warning("%s run %s: recording its failure again on a new connection (%s)",
                    run.job, run.row.id, exc)  # fmt: skip
    with contextlib.suppress(peewee.PeeweeException):
        db.close()
    try:
        db.connect()
        run.finish("failed", error)
    except peewee.PeeweeException as exc:
        log.error("%s run %s failed (%s) and could not be recorded: %s",
                  run.job, run.row.id, error, exc)  # fmt: skip


def _ensure_logging(level: str) -> None:
    """Make the summary line visible under a stock `rq worker`, which only sets up rq's loggers."""
    if not logging.getLogger().handlers and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(level)
