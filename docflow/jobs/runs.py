"""Job runs: every run records a job_runs row, logs one summary line, returns a summary.

``execute()`` is what each RQ entry point calls. It reads the settings, opens the
database for this run only (a forked work-horse never inherits a connection), validates
the arguments, records the run and returns its JSON-able summary. Counts are written to
the run's row inside each batch's own transaction (``RunRecorder.add``), so the row
always matches what was committed, even when the worker dies mid-run.
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
from typing import Any

from rq import get_current_job

from docflow.db import open_database
from docflow.jobs import validate_args
from docflow.migrations import require_current
from docflow.models import JobRun, utcnow
from docflow.queues import request_run, run_request_key
from docflow.settings import Settings

log = logging.getLogger("docflow.jobs")


class RunRecorder:
    """The job_runs row of one run, and the counts it has committed so far."""

    def __init__(self, job: str, args: dict[str, Any], now: datetime) -> None:
        rq_job = get_current_job()
        self.job = job
        self.worker = (
            rq_job.worker_name if rq_job else None
        ) or f"{socket.gethostname()}:{os.getpid()}"
        self.counts: Counter[str] = Counter()
        self.extra: dict[str, Any] = {}
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

    def note(self, **values: Any) -> None:
        """Record a summary value that is not a count (kept in memory until finish)."""
        self.extra.update(values)

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


Body = Callable[..., None]


def execute(
    job: str,
    body: Body,
    args: dict[str, Any],
    *,
    settings: Settings | None = None,
    now: Callable[[], datetime] = utcnow,
) -> dict[str, Any]:
    """Run ``body(run, settings, now, **args)`` as a recorded run of ``job``."""
    settings = settings or Settings.from_env()
    kwargs = validate_args(job, args)
    rq_job = get_current_job()
    if rq_job is not None:
        # From here on, a new trigger must ask for another run, not rely on this one.
        rq_job.connection.delete(run_request_key(settings, job))
    _ensure_logging(settings.log_level)
    with open_database(settings) as db:
        require_current(db)
        run = RunRecorder(job, kwargs, now())
        try:
            body(run, settings, now, **kwargs)
        except Exception as exc:
            run.finish("failed", f"{type(exc).__name__}: {exc}")
            log.debug("%s failed:\n%s", job, traceback.format_exc())
            raise
        return run.finish("succeeded")


def _ensure_logging(level: str) -> None:
    """Make the summary line visible under a stock `rq worker`, which only sets up rq's loggers."""
    if not logging.getLogger().handlers and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(level)


def request_from_job(settings: Settings, job: str) -> bool:
    """From inside a running job: ask for a run of ``job`` on the same Redis."""
    rq_job = get_current_job()
    if rq_job is None:
        return False
    return request_run(rq_job.connection, settings, job) is not None
