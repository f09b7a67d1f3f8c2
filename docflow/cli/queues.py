"""`docflow queues`: list the queues, pause and resume them (audited)."""

from __future__ import annotations

import click

from docflow.audit import operator
from docflow.cli import cli, database, settings_of
from docflow.models import utcnow
from docflow.pauses import set_paused
from docflow.queues import PRIORITIES, connect_redis, get_queue, paused
from docflow.texttable import text_table

PRIORITY = click.argument("priority", type=click.Choice(PRIORITIES))


@cli.group()
def queues() -> None:
    """The DocFlow queues: lengths, and pausing them (workers finish running jobs)."""


@queues.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """Each queue: its name, jobs waiting, and whether it is paused."""
    settings = settings_of(ctx)
    conn = connect_redis(settings.redis_url)
    stopped = paused(conn, settings)
    rows = [
        (priority, queue.name, queue.count, "paused" if priority in stopped else "running")
        for priority in PRIORITIES
        for queue in [get_queue(conn, settings, priority)]
    ]
    click.echo(text_table(["queue", "name", "queued", "state"], rows))


@queues.command()
@PRIORITY
@click.pass_context
def pause(ctx: click.Context, priority: str) -> None:
    """Stop workers taking new jobs from PRIORITY; its jobs wait, running ones finish."""
    _set(ctx, priority, True)


@queues.command()
@PRIORITY
@click.pass_context
def resume(ctx: click.Context, priority: str) -> None:
    """Let workers take jobs from PRIORITY again."""
    _set(ctx, priority, False)


def _set(ctx: click.Context, priority: str, pause_it: bool) -> None:
    settings = settings_of(ctx)
    conn = connect_redis(settings.redis_url)
    with database(ctx):
        changed = set_paused(conn, settings, priority, pause_it, actor=operator(), now=utcnow())
    word = "paused" if pause_it else "resumed"
    if changed:
        click.echo(f"{word} {priority}: workers notice within seconds")
    else:
        click.echo(f"{priority} was already {'paused' if pause_it else 'running'}; nothing changed")
