"""`docflow watch`: progress of documents and webhook events as it happens."""

from __future__ import annotations

import time

import click

from docflow import status as status_mod
from docflow.cli import cli, database, settings_of
from docflow.models import DocumentStatus, EventStatus
from docflow.queues import connect_redis
from docflow.registry import wake
from docflow.topics import EVENTS_PENDING, RETRIES_DUE

IN_PROGRESS = (DocumentStatus.PENDING, DocumentStatus.PROCESSING, DocumentStatus.FAILED)
SHOWN = [s for s in DocumentStatus.ALL if s != DocumentStatus.EXPIRED]


@cli.command()
@click.option(
    "--until-idle", is_flag=True, help="Exit once no document and no webhook event is waiting."
)
@click.option(
    "--kick-every",
    type=click.FloatRange(min=0.5),
    help="Enqueue retry_failed_documents and deliver_webhooks this often (seconds) while work waits; "
    "for running without the scheduler.",
)
@click.option(
    "--timeout",
    default=3600,
    show_default=True,
    type=click.FloatRange(min=1),
    help="Give up after this many seconds.",
)
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds between progress lines.",
)
@click.pass_context
def watch(
    ctx: click.Context, until_idle: bool, kick_every: float | None, timeout: float, interval: float
) -> None:
    """Print documents and webhook events by status as they change."""
    settings = settings_of(ctx)
    conn = connect_redis(settings.redis_url) if kick_every else None
    started = last_kick = time.monotonic()
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
