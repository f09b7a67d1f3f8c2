"""Periodic jobs: the cron table, its registration in Redis, and the scheduler loop.

The table is each job's declared cron (``@job(schedule=...)``), overridden by its
``DOCFLOW_SCHEDULE_<JOB>`` setting (a cron string in UTC, or off). ``register()`` writes it to Redis idempotently under stable ids, so any number of
registrations and schedulers leave exactly one entry per job. ``run_scheduler()`` runs
rq-scheduler's loop; its lock lets one scheduler at a time enqueue what is due.

This is the only module that imports rq_scheduler, so moving to RQ's own cron later
changes this module (and the cron check in settings.py, which uses the same crontab
package). It departs from stock rq-scheduler on purpose:

- An entry is a template that never runs itself: each tick enqueues a fresh job through
  :meth:`docflow.registry.Job.enqueue`. rq-scheduler would enqueue the entry under its own id,
  so a finished run's result TTL deletes the entry, which rq-scheduler then drops
  silently, and overlapping runs would share one job hash.
- A tick is skipped while a run of the job is already waiting (the marker uploads and
  requeues use too), so workers that were down come back to one run per job, not a pile.
- Cron strings are evaluated in UTC; rq-scheduler evaluates them in the process's local
  time zone, whatever its ``use_local_timezone`` says.
- Its keys live under the queue prefix, apart from other rq-scheduler users of the Redis,
  whose pickled jobs our JSON job class could not read.

rq-scheduler works in naive UTC; everything this module returns is timezone-aware UTC.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import redis
from crontab import CronTab
from peewee import fn
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.serializers import JSONSerializer
from rq_scheduler import Scheduler

from docflow.db import tuple_rows
from docflow.errors import ConfigError, QueueError
from docflow.models import JobRun
from docflow.queues import Backoff, connect_redis, queue_name, wait_for_redis
from docflow.registry import all_jobs, get_job
from docflow.settings import SCHEDULE_PREFIX, Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    """One periodic job; ``cron`` is None when its setting is off.

    Runs take no arguments: batch sizes come from the settings when the job runs, so
    changing one needs no re-registration.
    """

    name: str
    cron: str | None
    path: str
    queue: str
    id: str


@dataclass(frozen=True)
class RegisterResult:
    kept: int = 0
    created: int = 0
    replaced: int = 0
    removed: int = 0

    def __str__(self) -> str:
        return (
            f"kept {self.kept}, created {self.created}, "
            f"replaced {self.replaced}, removed {self.removed}"
        )


def entry_id(settings: Settings, name: str) -> str:
    # The queue prefix is [a-z0-9_-] and so are job names: the id is safe in any key.
    return f"{settings.queue_prefix}-periodic-{name}"


def entries(settings: Settings) -> list[Entry]:
    """Every job with its cadence (declared, or its setting's), switched-off ones included."""
    jobs = all_jobs(settings)
    unknown = sorted(set(settings.schedules) - set(jobs))
    if unknown:
        names = ", ".join(SCHEDULE_PREFIX + name.upper() for name in unknown)
        raise ConfigError(
            f"{names} names no job; a schedule is set per job: "
            + ", ".join(SCHEDULE_PREFIX + name.upper() for name in jobs)
        )
    return [
        Entry(
            name=name,
            cron=settings.schedules.get(name, declared.schedule),
            path=declared.path,
            queue=queue_name(settings, declared.queue),
            id=entry_id(settings, name),
        )
        for name, declared in jobs.items()
    ]


def next_run(cron: str, after: datetime) -> datetime:
    """The first time after ``after`` (aware) that ``cron`` fires, aware UTC."""
    # An aware `now` keeps crontab in UTC and out of its FutureWarning about naive times.
    when: datetime = CronTab(cron).next(  # crontab ships no types
        now=after.astimezone(UTC), default_utc=True, return_datetime=True
    )
    return when


def _namespace(settings: Settings) -> str:
    return f"{settings.queue_prefix}:scheduler"


def scheduled_jobs_key(settings: Settings) -> str:
    """The sorted set of entry ids, scored by their next run in epoch seconds."""
    return f"{_namespace(settings)}:scheduled_jobs"


class _JSONJob(Job):
    """rq-scheduler creates and fetches jobs with no serializer argument: force JSON."""

    def __init__(
        self,
        id: str | None = None,
        connection: redis.Redis | None = None,
        serializer: object = None,
    ) -> None:
        super().__init__(id, connection=connection, serializer=JSONSerializer)


class _StandbyLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """rq-scheduler's logger, less its WARNING on every tick another scheduler holds the
    lock: running a standby scheduler is normal, so that is said once, at INFO."""

    standby_said = False

    def warning(self, msg: object, *args: object, **kwargs: Any) -> None:
        if not (isinstance(msg, str) and msg.startswith("Lock already taken")):
            super().warning(msg, *args, **kwargs)
        elif self.standby_said:
            self.debug(msg, *args, **kwargs)
        else:
            self.standby_said = True
            log.info(
                "another scheduler holds the lock: this one is a standby, skipping the ticks "
                "the other one runs and taking over if it stops"
            )


class _Scheduler(Scheduler):  # type: ignore[misc]  # rq-scheduler ships no types: Scheduler is Any
    """rq-scheduler with DocFlow's keys, JSON jobs and fresh runs (see the module docstring)."""

    job_class = _JSONJob

    def __init__(self, conn: redis.Redis, settings: Settings) -> None:
        super().__init__(
            connection=conn,
            interval=settings.scheduler_interval_seconds,
            name=f"{settings.queue_prefix}-{uuid4().hex}",
        )
        self.log = _StandbyLog(logging.getLogger(Scheduler.__module__), {})
        namespace = _namespace(settings)
        self.scheduled_jobs_key = scheduled_jobs_key(settings)
        self.scheduler_lock_key = f"{namespace}:lock"
        self.redis_scheduler_namespace_prefix = f"{namespace}:instance:"
        self.settings = settings

    def register_birth(self) -> None:
        # The name is this process's own (a uuid), so a hash under it is this scheduler's
        # from before an outage, not a rival's: stock rq-scheduler would refuse to go on.
        self.connection.delete(self.key)
        super().register_birth()

    def register_death(self) -> None:
        try:
            super().register_death()
        except redis.RedisError as exc:  # stopping during an outage: the hash expires
            log.warning("could not register the scheduler's death: %s", exc)

    def remove_lock(self) -> None:
        try:
            super().remove_lock()
        except redis.RedisError as exc:  # the lock expires after one interval
            log.warning("could not remove the scheduler lock: %s", exc)

    def enqueue_jobs(self) -> None:
        # Called under the lock on every tick, so a flushed Redis is healed within one
        # interval and never by two schedulers at once.
        if not _all_registered(self):
            log.warning("periodic jobs were missing from Redis; registered: %s", _register(self))
        super().enqueue_jobs()

    def enqueue_job(self, job: Job) -> None:
        name = job.meta["docflow_job"]
        # Skipped while a run of the job still waits, so workers that were down come
        # back to one run per job, not a pile.
        if (
            get_job(name, self.settings).request(self.connection, self.settings, priority=None)
            is None
        ):
            log.info("%s is due but a run is already waiting; skipped", name)
        # Rescheduled only after the enqueue: a crash in between repeats the tick, and the
        # waiting-run marker makes the repeat a no-op.
        due = next_run(job.meta["cron_string"], datetime.now(UTC))
        self.connection.zadd(self.scheduled_jobs_key, {job.id: int(due.timestamp())})


def _all_registered(scheduler: _Scheduler) -> bool:
    """Cheaply: is every active entry in the sorted set and its template stored?"""
    ids = [e.id for e in entries(scheduler.settings) if e.cron]
    if not ids:
        return True
    pipe = scheduler.connection.pipeline(transaction=False)
    pipe.exists(*(_JSONJob.key_for(i) for i in ids))
    for i in ids:
        pipe.zscore(scheduler.scheduled_jobs_key, i)
    stored, *scores = pipe.execute()
    return stored == len(ids) and None not in scores


def register(conn: redis.Redis, settings: Settings) -> RegisterResult:
    """Make Redis hold exactly the active entries of the table; safe to run any time."""
    return _register(_Scheduler(conn, settings))


def _register(scheduler: _Scheduler) -> RegisterResult:
    conn, settings = scheduler.connection, scheduler.settings
    table = {e.id: e for e in entries(settings) if e.cron}
    scheduled = {m.decode() for m in conn.zrange(scheduler.scheduled_jobs_key, 0, -1)}
    counts: Counter[str] = Counter()
    ours = entry_id(settings, "")
    for stale in sorted(i for i in scheduled if i.startswith(ours) and i not in table):
        scheduler.cancel(stale)
        conn.delete(_JSONJob.key_for(stale))
        counts["removed"] += 1
    for entry in table.values():
        state = _compare(scheduler, entry, entry.id in scheduled)
        if state != "kept":
            _schedule(scheduler, entry)
        counts[state] += 1
    return RegisterResult(**counts)


def _compare(scheduler: _Scheduler, entry: Entry, in_set: bool) -> str:
    if not in_set:
        return "created"
    try:
        job = _JSONJob.fetch(entry.id, connection=scheduler.connection)
    except NoSuchJobError:
        return "created"
    settings = scheduler.settings
    same = (
        job.meta.get("cron_string") == entry.cron
        and job.func_name == entry.path
        and job.origin == entry.queue
        and job.result_ttl == settings.result_ttl_seconds
        and job.timeout == settings.job_timeout_seconds
    )
    return "kept" if same else "replaced"


def _schedule(scheduler: _Scheduler, entry: Entry) -> None:
    """Write ``entry``'s template; the same id overwrites, so this never adds a second one."""
    settings = scheduler.settings
    if entry.cron is None:
        raise ValueError(f"{entry.name} is switched off: there is nothing to schedule")
    scheduler.schedule(
        # rq-scheduler turns any datetime into epoch seconds through utctimetuple(), which
        # is right for an aware one.
        next_run(entry.cron, datetime.now(UTC)),
        entry.path,
        id=entry.id,
        queue_name=entry.queue,
        result_ttl=settings.result_ttl_seconds,
        timeout=settings.job_timeout_seconds,
        description=f"periodic {entry.name} ({entry.cron})",
        meta={"cron_string": entry.cron, "docflow_job": entry.name},
    )


def last_runs() -> dict[str, datetime]:
    """When each job last started, from job_runs; needs an open database."""
    query = JobRun.select(JobRun.job, fn.MAX(JobRun.started_at)).group_by(JobRun.job)
    # peewee converts MAX(started_at) through the field, so these are aware UTC already.
    return dict(tuple_rows(query))


def listing(
    conn: redis.Redis, settings: Settings, last: Mapping[str, datetime] | None = None
) -> list[dict[str, Any]]:
    """Each job's cron, next run and last run (from ``last``), aware UTC.

    Cron and next run are what the scheduler registered in Redis, which may differ
    from this process's settings; an unregistered job shows its configured cron.
    """
    table = entries(settings)
    key = scheduled_jobs_key(settings)
    pipe = conn.pipeline(transaction=False)
    for entry in table:
        pipe.zscore(key, entry.id)
    scores = pipe.execute()
    templates = _JSONJob.fetch_many([e.id for e in table], connection=conn)
    last = last or {}
    return [
        {
            "job": entry.name,
            "cron": (template.meta.get("cron_string") if template else entry.cron) or "off",
            "next_run": None if score is None else datetime.fromtimestamp(score, UTC),
            "last_run": last.get(entry.name),
        }
        for entry, score, template in zip(table, scores, templates, strict=True)
    ]


def run_scheduler(settings: Settings, *, burst: bool = False) -> None:
    """Register the table, then enqueue due jobs every interval until stopped.

    Several schedulers may run: the lock lets one enqueue at a time, and each takes
    over within seconds of another's death. A Redis outage is waited out with backoff
    (one line when Redis goes, one when it is back), and the table is registered again
    when it returns, empty or not. ``burst`` stops after one enqueueing pass, and on an
    outage with an error.
    """
    conn = connect_redis(settings.redis_url) if burst else wait_for_redis(settings.redis_url)
    scheduler = _Scheduler(conn, settings)
    backoff, down = Backoff(), False
    while True:
        try:
            registered = _register(scheduler)
            log.info("%speriodic jobs registered: %s", "Redis is back; " if down else "",
                     registered)  # fmt: skip
            backoff.reset()
            down = False
            scheduler.run(burst=burst)
            return
        # QueueError: a run request (enqueue_job) that met the outage, wrapped by docflow.queues.
        except (redis.RedisError, QueueError) as exc:
            if burst:
                raise QueueError(f"scheduler stopped: Redis failed: {exc}") from exc
            if not down:
                log.warning("Redis is unreachable (%s); the scheduler retries with backoff", exc)
                down = True
            backoff.sleep()
