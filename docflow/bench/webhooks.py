"""`docflow bench webhooks`: deliveries per second, our job against the naive loop.

ours:  deliver_webhooks (claimed batches, a bounded thread pool, pooled keep-alive
       connections, one transaction per batch);
naive: what the original system's integration point invites: for each event, sign,
       ``requests.post`` (a new connection every time), save the row, in sequence.

Both deliver to the same local receiver, run in its own process so it does not share
this one's interpreter lock. A receiver on loopback answers in microseconds, which no
real one does, so the run is repeated with receivers that take a set time to answer.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

from docflow import endpoints
from docflow.db import open_database
from docflow.events import emit_many
from docflow.jobs.deliver_webhooks import deliver_webhooks
from docflow.migrations import migrate
from docflow.models import EventStatus, Tenant, WebhookEvent, utcnow
from docflow.services.webhooks.signing import build_headers
from docflow.settings import Settings


@dataclass(frozen=True)
class Row:
    delay_ms: float
    ours_per_second: float
    naive_per_second: float

    @property
    def ratio(self) -> float:
        return self.ours_per_second / self.naive_per_second


def serve(port: int, delay_ms: float) -> None:
    """A receiver answering 204 after ``delay_ms``, with keep-alive (run in its own process)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - the name http.server dispatches to
            self.rfile.read(int(self.headers.get("content-length") or 0))
            if delay_ms:
                time.sleep(delay_ms / 1000)
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Silent: the benchmark measures, it does not log."""

    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 256
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


@contextlib.contextmanager
def receiver(delay_ms: float) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "docflow.bench.webhooks", str(port), str(delay_ms)]
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the benchmark receiver did not start") from None
                time.sleep(0.02)
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _naive(ids: list[str], url: str, secret: str) -> float:
    started = time.perf_counter()
    for event in WebhookEvent.select().where(WebhookEvent.id.in_(ids)):
        body = event.payload.encode()
        headers = build_headers(event.id, int(time.time()), body, [secret])
        response = requests.post(url, data=body, headers=headers, timeout=10, allow_redirects=False)
        event.attempts += 1
        event.last_status_code = response.status_code
        event.status = EventStatus.SENT if response.ok else EventStatus.FAILED
        event.save()
    return len(ids) / (time.perf_counter() - started)


def run(
    *, events: int, naive_events: int, delays_ms: list[float], say: Callable[[str], Any] = print
) -> list[Row]:
    workdir = Path(tempfile.mkdtemp(prefix="docflow-bench-webhooks-"))
    settings = Settings.from_env(
        {
            "DOCFLOW_DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "DOCFLOW_STORAGE_ROOT": str(workdir / "storage"),
            "DOCFLOW_WEBHOOK_ALLOW_PRIVATE": "true",
            "DOCFLOW_WEBHOOK_BATCH_SIZE": "500",
            "DOCFLOW_WEBHOOK_TIME_BUDGET_SECONDS": "600",
            "DOCFLOW_LOG_LEVEL": "WARNING",
        }
    )
    rows = []
    try:
        with open_database(settings) as db:
            migrate(db)
            for delay in delays_ms:
                with receiver(delay) as url:
                    tenant = Tenant.create(name=f"bench-{uuid.uuid4().hex[:6]}")
                    endpoint, secret = endpoints.add(
                        tenant.name, url, settings=settings, actor="bench", now=utcnow()
                    )
                    say(f"receiver answering in {delay:g} ms: ours, {events} events ...")
                    emit_many(
                        [(tenant.id, "document.classified", {"n": n}) for n in range(events)],
                        utcnow(),
                    )
                    started = time.perf_counter()
                    summary = deliver_webhooks.run(settings=settings)
                    ours = events / (time.perf_counter() - started)
                    if summary["counts"].get("sent") != events:
                        raise RuntimeError(
                            f"delivery run did not send every event: {summary['counts']}"
                        )
                    say(f"receiver answering in {delay:g} ms: naive, {naive_events} events ...")
                    ids = emit_many(
                        [(tenant.id, "document.classified", {"n": n}) for n in range(naive_events)],
                        utcnow(),
                    )
                    if secret is None:
                        raise RuntimeError("the endpoint was added without its own secret")
                    naive = _naive(ids, url, secret)
                    endpoints.set_enabled(endpoint.id, False, actor="bench", now=utcnow())
                    rows.append(Row(delay, ours, naive))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


def render(rows: list[Row], concurrency: int) -> str:
    lines = [
        f"webhook deliveries per second (ours: {concurrency} in flight, keep-alive; naive: sequential, new connection each)",
        f"{'receiver answers in':<20} {'ours/s':>10} {'naive/s':>10} {'ours/naive':>11}",
    ]
    for r in rows:
        lines.append(
            f"{f'{r.delay_ms:g} ms':<20} {r.ours_per_second:>10.0f} {r.naive_per_second:>10.0f} {r.ratio:>10.1f}x"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    serve(int(sys.argv[1]), float(sys.argv[2]))
