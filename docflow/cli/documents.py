"""Document commands: upload, seed, documents list|show."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from docflow import documents as documents_mod
from docflow import seed as seed_mod
from docflow import seed_files
from docflow.cli import cli, database, settings_of
from docflow.cli.params import ROW_ID, Decimal, WholeNumber
from docflow.models import BIGINT_MAX, Document, DocumentStatus, utcnow
from docflow.settings import CATEGORIES
from docflow.tenants import lookup
from docflow.texttable import text_table
from docflow.uploads import upload as upload_files


@cli.command()
@click.option("--tenant", required=True, help="Tenant name the documents belong to.")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def upload(ctx: click.Context, tenant: str, files: tuple[Path, ...]) -> None:
    """Store FILES for a tenant and queue them for classification."""
    settings = settings_of(ctx)
    with database(ctx):
        uploaded = upload_files(settings, tenant, list(files), utcnow())
    for doc in uploaded.documents:
        click.echo(f"uploaded {doc.filename} as document {doc.id} ({doc.size_bytes} bytes)")
    woken = uploaded.classification
    if woken.problem is None:
        click.echo(woken.describe("classification"))
    else:
        click.echo(f"warning: {woken.describe('classification')}", err=True)


@cli.command()
@click.option(
    "--tenants", "tenant_count", default=3, show_default=True, type=WholeNumber(1, 10_000)
)
@click.option(
    "--documents",
    "document_count",
    default=200,
    show_default=True,
    type=WholeNumber(0, 10_000_000),
)
@click.option(
    "--unreadable-ratio",
    default=0.02,
    show_default=True,
    type=Decimal(0, 1),
    help="Share of documents whose stored file is missing or corrupt.",
)
@click.option(
    "--expired-ratio",
    default=0.0,
    show_default=True,
    type=Decimal(0, 1),
    help="Share of documents already past their retention date.",
)
@click.option(
    "--history-days",
    default=0,
    show_default=True,
    type=WholeNumber(0, 3650),
    help="Spread uploads over this many past days (tenants signed up before), so usage "
    "reports for past periods have something to report.",
)
@click.option(
    "--mix",
    type=click.Choice(seed_files.MIXES, case_sensitive=False),
    default="mixed",
    show_default=True,
    help="Which files: mixed (what a back office receives: PDF, scans, Word, email, "
    "e-invoices, in English, German and French), text (fast plain text), or one format.",
)
@click.option(
    "--random-seed",
    default=None,
    type=WholeNumber(0, BIGINT_MAX),
    help="Make the generated data repeatable.",
)
@click.option(
    "--if-empty", is_flag=True, help="Do nothing when the database already has documents."
)
@click.pass_context
def seed(
    ctx: click.Context,
    tenant_count: int,
    document_count: int,
    unreadable_ratio: float,
    expired_ratio: float,
    history_days: int,
    mix: str,
    random_seed: int | None,
    if_empty: bool,
) -> None:
    """Create demo tenants and Pending documents with realistic content."""
    settings = settings_of(ctx)
    with database(ctx):
        if if_empty and Document.select().exists():
            click.echo("documents already present: not seeding (remove var/ to start from scratch)")
            return
        # Before the progress bar, so a refusal is the only line shown.
        seed_mod.refuse_real_tenants(seed_mod.demo_tenant_names(tenant_count))
        with click.progressbar(
            length=document_count, label="seeding documents", file=sys.stderr
        ) as bar:
            result = seed_mod.seed(
                settings,
                tenants=tenant_count,
                documents=document_count,
                unreadable_ratio=unreadable_ratio,
                expired_ratio=expired_ratio,
                history_days=history_days,
                random_seed=random_seed,
                progress=bar.update,
                mix=mix,
            )
    click.echo(
        f"seeded {result.documents} documents ({result.unreadable} unreadable) for {len(result.tenants)} tenants "
        f"in {result.seconds:.1f}s: {', '.join(result.tenants)}; "
        f"{result.classification.describe('classification')}"
    )


@cli.group("documents")
def documents_group() -> None:
    """List and show documents: status, category, route, format and extracted text."""


@documents_group.command("list")
@click.option("--tenant", help="Only this tenant's documents.")
@click.option(
    "--status",
    type=click.Choice(DocumentStatus.ALL, case_sensitive=False),
    help="Only documents in this status (any case: failed is Failed).",
)
@click.option("--route", help="Only documents routed here (e.g. manual-review).")
@click.option(
    "--category",
    type=click.Choice(CATEGORIES, case_sensitive=False),
    help="Only documents of this category.",
)
@click.option("--limit", default=50, show_default=True, type=WholeNumber(1, 100_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
@click.pass_context
def documents_list(
    ctx: click.Context, tenant: str | None, status: str | None, route: str | None,
    category: str | None, limit: int, as_json: bool,
) -> None:  # fmt: skip
    """Documents, newest first, with every filter given."""
    with database(ctx):
        lookup(tenant)
        rows = documents_mod.listing(tenant=tenant, status=status, route=route, category=category,
                                     limit=limit)  # fmt: skip
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    table = [(r["id"], r["tenant"], r["filename"][:40], r["format"], r["status"], r["category"],
              None if r["confidence"] is None else f"{r['confidence']:.2f}", r["route"],
              r["parent_id"]) for r in rows]  # fmt: skip
    headers = ["id", "tenant", "filename", "format", "status", "category", "confidence", "route",
               "attached to"]  # fmt: skip
    click.echo(text_table(headers, table))
    click.echo(f"{len(rows)} shown")


@documents_group.command("show")
@click.argument("document_id", type=ROW_ID)
@click.option("--tenant", help="Refuse a document of any other tenant.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
@click.pass_context
def documents_show(ctx: click.Context, document_id: int, tenant: str | None, as_json: bool) -> None:
    """One document: status, classification, how it was read, and the start of its text."""
    with database(ctx):
        lookup(tenant)
        doc = documents_mod.detail(document_id, tenant=tenant)
    if as_json:
        click.echo(json.dumps(doc, indent=2))
        return
    confidence = "-" if doc["confidence"] is None else f"{doc['confidence']:.2f}"
    click.echo(f"document {doc['id']}: {doc['filename']} (tenant {doc['tenant']})")
    click.echo(f"  status {doc['status']}, category {doc['category'] or '-'}, confidence "
               f"{confidence}, route {doc['route'] or '-'}")  # fmt: skip
    read = "not read yet" if doc["method"] is None else (
        f"read by {doc['method']}, {doc['pages']} page(s), language {doc['language'] or 'unknown'}"
        f"{', e-invoice' if doc['einvoice'] else ''}, {doc['text_chars']:,} characters"
    )  # fmt: skip
    click.echo(
        f"  format {doc['format']} ({doc['content_type']}), {doc['size_bytes']:,} bytes, {read}"
    )
    if doc["parent_id"]:
        click.echo(f"  attached to document {doc['parent_id']}")
    if doc["last_error"]:
        click.echo(f"  last error: {doc['last_error']}")
    for warning in doc["warnings"]:
        click.echo(f"  warning: {warning}")
    for a in doc["attachments"]:
        click.echo(
            f"  attachment {a['id']}: {a['filename']} ({a['status']}, {a['category'] or '-'})"
        )
    if doc["text"]:
        click.echo("\n" + doc["text"])
