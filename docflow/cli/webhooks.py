"""`docflow webhooks`: endpoints, secrets and events."""

from __future__ import annotations

import click
from peewee import fn

from docflow import endpoints
from docflow.audit import operator
from docflow.cli import cli, database, settings_of
from docflow.cli.params import ROW_ID, WholeNumber
from docflow.db import tuple_rows
from docflow.errors import NotFound
from docflow.models import EventStatus, Tenant, WebhookAttempt, WebhookEvent, utcnow
from docflow.redaction import excerpt, hide_userinfo
from docflow.texttable import text_table
from docflow.timefmt import when_text
from docflow.uploads import find_tenant

RESPONSE_WIDTH = 80


@cli.group()
def webhooks() -> None:
    """Webhook endpoints (per tenant, each with its own secret) and their events."""


@webhooks.command("add")
@click.option("--tenant", required=True)
@click.option("--url", required=True, help="http(s) URL the events are POSTed to.")
@click.option(
    "--use-global-secret",
    is_flag=True,
    help="Sign with DOCFLOW_WEBHOOK_SECRET instead of a secret of its own.",
)
@click.pass_context
def add(ctx: click.Context, tenant: str, url: str, use_global_secret: bool) -> None:
    """Add an endpoint; its new secret is printed once, here only."""
    settings = settings_of(ctx)
    with database(ctx):
        endpoint, secret = endpoints.add(
            tenant,
            url,
            settings=settings,
            actor=operator(),
            now=utcnow(),
            own_secret=not use_global_secret,
        )
    click.echo(f"added webhook endpoint {endpoint.id} for {tenant}: {hide_userinfo(endpoint.url)}")
    if secret:
        click.echo(f"signing secret (shown once, store it now): {secret}")


@webhooks.command("list")
@click.option("--tenant")
@click.pass_context
def list_(ctx: click.Context, tenant: str | None) -> None:
    """Endpoints, with secrets and URL credentials masked."""
    now = utcnow()
    with database(ctx):
        endpoints.forget_expired_secrets(actor=operator(), now=now)
        rows = endpoints.listing(tenant, now=now)
    if not rows:
        click.echo("no webhook endpoints")
        return
    table = [(r["id"], r["tenant"], r["url"],
              r["secret"] + (" +previous (rotating)" if r["rotating"] else ""),
              "enabled" if r["enabled"] else f"DISABLED ({r['disabled_reason']})") for r in rows]  # fmt: skip
    click.echo(text_table(["endpoint", "tenant", "url", "secret", "state"], table))


@webhooks.command("rotate")
@click.argument("endpoint_id", type=ROW_ID)
@click.option(
    "--overlap-seconds",
    type=WholeNumber(0, 2_592_000),
    help="How long the old secret keeps signing (default: DOCFLOW_WEBHOOK_ROTATION_OVERLAP_SECONDS).",
)
@click.pass_context
def rotate(ctx: click.Context, endpoint_id: int, overlap_seconds: int | None) -> None:
    """Give an endpoint a new secret; the old one keeps signing for an overlap window."""
    settings = settings_of(ctx)
    overlap = (
        settings.webhook_rotation_overlap_seconds if overlap_seconds is None else overlap_seconds
    )
    with database(ctx):
        secret = endpoints.rotate(
            endpoint_id, overlap_seconds=overlap, actor=operator(), now=utcnow()
        )
    click.echo(
        f"rotated the secret of endpoint {endpoint_id}; the old one keeps signing for {overlap} s"
    )
    click.echo(f"new signing secret (shown once, store it now): {secret}")


@webhooks.command("disable")
@click.argument("endpoint_id", type=ROW_ID)
@click.option("--reason", help="Why, for the audit trail and the listing.")
@click.pass_context
def disable(ctx: click.Context, endpoint_id: int, reason: str | None) -> None:
    """Stop delivering to an endpoint (its events wait until it is enabled)."""
    with database(ctx):
        endpoints.set_enabled(endpoint_id, False, actor=operator(), now=utcnow(), reason=reason)
    click.echo(f"disabled webhook endpoint {endpoint_id}")


@webhooks.command("enable")
@click.argument("endpoint_id", type=ROW_ID)
@click.pass_context
def enable(ctx: click.Context, endpoint_id: int) -> None:
    """Resume delivering to an endpoint."""
    with database(ctx):
        endpoints.set_enabled(endpoint_id, True, actor=operator(), now=utcnow())
    click.echo(f"enabled webhook endpoint {endpoint_id}")


@webhooks.command("events")
@click.option(
    "--status",
    type=click.Choice(EventStatus.ALL, case_sensitive=False),
    help="Only events in this status (any case: failed is Failed).",
)
@click.option("--tenant")
@click.option("--limit", default=50, show_default=True, type=WholeNumber(1, 10_000))
@click.pass_context
def events(ctx: click.Context, status: str | None, tenant: str | None, limit: int) -> None:
    """Webhook events, newest first; attempts counts every try, across DLQ requeues."""
    E, A = WebhookEvent, WebhookAttempt
    with database(ctx):
        query = E.select(E, Tenant.name).join(Tenant).order_by(E.created_at.desc()).limit(limit)
        if status:
            query = query.where(E.status == status)
        if tenant:
            query = query.where(E.tenant == find_tenant(tenant).id)
        rows = list(query)
        # The event's own counter restarts with each requeue (it is the position in the
        # retry schedule); the attempt history holds every try.
        ids = [e.id for e in rows]
        tried = dict(
            tuple_rows(A.select(A.event, fn.COUNT(A.id)).where(A.event.in_(ids)).group_by(A.event))
        )
    table = [(e.id, e.tenant.name, e.type, e.status, tried.get(e.id, 0), e.last_status_code,
              e.last_error) for e in rows]  # fmt: skip
    headers = ["event", "tenant", "type", "status", "attempts", "last status", "error"]
    click.echo(text_table(headers, table))
    click.echo(f"{len(rows)} shown")


@webhooks.command("attempts")
@click.argument("event_id")
@click.pass_context
def attempts(ctx: click.Context, event_id: str) -> None:
    """The delivery attempts of one event."""
    with database(ctx):
        event = WebhookEvent.get_or_none(WebhookEvent.id == event_id)
        if event is None:
            raise NotFound(f"no webhook event {event_id!r}; see `docflow webhooks events`")
        history = list(
            WebhookAttempt.select()
            .where(WebhookAttempt.event == event_id)
            .order_by(WebhookAttempt.number)
        )
    click.echo(
        f"{event.id} {event.type} {event.status}, next attempt {when_text(event.next_attempt_at)}"
    )
    table = [(a.number, when_text(a.attempted_at), a.status_code, a.latency_ms, a.error,
              excerpt(a.response_excerpt, RESPONSE_WIDTH) or None) for a in history]  # fmt: skip
    click.echo(text_table(["attempt", "at", "status", "ms", "error", "response"], table))
