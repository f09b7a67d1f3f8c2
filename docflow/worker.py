"""`docflow worker`: RQ's worker, except that it takes no new jobs from paused queues.

RQ waits for work in one BLPOP over all its queues, for minutes at a time. This worker
waits in short windows instead, over only the queues not paused right now (a Redis set,
see :func:`docflow.queues.pause`), so a pause or resume takes effect within
``POLL_SECONDS``. A paused queue keeps its jobs; a job already running finishes. With
every queue paused the worker idles, heartbeating, until one is resumed.
"""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING, Any

from rq import Queue, SimpleWorker, Worker
from rq.job import Job
from rq.worker import WorkerStatus

from docflow.errors import QueueError
from docflow.queues import PRIORITIES, paused, queue_name
from docflow.settings import Settings

log = logging.getLogger(__name__)

POLL_SECONDS = 2

if TYPE_CHECKING:
    # What the mixin is mixed into, so its calls into RQ's worker are checked.
    from rq.worker.base import BaseWorker as _Worker
else:
    _Worker = object


class _SkipsPausedQueues(_Worker):
    """Mixed into RQ's worker classes; relies on their ``_ordered_queues`` dequeue order."""

    _ordered_queues: list[Queue]

    def __init__(self, *args: Any, settings: Settings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.docflow_settings = settings
        self._priority_of = {queue_name(settings, p): p for p in PRIORITIES}
        self._paused: set[str] = set()

    def dequeue_job_and_maintain_ttl(
        self, timeout: int | None, max_idle_time: int | None = None
    ) -> tuple[Job, Queue] | None:
        started = time.monotonic()
        while True:
            left = None if max_idle_time is None else max_idle_time - (time.monotonic() - started)
            if left is not None and left <= 0:
                return None
            active = self._active_queues()
            if timeout is None:  # burst mode: one non-blocking look, as RQ does
                return self._dequeue_from(active, None, None) if active else None
            window = min(timeout, POLL_SECONDS)
            if left is not None:
                window = max(1, min(window, math.ceil(left)))
            if not active:
                self.set_state(WorkerStatus.IDLE)
                self.heartbeat()
                time.sleep(window)
                continue
            # RQ's own loop does the waiting, heartbeats and reconnect back-off; an idle
            # limit of one window makes it return to us to look at the paused set again.
            result = self._dequeue_from(active, window, window)
            if result is not None:
                return result

    def _active_queues(self) -> list[Queue]:
        try:
            self._paused = paused(self.connection, self.docflow_settings)
        except QueueError as exc:
            # RQ's dequeue meets the same outage next and backs off; until Redis answers
            # again the last known pauses stand.
            log.warning("%s; keeping the last known paused queues", exc)
        return [
            q for q in self._ordered_queues if self._priority_of.get(q.name) not in self._paused
        ]

    def _dequeue_from(
        self, queues: list[Queue], timeout: int | None, max_idle_time: int | None
    ) -> tuple[Job, Queue] | None:
        everything = self._ordered_queues
        self._ordered_queues = queues
        try:
            return super().dequeue_job_and_maintain_ttl(timeout, max_idle_time)
        finally:
            # DocFlow uses RQ's default strategy (priority order), which never reorders,
            # so restoring the full list loses nothing.
            self._ordered_queues = everything


class PausableWorker(_SkipsPausedQueues, Worker):
    """Forks a work-horse per job, like RQ's Worker."""


class PausableSimpleWorker(_SkipsPausedQueues, SimpleWorker):
    """Runs jobs in its own process, like RQ's SimpleWorker."""
