"""Redis and the named RQ queues: connection, queue names, enqueue helpers.

Every queue uses RQ's JSON serializer: job arguments are data (ids, numbers), never
pickled objects. Queue names are namespaced (``<prefix>-high``, ``-default``, ``-low``)
so DocFlow can share a Redis with other RQ users.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import redis
from rq import Queue
from rq.job import Job
from rq.serializers import JSONSerializer

from docflow.db import redact
from docflow.errors import QueueError
from docflow.jobs import JOBS, validate_args
from docflow.settings import Settings

PRIORITIES = ("high", "default", "low")


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


def enqueue(
    conn: redis.Redis,
    settings: Settings,
    job: str,
    args: dict[str, Any] | None = None,
    *,
    priority: str | None = None,
    at: datetime | None = None,
) -> Job:
    """Validate ``args`` for ``job`` and put it on its queue; return the RQ job.

    With ``at`` (aware) the job waits in RQ's scheduled registry until then; workers
    move it to its queue (`docflow worker` runs RQ's scheduler for that).
    """
    kwargs = validate_args(job, args or {})
    spec = JOBS[job]
    queue = get_queue(conn, settings, priority or spec.priority)
    options: dict[str, Any] = {
        "kwargs": kwargs,
        "result_ttl": settings.result_ttl_seconds,
        "failure_ttl": settings.failure_ttl_seconds,
        "description": f"{job}({', '.join(f'{k}={v}' for k, v in kwargs.items())})",
    }
    try:
        if at is None:
            return queue.enqueue(spec.path, **options)
        return queue.enqueue_at(at, spec.path, **options)
    except redis.RedisError as exc:
        raise QueueError(f"cannot enqueue {job}: {exc}") from exc


def run_request_key(settings: Settings, job: str) -> str:
    return f"{settings.queue_prefix}:requested:{job}"


def request_run(conn: redis.Redis, settings: Settings, job: str) -> Job | None:
    """Enqueue one run of ``job`` on the high queue unless one is already waiting.

    A burst of triggers (uploads, requeues, emitted events) then costs one job, not one
    each: the marker is set atomically here and cleared when the run starts, so a
    trigger arriving while it runs asks for the next one. The marker expires with the
    job timeout, so a job lost with Redis does not block requests for ever.
    """
    key = run_request_key(settings, job)
    if not conn.set(key, "1", nx=True, ex=settings.job_timeout_seconds):
        return None
    try:
        return enqueue(conn, settings, job, {}, priority="high")
    except QueueError:
        conn.delete(key)
        raise
