"""`docflow scheduler` and `docflow schedule list`: the periodic jobs."""

from __future__ import annotations

from datetime import datetime

import click

from docflow import schedule as schedule_mod
from docflow.cli import cli, configure_logging, database, settings_of
from docflow.queues import connect_redis
from docflow.texttable import text_table
from docflow.timefmt import when_text


@cli.command()
@click.option("--burst", is_flag=True, help="Enqueue what is due once, then stop.")
@click.pass_context
def scheduler(ctx: click.Context, burst: bool) -> None:
    """Register the periodic jobs, then enqueue each when its cron time (UTC) comes.

    Run one or more: they share a lock, so each due job is enqueued once.
    """
    settings = settings_of(ctx)
    configure_logging(settings.log_level)
    schedule_mod.run_scheduler(settings, burst=burst)


@cli.group()
def schedule() -> None:
    """The periodic jobs and when they run (DOCFLOW_SCHEDULE_<JOB> settings)."""


@schedule.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """Each periodic job: its cron string, next run and last run, in UTC."""
    settings = settings_of(ctx)
    conn = connect_redis(settings.redis_url)
    with database(ctx):
        last = schedule_mod.last_runs()
    rows = [
        [r["job"], r["cron"], _next(r["cron"], r["next_run"]), when_text(r["last_run"])]
        for r in schedule_mod.listing(conn, settings, last)
    ]
    click.echo(text_table(["job", "cron", "next run", "last run"], rows))


def _next(cron: str, at: datetime | None) -> str:
    if at is None and cron != "off":
        return "not registered: start docflow scheduler"
    return when_text(at)
