"""Job declarations: each job is declared once, beside its function, with ``@job``.

A job module writes::

    @job(queue="default", schedule="* * * * *", wakes_on=(DOCUMENTS_PENDING,))
    def classify_documents(
        run: RunRecorder, settings: Settings, now: Clock,
        batch_size: Annotated[int | None, IntRange(1, 10_000, "rows claimed per batch")] = None,
    ) -> None:
        \"\"\"Classify and route pending documents.\"\"\"

and everything else derives from that declaration: the job's name (the function's), its
RQ entry point (the module attribute, which the decorator replaces with a :class:`Job`),
its queue, its default cron (``DOCFLOW_SCHEDULE_<JOB>`` overrides it), its parameters with
their ranges and docs (what ``docflow enqueue``, ``scripts/enqueue.py`` and the console's
form offer and check), and the topics that wake it.

Lower layers never import a job. They name a *topic* (:mod:`docflow.topics`), "there are
pending documents", and :func:`wake` asks for a run of every job declared to wake on it.
The registry finds the declarations by importing the modules in ``DOCFLOW_JOB_MODULES``
(``docflow.jobs`` and each of its modules by default), as a plugin loader would.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis
from rq.job import Job as RQJob

from docflow import queues
from docflow.errors import InvalidArgument, QueueError
from docflow.models import utcnow
from docflow.settings import Settings

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Body = Callable[..., None]
DEFAULT_MODULES = ("docflow.jobs",)
# The leading parameters every job body takes, before its own.
_RUN_PARAMETERS = ("run", "settings", "now")


@dataclass(frozen=True)
class IntRange:
    """A whole-number job parameter from ``low`` to ``high``; None means "the setting"."""

    low: int
    high: int
    doc: str

    def check(self, job: str, name: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise InvalidArgument(f"{job}: {name} must be a whole number, got {value!r}")
        # int() would also take ' 5', '1_000' and other scripts' digits: none is a batch size.
        if isinstance(value, str) and not (value.isascii() and value.isdigit()):
            raise InvalidArgument(
                f"{job}: {name} must be a whole number from {self.low} to {self.high}, got {value!r}"
            )
        number = int(value)
        if not self.low <= number <= self.high:
            raise InvalidArgument(
                f"{job}: {name} must be from {self.low} to {self.high}, got {number}"
            )
        return number

    @property
    def range_text(self) -> str:
        return f"{self.low}..{self.high}"


BATCH_SIZE = IntRange(1, 10_000, "rows claimed per batch")


class Job:
    """A declared job: callable by RQ with its keyword arguments, like the function was."""

    def __init__(
        self,
        body: Body,
        *,
        queue: str,
        schedule: str | None,
        wakes_on: Iterable[str],
    ) -> None:
        if queue not in queues.PRIORITIES:
            raise TypeError(f"{body.__name__}: queue must be one of {', '.join(queues.PRIORITIES)}")
        self.body = body
        self.name = body.__name__
        self.path = f"{body.__module__}.{body.__name__}"
        self.queue = queue
        self.schedule = schedule
        self.wakes_on = frozenset(wakes_on)
        self.doc = inspect.getdoc(body) or self.name
        self.params = _params(body)
        self.__doc__ = body.__doc__
        self.__module__ = body.__module__
        self.__name__ = self.__qualname__ = body.__name__

    def __repr__(self) -> str:
        return f"<job {self.name}>"

    def __call__(self, **kwargs: object) -> dict[str, Any]:
        """RQ's entry point: one recorded run with these arguments."""
        return self.run(kwargs)

    def run(
        self,
        args: dict[str, Any] | None = None,
        *,
        settings: Settings | None = None,
        now: Clock = utcnow,
    ) -> dict[str, Any]:
        """Run the job here, recorded in job_runs; returns its summary."""
        from docflow.runs import execute

        return execute(self, args or {}, settings=settings, now=now)

    def validate(self, args: dict[str, Any]) -> dict[str, int]:
        """``args`` checked against the declared parameters, as the body will receive them."""
        unknown = sorted(set(args) - set(self.params))
        if unknown:
            accepted = ", ".join(self.params) or "no arguments"
            raise InvalidArgument(
                f"{self.name} does not take {', '.join(unknown)}; it takes {accepted}"
            )
        return {name: self.params[name].check(self.name, name, v) for name, v in args.items()}

    def enqueue(
        self,
        conn: redis.Redis,
        settings: Settings,
        args: dict[str, Any] | None = None,
        *,
        priority: str | None = None,
        at: datetime | None = None,
    ) -> RQJob:
        """Validate ``args`` and put a run on the job's queue (or ``priority``'s), now or ``at``."""
        kwargs = self.validate(args or {})
        description = f"{self.name}({', '.join(f'{k}={v}' for k, v in kwargs.items())})"
        return queues.enqueue_call(
            conn, settings, self.path, kwargs,
            priority=priority or self.queue, description=description, at=at,
        )  # fmt: skip

    def request(
        self, conn: redis.Redis, settings: Settings, *, priority: str | None = "high"
    ) -> RQJob | None:
        """One run unless one is already waiting (see :func:`docflow.queues.request_run`)."""
        return queues.request_run(
            conn, settings, self.name, lambda: self.enqueue(conn, settings, priority=priority)
        )


