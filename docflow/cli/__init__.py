"""The `docflow` command.

Every DocflowError a command raises becomes one clear line on stderr and exit status 1;
usage errors exit 2, as click reports them. Secrets never reach the output: URLs are
shown redacted.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from urllib.parse import urlsplit

import click
import peewee

from docflow.db import open_database
from docflow.errors import DatabaseError, DocflowError
from docflow.migrations import require_current
from docflow.settings import Settings

# Packages that extend the command (the console) register click commands under this
# entry-point group; docflow never imports them by name, and loads one only when it runs.
PLUGIN_GROUP = "docflow.commands"


class DocflowGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        plugins = {point.name for point in entry_points(group=PLUGIN_GROUP)}
        return sorted(set(super().list_commands(ctx)) | plugins)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None:
            for point in entry_points(group=PLUGIN_GROUP, name=cmd_name):
                plugin: click.Command = point.load()
                return plugin
        return command

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except DocflowError as exc:
            raise click.ClickException(str(exc)) from exc
        except click.UsageError as exc:
            # click shows a usage error as the usage line, a "Try --help" line, a blank
            # line and the error: one line, like every other error, with where help is.
            path = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
            raise UsageLine(f"{exc.format_message().rstrip('.')}; see `{path} --help`") from exc


class UsageLine(click.ClickException):
    """A usage error as one line, with the exit status click gives usage errors."""

    exit_code = 2


def settings_of(ctx: click.Context) -> Settings:
    """The validated settings, read once per command."""
    root = ctx.find_root()
    if root.obj is None:
        root.obj = Settings.from_env()
    settings: Settings = root.obj  # only this function sets it
    return settings


@contextlib.contextmanager
def database(ctx: click.Context) -> Iterator[peewee.Database]:
    """The settings' database, open and at the current schema version, for one command."""
    settings = settings_of(ctx)
    _refuse_missing_sqlite(settings.database_url)
    with open_database(settings) as db:
        require_current(db)
        yield db


def _refuse_missing_sqlite(url: str) -> None:
    """Only `docflow migrate` creates a SQLite database: opening a missing file would make an
    empty one, and the default URL is relative, so a command run from another folder would
    leave a stray ./var/docflow.sqlite3 there and then report it has no schema."""
    if urlsplit(url).scheme != "sqlite":
        return
    path = Path(url[len("sqlite:///") :])
    if str(path) in ("", ":memory:") or path.exists():
        return
    relative = "" if path.is_absolute() else " (DOCFLOW_DATABASE_URL is relative to this folder)"
    raise DatabaseError(
        f"no DocFlow database at {path.absolute()}{relative}: run this from the folder that "
        "holds it, set DOCFLOW_DATABASE_URL=sqlite:////absolute/path, or create it with "
        "`docflow migrate`"
    )


@click.group(cls=DocflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """DocFlow: background jobs for a multi-tenant document back office."""


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main() -> None:
    cli(prog_name="docflow")


# Importing the command modules registers their commands.
from docflow.cli import (  # noqa: E402,F401  # noqa: E402,F401
    audit,
    bench,
    dlq,
    documents,
    learning,
    metrics,
    queues,
    schedule,
    system,
    tenants,
    watch,
    webhooks,
)
