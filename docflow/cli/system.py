"""System commands: migrate, worker, enqueue, status, settings."""

from __future__ import annotations

import click
from rq.serializers import JSONSerializer

from docflow import schedule as schedule_mod
from docflow import status as status_mod
from docflow.cli import cli, configure_logging, database, settings_of
from docflow.db import open_database
from docflow.migrations import current_version, migrate
from docflow.models import utcnow
from docflow.queues import PRIORITIES, connect_redis, queue_names, wait_for_redis
from docflow.redaction import redact
from docflow.registry import all_jobs, get_job, params_by_name
from docflow.settings import SCHEDULE_PREFIX, current
from docflow.timefmt import when_text
from docflow.when import run_at
from docflow.worker import PausableSimpleWorker, PausableWorker


@cli.command("migrate")
@click.pass_context
def migrate_cmd(ctx: click.Context) -> None:
    """Create or upgrade the database schema (safe to run again)."""
    settings = settings_of(ctx)
    with open_database(settings) as db:
        applied = migrate(db)
        version = current_version(db)
    where = redact(settings.database_url)
    if applied:
        click.echo(
            f"migrated {where} to schema version {version} (applied {', '.join(map(str, applied))})"
        )
    else:
        click.echo(f"{where} is up to date at schema version {version}")


@cli.command()
@click.option(
    "--simple", is_flag=True, help="Run jobs inside the worker process (no fork per job)."
)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--name", help="Worker name (default: RQ picks a unique one).")
@click.pass_context
def worker(ctx: click.Context, simple: bool, burst: bool, name: str | None) -> None:
    """Run an RQ worker on the DocFlow queues, highest priority first, skipping paused ones."""
    settings = settings_of(ctx)
    configure_logging(settings.log_level)
    # Started during an outage, a worker waits for Redis (a burst run is a one-off: it fails).
    conn = connect_redis(settings.redis_url) if burst else wait_for_redis(settings.redis_url)
    worker_class = PausableSimpleWorker if simple else PausableWorker
    queues = queue_names(settings)
    rq_worker = worker_class(
        queues, connection=conn, serializer=JSONSerializer, name=name, settings=settings
    )
    click.echo(
        f"{worker_class.__name__} {rq_worker.name} listening on {', '.join(queues)}", err=True
    )
    # RQ's scheduler moves jobs enqueued with --at/--in to their queue when due; its
    # per-queue lock lets any number of workers run it.
    rq_worker.work(burst=burst, logging_level=settings.log_level, with_scheduler=True)


class _JobParameter(click.ParamType):  # type: ignore[type-arg]  # generic in click 8.5
    """A job parameter's type as help shows it. The value passes through as typed: the
    job's declaration checks it against that job's own range (click's INT would also take
    ' 5' and '1_000'), with the message scripts/enqueue.py gives."""

    name = "integer"


class EnqueueCommand(click.Command):
    """`docflow enqueue`, whose parameter options and help come from the job declarations
    when it runs: a newly declared job and its parameters are offered with no change here."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        options: list[click.Parameter] = [
            click.Option(
                [f"--{name.replace('_', '-')}"],
                type=_JobParameter(),
                help=f"{spec.doc.capitalize()} ({spec.range_text}); {', '.join(jobs)}.",
            )
            for name, (spec, jobs) in sorted(params_by_name(settings_of(ctx)).items())
        ]
        return [*options, *super().get_params(ctx)]

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        jobs = all_jobs(settings_of(ctx)).values()
        formatter.write_paragraph()
        formatter.write_text("Put JOB on its queue now, or once later with --at or --in. Jobs:")
        for declared in jobs:
            formatter.write_paragraph()
            formatter.write_text(f"{declared.name}: {declared.doc}")


@cli.command("enqueue", cls=EnqueueCommand)
@click.argument("job")
@click.option(
    "--queue", "priority", type=click.Choice(PRIORITIES), help="Queue (default: the job's own)."
)
@click.option("--at", help="Run once at this time: YYYY-MM-DD or ISO date-time with zone.")
@click.option("--in", "delay", help="Run once after this delay: 90 (seconds), 30s, 5m, 2h, 1d.")
@click.pass_context
def enqueue_cmd(
    ctx: click.Context,
    /,
    job: str,
    priority: str | None,
    at: str | None,
    delay: str | None,
    **params: str | None,
) -> None:
    settings = settings_of(ctx)
    declared = get_job(job, settings)
    args = {name: value for name, value in params.items() if value is not None}
    declared.validate(args)
    when = run_at(at, delay, utcnow())
    conn = connect_redis(settings.redis_url)
    rq_job = declared.enqueue(conn, settings, args, priority=priority, at=when)
    where = f"on {rq_job.origin}" if when is None else f"for {when_text(when)} on {rq_job.origin}"
    click.echo(f"enqueued {rq_job.description} as {rq_job.id} {where}")


@cli.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Documents by status and tenant, queue lengths, workers, last job runs."""
    settings = settings_of(ctx)
    with database(ctx):
        report = status_mod.collect(settings)
    click.echo(status_mod.render(report))


@cli.command("settings")
@click.pass_context
def settings_cmd(ctx: click.Context) -> None:
    """Every setting: its current value (secrets hidden), default and meaning.

    Fails, printing nothing else, when the environment holds a value DocFlow cannot use.
    """
    settings = settings_of(ctx)
    jobs = all_jobs(settings)
    # entries() also refuses a DOCFLOW_SCHEDULE_<JOB> that names no job, as the scheduler does.
    entries = schedule_mod.entries(settings)
    for env, value, default, doc in current():
        click.echo(f"{env}={value}  {_default_note(default)}\n    {doc}")
    for entry in entries:
        declared = jobs[entry.name].schedule or "off"
        default = repr(declared) if entry.name in settings.schedules else None
        click.echo(
            f"{SCHEDULE_PREFIX}{entry.name.upper()}={entry.cron or 'off'!r}  "
            f"{_default_note(default)}\n"
            f"    When the scheduler enqueues {entry.name}: a cron string in UTC "
            "(5 fields, or 7 with seconds), or off."
        )


def _default_note(default: str | None) -> str:
    """What follows a value: the default it replaces, or that it is the default."""
    return "(default)" if default is None else f"(set; default {default})"
