"""`docflow dlq`: dead documents and dead webhook events."""

from __future__ import annotations

from datetime import datetime

import click

from docflow import dlq as dlq_mod
from docflow.audit import operator
from docflow.cli import cli, database, settings_of
from docflow.errors import QueueError
from docflow.models import utcnow
from docflow.queues import connect_redis, request_run


@cli.group()
def dlq() -> None:
    """The dead-letter queue: list, requeue, purge (each action audited).

    Documents are named by number, webhook events by their msg_... id.
    """


def _when(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if at else "-".ljust(16)


@dlq.command("list")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--tenant", help="Only this tenant's items.")
@click.option(
    "--kind", type=click.Choice(["all", "documents", "webhooks"]), default="all", show_default=True
)
@click.pass_context
def dlq_list(ctx: click.Context, limit: int, tenant: str | None, kind: str) -> None:
    """Show dead-lettered documents and webhook events, newest first."""
    with database(ctx):
        docs = dlq_mod.list_dead_documents(limit, tenant) if kind != "webhooks" else []
        events = dlq_mod.list_dead_events(limit, tenant) if kind != "documents" else []
        totals = dlq_mod.count_dead()
    for r in docs:
        click.echo(
            f"{r['id']:>8}  {r['tenant']:<16} {r['filename'][:32]:<32} {_when(r['dead_lettered_at'])}  {r['dead_letter_reason']}"
        )
    for r in events:
        status = r["last_status_code"] or "-"
        click.echo(
            f"{r['id']}  {r['tenant']:<16} {r['type']:<24} {_when(r['dead_lettered_at'])}  attempts={r['attempts']} last={status} {r['last_error'] or ''}"
        )
    click.echo(
        f"{len(docs) + len(events)} shown; in the dead-letter queue: {totals['documents']} documents, "
        f"{totals['webhook_events']} webhook events"
    )


def _selection(ids: tuple[str, ...], all_: bool) -> dlq_mod.Selection:
    if all_ and ids:
        raise click.UsageError("give ids or --all, not both")
    if not all_ and not ids:
        raise click.UsageError("give ids, or --all")
    return dlq_mod.Selection.parse(None if all_ else list(ids))


def _say(verb: str, counts: dict[str, int]) -> None:
    click.echo(
        f"{verb} {counts['documents']} document(s), {counts['webhook_events']} webhook event(s)"
    )


@dlq.command("requeue")
@click.argument("ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Requeue everything in the dead-letter queue.")
@click.pass_context
def dlq_requeue(ctx: click.Context, ids: tuple[str, ...], all_: bool) -> None:
    """Requeue dead items: documents get a fresh retry budget, events keep their id."""
    selection = _selection(ids, all_)
    settings = settings_of(ctx)
    with database(ctx):
        counts = dlq_mod.requeue(selection, actor=operator(), now=utcnow())
    _say("requeued", counts)
    try:
        conn = connect_redis(settings.redis_url)
        if counts["documents"]:
            request_run(conn, settings, "classify_documents")
        if counts["webhook_events"]:
            request_run(conn, settings, "deliver_webhooks")
    except QueueError as exc:
        click.echo(
            f"warning: could not queue the work now ({exc}); the next scheduled run picks it up",
            err=True,
        )


@dlq.command("purge")
@click.argument("ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Purge everything in the dead-letter queue.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def dlq_purge(ctx: click.Context, ids: tuple[str, ...], all_: bool, yes: bool) -> None:
    """Delete dead items for good (documents with their stored files)."""
    selection = _selection(ids, all_)
    if not yes:
        what = "everything in the dead-letter queue" if all_ else f"{len(ids)} item(s)"
        click.confirm(f"Delete {what}? This cannot be undone.", abort=True)
    settings = settings_of(ctx)
    with database(ctx):
        counts = dlq_mod.purge(selection, settings=settings, actor=operator(), now=utcnow())
    _say("purged", counts)
