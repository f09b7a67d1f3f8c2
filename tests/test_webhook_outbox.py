"""The webhook outbox and endpoints, on both backends."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from docflow import endpoints
from docflow.db import write_transaction
from docflow.errors import InvalidArgument, UnsafeDestination
from docflow.events import emit, emit_many
from docflow.jobs.classify import classify_documents
from docflow.jobs.retry_failed import retry_failed_documents
from docflow.models import AuditEvent, DocumentStatus, EventStatus, WebhookEndpoint, WebhookEvent
from docflow.services.webhooks.signing import secret_key, signing_secrets
from tests import factories

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
INVOICE = "Invoice number 42. Bill to Globex. Subtotal 100, VAT 20, total due 120 EUR. IBAN DE89."


def add(settings, tenant, url="http://127.0.0.1:9/hook"):
    return endpoints.add(tenant, url, settings=settings, actor="operator:test", now=NOW)


def test_emit_writes_one_event_per_enabled_endpoint_of_the_tenant_only(hooks):
    acme, globex = factories.tenant("acme"), factories.tenant("globex")
    a1, _ = add(hooks, "acme")
    a2, _ = add(hooks, "acme", "http://127.0.0.1:9/other")
    add(hooks, "globex")
    endpoints.set_enabled(a2.id, False, actor="operator:test", now=NOW)
    ids = emit(acme.id, "document.classified", {"document_id": 7}, NOW)
    assert len(ids) == 1 and ids[0].startswith("msg_")
    event = WebhookEvent.get_by_id(ids[0])
    assert event.endpoint_id == a1.id and event.tenant_id == acme.id
    assert event.status == EventStatus.PENDING and event.next_attempt_at == NOW
    assert json.loads(event.payload) == {
        "type": "document.classified",
        "timestamp": "2026-03-01T12:00:00Z",
        "data": {"document_id": 7},
    }
    assert WebhookEvent.select().where(WebhookEvent.tenant == globex.id).count() == 0


def test_emit_is_part_of_the_callers_transaction(hooks):
    acme = factories.tenant()
    add(hooks, "acme")
    with pytest.raises(RuntimeError), write_transaction():
        emit(acme.id, "document.failed", {}, NOW)
        raise RuntimeError("the state change failed")
    assert WebhookEvent.select().count() == 0


def test_unknown_event_type_is_refused(hooks):
    acme = factories.tenant()
    with pytest.raises(InvalidArgument, match="unknown event type"):
        emit_many([(acme.id, "document.exploded", {})], NOW)


def test_pipeline_emits_classified_failed_and_dead_lettered(hooks):
    acme = factories.tenant()
    add(hooks, "acme")
    good = factories.document(hooks, acme, INVOICE, now=NOW)
    bad = factories.document(hooks, acme, None, now=NOW)
    classify_documents.run({}, settings=hooks, now=lambda: NOW)
    types = {json.loads(e.payload)["data"]["document_id"]: e.type for e in WebhookEvent.select()}
    assert types == {good.id: "document.classified", bad.id: "document.failed"}
    later = NOW + timedelta(days=2)
    retry_failed_documents.run({"max_retries": 0}, settings=hooks, now=lambda: later)
    dead = WebhookEvent.get(WebhookEvent.type == "document.dead_lettered")
    assert json.loads(dead.payload)["data"]["document_id"] == bad.id


def test_endpoint_secrets_rotation_and_masking(hooks):
    factories.tenant()
    endpoint, secret = add(hooks, "acme")
    assert secret_key(secret)
    [listed] = endpoints.listing(now=NOW)
    assert secret not in json.dumps(listed) and listed["secret"].startswith("whsec_")
    new = endpoints.rotate(endpoint.id, overlap_seconds=3600, actor="operator:test", now=NOW)
    row = WebhookEndpoint.get_by_id(endpoint.id)
    args = (row.secret, row.previous_secret, row.previous_secret_expires_at, None)
    assert signing_secrets(*args, NOW) == [new, secret]
    assert signing_secrets(*args, NOW + timedelta(seconds=3601)) == [new]
    actions = [a.action for a in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions == ["webhook_endpoint.added", "webhook_endpoint.secret_rotated"]
    assert all(secret not in json.dumps(a.details) for a in AuditEvent.select())


def test_a_rotated_out_secret_is_deleted_once_its_overlap_is_over(hooks):
    factories.tenant()
    endpoint, old = add(hooks, "acme")
    endpoints.rotate(endpoint.id, overlap_seconds=3600, actor="operator:test", now=NOW)
    during, after = NOW + timedelta(seconds=3599), NOW + timedelta(seconds=3600)
    assert [e["rotating"] for e in endpoints.listing(now=during)] == [True]
    assert [e["rotating"] for e in endpoints.listing(now=after)] == [False]
    assert endpoints.forget_expired_secrets(actor="operator:test", now=during) == 0
    assert WebhookEndpoint.get_by_id(endpoint.id).previous_secret == old
    assert endpoints.forget_expired_secrets(actor="operator:test", now=after) == 1
    row = WebhookEndpoint.get_by_id(endpoint.id)
    assert (row.previous_secret, row.previous_secret_expires_at) == (None, None)
    [deleted] = AuditEvent.select().where(
        AuditEvent.action == "webhook_endpoint.previous_secret_deleted"
    )
    assert (deleted.subject_id, deleted.at) == (str(endpoint.id), after)
    assert endpoints.forget_expired_secrets(actor="operator:test", now=after) == 0


def test_a_rotation_without_overlap_keeps_no_old_secret(hooks):
    factories.tenant()
    endpoint, _ = add(hooks, "acme")
    endpoints.rotate(endpoint.id, overlap_seconds=0, actor="operator:test", now=NOW)
    row = WebhookEndpoint.get_by_id(endpoint.id)
    assert (row.previous_secret, row.previous_secret_expires_at) == (None, None)


def test_url_credentials_are_stored_but_never_listed_or_audited(hooks):
    factories.tenant()
    endpoint, _ = add(hooks, "acme", "  http://bob:hunter2@127.0.0.1:9/hook\n")
    assert WebhookEndpoint.get_by_id(endpoint.id).url == "http://bob:hunter2@127.0.0.1:9/hook"
    [listed] = endpoints.listing(now=NOW)
    assert listed["url"] == "http://***@127.0.0.1:9/hook"
    [added] = AuditEvent.select().where(AuditEvent.action == "webhook_endpoint.added")
    assert added.details == {"url": "http://***@127.0.0.1:9/hook"}


def test_global_secret_signs_for_endpoints_without_their_own(hooks):
    assert signing_secrets(None, None, None, "whsec_global", NOW) == ["whsec_global"]
    assert signing_secrets(None, None, None, None, NOW) == []


def test_private_urls_are_refused_when_not_allowed(backend):
    factories.tenant()
    with pytest.raises(UnsafeDestination, match="DOCFLOW_WEBHOOK_ALLOW_PRIVATE"):
        endpoints.add("acme", "http://127.0.0.1/hook", settings=backend, actor="t", now=NOW)
    with pytest.raises(UnsafeDestination):
        endpoints.add("acme", "file:///etc/passwd", settings=backend, actor="t", now=NOW)
    assert WebhookEndpoint.select().count() == 0


def test_document_status_untouched_by_webhook_problems(hooks):
    acme = factories.tenant()
    add(hooks, "acme", "http://127.0.0.1:9/never-answers")
    doc = factories.document(hooks, acme, INVOICE, now=NOW)
    classify_documents.run({}, settings=hooks, now=lambda: NOW)
    assert type(doc).get_by_id(doc.id).status == DocumentStatus.CLASSIFIED
