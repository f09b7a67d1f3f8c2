from datetime import UTC, datetime, timedelta

import pytest

from docflow import dlq
from docflow.db import open_database
from docflow.dlq import Selection
from docflow.errors import InvalidArgument, NotFound
from docflow.jobs.classify import classify_documents
from docflow.jobs.retry_failed import retry_failed_documents
from docflow.models import AuditEvent, Document, DocumentStatus
from docflow.queues import get_queue
from docflow.services.storage import Storage
from tests import factories
from tests.test_cli import invoke

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


DAY = timedelta(days=1)


def _run(job, settings, at):
    return job.run({}, settings=settings, now=lambda: at)


def test_the_retry_deadline_counts_from_the_first_failure_not_the_upload(backend):
    owner = factories.tenant()
    # Uploaded three days before the workers came back: older than the 24 h deadline.
    doc = factories.document(backend, owner, None, now=NOW - 3 * DAY)
    assert _run(classify_documents, backend, NOW)["counts"] == {"failed": 1}
    assert Document.get_by_id(doc.id).first_failed_at == NOW
    later = NOW + timedelta(seconds=backend.retry_cap_seconds + 1)
    assert _run(retry_failed_documents, backend, later)["counts"] == {"requeued": 1}
    assert _run(classify_documents, backend, later)["counts"] == {"failed": 1}
    doc = Document.get_by_id(doc.id)
    assert (doc.status, doc.retry_count, doc.first_failed_at) == (DocumentStatus.FAILED, 1, NOW)
    # Past the deadline from that first failure, whatever retries are left: the DLQ.
    past = NOW + timedelta(seconds=backend.retry_deadline_seconds + 1)
    assert _run(retry_failed_documents, backend, past)["counts"] == {"dead_lettered": 1}
    assert "past the retry deadline" in Document.get_by_id(doc.id).dead_letter_reason


def test_success_clears_the_first_failure(backend):
    owner = factories.tenant()
    doc = factories.document(backend, owner, None, now=NOW)
    _run(classify_documents, backend, NOW)
    Storage(backend.storage_root).write(doc.storage_path, b"Invoice 42, total due 10 EUR")
    later = NOW + timedelta(seconds=backend.retry_cap_seconds + 1)
    _run(retry_failed_documents, backend, later)
    assert _run(classify_documents, backend, later)["counts"]["classified"] == 1
    doc = Document.get_by_id(doc.id)
    assert doc.status == DocumentStatus.CLASSIFIED and doc.first_failed_at is None


def test_requeue_gives_a_full_new_budget_to_documents_past_the_deadline(backend):
    owner = factories.tenant()
    long_ago = NOW - 10 * DAY
    docs = [
        factories.document(backend, owner, None, status=DocumentStatus.DEAD_LETTERED,
                           now=long_ago, retry_count=3, first_failed_at=long_ago,
                           dead_lettered_at=long_ago, dead_letter_reason="gave up")
        for _ in range(40)
    ]  # fmt: skip
    assert dlq.requeue(Selection.parse(None), settings=backend, actor="op", now=NOW).documents == 40
    for doc in Document.select():
        assert (doc.retry_count, doc.first_failed_at, doc.next_retry_at) == (0, None, None)
    # Their files are still missing: each fails again, and is retried, not dead-lettered.
    assert _run(classify_documents, backend, NOW)["counts"]["failed"] == 40
    later = NOW + timedelta(seconds=backend.retry_cap_seconds + 1)
    assert _run(retry_failed_documents, backend, later)["counts"] == {"requeued": 40}
    assert dlq.count_dead() == {"documents": 0, "webhook_events": 0}
    assert len(docs) == Document.select().where(Document.retry_count == 1).count()


