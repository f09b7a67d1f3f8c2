"""`docflow metrics`: one small HTTP server for Prometheus and for probes.

- ``/metrics``: :mod:`docflow.metrics` in Prometheus' text format;
- ``/healthz``: 200 while the process serves (liveness);
- ``/readyz``: 200 when Redis and the database answer and the schema is current, else 503
  with the reason (:mod:`docflow.health`).

A failing component never turns a response into an error page: its metrics are left out
and ``docflow_up`` says so. Requests are served on threads; collection is serialised and
cached by the collector.
"""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import CollectorRegistry

from docflow import health, metrics
from docflow.db import connect, database
from docflow.settings import Settings

log = logging.getLogger(__name__)


class Exporter(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, settings: Settings, bind: str, port: int) -> None:
        self.settings = settings
        # Bound for the life of the server, connected per request: it starts, and answers
        # /healthz, while the database is down.
        self.db = connect(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
        database.initialize(self.db)
        self.metrics: CollectorRegistry = metrics.registry(settings, self.db)
        super().__init__((bind, port), _Handler)

    def server_close(self) -> None:
        super().server_close()
        self.db.close()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: Exporter

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            self._send(200, generate_latest(self.server.metrics), CONTENT_TYPE_LATEST)
        elif path == "/healthz":
            self._send(200, b"ok\n")
        elif path == "/readyz":
            found = health.checks(self.server.settings, self.server.db)
            body = "".join(c.line() + "\n" for c in found).encode()
            self._send(200 if health.ready(found) else 503, body)
        else:
            self._send(404, b"not found: try /metrics, /healthz or /readyz\n")

    def _send(self, status: int, body: bytes, kind: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        # Prometheus scrapes every few seconds: access lines only at debug.
        log.debug("%s %s", self.address_string(), format % args)
