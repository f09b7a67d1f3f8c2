"""`docflow tenants`: list, show, add, limits, grace periods, activation, unblocking."""

from __future__ import annotations

import click

from docflow import tenants as tenants_mod
from docflow.audit import operator
from docflow.cli import cli, database
from docflow.cli.params import WholeNumber
from docflow.models import BIGINT_MAX, utcnow
from docflow.texttable import text_table
from docflow.timefmt import when_text
from docflow.uploads import find_tenant
from docflow.when import parse_future


@cli.group()
def tenants() -> None:
    """Tenants: quotas, billing state, and the operator actions on them (all audited)."""


def _limit(used: int | None, limit: int | None) -> str:
    return f"{used or 0:,}/{'-' if limit is None else f'{limit:,}'}"


@tenants.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """Every tenant: usage against limits, blocked, billing status, grace period end."""
    with database(ctx):
        rows = tenants_mod.overview()
    table = [(r["name"], _limit(r["document_count"], r["max_documents"]),
              _limit(r["used_bytes"], r["max_bytes"]), "BLOCKED" if r["is_blocked"] else "ok",
              r["billing"], when_text(r["grace_period_ends_at"])) for r in rows]  # fmt: skip
    headers = ["tenant", "documents", "bytes", "quota", "billing", "grace ends"]
    click.echo(text_table(headers, table))
    click.echo(f"{len(rows)} tenants (usage as of the last check_quotas run)")


@tenants.command("show")
@click.argument("name")
@click.pass_context
def show(ctx: click.Context, name: str) -> None:
    """One tenant in detail."""
    with database(ctx):
        tenant = find_tenant(name)
        [r] = tenants_mod.overview(name)
        statuses = tenants_mod.documents_by_status(tenant)
    click.echo(f"tenant {r['name']} (id {r['id']}), contact {r['contact_email'] or '-'}")
    click.echo(f"  documents {_limit(r['document_count'], r['max_documents'])}, bytes {_limit(r['used_bytes'], r['max_bytes'])}, "
               f"{'BLOCKED' if r['is_blocked'] else 'not blocked'} (checked {when_text(r['checked_at'])})")  # fmt: skip
    click.echo(f"  billing {r['billing'] or '-'}, grace ends {when_text(r['grace_period_ends_at'])}, "
               f"suspended {when_text(r['suspended_at'])}")  # fmt: skip
    click.echo(
        "  by status: "
        + (", ".join(f"{k}={v}" for k, v in sorted(statuses.items())) or "no documents")
    )


@tenants.command("add")
@click.argument("name")
@click.option("--email", help="Contact address for notices.")
@click.pass_context
def add(ctx: click.Context, name: str, email: str | None) -> None:
    """Add tenant NAME (lowercase letters, digits and '-')."""
    with database(ctx):
        tenant = tenants_mod.add(name, email, actor=operator(), now=utcnow())
    click.echo(f"added tenant {name} (id {tenant.id})")


LIMIT = WholeNumber(0, BIGINT_MAX)


@tenants.command("set-limits")
@click.argument("name")
@click.option(
    "--max-documents",
    type=LIMIT,
    help="Most documents (not Expired) the tenant may hold; 0 allows none (every upload is refused).",
)
@click.option(
    "--max-bytes",
    type=LIMIT,
    help="Most stored bytes the tenant may hold; 0 allows none (every upload is refused).",
)
@click.option("--unlimited", is_flag=True, help="Remove both limits.")
@click.pass_context
def set_limits(
    ctx: click.Context, name: str, max_documents: int | None, max_bytes: int | None, unlimited: bool
) -> None:
    """Set a tenant's quota; check_quotas blocks or unblocks uploads on it."""
    with database(ctx):
        tenants_mod.set_limits(name, max_documents=max_documents, max_bytes=max_bytes, clear=unlimited,
                               actor=operator(), now=utcnow())  # fmt: skip
    limits = (
        ["no limits"]
        if unlimited
        else [_limit_text(value, what) for value, what in
              ((max_documents, "documents"), (max_bytes, "bytes")) if value is not None]
    )  # fmt: skip
    click.echo(
        f"limits of {name} set: {', '.join(limits)}; they take effect at the next check_quotas "
        "run (docflow enqueue check_quotas)"
    )


def _limit_text(value: int, what: str) -> str:
    if value == 0:
        return f"0 {what} (none allowed: every upload of the tenant will be refused)"
    return f"at most {value:,} {what}"


@tenants.command("set-grace")
@click.argument("name")
@click.option(
    "--until",
    "until",
    required=True,
    help="End of the payment grace period, in the future: YYYY-MM-DD (UTC) or an ISO "
    "date-time with zone.",
)
@click.pass_context
def set_grace(ctx: click.Context, name: str, until: str) -> None:
    """Put a tenant in its payment grace period; suspend_tenants makes it read-only after."""
    moment = parse_future(until, "--until", utcnow())
    with database(ctx):
        tenants_mod.set_grace(name, moment, actor=operator(), now=utcnow())
    click.echo(f"{name} is in its grace period until {when_text(moment)}")


@tenants.command("activate")
@click.argument("name")
@click.pass_context
def activate(ctx: click.Context, name: str) -> None:
    """Make a read-only (or grace period) tenant Active again."""
    with database(ctx):
        changed = tenants_mod.activate(name, actor=operator(), now=utcnow())
    click.echo(f"{name} is active" + ("" if changed else " (it already was)"))


@tenants.command("unblock")
@click.argument("name")
@click.pass_context
def unblock(ctx: click.Context, name: str) -> None:
    """Lift a quota block now (the next check_quotas blocks again if still over a limit)."""
    with database(ctx):
        changed = tenants_mod.unblock(name, actor=operator(), now=utcnow())
    click.echo(f"{name} is unblocked" + ("" if changed else " (it was not blocked)"))
