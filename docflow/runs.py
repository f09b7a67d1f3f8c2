"""Job runs: every run records a job_runs row, logs one summary line, returns a summary.

:func:`execute` is what a declared job (:class:`docflow.registry.Job`) calls when RQ runs
it. It reads the settings, opens the database for this run only (a forked work-horse
never inherits a connection), validates the arguments, records the run and returns its
JSON-able summary. Counts are written to the run's row inside each batch's own
transaction (:meth:`RunRecorder.add`), so the row always matches what was committed,
even when the worker dies mid-run.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import traceback
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rq import get_current_job

from docflow import queues
from docflow.db import open_database
from docflow.errors import QueueError
from docflow.migrations import require_current
from docflow.models import JobRun, utcnow
from docflow.settings import Settings
from docflow.topics import EVENTS_PENDING

if TYPE_CHECKING:
    from docflow.registry import Job

log = logging.getLogger("docflow.jobs")


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
            counts={},
        )

    def add(self, **counts: int) -> None:
        """Add to this run's counts; call inside the transaction that did the work."""
        self.counts.update({k: v for k, v in counts.items() if v})
        JobRun.update(counts=dict(self.counts)).where(JobRun.id == self.row.id).execute()

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
        JobRun.update(
            finished_at=utcnow(), outcome=outcome, counts=dict(self.counts), error=error
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
    if rq_job is not None:
        # From here on, a new trigger must ask for another run, not rely on this one.
        queues.run_started(rq_job.connection, settings, job.name)
    _ensure_logging(settings.log_level)
    with open_database(settings) as db:
        require_current(db)
        run = RunRecorder(job.name, kwargs, now(), settings)
        try:
            job.body(run, settings, now, **kwargs)
        except Exception as exc:
            run.finish("failed", f"{type(exc).__name__}: {exc}")
            log.debug("%s failed:\n%s", job.name, traceback.format_exc())
            raise
        if run.events:
            run.note(webhook_events=run.events)
            run.wake(EVENTS_PENDING)
        return run.finish("succeeded")


def _ensure_logging(level: str) -> None:
    """Make the summary line visible under a stock `rq worker`, which only sets up rq's loggers."""
    if not logging.getLogger().handlers and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(level)
