#!/usr/bin/env python3
"""Give the demo tenants something for every job to do; safe to run again.

    python scripts/demo_setup.py --receiver http://127.0.0.1:8765 --secrets var/webhook-secrets.json

- every tenant without a webhook endpoint gets one at the demo receiver, with its own
  secret, written to the receiver's secrets file (URL path -> secrets);
- the first tenant gets a document limit below what it holds, so check_quotas blocks it;
- the second tenant's payment grace period ended yesterday, so suspend_tenants makes it
  read-only (and emails it, when DOCFLOW_SMTP_URL is set).
Tenants already set up are left as they are.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from docflow import endpoints, tenants
from docflow.db import open_database
from docflow.errors import DocflowError
from docflow.migrations import require_current
from docflow.models import (
    BillingStatus,
    Document,
    Tenant,
    TenantBilling,
    TenantQuota,
    WebhookEndpoint,
    utcnow,
)
from docflow.settings import Settings

ACTOR = "demo"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--receiver", default="http://127.0.0.1:8765")
    parser.add_argument("--secrets", type=Path, default=Path("var/webhook-secrets.json"))
    args = parser.parse_args(argv)
    now = utcnow()
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
                    tenant.name, url, settings=settings, actor=ACTOR, now=now
                )
                known[urlsplit(url).path] = [secret]
                print(f"webhook endpoint {endpoint.id}: {tenant.name} -> {url}")
            names = [t.name for t in Tenant.select().order_by(Tenant.name).limit(2)]
            if (
                names
                and not TenantQuota.select()
                .where(TenantQuota.max_documents.is_null(False))
                .exists()
            ):
                held = Document.select().join(Tenant).where(Tenant.name == names[0]).count()
                limit = max(1, held // 2)
                tenants.set_limits(
                    names[0], max_documents=limit, max_bytes=None, clear=False, actor=ACTOR, now=now
                )
                print(
                    f"{names[0]}: document limit {limit} (holds {held}): check_quotas will block it"
                )
            grace = TenantBilling.select().where(TenantBilling.status != BillingStatus.ACTIVE)
            if len(names) > 1 and not grace.exists():
                tenants.set_grace(names[1], now - timedelta(days=1), actor=ACTOR, now=now)
                print(
                    f"{names[1]}: grace period ended yesterday: suspend_tenants will make it read-only"
                )
    except DocflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.secrets.parent.mkdir(parents=True, exist_ok=True)
    args.secrets.write_text(json.dumps(known, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
