"""Document commands: upload, seed."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docflow import seed as seed_mod
from docflow.cli import cli, database, settings_of
from docflow.models import Document, utcnow
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
    "--tenants", "tenant_count", default=3, show_default=True, type=click.IntRange(1, 10_000)
)
@click.option(
    "--documents",
    "document_count",
    default=200,
    show_default=True,
    type=click.IntRange(0, 10_000_000),
)
@click.option(
    "--unreadable-ratio",
    default=0.02,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Share of documents whose stored file is missing or corrupt.",
)
@click.option(
    "--expired-ratio",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Share of documents already past their retention date.",
)
@click.option(
    "--history-days",
    default=0,
    show_default=True,
    type=click.IntRange(0, 3650),
    help="Spread uploads over this many past days (tenants signed up before), so usage "
    "reports for past periods have something to report.",
)
@click.option("--random-seed", default=None, type=int, help="Make the generated data repeatable.")
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
    random_seed: int | None,
    if_empty: bool,
) -> None:
    """Create demo tenants and Pending documents with realistic content."""
    settings = settings_of(ctx)
    with database(ctx):
        if if_empty and Document.select().exists():
            click.echo("documents already present: not seeding (remove var/ to start from scratch)")
            return
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
            )
    click.echo(
        f"seeded {result.documents} documents ({result.unreadable} unreadable) for {len(result.tenants)} tenants "
        f"in {result.seconds:.1f}s: {', '.join(result.tenants)}"
    )
