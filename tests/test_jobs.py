"""classify_documents and retry_failed_documents on both backends, with now= passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from docflow.errors import InvalidArgument
from docflow.jobs.classify import classify_documents
from docflow.jobs.retry_failed import retry_failed_documents
from docflow.models import AuditEvent, Document, DocumentStatus, JobRun
from docflow.settings import MANUAL_REVIEW_ROUTE
from tests import factories
from tests.conftest import make_settings
from tests.extract import documents

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
INVOICE = (
    "INVOICE No. INV-2026-0042\nBill to: Globex Ltd\nLine items: consulting 10 h\n"
    "Subtotal 1,000.00 EUR\nVAT 20% 200.00 EUR\nTotal due 1,200.00 EUR\n"
    "Payment terms: 30 days. IBAN DE89 3704 0044 0532 0130 00. Invoice date 2026-02-28."
)


def clock(at=NOW):
    return lambda: at


def run(job, settings, at=NOW, **args):
    return job.run(args, settings=settings, now=clock(at))


def test_classify_routes_documents_and_records_the_run(backend):
    owner = factories.tenant()
    docs = [factories.document(backend, owner, INVOICE, now=NOW) for _ in range(3)]
    summary = run(classify_documents, backend)
    assert summary["outcome"] == "succeeded"
    assert summary["counts"]["classified"] == 3
    for doc in Document.select().where(Document.id.in_([d.id for d in docs])):
        assert doc.status == DocumentStatus.CLASSIFIED
        assert doc.category == "invoice"
        assert doc.route == "accounts-payable"
        assert doc.confidence >= backend.min_confidence_ratio
        assert doc.classified_at == NOW
        assert doc.claimed_by is None and doc.lease_expires_at is None
    row = JobRun.get_by_id(summary["run_id"])
    assert row.outcome == "succeeded" and row.counts["classified"] == 3 and row.finished_at


def test_low_confidence_goes_to_manual_review(backend):
    owner = factories.tenant()
    doc = factories.document(backend, owner, "hello", filename="note.txt", now=NOW)
    run(classify_documents, backend)
    doc = Document.get_by_id(doc.id)
    assert doc.status == DocumentStatus.CLASSIFIED
    assert doc.route == MANUAL_REVIEW_ROUTE


def test_a_missing_file_fails_with_reason_and_retry_time(backend):
    owner = factories.tenant()
    missing = factories.document(backend, owner, None, now=NOW)
    summary = run(classify_documents, backend)
    assert summary["counts"]["failed"] == 1
    missing = Document.get_by_id(missing.id)
    assert missing.status == DocumentStatus.FAILED and "missing" in missing.last_error
    cap = timedelta(seconds=backend.retry_base_seconds)
    assert NOW <= missing.next_retry_at <= NOW + cap


def test_a_corrupt_file_goes_to_the_dlq_at_once(backend):
    owner = factories.tenant()
    pdf = documents.pdf("INVOICE 42")
    corrupt = factories.document(backend, owner, pdf[: len(pdf) // 3], filename="x.pdf",
                                 content_type="application/pdf", now=NOW)  # fmt: skip
    summary = run(classify_documents, backend)
    assert summary["counts"] == {"dead_lettered": 1}
    corrupt = Document.get_by_id(corrupt.id)
    assert corrupt.status == DocumentStatus.DEAD_LETTERED and corrupt.retry_count == 0
    assert corrupt.dead_letter_reason.startswith("damaged PDF")
    assert AuditEvent.get(AuditEvent.action == "document.dead_lettered").subject_id == str(
        corrupt.id
    )


def test_classifier_exception_fails_only_that_document(backend, monkeypatch):
    from docflow.services import classifier as classifier_mod

    owner = factories.tenant()
    good = factories.document(backend, owner, INVOICE, now=NOW)
    bad = factories.document(backend, owner, "boom please", filename="boom.txt", now=NOW)
    original = classifier_mod.KeywordClassifier.classify

    def flaky(self, text, *, filename, content_type):
        if filename == "boom.txt":
            raise RuntimeError("model server said no")
        return original(self, text, filename=filename, content_type=content_type)

    monkeypatch.setattr(classifier_mod.KeywordClassifier, "classify", flaky)
    run(classify_documents, backend)
    assert Document.get_by_id(good.id).status == DocumentStatus.CLASSIFIED
    bad = Document.get_by_id(bad.id)
    assert bad.status == DocumentStatus.FAILED
    assert bad.last_error == "RuntimeError: model server said no"


def test_one_run_drains_several_batches(backend):
    owner = factories.tenant()
    for _ in range(7):
        factories.document(backend, owner, INVOICE, now=NOW)
    summary = run(classify_documents, backend, batch_size=2)
    assert summary["batches"] == 4
    assert summary["counts"]["classified"] == 7


def test_time_budget_stops_a_run_early(tmp_path, backend):
    owner = factories.tenant()
    for _ in range(5):
        factories.document(backend, owner, INVOICE, now=NOW)
    settings = make_settings(tmp_path, DOCFLOW_DATABASE_URL=backend.database_url,
                             DOCFLOW_STORAGE_ROOT=str(backend.storage_root),
                             DOCFLOW_CLASSIFY_TIME_BUDGET_SECONDS="0")  # fmt: skip
    summary = run(classify_documents, settings, batch_size=2)
    assert summary["batches"] == 1 and summary["budget_spent"] is True
    # The first claim is the one-document probe (docflow/claim_size.py).
    assert Document.select().where(Document.status == DocumentStatus.PENDING).count() == 4


def test_bad_arguments_fail_before_any_work(backend):
    with pytest.raises(InvalidArgument, match="from 1 to 10000"):
        run(classify_documents, backend, batch_size=0)
    assert JobRun.select().count() == 0


def test_retry_requeues_then_dead_letters_with_audit(backend):
    owner = factories.tenant()
    doc = factories.document(
        backend, owner, None, status=DocumentStatus.FAILED, now=NOW,
        last_error="stored file is missing", next_retry_at=NOW,
    )  # fmt: skip
    summary = run(retry_failed_documents, backend, max_retries=2)
    assert summary["counts"] == {"requeued": 1}
    doc = Document.get_by_id(doc.id)
    assert doc.status == DocumentStatus.PENDING and doc.retry_count == 1
    Document.update(status=DocumentStatus.FAILED, next_retry_at=NOW, retry_count=2).execute()
    summary = run(retry_failed_documents, backend, max_retries=2)
    assert summary["counts"] == {"dead_lettered": 1}
    doc = Document.get_by_id(doc.id)
    assert doc.status == DocumentStatus.DEAD_LETTERED
    assert "after 2 retries" in doc.dead_letter_reason
    assert "stored file is missing" in doc.dead_letter_reason
    assert doc.error_fingerprint == "Error: stored file is missing"
    audit = AuditEvent.get(AuditEvent.subject_id == str(doc.id))
    assert audit.action == "document.dead_lettered" and audit.actor == "job:retry_failed_documents"
    assert audit.tenant_id == owner.id


def test_retry_waits_until_due(backend):
    owner = factories.tenant()
    factories.document(backend, owner, None, status=DocumentStatus.FAILED, now=NOW,
                       next_retry_at=NOW + timedelta(minutes=5))  # fmt: skip
    assert run(retry_failed_documents, backend)["counts"] == {}
    later = run(retry_failed_documents, backend, at=NOW + timedelta(minutes=5))
    assert later["counts"] == {"requeued": 1}


def test_retry_dead_letters_past_the_deadline(backend):
    owner = factories.tenant()
    old = NOW - timedelta(seconds=backend.retry_deadline_seconds + 1)
    doc = factories.document(backend, owner, None, status=DocumentStatus.FAILED, now=old,
                             next_retry_at=NOW)  # fmt: skip
    run(retry_failed_documents, backend)
    doc = Document.get_by_id(doc.id)
    assert doc.status == DocumentStatus.DEAD_LETTERED
    assert "deadline" in doc.dead_letter_reason


def test_failed_then_retried_documents_reach_the_dlq_end_to_end(backend):
    owner = factories.tenant()
    doc = factories.document(backend, owner, None, now=NOW)
    at = NOW
    for _ in range(backend.max_retries + 1):
        run(classify_documents, backend, at=at)
        at += timedelta(seconds=backend.retry_cap_seconds + 1)
        run(retry_failed_documents, backend, at=at)
    doc = Document.get_by_id(doc.id)
    assert doc.status == DocumentStatus.DEAD_LETTERED
    assert doc.retry_count == backend.max_retries


def test_jobs_are_idempotent(backend):
    owner = factories.tenant()
    factories.document(backend, owner, INVOICE, now=NOW)
    run(classify_documents, backend)
    before = [(d.id, d.status, d.category, d.classified_at) for d in Document.select()]
    second = run(classify_documents, backend)
    assert second["counts"] == {}
    assert [(d.id, d.status, d.category, d.classified_at) for d in Document.select()] == before