def test_actions_limited_to_one_tenant(backend):
    acme, globex = factories.tenant(), factories.tenant("globex")
    mine = [dead(backend, acme) for _ in range(2)]
    theirs = dead(backend, globex)
    assert dlq.count_dead("acme") == {"documents": 2, "webhook_events": 0}
    assert [r["id"] for r in dlq.list_dead_documents(tenant="globex")] == [theirs.id]
    with pytest.raises(NotFound, match="not in acme's dead-letter queue: .*nothing was changed"):
        dlq.requeue(Selection.parse([str(mine[0].id), str(theirs.id)], "acme"),
                    settings=backend, actor="op", now=NOW)  # fmt: skip
    assert dlq.count_dead() == {"documents": 3, "webhook_events": 0}
    done = dlq.requeue(Selection.parse(None, "acme"), settings=backend, actor="op", now=NOW)
    assert done.documents == 2
    assert Document.get_by_id(theirs.id).status == DocumentStatus.DEAD_LETTERED
    for doc in mine:
        doc.status = DocumentStatus.DEAD_LETTERED
        doc.save()
    assert dlq.purge(Selection.parse(None, "globex"), settings=backend, actor="op",
                     now=NOW)["documents"] == 1  # fmt: skip
    assert dlq.count_dead() == {"documents": 2, "webhook_events": 0}
    actions = [(a.action, a.tenant_id) for a in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions == [("document.dlq_requeued", acme.id)] * 2 + [
        ("document.dlq_purged", globex.id)
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda s: dlq.count_dead("nobody"),
        lambda s: dlq.list_dead_documents(tenant="nobody"),
        lambda s: dlq.list_dead_events(tenant="nobody"),
        lambda s: dlq.requeue(Selection.parse(None, "nobody"), settings=s, actor="op", now=NOW),
        lambda s: dlq.purge(Selection.parse(None, "nobody"), settings=s, actor="op", now=NOW),
    ],
)
def test_an_unknown_tenant_is_an_error(backend, call):
    dead(backend, factories.tenant())
    with pytest.raises(NotFound, match="unknown tenant 'nobody'; see `docflow tenants list`"):
        call(backend)
    assert dlq.count_dead()["documents"] == 1 and AuditEvent.select().count() == 0


@pytest.mark.parametrize(
    "raw", ["٥", "1_0", " 5", "-1", "0", str(2**31), "9" * 5000], ids=lambda raw: raw[:12]
)
def test_document_numbers_are_plain_digits_an_id_can_hold(raw):
    with pytest.raises(InvalidArgument, match="neither a document number nor"):
        Selection.parse([raw])


def test_the_cli_lists_requeues_and_purges_one_tenants_items(settings, redis_conn):
    env = settings.env()
    assert invoke(env, "migrate").exit_code == 0
    with open_database(settings):
        acme, globex = factories.tenant(), factories.tenant("globex")
        mine = [dead(settings, acme) for _ in range(2)]
        theirs = dead(settings, globex)
    listing = invoke(env, "dlq", "list", "--tenant", "acme")
    assert listing.exit_code == 0, listing.output
    assert "2 shown; in acme's dead-letter queue: 2 documents, 0 webhook events" in listing.output
    for command in (["list"], ["requeue", "--all"], ["purge", "--all", "--yes"]):
        unknown = invoke(env, "dlq", *command, "--tenant", "nobody")
        assert unknown.exit_code == 1
        assert unknown.output.splitlines() == [
            "Error: unknown tenant 'nobody'; see `docflow tenants list`, "
            "or add it with `docflow tenants add nobody`"
        ]
    refused = invoke(env, "dlq", "requeue", str(theirs.id), "--tenant", "acme")
    assert refused.exit_code == 1 and "not in acme's dead-letter queue" in refused.output
    assert (
        "requeued 1 document(s)"
        in invoke(env, "dlq", "requeue", "--all", "--tenant", "globex").output
    )
    asked = invoke(env, "dlq", "purge", "--all", "--tenant", "acme", input="n\n")
    assert asked.exit_code == 1
    assert (
        "Delete everything in acme's dead-letter queue (2 documents, 0 webhook events)?"
        in asked.output
    )
    purged = invoke(env, "dlq", "purge", "--all", "--tenant", "acme", input="y\n")
    assert "purged 2 document(s)" in purged.output
    with open_database(settings):
        assert [d.id for d in Document.select()] == [theirs.id]
        actions = sorted((a.action, a.subject_id) for a in AuditEvent.select())
    assert actions == sorted(
        [("document.dlq_requeued", str(theirs.id))]
        + [("document.dlq_purged", str(d.id)) for d in mine]
    )
