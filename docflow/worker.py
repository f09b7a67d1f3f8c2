"""`docflow worker`: RQ's worker, made to skip paused queues, ride out Redis outages,
stop promptly and never leave its work-horse behind.

- **Pauses.** RQ waits for work in one BLPOP over all its queues, for minutes at a time.
  This worker waits in short windows instead, over only the queues not paused right now
  (a Redis set, see :func:`docflow.queues.pause`), so a pause or resume takes effect
  within ``POLL_SECONDS``. A paused queue keeps its jobs; a job already running finishes.
- **Redis outages.** Stock RQ quits when Redis fails anywhere but in its dequeue: a
  heartbeat while a job runs, the suspension check, the bookkeeping after a job. Here
  those wait for Redis with backoff, logging one line when it goes and one when it is
  back, while the running job goes on (its work is in the database); a worker whose
  registration is gone (a restarted or flushed Redis) registers itself again.
- **Warm shutdown.** SIGTERM asks the work-horse to stop after its current batch
  (:mod:`docflow.shutdown`), so a stop takes one batch, not a whole run.
- **Death.** A work-horse, and RQ's scheduler process, get SIGKILL when their worker dies
  (Linux's parent-death signal): killing a worker stops its job; its claimed rows come
  back after their lease.
"""

from __future__ import annotations

import ctypes
import logging
import math
import multiprocessing.util
import os
import signal
import sys
import time
from typing import TYPE_CHECKING, Any

import redis
from redis.client import Pipeline
from rq import Queue, SimpleWorker, Worker, worker_registration
from rq.executions import Execution
from rq.job import Job
from rq.worker import WorkerStatus

from docflow import shutdown
from docflow.errors import QueueError
from docflow.queues import PRIORITIES, Backoff, paused, queue_name
from docflow.settings import Settings

log = logging.getLogger(__name__)

POLL_SECONDS = 2
MONITOR_SECONDS = 5
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)
_PR_SET_PDEATHSIG = 1

if TYPE_CHECKING:
    # What the mixin is mixed into, so its calls into RQ's worker are checked.
    from rq.worker.base import BaseWorker as _Worker
else:
    _Worker = object


