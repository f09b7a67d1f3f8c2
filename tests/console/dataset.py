"""A small fixed dataset for the console: every tab has rows, every action a target.

Fixed names, ids and times (NOW), so snapshot tests and screenshots come out the same on
every run. Used by the console tests and scripts/screenshots.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from docflow.fingerprint import fingerprint
from docflow.models import (
    BillingStatus,
    Document,
    DocumentStatus,
    EventStatus,
    JobRun,
    Label,
    LabelSource,
    Tenant,
    TenantBilling,
    TenantQuota,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookEvent,
)
from docflow.settings import MANUAL_REVIEW_ROUTE, Settings
from tests import factories

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
MISSING = "StorageError: stored file is missing: acme/2026/03/{n}.txt"
TIMEOUT = "ClassificationError: classifier timed out after 30 seconds"


@dataclass(frozen=True)
class Seeded:
    failed: Document  # due for retry
    dead: tuple[Document, ...]  # two with the same error (one DLQ group), one other
    event: WebhookEvent  # a dead-lettered webhook event
    enabled: WebhookEndpoint
    disabled: WebhookEndpoint
    waiting: tuple[Document, ...]  # in manual-review with suggestions; the first has two


def _dead(settings: Settings, owner: Tenant, error: str, age: timedelta) -> Document:
    at = NOW - age
    return factories.document(
        settings, owner, None, status=DocumentStatus.DEAD_LETTERED, now=at,
        retry_count=3, last_error=error, dead_letter_reason=f"gave up after 3 retries; last error: {error}",
        error_fingerprint=fingerprint(error), dead_lettered_at=at,
    )  # fmt: skip


def seed(settings: Settings) -> Seeded:
    acme, globex, initech = (factories.tenant(name) for name in ("acme", "globex", "initech"))
    for n in range(3):
        factories.document(
            settings, acme, filename=f"invoice-{n}.txt", status=DocumentStatus.CLASSIFIED,
            now=NOW - timedelta(hours=n + 1), category="invoice", confidence=0.9,
            route="accounts-payable", classified_at=NOW - timedelta(hours=n),
        )  # fmt: skip
    factories.document(settings, globex, filename="letter.txt", now=NOW - timedelta(minutes=5))
    failed = factories.document(
        settings, globex, filename="scan.txt", status=DocumentStatus.FAILED,
        now=NOW - timedelta(minutes=30), retry_count=1, last_error=TIMEOUT,
        error_fingerprint=fingerprint(TIMEOUT), next_retry_at=NOW - timedelta(minutes=1),
    )  # fmt: skip
    dead = (
        _dead(settings, acme, MISSING.format(n=1), timedelta(hours=3)),
        _dead(settings, acme, MISSING.format(n=2), timedelta(hours=2)),
        _dead(settings, globex, TIMEOUT, timedelta(hours=1)),
    )

    waiting = tuple(
        factories.document(
            settings,
            owner,
            filename=name,
            status=DocumentStatus.CLASSIFIED,
            now=NOW - timedelta(minutes=age),
            category=suggested[0][0],
            confidence=suggested[0][1],
            route=MANUAL_REVIEW_ROUTE,
            suggestions=suggested,
            classified_at=NOW - timedelta(minutes=age - 1),
        )  # fmt: skip
        for owner, name, age, suggested in (
            (globex, "rechnung-0042.pdf", 50, [["invoice", 0.61], ["receipt", 0.3]]),
            (acme, "scan-0007.png", 20, [["contract", 0.44]]),
        )
    )
    Label.create(document=1, tenant=acme, category="invoice", source=LabelSource.IMPORT,
                 actor="cli:ops", at=NOW - timedelta(minutes=15))  # fmt: skip

    # acme is over its document limit and blocked; globex is in its payment grace period.
    TenantQuota.update(max_documents=5, max_bytes=1_000_000, document_count=5,
                       used_bytes=4_096, is_blocked=True, checked_at=NOW).where(
        TenantQuota.tenant == acme).execute()  # fmt: skip
    TenantQuota.update(document_count=3, used_bytes=2_048, checked_at=NOW).where(
        TenantQuota.tenant == globex
    ).execute()
    TenantBilling.update(
        status=BillingStatus.GRACE_PERIOD, grace_period_ends_at=NOW + timedelta(days=7)
    ).where(TenantBilling.tenant == globex).execute()

    enabled = WebhookEndpoint.create(
        tenant=acme, url="https://hooks.acme.example/docflow", created_at=NOW - timedelta(days=2)
    )
    disabled = WebhookEndpoint.create(
        tenant=initech, url="https://initech.example/hooks", enabled=False,
        disabled_reason="receiver down", created_at=NOW - timedelta(days=1),
    )  # fmt: skip
    error = "HTTP 503 from https://hooks.acme.example/docflow"
    event = WebhookEvent.create(
        id="msg_console1", tenant=acme, endpoint=enabled, type="document.dead_lettered",
        payload='{"type": "document.dead_lettered"}', status=EventStatus.DEAD_LETTERED,
        attempts=2, last_status_code=503, last_error=error, error_fingerprint=fingerprint(error),
        dead_lettered_at=NOW - timedelta(minutes=10), created_at=NOW - timedelta(hours=1),
    )  # fmt: skip
    for number in (1, 2):
        WebhookAttempt.create(
            event=event, number=number, attempted_at=NOW - timedelta(minutes=40 - number * 10),
            status_code=503, latency_ms=120, response_excerpt="unavailable",
        )  # fmt: skip

    JobRun.create(
        job="classify_documents", worker="worker-1", started_at=NOW - timedelta(minutes=3),
        finished_at=NOW - timedelta(minutes=2), outcome="succeeded", counts={"classified": 3},
    )  # fmt: skip
    JobRun.create(
        job="retry_failed_documents", worker="worker-1", started_at=NOW - timedelta(minutes=1),
        finished_at=NOW - timedelta(seconds=50), outcome="failed", error="QueueError: redis went away",
    )  # fmt: skip
    return Seeded(failed=failed, dead=dead, event=event, enabled=enabled, disabled=disabled,
                  waiting=waiting)  # fmt: skip
