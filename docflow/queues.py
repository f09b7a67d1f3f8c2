"""Redis and the named RQ queues: connection, queue names, enqueue helpers.

Every queue uses RQ's JSON serializer: job arguments are data (ids, numbers), never
pickled objects. Queue names are namespaced (``<prefix>-high``, ``-default``, ``-low``)
so DocFlow can share a Redis with other RQ users.
"""

from __future__ import annotations

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
            f"cannot reach Redis at {redact(url)}: {exc}. Start it (scripts/run does) or set DOCFLOW_REDIS_URL."
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
) -> Job:
    """Validate ``args`` for ``job`` and put it on its queue; return the RQ job."""
    kwargs = validate_args(job, args or {})
    spec = JOBS[job]
    queue = get_queue(conn, settings, priority or spec.priority)
    try:
        return queue.enqueue(
            spec.path,
            kwargs=kwargs,
            result_ttl=settings.result_ttl_seconds,
            failure_ttl=settings.failure_ttl_seconds,
            description=f"{job}({', '.join(f'{k}={v}' for k, v in kwargs.items())})",
        )
    except redis.RedisError as exc:
        raise QueueError(f"cannot enqueue {job}: {exc}") from exc


def classification_request_key(settings: Settings) -> str:
    return f"{settings.queue_prefix}:classify-requested"


def request_classification(conn: redis.Redis, settings: Settings) -> Job | None:
    """Enqueue one classify_documents run unless one is already waiting.

    A burst of uploads then costs one job, not one per upload: the marker is set
    atomically here and cleared when the job starts, so uploads arriving while it runs
    ask for the next one. The marker expires with the job timeout, so a job lost with
    Redis does not block requests for ever.
    """
    key = classification_request_key(settings)
    if not conn.set(key, "1", nx=True, ex=settings.job_timeout_seconds):
        return None
    try:
        return enqueue(conn, settings, "classify_documents", {}, priority="high")
    except QueueError:
        conn.delete(key)
        raise
