"""`docflow audit`: the audit log, who did what and when, newest first."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import click

from docflow import audit as audit_mod
from docflow.cli import cli, database
from docflow.cli.params import WholeNumber
from docflow.errors import InvalidArgument
from docflow.models import Tenant, utcnow
from docflow.texttable import text_table
from docflow.timefmt import when_text
from docflow.when import parse_duration, parse_moment


@cli.group()
def audit() -> None:
    """The audit log: every operator action and job transition, with who and when."""


@audit.command("list")
@click.option("--since", help="A duration back from now (30m, 2h, 7d) or a date (YYYY-MM-DD).")
@click.option("--actor", help="Only this actor, e.g. operator:alice or job:retry_failed_documents.")
@click.option(
    "--action", help="Only actions starting with this, e.g. webhook_endpoint. or document.dlq"
)
@click.option("--tenant", help="Only this tenant's rows.")
@click.option("--subject", help="TYPE or TYPE:ID, e.g. document:42 or queue.")
@click.option("--limit", default=50, show_default=True, type=WholeNumber(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def audit_list(
    ctx: click.Context, since: str | None, actor: str | None, action: str | None,
    tenant: str | None, subject: str | None, limit: int, as_json: bool,
) -> None:  # fmt: skip
    """Audit rows, newest first."""
    with database(ctx):
        tenant_id = None
        if tenant is not None:
            found = Tenant.get_or_none(Tenant.name == tenant)
            if found is None:
                raise InvalidArgument(f"unknown tenant {tenant!r}; see `docflow tenants list`")
            tenant_id = found.id
        kind, _, ident = (subject or "").partition(":")
        rows = audit_mod.events(
            since=_since(since), actor=actor, action=action, tenant_id=tenant_id,
            subject=(kind, ident or None) if subject else None, limit=limit,
        )  # fmt: skip
    if as_json:
        for row in rows:
            click.echo(json.dumps({**row, "at": row["at"].isoformat()}, sort_keys=True))
        return
    if not rows:
        click.echo("(no audit rows match)")
        return
    table = [(when_text(r["at"]), r["actor"], r["action"], f"{r['subject_type']}:{r['subject_id']}",
              r["tenant"] or "-", _details(r["details"])) for r in rows]  # fmt: skip
    click.echo(text_table(["at", "actor", "action", "subject", "tenant", "details"], table))


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    if value[-1:] in "smhd" and not value[:1].isalpha():
        try:
            return utcnow() - timedelta(seconds=parse_duration(value))
        except (ValueError, OverflowError):
            raise InvalidArgument(
                f"--since {value!r}: expected a duration like 30m, 2h or 7d, or a date"
            ) from None
    return parse_moment(value)


def _details(details: object) -> str:
    if not details:
        return ""
    text = json.dumps(details, sort_keys=True, ensure_ascii=False)
    # One line per row whatever an actor typed, and a table that stays readable.
    text = text.replace("\n", "\\n")
    return text if len(text) <= 80 else text[:77] + "..."
