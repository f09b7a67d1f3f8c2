"""`docflow dlq`: the dead-letter queue of documents."""

from __future__ import annotations

from datetime import datetime

import click

from docflow import dlq as dlq_mod
from docflow.audit import operator
from docflow.cli import cli, settings_of
from docflow.db import open_database
from docflow.errors import QueueError
from docflow.migrations import require_current
from docflow.models import utcnow
from docflow.queues import connect_redis, request_classification


@cli.group()
def dlq() -> None:
    """Dead-lettered documents: list, requeue, purge (each action audited)."""


@dlq.command("list")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--tenant", help="Only this tenant's documents.")
@click.pass_context
def dlq_list(ctx: click.Context, limit: int, tenant: str | None) -> None:
    """Show dead-lettered documents, newest first."""
    with open_database(settings_of(ctx)) as db:
        require_current(db)
        rows = dlq_mod.list_dead(limit, tenant)
        total = dlq_mod.count_dead()
    for r in rows:
        click.echo(
            f"{r['id']:>8}  {r['tenant']:<16} {r['filename'][:32]:<32} {_when(r['dead_lettered_at'])}  {r['dead_letter_reason']}"
        )
    click.echo(f"{len(rows)} shown, {total} in the dead-letter queue")


def _when(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if at else "-".ljust(16)


def _ids_or_all(ids: tuple[int, ...], all_: bool) -> list[int] | None:
    if all_ and ids:
        raise click.UsageError("give document ids or --all, not both")
    if not all_ and not ids:
        raise click.UsageError("give document ids, or --all")
    return None if all_ else list(ids)


@dlq.command("requeue")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "all_", is_flag=True, help="Requeue every dead-lettered document.")
@click.pass_context
def dlq_requeue(ctx: click.Context, ids: tuple[int, ...], all_: bool) -> None:
    """Send dead-lettered documents back to Pending with a fresh retry budget."""
    selection = _ids_or_all(ids, all_)
    settings = settings_of(ctx)
    with open_database(settings) as db:
        require_current(db)
        count = dlq_mod.requeue(selection, actor=operator(), now=utcnow())
    click.echo(f"requeued {count} document(s)")
    if count:
        try:
            request_classification(connect_redis(settings.redis_url), settings)
        except QueueError as exc:
            click.echo(f"warning: could not queue classification now ({exc})", err=True)


@dlq.command("purge")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "all_", is_flag=True, help="Purge every dead-lettered document.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def dlq_purge(ctx: click.Context, ids: tuple[int, ...], all_: bool, yes: bool) -> None:
    """Delete dead-lettered documents and their stored files for good."""
    selection = _ids_or_all(ids, all_)
    if not yes:
        what = (
            "every dead-lettered document" if selection is None else f"{len(selection)} document(s)"
        )
        click.confirm(f"Delete {what} and the stored files?", abort=True)
    settings = settings_of(ctx)
    with open_database(settings) as db:
        require_current(db)
        count = dlq_mod.purge(selection, settings=settings, actor=operator(), now=utcnow())
    click.echo(f"purged {count} document(s)")
