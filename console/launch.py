"""`docflow console` and `docflow-console`: start the operator console.

This module imports no Textual, so the `docflow` command can list the console (and
`docflow --help` stays fast) on a worker installed without the `console` extra; starting
it there says what to install instead of failing with a traceback.
"""

from __future__ import annotations

import importlib.util

import click

from docflow.audit import operator
from docflow.errors import DocflowError
from docflow.settings import Settings

INSTALL_HINT = "the console needs Textual: pip install 'docflow[console]'"


@click.command("console")
@click.option("--read-only", is_flag=True, help="Look only: hide and refuse every action.")
@click.option(
    "--refresh-seconds",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="How often the visible tab refreshes.",
)
def command(read_only: bool, refresh_seconds: float) -> None:
    """Operator console: queues, documents, retries, DLQ, tenants, webhooks, history."""
    if importlib.util.find_spec("textual") is None:
        raise click.ClickException(INSTALL_HINT)
    from console.app import ConsoleApp
    from console.backend import Backend

    try:
        backend = Backend(Settings.from_env(), actor=operator(), read_only=read_only)
        backend.open()
    except DocflowError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        ConsoleApp(backend, refresh_seconds=refresh_seconds, read_only=read_only).run()
    finally:
        backend.close()


def main() -> None:
    command(prog_name="docflow-console")
