"""Every moment in a webhook payload is written one way: ISO 8601 in UTC with Z."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from docflow.jobs.classify import classify_documents
from docflow.models import WebhookEndpoint, WebhookEvent
from docflow.timefmt import iso_utc
from tests import factories

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_iso_utc_is_utc_with_z_whatever_the_zone():
    assert iso_utc(NOW) == "2026-03-01T12:00:00Z"
    assert iso_utc(NOW.astimezone(timezone(timedelta(hours=-5)))) == "2026-03-01T12:00:00Z"


def test_a_failed_documents_event_writes_its_times_as_the_envelope_does(backend):
    owner = factories.tenant()
    WebhookEndpoint.create(tenant=owner, url="https://hooks.example.com/a", secret="whsec_x")
    factories.document(backend, owner, None, now=NOW)  # its stored file is missing: it fails
    classify_documents.run({}, settings=backend, now=lambda: NOW)
    [event] = WebhookEvent.select().where(WebhookEvent.type == "document.failed")
    payload = json.loads(event.payload)
    assert payload["timestamp"] == "2026-03-01T12:00:00Z"
    assert payload["data"]["next_retry_at"].endswith("Z")
    assert datetime.fromisoformat(payload["data"]["next_retry_at"]) >= NOW
