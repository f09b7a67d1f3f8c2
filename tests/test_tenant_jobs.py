"""check_quotas, cleanup_expired_documents, upload guards and tenant actions, on both backends."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from docflow import tenants
from docflow.errors import InvalidArgument, NotFound, TenantBlocked
from docflow.jobs.check_quotas import check_quotas
from docflow.jobs.cleanup_expired import cleanup_expired_documents
from docflow.models import (
    AuditEvent,
    BillingStatus,
    Document,
    DocumentStatus,
    TenantBilling,
    TenantQuota,
    WebhookEvent,
)
from docflow.services.storage import Storage
from docflow.uploads import upload
from tests import factories

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def check(settings, at=NOW):
    return check_quotas.run({}, settings=settings, now=lambda: at)


def cleanup(settings, at=NOW, **args):
    return cleanup_expired_documents.run(args, settings=settings, now=lambda: at)


def quota(tenant):
    return TenantQuota.get(TenantQuota.tenant == tenant)


def test_check_quotas_counts_usage_blocks_and_unblocks(hooks):
    acme, globex = factories.tenant("acme"), factories.tenant("globex")
    from docflow import endpoints

    endpoints.add("acme", "http://127.0.0.1:9/h", settings=hooks, actor="t", now=NOW)
    for text in ("a" * 10, "b" * 20, "c" * 30):
        factories.document(hooks, acme, text, status=DocumentStatus.CLASSIFIED)
    factories.document(hooks, acme, "x" * 1000, status=DocumentStatus.EXPIRED)
    factories.document(hooks, globex, "g" * 5)
    tenants.set_limits(
        "acme", max_documents=3, max_bytes=None, clear=False, actor="operator:o", now=NOW
    )
    summary = check(hooks)
    assert summary["counts"] == {"checked": 2, "blocked": 1}
    acme_quota = quota(acme)
    assert (acme_quota.document_count, acme_quota.used_bytes, acme_quota.is_blocked) == (
        3,
        60,
        True,
    )
    assert acme_quota.checked_at == NOW
    assert (quota(globex).document_count, quota(globex).used_bytes, quota(globex).is_blocked) == (
        1,
        5,
        False,
    )
    event = WebhookEvent.get(WebhookEvent.type == "tenant.quota_blocked")
    assert event.tenant_id == acme.id
    assert AuditEvent.get(AuditEvent.action == "tenant.quota_blocked").tenant_id == acme.id
    assert check(hooks)["counts"] == {"checked": 2}  # nothing flips twice
    tenants.set_limits(
        "acme", max_documents=None, max_bytes=None, clear=True, actor="operator:o", now=NOW
    )
    assert check(hooks)["counts"] == {"checked": 2, "unblocked": 1}
    assert not quota(acme).is_blocked
    assert WebhookEvent.select().where(WebhookEvent.type == "tenant.quota_unblocked").count() == 1


def test_byte_limit_blocks_too_and_quota_rows_are_created(backend):
    acme = factories.tenant()
    TenantQuota.delete().execute()
    factories.document(backend, acme, "y" * 100)
    check(backend)
    assert quota(acme).used_bytes == 100 and not quota(acme).is_blocked
    tenants.set_limits("acme", max_documents=None, max_bytes=100, clear=False, actor="o", now=NOW)
    check(backend)
    assert quota(acme).is_blocked


def test_blocked_and_read_only_tenants_cannot_upload(backend, tmp_path):
    factories.tenant()
    src = tmp_path / "a.txt"
    src.write_text("hello")
    TenantQuota.update(is_blocked=True, max_documents=5, document_count=5).execute()
    with pytest.raises(
        TenantBlocked, match="over its quota .5 of 5 documents.*set-limits acme.*unblock acme"
    ):
        upload(backend, "acme", [src], NOW)
    tenants.unblock("acme", actor="operator:o", now=NOW)
    TenantBilling.update(status=BillingStatus.READ_ONLY, suspended_at=NOW).execute()
    with pytest.raises(TenantBlocked, match="read-only since 2026-03-01.*tenants activate acme"):
        upload(backend, "acme", [src], NOW)
    assert Document.select().count() == 0 and factories.stored_files(backend) == []
    assert tenants.activate("acme", actor="operator:o", now=NOW)
    [doc] = upload(backend, "acme", [src], NOW).documents
    assert doc.retention_until == NOW + timedelta(days=backend.retention_days)
    actions = [a.action for a in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions == ["tenant.unblocked", "tenant.activated"]


def test_tenant_actions_validate_and_change_nothing_when_refused(backend):
    factories.tenant()
    with pytest.raises(InvalidArgument, match="--max-documents must be a whole number from 0"):
        tenants.set_limits(
            "acme", max_documents=-1, max_bytes=None, clear=False, actor="o", now=NOW
        )
    with pytest.raises(InvalidArgument, match="--max-bytes .* got 9223372036854775808"):
        tenants.set_limits(
            "acme", max_documents=None, max_bytes=2**63, clear=False, actor="o", now=NOW
        )
    with pytest.raises(NotFound, match="unknown tenant 'nobody'"):
        tenants.set_limits(
            "nobody", max_documents=1, max_bytes=None, clear=False, actor="o", now=NOW
        )
    with pytest.raises(InvalidArgument, match="time zone"):
        tenants.set_grace("acme", datetime(2026, 1, 1), actor="o", now=NOW)
    assert TenantQuota.get().max_documents is None
    assert AuditEvent.select().count() == 0


def test_cleanup_expires_deletes_files_and_emits(hooks):
    from docflow import endpoints

    acme = factories.tenant()
    endpoints.add("acme", "http://127.0.0.1:9/h", settings=hooks, actor="t", now=NOW)
    old = factories.document(
        hooks,
        acme,
        "old",
        status=DocumentStatus.CLASSIFIED,
        retention_until=NOW - timedelta(seconds=1),
    )
    gone = factories.document(
        hooks, acme, None, status=DocumentStatus.DEAD_LETTERED, retention_until=NOW
    )
    keep = factories.document(
        hooks,
        acme,
        "keep",
        status=DocumentStatus.CLASSIFIED,
        retention_until=NOW + timedelta(days=1),
    )
    waiting = factories.document(hooks, acme, "pending", retention_until=NOW - timedelta(days=1))
    summary = cleanup(hooks)
    assert summary["counts"] == {"expired": 2, "files_deleted": 1, "files_missing": 1}
    assert (
        Document.get_by_id(old.id).status
        == Document.get_by_id(gone.id).status
        == DocumentStatus.EXPIRED
    )
    assert Document.get_by_id(keep.id).status == DocumentStatus.CLASSIFIED
    assert Document.get_by_id(waiting.id).status == DocumentStatus.PENDING
    assert sorted(p.read_text() for p in factories.stored_files(hooks)) == ["keep", "pending"]
    assert WebhookEvent.select().where(WebhookEvent.type == "document.expired").count() == 2
    assert AuditEvent.select().where(AuditEvent.action == "document.expired").count() == 2
    assert cleanup(hooks)["counts"] == {}  # idempotent


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "symlink"])
def test_cleanup_refuses_paths_outside_the_storage_root(backend, tmp_path, kind):
    acme = factories.tenant()
    outside = tmp_path / "outside" / "precious.txt"
    outside.parent.mkdir()
    outside.write_text("must survive")
    root = Storage(backend.storage_root).root
    root.mkdir(parents=True, exist_ok=True)
    if kind == "dotdot":
        path = os.path.relpath(outside, root)
    elif kind == "absolute":
        path = str(outside)
    else:
        (root / "link.txt").symlink_to(outside)
        path = "link.txt"
    doc = factories.document(
        backend, acme, None, status=DocumentStatus.CLASSIFIED, retention_until=NOW
    )
    Document.update(storage_path=path).where(Document.id == doc.id).execute()
    summary = cleanup(backend)
    assert summary["counts"] == {"expired": 1, "files_refused": 1}
    assert outside.read_text() == "must survive"
    doc = Document.get_by_id(doc.id)
    assert doc.status == DocumentStatus.EXPIRED and "outside the storage root" in doc.last_error
    audit = AuditEvent.get(AuditEvent.action == "document.expired")
    assert "outside the storage root" in audit.details["file_refused"]


def test_jobs_touch_only_their_tenants_rows(hooks):
    acme, globex = factories.tenant("acme"), factories.tenant("globex")
    a = factories.document(hooks, acme, "a", status=DocumentStatus.CLASSIFIED, retention_until=NOW)
    b = factories.document(
        hooks,
        globex,
        "b",
        status=DocumentStatus.CLASSIFIED,
        retention_until=NOW + timedelta(days=9),
    )
    tenants.set_limits("globex", max_documents=1, max_bytes=None, clear=False, actor="o", now=NOW)
    cleanup(hooks)
    check(hooks)
    assert Document.get_by_id(a.id).status == DocumentStatus.EXPIRED
    assert Document.get_by_id(b.id).status == DocumentStatus.CLASSIFIED
    assert not quota(acme).is_blocked and quota(acme).document_count == 0
    assert quota(globex).is_blocked and quota(globex).document_count == 1
