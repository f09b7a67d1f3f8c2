"""`docflow bench`: throughput benchmarks, reported as ratios within one run."""

from __future__ import annotations

import click

from docflow import seed_files
from docflow.bench import classifier as classifier_bench
from docflow.bench import classify as classify_bench
from docflow.bench import tenants as tenants_bench
from docflow.bench import train as train_bench
from docflow.bench import webhooks as webhooks_bench
from docflow.cli import cli, settings_of
from docflow.cli.params import Decimal, WholeNumber
from docflow.redaction import redact
from docflow.settings import Settings


@cli.group()
def bench() -> None:
    """Benchmarks, on scratch data only: your database and files are never touched."""


@bench.command("classify")
@click.option(
    "--format",
    "mix",
    type=click.Choice(seed_files.MIXES),
    default="text",
    show_default=True,
    help="Documents to classify: text (plain), mixed (what an office receives), or one format "
    "(pdf: text-layer PDF, scan: scanned PDF, docx, eml: email with attachments, ...).",
)
@click.option("--documents", default=50_000, show_default=True, type=WholeNumber(10, 5_000_000))
@click.option(
    "--naive-documents",
    default=2_000,
    show_default=True,
    type=WholeNumber(10, 100_000),
    help="Documents for the one-job-per-document run (text only; it is slow).",
)
@click.option("--batch-size", default=1_000, show_default=True, type=WholeNumber(1, 10_000))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=WholeNumber(1, 64),
    help="RQ workers for the pipeline, and processes for the limit.",
)
@click.option(
    "--rounds",
    default=3,
    show_default=True,
    type=WholeNumber(1, 20),
    help="Alternating rounds of limit and pipeline; each reports its best.",
)
@click.option(
    "--database-url",
    help="Benchmark on a temporary database created (and dropped) on this PostgreSQL server, instead of a temporary SQLite file.",
)
@click.pass_context
def bench_classify(
    ctx: click.Context, mix: str, documents: int, naive_documents: int, batch_size: int,
    workers: int, rounds: int, database_url: str | None,
) -> None:  # fmt: skip
    """Classification docs/s: the pipeline against its limit (and the naive design)."""
    settings = settings_of(ctx)
    report = classify_bench.run(
        mix=mix, documents=documents, naive_documents=min(naive_documents, documents),
        batch_size=batch_size, workers=workers, rounds=rounds, database_url=database_url,
        redis_url=settings.redis_url, say=lambda line: click.echo(line, err=True),
    )  # fmt: skip
    backend = (
        f"PostgreSQL (scratch database on {redact(database_url)})"
        if database_url
        else "SQLite (temporary file)"
    )
    click.echo(classify_bench.render(report, backend))


@bench.command("webhooks")
@click.option("--events", default=2_000, show_default=True, type=WholeNumber(10, 1_000_000))
@click.option(
    "--naive-events",
    default=300,
    show_default=True,
    type=WholeNumber(10, 100_000),
    help="Events for the naive loop (it is slow).",
)
@click.option(
    "--delay-ms",
    "delays",
    multiple=True,
    type=Decimal(0, 10_000),
    help="Receiver answer times to measure (repeatable; default 0 and 20).",
)
def bench_webhooks(events: int, naive_events: int, delays: tuple[float, ...]) -> None:
    """Deliveries/s: the deliver_webhooks job vs a sequential requests.post loop."""
    rows = webhooks_bench.run(
        events=events,
        naive_events=naive_events,
        delays_ms=list(delays or (0, 20)),
        say=lambda line: click.echo(line, err=True),
    )
    click.echo(webhooks_bench.render(rows, Settings.from_env({}).webhook_concurrency))


@bench.command("tenants")
@click.option(
    "--tenants", "tenant_count", default=1_000, show_default=True, type=WholeNumber(1, 100_000)
)
@click.option("--documents", default=1_000_000, show_default=True, type=WholeNumber(1, 20_000_000))
@click.option(
    "--database-url",
    help="Benchmark on a temporary database created (and dropped) on this PostgreSQL server.",
)
def bench_tenants(tenant_count: int, documents: int, database_url: str | None) -> None:
    """check_quotas + report_usage vs the original per-tenant ORM loops."""
    result = tenants_bench.run(
        tenants=tenant_count,
        documents=documents,
        database_url=database_url,
        say=lambda line: click.echo(line, err=True),
    )
    click.echo(tenants_bench.render(result))


@bench.command("classifier")
@click.option("--documents", default=20_000, show_default=True, type=WholeNumber(100, 1_000_000))
@click.option("--batch-size", default=1_000, show_default=True, type=WholeNumber(1, 10_000))
@click.option(
    "--rounds",
    default=5,
    show_default=True,
    type=WholeNumber(1, 20),
    help="Alternating rounds of both classifiers; each reports its best.",
)
def bench_classifier(documents: int, batch_size: int, rounds: int) -> None:
    """Docs/s of the learned classifier (shipped model) vs the keyword rules, in process."""
    report = classifier_bench.run(
        count=documents, batch_size=batch_size, rounds=rounds,
        say=lambda line: click.echo(line, err=True),
    )  # fmt: skip
    click.echo(classifier_bench.render(report))


@bench.command("train")
@click.option("--labels", default=10_000, show_default=True, type=WholeNumber(50, 200_000))
@click.option(
    "--rounds",
    default=1,
    show_default=True,
    type=WholeNumber(1, 10),
    help="Trainings, each in a new process; the fastest is reported, and the highest memory.",
)
def bench_train(labels: int, rounds: int) -> None:
    """Training seconds and peak memory on N labelled documents, against 30 s and 300 MB."""
    report = train_bench.run(
        labels=labels, rounds=rounds, say=lambda line: click.echo(line, err=True)
    )
    click.echo(train_bench.render(report))