def job(
    *, queue: str = "default", schedule: str | None = None, wakes_on: Iterable[str] = ()
) -> Callable[[Body], Job]:
    """Declare the decorated function as a job and register it (see the module docstring)."""

    def declare(body: Body) -> Job:
        declared = Job(body, queue=queue, schedule=schedule, wakes_on=wakes_on)
        register(declared)
        return declared

    return declare


def _params(body: Body) -> dict[str, IntRange]:
    names = list(inspect.signature(body).parameters)
    if tuple(names[:3]) != _RUN_PARAMETERS:
        raise TypeError(f"{body.__name__}: a job body starts with (run, settings, now)")
    hints = typing.get_type_hints(body, include_extras=True)
    params = {}
    for name in names[3:]:
        ranges = [
            m for m in getattr(hints.get(name), "__metadata__", ()) if isinstance(m, IntRange)
        ]
        default = inspect.signature(body).parameters[name].default
        if len(ranges) != 1 or default is not None:
            raise TypeError(
                f"{body.__name__}: parameter {name} needs Annotated[int | None, IntRange(...)] = None"
            )
        params[name] = ranges[0]
    return params


_registry: dict[str, Job] = {}
_loaded: set[str] = set()


def register(declared: Job) -> None:
    other = _registry.get(declared.name)
    if other is not None and other.path != declared.path:
        raise TypeError(f"two jobs are called {declared.name}: {other.path} and {declared.path}")
    _registry[declared.name] = declared


def unregister(name: str) -> None:
    _registry.pop(name, None)


def _load(modules: Iterable[str]) -> None:
    for name in modules:
        if name in _loaded:
            continue
        module = importlib.import_module(name)
        for sub in pkgutil.iter_modules(getattr(module, "__path__", [])):
            importlib.import_module(f"{name}.{sub.name}")
        _loaded.add(name)


def all_jobs(settings: Settings | None = None) -> dict[str, Job]:
    """Every declared job, by name."""
    _load(settings.job_modules if settings is not None else DEFAULT_MODULES)
    return dict(sorted(_registry.items()))


def get_job(name: str, settings: Settings | None = None) -> Job:
    jobs = all_jobs(settings)
    if name not in jobs:
        raise InvalidArgument(f"unknown job {name!r}; jobs are: {', '.join(sorted(jobs))}")
    return jobs[name]


def params_by_name(settings: Settings | None = None) -> dict[str, tuple[IntRange, list[str]]]:
    """Each parameter any job takes: its range (the first job's) and the jobs that take it."""
    found: dict[str, tuple[IntRange, list[str]]] = {}
    for declared in all_jobs(settings).values():
        for name, spec in declared.params.items():
            found.setdefault(name, (spec, []))[1].append(declared.name)
    return found


def wake(conn: redis.Redis, settings: Settings, topic: str) -> list[RQJob]:
    """Ask for a run of every job that wakes on ``topic``; the runs newly queued."""
    return [
        queued
        for declared in all_jobs(settings).values()
        if topic in declared.wakes_on
        for queued in [declared.request(conn, settings)]
        if queued is not None
    ]


@dataclass(frozen=True)
class Woken:
    """What :func:`wake_quietly` did: runs newly queued, or why it could not ask."""

    queued: int
    problem: str | None = None

    def describe(self, what: str) -> str:
        """One line for an operator, e.g. ``classification queued``."""
        if self.problem is not None:
            return (
                f"could not queue {what} now ({self.problem}); the next scheduled run picks it up"
            )
        return f"{what} queued" if self.queued else f"{what} already queued"


def wake_quietly(settings: Settings, *topics: str) -> Woken:
    """:func:`wake` for callers whose work is already committed, so a Redis outage only
    delays it to the next periodic run: the problem is returned, not raised."""
    try:
        conn = queues.connect_redis(settings.redis_url)
        return Woken(sum(len(wake(conn, settings, topic)) for topic in topics))
    except QueueError as exc:
        log.info("could not ask for a run now (%s); the next periodic run picks it up", exc)
        return Woken(0, str(exc))
