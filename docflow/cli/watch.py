"""`docflow watch`: progress of documents and webhook events as it happens."""

from __future__ import annotations

import time

import click
import redis
from rq import Worker

from docflow import status as status_mod
from docflow.cli import cli, database, settings_of
from docflow.cli.params import Decimal
from docflow.errors import QueueError
from docflow.models import DocumentStatus, EventStatus
from docflow.queues import connect_redis, queue_names
from docflow.registry import wake
from docflow.settings import Settings
from docflow.topics import EVENTS_PENDING, RETRIES_DUE

IN_PROGRESS = (DocumentStatus.PENDING, DocumentStatus.PROCESSING, DocumentStatus.FAILED)
SHOWN = [s for s in DocumentStatus.ALL if s != DocumentStatus.EXPIRED]


@cli.command()
@click.option(
    "--until-idle", is_flag=True, help="Exit once no document and no webhook event is waiting."
)
@click.option(
    "--kick-every",
    type=Decimal(0.5, 86_400),
    help="Enqueue retry_failed_documents and deliver_webhooks this often (seconds) while work waits; "
    "for running without the scheduler.",
)
@click.option(
    "--timeout",
    default=3600,
    show_default=True,
    type=Decimal(1, 7 * 86_400),
    help="Give up after this many seconds.",
)
@click.option(
    "--worker-grace",
    default=10,
    show_default=True,
    type=Decimal(0, 86_400),
    help="Say so after this many seconds of work waiting and no worker running "
    "(with --until-idle: give up).",
)
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=Decimal(0.1, 3_600),
    help="Seconds between progress lines.",
)
@click.pass_context
def watch(
    ctx: click.Context,
    until_idle: bool,
    kick_every: float | None,
    timeout: float,
    worker_grace: float,
    interval: float,
) -> None:
    """Print documents and webhook events by status as they change."""
    settings = settings_of(ctx)
    conn = connect_redis(settings.redis_url) if kick_every else None
    started = last_kick = time.monotonic()
    workers = _WorkerCheck(settings, conn, worker_grace)
    with database(ctx):
        while True:
            documents = status_mod.counts_by_status()
            events, events_waiting = status_mod.event_counts()
            now = time.monotonic()
            line = "  ".join(f"{s}={documents.get(s, 0)}" for s in SHOWN)
            hooks = " ".join(f"{s}={events.get(s, 0)}" for s in EventStatus.ALL)
            click.echo(f"[{now - started:6.1f}s] {line} | webhooks {hooks}")
            waiting = sum(documents.get(s, 0) for s in IN_PROGRESS) + events_waiting
            if conn is not None:
                # Jobs still queued or running may create more work: not idle yet.
                waiting += status_mod.jobs_in_flight(conn, settings)
            if until_idle and not waiting:
                return
            if waiting:
                workers.check(now, waiting, stop=until_idle)
            if now - started > timeout:
                raise click.ClickException(
                    f"still {waiting} documents or events in progress after {timeout:.0f}s"
                )
            if conn is not None and kick_every is not None and now - last_kick >= kick_every:
                if documents.get(DocumentStatus.FAILED):
                    wake(conn, settings, RETRIES_DUE)
                if events_waiting:
                    wake(conn, settings, EVENTS_PENDING)
                last_kick = now
            time.sleep(interval)


class _WorkerCheck:
    """Whether any worker listens on the DocFlow queues while work waits: without one
    nothing moves, and the progress line would repeat unchanged until the timeout."""

    def __init__(self, settings: Settings, conn: redis.Redis | None, grace: float) -> None:
        self.settings = settings
        self.conn = conn
        self.grace = grace
        self.none_since: float | None = None
        self.warned = False

    def check(self, now: float, waiting: int, *, stop: bool) -> None:
        """Once no worker was seen for the grace period: raise when ``stop``, else warn once."""
        if self.warned:
            return
        if self._running():
            self.none_since = None
            return
        if self.none_since is None:
            self.none_since = now
        if now - self.none_since < self.grace:
            return
        problem = (
            f"no DocFlow worker is running, so the {waiting} documents or events waiting "
            "will not move: start one with `docflow worker`"
        )
        if stop:
            raise click.ClickException(f"{problem}, then watch again")
        click.echo(f"warning: {problem}", err=True)
        self.warned = True

    def _running(self) -> bool:
        try:
            if self.conn is None:
                self.conn = connect_redis(self.settings.redis_url)
            listened = set(queue_names(self.settings))
            return any(listened & set(w.queue_names()) for w in Worker.all(connection=self.conn))
        except (QueueError, redis.RedisError) as exc:
            # Workers take their jobs from that Redis, so it is likely down for them too;
            # `docflow status` is where that is shown, not a reason to stop watching.
            click.echo(f"warning: cannot see the workers: {exc}", err=True)
            self.warned = True
            return True
