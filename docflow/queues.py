"""Redis and the named RQ queues: connection, queue names, enqueue plumbing, pauses.

Every queue uses RQ's JSON serializer: job arguments are data (ids, numbers), never
pickled objects. Queue names are namespaced (``<prefix>-high``, ``-default``, ``-low``)
so DocFlow can share a Redis with other RQ users.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import redis
from rq import Queue
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from docflow.errors import QueueError
from docflow.redaction import redact
from docflow.settings import Settings

PRIORITIES = ("high", "default", "low")
RECONNECT_MAX_SECONDS = 30

log = logging.getLogger(__name__)


def connect_redis(url: str) -> redis.Redis:
    """A Redis client for ``url`` that has answered a PING."""
    try:
        conn = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        conn.ping()
    except (redis.RedisError, ValueError) as exc:
        raise QueueError(
            f"cannot reach Redis at {redact(url)}: {str(exc).rstrip('.')}. Start it (scripts/run does) or set DOCFLOW_REDIS_URL."
        ) from exc
    return conn


class Backoff:
    """Waits that double from a second up to ``RECONNECT_MAX_SECONDS``, for the processes
    that wait out a Redis outage (workers, the scheduler); ``reset`` once Redis answers."""

    def __init__(self) -> None:
        self.seconds = 1.0

    def sleep(self) -> None:
        time.sleep(self.seconds)
        self.seconds = min(2 * self.seconds, RECONNECT_MAX_SECONDS)

    def reset(self) -> None:
        self.seconds = 1.0


def wait_for_redis(url: str) -> redis.Redis:
    """:func:`connect_redis`, retried with backoff until Redis answers: a long-running
    process that starts during an outage (a restart of both, a supervisor's retry) waits for
    it, saying so once, rather than exiting."""
    backoff, said = Backoff(), False
    while True:
        try:
            conn = connect_redis(url)
        except QueueError as exc:
            if not said:
                log.warning("%s; waiting for it (retrying with backoff)", exc)
                said = True
            backoff.sleep()
            continue
        if said:
            log.info("Redis is back")
        return conn


def queue_name(settings: Settings, priority: str) -> str:
    if priority not in PRIORITIES:
        raise QueueError(f"unknown queue {priority!r}; use one of {', '.join(PRIORITIES)}")
    return f"{settings.queue_prefix}-{priority}"


def queue_names(settings: Settings) -> list[str]:
    """All DocFlow queues, highest priority first: the order a worker listens in."""
    return [queue_name(settings, p) for p in PRIORITIES]


def get_queue(conn: redis.Redis, settings: Settings, priority: str = "default") -> Queue:
    return Queue(
        queue_name(settings, priority),
        connection=conn,
        serializer=JSONSerializer,
        default_timeout=settings.job_timeout_seconds,
    )


def enqueue_call(
    conn: redis.Redis,
    settings: Settings,
    path: str,
    kwargs: dict[str, Any],
    *,
    priority: str,
    description: str,
    at: datetime | None = None,
) -> Job:
    """Put a call of the function at ``path`` on the ``priority`` queue; return the RQ job.

    Callers validate first (:meth:`docflow.registry.Job.enqueue`). With ``at`` (aware) the
    job waits in RQ's scheduled registry until then; workers move it to its queue
    (`docflow worker` runs RQ's scheduler for that).
    """
    queue = get_queue(conn, settings, priority)
    options: dict[str, Any] = {
        "kwargs": kwargs,
        "result_ttl": settings.result_ttl_seconds,
        "failure_ttl": settings.failure_ttl_seconds,
        "description": description,
    }
    try:
        if at is None:
            return queue.enqueue(path, **options)
        job: Job = queue.enqueue_at(at, path, **options)  # rq leaves its return unannotated
        return job
    except redis.RedisError as exc:
        raise QueueError(f"cannot enqueue {description}: {exc}") from exc


def run_request_key(settings: Settings, job: str) -> str:
    return f"{settings.queue_prefix}:requested:{job}"


def request_run(
    conn: redis.Redis, settings: Settings, job: str, enqueue: Callable[[], Job]
) -> Job | None:
    """Call ``enqueue`` for one run of ``job`` unless one is already waiting; None when one is.

    A burst of triggers (uploads, requeues, emitted events, scheduler ticks) then costs
    one job, not one each: the marker is set atomically here and cleared when the run
    starts (:func:`run_started`), so a trigger arriving while it runs asks for the next one.

    The marker names the job it waits for. A run that never starts (its worker was
    killed between taking the job and starting it, or Redis lost the job) would
    otherwise block every request until the marker expires; a request that finds the
    named job no longer queued takes the marker over instead.
    """
    key = run_request_key(settings, job)
    try:
        if not _take_marker(conn, settings, key):
            return None
        try:
            rq_job = enqueue()
        except QueueError:
            conn.delete(key)
            raise
        conn.set(key, rq_job.id, xx=True, keepttl=True)
    except redis.RedisError as exc:
        # A QueueError, like every Redis failure here: a run asking for a follow-up after
        # its commit logs it and still succeeds (RunRecorder.follow_up).
        raise QueueError(f"cannot request a run of {job}: {exc}") from exc
    return rq_job


def run_started(conn: redis.Redis, settings: Settings, job: str) -> None:
    """A run of ``job`` began: the next request must enqueue another one."""
    try:
        conn.delete(run_request_key(settings, job))
    except redis.RedisError as exc:
        raise QueueError(f"cannot clear the waiting-run marker of {job}: {exc}") from exc


_ENQUEUEING = "enqueueing:"
# Enqueueing takes milliseconds; a marker still saying so after this long belongs to a
# request that crashed in between.
_ENQUEUEING_GRACE_SECONDS = 60
_WAITING = (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


def _take_marker(conn: redis.Redis, settings: Settings, key: str) -> bool:
    ttl = settings.job_timeout_seconds
    if conn.set(key, f"{_ENQUEUEING}{time.time()}", nx=True, ex=ttl):
        return True
    with conn.pipeline() as pipe:
        try:
            pipe.watch(key)  # type: ignore[no-untyped-call]  # unannotated in redis-py
            waiting = pipe.get(key)
            if waiting is None or _still_waiting(conn, _text(waiting)):
                # None: a run has just started and cleared it; it will see this work.
                return False
            pipe.multi()
            pipe.set(key, f"{_ENQUEUEING}{time.time()}", ex=ttl)
            pipe.execute()
        except redis.WatchError:
            return False  # another request changed the marker first: it does the enqueueing
    log.warning("%s: the run %s never started; requesting a new one", key, _text(waiting))
    return True


def _still_waiting(conn: redis.Redis, marker: str) -> bool:
    if marker.startswith(_ENQUEUEING):
        since = marker.removeprefix(_ENQUEUEING)
        return since.replace(".", "", 1).isdigit() and (
            time.time() - float(since) < _ENQUEUEING_GRACE_SECONDS
        )
    status = conn.hget(Job.key_for(marker), "status")
    return status is not None and _text(status) in _WAITING


def _text(reply: bytes | str) -> str:
    """A Redis reply as text: bytes from our clients (redis-py types replies as either)."""
    return reply.decode() if isinstance(reply, bytes) else reply


def paused_key(settings: Settings) -> str:
    """The Redis set of paused priorities; `docflow worker` reads it before each dequeue."""
    return f"{settings.queue_prefix}:paused"


def pause(conn: redis.Redis, settings: Settings, priority: str) -> bool:
    """Stop workers taking new jobs from a queue (running ones finish); False if it was."""
    queue_name(settings, priority)  # refuses an unknown priority
    try:
        return bool(conn.sadd(paused_key(settings), priority))
    except redis.RedisError as exc:
        raise QueueError(f"cannot pause {priority}: {exc}") from exc


def resume(conn: redis.Redis, settings: Settings, priority: str) -> bool:
    """Let workers take jobs from a paused queue again; False if it was not paused."""
    queue_name(settings, priority)
    try:
        return bool(conn.srem(paused_key(settings), priority))
    except redis.RedisError as exc:
        raise QueueError(f"cannot resume {priority}: {exc}") from exc


def paused(conn: redis.Redis, settings: Settings) -> set[str]:
    """The paused priorities (high, default, low)."""
    try:
        members = conn.smembers(paused_key(settings))
    except redis.RedisError as exc:
        raise QueueError(f"cannot read the paused queues: {exc}") from exc
    return {_text(m) for m in members} & set(PRIORITIES)


def held_key(settings: Settings, priority: str) -> str:
    """The Redis set of runs a worker met on a paused queue, for :func:`take_held`."""
    return f"{settings.queue_prefix}:held:{priority}"


def priority_of(settings: Settings, queue: str) -> str | None:
    return next((p for p in PRIORITIES if queue_name(settings, p) == queue), None)


def hold(
    conn: redis.Redis, settings: Settings, priority: str, job: str, args: dict[str, Any]
) -> bool:
    """Keep a run that a worker took from a paused queue (a stock ``rq worker`` knows no
    pauses) until the queue is resumed; False if the queue is no longer paused, and the
    run should go ahead. Runs are kept once per job and arguments."""
    entry = json.dumps({"job": job, "args": args}, sort_keys=True)
    try:
        conn.sadd(held_key(settings, priority), entry)
        if priority in paused(conn, settings):
            return True
        conn.srem(held_key(settings, priority), entry)  # resumed in between: run it now
        return False
    except redis.RedisError as exc:
        raise QueueError(f"cannot hold a run of {job}: {exc}") from exc


def take_held(
    conn: redis.Redis, settings: Settings, priority: str
) -> list[tuple[str, dict[str, Any]]]:
    """The runs held on ``priority``, removed from Redis in the same step."""
    key = held_key(settings, priority)
    try:
        pipe = conn.pipeline(transaction=True)
        pipe.smembers(key)
        pipe.delete(key)
        members, _ = pipe.execute()
    except redis.RedisError as exc:
        raise QueueError(f"cannot read the runs held on {priority}: {exc}") from exc
    entries = [json.loads(m) for m in sorted(_text(m) for m in members)]
    return [(e["job"], e["args"]) for e in entries]
