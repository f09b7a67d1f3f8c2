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

import click
import peewee

from docflow.db import open_database
from docflow.errors import DocflowError
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
    with open_database(settings_of(ctx)) as db:
        require_current(db)
        yield db


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
    bench,
    dlq,
    documents,
    learning,
    queues,
    schedule,
    system,
    tenants,
    watch,
    webhooks,
)
