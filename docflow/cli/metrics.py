"""Monitoring commands: `docflow metrics` serves Prometheus and probes, `docflow health`."""

from __future__ import annotations

import click

from docflow import health
from docflow.cli import cli, configure_logging, settings_of
from docflow.cli.params import WholeNumber
from docflow.errors import ConfigError
from docflow.exporter import Exporter


@cli.command("metrics")
@click.option("--port", type=WholeNumber(0, 65535), default=None,
              help="Port to listen on; default DOCFLOW_METRICS_PORT (9808); 0: any free port.")  # fmt: skip
@click.option("--bind", default=None,
              help="Address to listen on; default DOCFLOW_METRICS_BIND (127.0.0.1).")  # fmt: skip
@click.pass_context
def metrics_cmd(ctx: click.Context, port: int | None, bind: str | None) -> None:
    """Serve /metrics (Prometheus), /healthz and /readyz until stopped."""
    settings = settings_of(ctx)
    port = settings.metrics_port if port is None else port
    bind = bind or settings.metrics_bind
    configure_logging(settings.log_level)
    try:
        server = Exporter(settings, bind, port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {bind}:{port}: {exc.strerror or exc}; "
                          "choose another --port or --bind") from exc  # fmt: skip
    click.echo(f"serving {server.url}/metrics, /healthz and /readyz", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@cli.command("health")
@click.pass_context
def health_cmd(ctx: click.Context) -> None:
    """Exit 0 when Redis and the database answer and the schema is current, else 1."""
    found = health.checks(settings_of(ctx))
    for check in found:
        click.echo(check.line())
    if not health.ready(found):
        ctx.exit(1)
