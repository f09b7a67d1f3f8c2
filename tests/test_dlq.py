from datetime import UTC, datetime

import pytest

from docflow import dlq
from docflow.dlq import Selection
from docflow.errors import InvalidArgument, NotFound
from docflow.jobs.classify import classify_documents
from docflow.models import AuditEvent, Document, DocumentStatus
from docflow.queues import get_queue
from tests import factories

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def dead(settings, owner, text="x"):
    return factories.document(
        settings, owner, text, status=DocumentStatus.DEAD_LETTERED, now=NOW,
        retry_count=3, dead_lettered_at=NOW, dead_letter_reason="gave up", last_error="boom",
    )  # fmt: skip


def test_list_and_count(backend):
    owner = factories.tenant()
    other = factories.tenant("globex")
    dead(backend, owner)
    dead(backend, other)
    factories.document(backend, owner)
    assert dlq.count_dead() == {"documents": 2, "webhook_events": 0}
    assert {r["tenant"] for r in dlq.list_dead_documents()} == {"acme", "globex"}
    assert [r["tenant"] for r in dlq.list_dead_documents(tenant="globex")] == ["globex"]


def test_requeue_resets_audits_and_asks_for_classification(backend, redis_conn):
    owner = factories.tenant()
    doc = dead(backend, owner)
    done = dlq.requeue(
        Selection.parse([str(doc.id)]), settings=backend, actor="operator:alice", now=NOW
    )
    assert (done.documents, done.webhook_events) == (1, 0)
    assert done.woken.queued == 1 and done.woken.problem is None
    [queued] = get_queue(redis_conn, backend, "high").jobs
    assert queued.func_name == classify_documents.path
    doc = Document.get_by_id(doc.id)
    assert doc.status == DocumentStatus.PENDING and doc.retry_count == 0
    assert doc.dead_letter_reason is None
    audit = AuditEvent.get(AuditEvent.action == "document.dlq_requeued")
    assert audit.actor == "operator:alice" and audit.subject_id == str(doc.id)


def test_requeue_all(backend):
    owner = factories.tenant()
    for _ in range(3):
        dead(backend, owner)
    assert (
        dlq.requeue(
            Selection.parse(None), settings=backend, actor="operator:bob", now=NOW
        ).documents
        == 3
    )
    assert dlq.count_dead()["documents"] == 0


def test_unknown_id_changes_nothing(backend):
    owner = factories.tenant()
    doc = dead(backend, owner)
    with pytest.raises(NotFound, match="999"):
        dlq.requeue(
            Selection.parse([str(doc.id), "999"]), settings=backend, actor="operator:x", now=NOW
        )
    assert Document.get_by_id(doc.id).status == DocumentStatus.DEAD_LETTERED
    assert AuditEvent.select().count() == 0
    with pytest.raises(InvalidArgument):
        Selection.parse([])
    with pytest.raises(InvalidArgument, match="neither a document number nor"):
        Selection.parse(["abc"])


def test_purge_deletes_rows_and_files(backend):
    owner = factories.tenant()
    doc = dead(backend, owner, "delete me")
    keep = factories.document(backend, owner, "keep me")
    assert len(factories.stored_files(backend)) == 2
    assert (
        dlq.purge(
            Selection.parse([str(doc.id)]), settings=backend, actor="operator:alice", now=NOW
        )["documents"]
        == 1
    )
    assert Document.get_or_none(Document.id == doc.id) is None
    files = factories.stored_files(backend)
    assert len(files) == 1 and files[0].read_text() == "keep me"
    assert Document.get_by_id(keep.id)
    audit = AuditEvent.get(AuditEvent.action == "document.dlq_purged")
    assert audit.details == {"filename": "invoice.txt"}


def test_purge_of_a_live_document_is_refused(backend):
    owner = factories.tenant()
    live = factories.document(backend, owner)
    with pytest.raises(NotFound):
        dlq.purge(Selection.parse([str(live.id)]), settings=backend, actor="operator:x", now=NOW)
    assert Document.get_by_id(live.id)
    assert len(factories.stored_files(backend)) == 1
