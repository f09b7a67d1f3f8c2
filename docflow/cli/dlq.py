"""`docflow dlq`: dead documents and dead webhook events."""

from __future__ import annotations

import click

from docflow import dlq as dlq_mod
from docflow.audit import operator
from docflow.cli import cli, database, settings_of
from docflow.cli.params import WholeNumber
from docflow.models import utcnow
from docflow.tenants import lookup
from docflow.texttable import text_table
from docflow.timefmt import when_text


@cli.group()
def dlq() -> None:
    """The dead-letter queue: list, requeue, purge (each action audited).

    Documents are named by number, webhook events by their msg_... id; --tenant limits
    any of them to one tenant's items.
    """


TENANT = click.option("--tenant", help="Only this tenant's items.")


@dlq.command("list")
@click.option("--limit", default=50, show_default=True, type=WholeNumber(1, 10_000))
@TENANT
@click.option(
    "--kind",
    type=click.Choice(["all", "documents", "webhooks"], case_sensitive=False),
    default="all",
    show_default=True,
)
@click.pass_context
def dlq_list(ctx: click.Context, limit: int, tenant: str | None, kind: str) -> None:
    """Show dead-lettered documents and webhook events, newest first."""
    with database(ctx):
        totals = dlq_mod.count_dead(tenant)
        docs = dlq_mod.list_dead_documents(limit, tenant) if kind != "webhooks" else []
        events = dlq_mod.list_dead_events(limit, tenant) if kind != "documents" else []
    if docs:
        rows = [(r["id"], r["tenant"], r["filename"][:32], when_text(r["dead_lettered_at"]),
                 r["dead_letter_reason"]) for r in docs]  # fmt: skip
        click.echo(text_table(["document", "tenant", "filename", "dead since", "reason"], rows))
    if events:
        event_rows = [(r["id"], r["tenant"], r["type"], when_text(r["dead_lettered_at"]),
                       r["attempts"], r["last_status_code"], r["last_error"])
                      for r in events]  # fmt: skip
        headers = [
            "webhook event",
            "tenant",
            "type",
            "dead since",
            "attempts",
            "last status",
            "error",
        ]
        click.echo(text_table(headers, event_rows))
    click.echo(
        f"{len(docs) + len(events)} shown; in {_queue(tenant)}: {totals['documents']} documents, "
        f"{totals['webhook_events']} webhook events"
    )


def _queue(tenant: str | None) -> str:
    return "the dead-letter queue" if tenant is None else f"{tenant}'s dead-letter queue"


def _selection(ids: tuple[str, ...], all_: bool, tenant: str | None) -> dlq_mod.Selection:
    if all_ and ids:
        raise click.UsageError("give ids or --all, not both")
    if not all_ and not ids:
        raise click.UsageError("give ids, or --all")
    return dlq_mod.Selection.parse(None if all_ else list(ids), tenant)


def _say(verb: str, documents: int, webhook_events: int) -> None:
    click.echo(f"{verb} {documents} document(s), {webhook_events} webhook event(s)")


@dlq.command("requeue")
@click.argument("ids", nargs=-1)
@click.option(
    "--all", "all_", is_flag=True, help="Requeue everything in the (tenant's) dead-letter queue."
)
@TENANT
@click.pass_context
def dlq_requeue(ctx: click.Context, ids: tuple[str, ...], all_: bool, tenant: str | None) -> None:
    """Requeue dead items: documents get a fresh retry budget (retry count and deadline),
    events keep their id."""
    selection = _selection(ids, all_, tenant)
    settings = settings_of(ctx)
    with database(ctx):
        done = dlq_mod.requeue(selection, settings=settings, actor=operator(), now=utcnow())
    _say("requeued", done.documents, done.webhook_events)
    if done.woken.problem is not None:
        click.echo(f"warning: {done.woken.describe('the work')}", err=True)


@dlq.command("purge")
@click.argument("ids", nargs=-1)
@click.option(
    "--all", "all_", is_flag=True, help="Purge everything in the (tenant's) dead-letter queue."
)
@TENANT
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def dlq_purge(
    ctx: click.Context, ids: tuple[str, ...], all_: bool, tenant: str | None, yes: bool
) -> None:
    """Delete dead items for good (documents with their stored files)."""
    selection = _selection(ids, all_, tenant)
    settings = settings_of(ctx)
    with database(ctx):
        if not yes:
            # Asked once the tenant is known to exist: a typo is refused, not confirmed.
            if all_:
                totals = dlq_mod.count_dead(tenant)
                what = (f"everything in {_queue(tenant)} ({totals['documents']} documents, "
                        f"{totals['webhook_events']} webhook events)")  # fmt: skip
            else:
                lookup(tenant)
                what = f"{len(ids)} item(s)" + ("" if tenant is None else f" of {tenant}")
            click.confirm(f"Delete {what}? This cannot be undone.", abort=True)
        counts = dlq_mod.purge(selection, settings=settings, actor=operator(), now=utcnow())
    _say("purged", counts["documents"], counts["webhook_events"])
