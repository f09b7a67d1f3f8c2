#!/usr/bin/env python3
"""A webhook receiver to copy: verifies DocFlow's signatures and prints each event.

    python scripts/webhook_receiver.py --port 8765 --secrets var/webhook-secrets.json

The secrets file maps a URL path to the secrets that may sign requests to it, e.g.
``{"/acme": ["whsec_..."]}``; it is read again on every request, so endpoints can be
added while the receiver runs. A request whose signature does not verify gets 400;
a verified one gets 204 and is printed. The part to copy into your own receiver is
``handle()``: read the raw body, then ``verify(body, headers, secrets)`` before
trusting anything in it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO

from docflow.errors import WebhookVerificationError
from docflow.services.webhooks.signing import verify


def handle(body: bytes, headers: dict[str, str], secrets: list[str]) -> dict:
    """Verify a delivery and return its event; raise WebhookVerificationError if forged."""
    verify(body, headers, secrets)
    return json.loads(body)


class Handler(BaseHTTPRequestHandler):
    secrets_file: Path
    fail_ratio: float
    log: TextIO | None = None
    tally_every = 100
    tally: dict[str, int] = {}
    lock = threading.Lock()

    def do_POST(self) -> None:  # noqa: N802 - the name http.server dispatches to
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            known = json.loads(self.secrets_file.read_text()) if self.secrets_file.exists() else {}
        except json.JSONDecodeError as exc:
            self._answer(500, f"bad secrets file: {exc}")
            return
        secrets = known.get(self.path.rstrip("/"), [])
        try:
            event = handle(body, dict(self.headers.items()), secrets)
        except WebhookVerificationError as exc:
            self.report(f"REJECTED {self.path}: {exc}", "rejected")
            self._answer(400, str(exc))
            return
        if random.random() < self.fail_ratio:
            self.report(
                f"verified {self.headers['webhook-id']} but answering 503 on purpose (--fail-ratio)",
                "answered 503",
            )
            self._answer(503, "try again later")
            return
        data = json.dumps(event.get("data"), sort_keys=True)
        self.report(
            f"verified {self.headers['webhook-id']} {event.get('type')} {self.path}: {data}",
            "verified",
        )
        self._answer(204, "")

    @classmethod
    def report(cls, line: str, outcome: str) -> None:
        """One line per delivery; with --log, to the file, and a running tally to stdout."""
        with cls.lock:
            cls.tally[outcome] = cls.tally.get(outcome, 0) + 1
            if cls.log is None:
                # One write per line: the server is threaded and print() writes the end apart.
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
                return
            cls.log.write(line + "\n")
            cls.log.flush()
            if sum(cls.tally.values()) % cls.tally_every == 0:
                counts = ", ".join(f"{n} {what}" for what, n in sorted(cls.tally.items()))
                sys.stdout.write(f"deliveries so far: {counts} (each in {cls.log.name})\n")
                sys.stdout.flush()

    def _answer(self, status: int, text: str) -> None:
        payload = text.encode()
        self.send_response(status)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
        """Quiet: the verified/rejected lines above are the log."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--secrets", type=Path, default=Path("var/webhook-secrets.json"))
    parser.add_argument(
        "--fail-ratio",
        type=float,
        default=0.0,
        help="Answer 503 to this share of valid deliveries, to watch retries.",
    )
    parser.add_argument(
        "--log",
        type=Path,
        help="Write one line per delivery here and print only a tally every 100 deliveries.",
    )
    args = parser.parse_args(argv)
    Handler.secrets_file = args.secrets
    Handler.fail_ratio = args.fail_ratio
    if args.log:
        Handler.log = args.log.open("a", encoding="utf-8")
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    print(
        f"webhook receiver listening on http://{args.host}:{server.server_port} (secrets from {args.secrets})",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