class _SkipsPausedQueues(_Worker):
    """Mixed into RQ's worker classes; relies on their ``_ordered_queues`` dequeue order."""

    _ordered_queues: list[Queue]

    def __init__(self, *args: Any, settings: Settings, **kwargs: Any) -> None:
        # RQ's 30 s: a busy worker would take that long to see Redis back and register again.
        kwargs.setdefault("job_monitoring_interval", MONITOR_SECONDS)
        super().__init__(*args, **kwargs)
        self.docflow_settings = settings
        self._priority_of = {queue_name(settings, p): p for p in PRIORITIES}
        self._paused: set[str] = set()
        self._redis_down = False
        self._backoff = Backoff()
        self.docflow_pid = os.getpid()
        # RQ's scheduler runs in a multiprocessing child (for --at/--in jobs): tie it to
        # this worker too, or a killed worker leaves it running on its own.
        multiprocessing.util.register_after_fork(self, _tied_to_worker)

    def dequeue_job_and_maintain_ttl(
        self, timeout: int | None, max_idle_time: int | None = None
    ) -> tuple[Job, Queue] | None:
        started = time.monotonic()
        while True:
            left = None if max_idle_time is None else max_idle_time - (time.monotonic() - started)
            if left is not None and left <= 0:
                return None
            try:
                active = self._active_queues()
                self._redis_back()
                if not active and timeout is not None:
                    self.set_state(WorkerStatus.IDLE)
            except (QueueError, *REDIS_DOWN) as exc:
                if timeout is None:
                    raise
                self._lost_redis(exc, "waiting for work")
                self._backoff.sleep()
                continue
            if timeout is None:  # burst mode: one non-blocking look, as RQ does
                return self._dequeue_from(active, None, None) if active else None
            window = min(timeout, POLL_SECONDS)
            if left is not None:
                window = max(1, min(window, math.ceil(left)))
            if not active:
                self.heartbeat()
                time.sleep(window)
                continue
            # RQ's own loop does the waiting, heartbeats and reconnect back-off; an idle
            # limit of one window makes it return to us to look at the paused set again.
            result = self._dequeue_from(active, window, window)
            if result is not None:
                return result

    def _active_queues(self) -> list[Queue]:
        self._paused = paused(self.connection, self.docflow_settings)
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

    def _lost_redis(self, exc: Exception, doing: str) -> None:
        if not self._redis_down:
            self._redis_down = True
            log.warning("Redis is unreachable (%s while %s); retrying with backoff", exc, doing)

    def _redis_back(self) -> None:
        if self._redis_down:
            self._redis_down = False
            self._backoff.reset()
            log.info("Redis is back")
        self._ensure_registered()

    def _ensure_registered(self) -> None:
        """Register again when Redis lost this worker (restarted empty, or flushed):
        RQ registers a worker only at birth, so it would work on unseen."""
        if self.connection.sismember(worker_registration.REDIS_WORKER_KEYS, self.key):
            return
        with self.connection.pipeline() as pipe:
            pipe.hset(self.key, mapping=self.serialize())
            worker_registration.register(self, pipe)
            pipe.expire(self.key, self.worker_ttl + 60)
            pipe.execute()
        log.info("worker %s registered again: Redis had lost it", self.name)

    def heartbeat(self, timeout: int | None = None, pipeline: Pipeline | None = None) -> None:
        if pipeline is not None:
            super().heartbeat(timeout, pipeline=pipeline)
            return
        try:
            super().heartbeat(timeout)
        except REDIS_DOWN as exc:
            self._lost_redis(exc, "heartbeating")

    def maintain_heartbeats(self, job: Job, execution: Execution) -> None:
        try:
            super().maintain_heartbeats(job, execution)
            self._redis_back()
        except REDIS_DOWN as exc:
            self._lost_redis(exc, f"job {job.id} runs")

    def check_for_suspension(self, burst: bool) -> None:
        try:
            super().check_for_suspension(burst)
        except REDIS_DOWN as exc:
            self._lost_redis(exc, "checking for suspension")

    def run_maintenance_tasks(self) -> None:
        try:
            super().run_maintenance_tasks()  # type: ignore[no-untyped-call]  # unannotated in RQ
        except REDIS_DOWN as exc:
            self._lost_redis(exc, "cleaning registries")

    def execute_job(self, job: Job, queue: Queue) -> None:
        try:
            super().execute_job(job, queue)
        except REDIS_DOWN as exc:
            # The run's work is committed in the database; only RQ's record of the job
            # is lost, which a restarted Redis has lost anyway.
            self._lost_redis(exc, f"recording job {job.id}")
            if self.horse_pid:
                self.wait_for_horse()

    def teardown(self) -> None:
        try:
            super().teardown()  # type: ignore[no-untyped-call]  # unannotated in RQ
        except REDIS_DOWN as exc:
            log.warning("could not register this worker's death: %s", exc)

    def _install_signal_handlers(self) -> None:
        super()._install_signal_handlers()  # type: ignore[no-untyped-call]  # unannotated in RQ
        # Before any fork, so a work-horse has the handler from its first instruction.
        signal.signal(shutdown.SIGNAL, shutdown.request)

    def handle_warm_shutdown_request(self) -> None:
        super().handle_warm_shutdown_request()  # type: ignore[no-untyped-call]  # unannotated in RQ
        shutdown.request()  # a job running in this process (SimpleWorker)
        if self.horse_pid:
            try:
                os.kill(self.horse_pid, shutdown.SIGNAL)
                log.info("asked work-horse %s to stop after its current batch", self.horse_pid)
            except ProcessLookupError:
                pass


class PausableWorker(_SkipsPausedQueues, Worker):
    """Forks a work-horse per job, like RQ's Worker; the horse dies with the worker."""

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        _die_with(self.docflow_pid)
        super().main_work_horse(job, queue)


class PausableSimpleWorker(_SkipsPausedQueues, SimpleWorker):
    """Runs jobs in its own process, like RQ's SimpleWorker."""


def _tied_to_worker(worker: _SkipsPausedQueues) -> None:
    _die_with(worker.docflow_pid)


def _die_with(parent: int) -> None:
    """SIGKILL this process when ``parent`` dies (Linux; elsewhere RQ's behaviour stays)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        log.warning("could not tie the work-horse to its worker: errno %s", ctypes.get_errno())
        return
    if os.getppid() != parent:  # the worker died between the fork and the prctl
        os._exit(1)
