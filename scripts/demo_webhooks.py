#!/usr/bin/env python3
"""Point every tenant without a webhook endpoint at the demo receiver.

    python scripts/demo_webhooks.py --receiver http://127.0.0.1:8765 --secrets var/webhook-secrets.json

Each new endpoint gets its own secret, which is written to the receiver's secrets file
(path -> secrets) so the receiver can verify what DocFlow sends. Tenants that already
have an endpoint are left as they are, so running it again changes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

from docflow import endpoints
from docflow.db import open_database
from docflow.errors import DocflowError
from docflow.migrations import require_current
from docflow.models import Tenant, WebhookEndpoint, utcnow
from docflow.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--receiver", default="http://127.0.0.1:8765")
    parser.add_argument("--secrets", type=Path, default=Path("var/webhook-secrets.json"))
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        known = json.loads(args.secrets.read_text()) if args.secrets.exists() else {}
        with open_database(settings) as db:
            require_current(db)
            with_endpoint = WebhookEndpoint.select(WebhookEndpoint.tenant)
            for tenant in (
                Tenant.select().where(Tenant.id.not_in(with_endpoint)).order_by(Tenant.name)
            ):
                url = f"{args.receiver.rstrip('/')}/{tenant.name}"
                endpoint, secret = endpoints.add(
                    tenant.name, url, settings=settings, actor="demo", now=utcnow()
                )
                known[urlsplit(url).path] = [secret]
                print(f"webhook endpoint {endpoint.id}: {tenant.name} -> {url}")
    except DocflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.secrets.parent.mkdir(parents=True, exist_ok=True)
    args.secrets.write_text(json.dumps(known, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
