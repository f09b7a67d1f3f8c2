"""The console backend against real Redis and both databases: every tab, every action,
read-only refusal, outages and recovery, and secrets that never show."""

from __future__ import annotations

import shutil
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import peewee
import pytest
import redis
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.results import Result

from console.backend import Backend
from console.snapshot import ACTIONS, TABS, Bar, Detail, Snapshot, row_kind
from docflow.db import database, open_database
from docflow.errors import DatabaseError, InvalidArgument, NotFound, QueueError, Refused
from docflow.fingerprint import fingerprint
from docflow.migrations import migrate
from docflow.models import (
    AuditEvent,
    Document,
    DocumentContent,
    DocumentStatus,
    EventStatus,
    JobRun,
    TenantBilling,
    TenantQuota,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookEvent,
)
from docflow.queues import get_queue, paused, run_request_key
from tests import factories
from tests.conftest import make_settings
from tests.integration.helpers import wait_for

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
DB_PASSWORD = "hunter2secret"
KEY_PREFIXES = {
    "queues": {"queue", "worker", "periodic"},
    "documents": {"all", "tenant", "doc", "run"},
    "retries": {"doc"},
    "dlq": {"group"},
    "tenants": {"tenant"},
    "webhooks": {"endpoint", "status", "event"},
    "history": {"run", "job"},
    "review": {"doc"},
}


def dead_doc(settings, owner, error: str, at: datetime = NOW) -> Document:
    return factories.document(
        settings, owner, "x", status=DocumentStatus.DEAD_LETTERED, now=at, retry_count=3,
        dead_lettered_at=at, dead_letter_reason=f"gave up after 3 retries; last error: {error}",
        last_error=error, error_fingerprint=fingerprint(error),
    )  # fmt: skip


def event(owner, endpoint, event_id: str, status: str, error: str | None = None) -> WebhookEvent:
    dead = status == EventStatus.DEAD_LETTERED
    return WebhookEvent.create(
        id=event_id, tenant=owner, endpoint=endpoint, type="document.classified", payload="{}",
        status=status, attempts=3 if dead else 0, last_status_code=503 if error else None,
        last_error=error, error_fingerprint=fingerprint(error) if dead else None,
        dead_lettered_at=NOW if dead else None, created_at=NOW,
    )  # fmt: skip


def failed_rq_job(conn, settings, error: str) -> Job:
    """A job in the failed registry as a worker leaves it (traceback in its result)."""
    queue = get_queue(conn, settings, "default")
    job = Job.create("docflow.jobs.check_quotas.check_quotas", kwargs={}, origin=queue.name,
                     connection=conn, serializer=queue.serializer)  # fmt: skip
    text = f"Traceback (most recent call last):\n  ...\n{error}"
    FailedJobRegistry(queue=queue).add(job, ttl=600, exc_string=text)
    Result.create_failure(job, ttl=600, exc_string=text)
    return job


@pytest.fixture
def world(backend, redis_conn):
    """A small but complete system: tenants, documents in every state, webhooks, runs."""
    acme, globex = factories.tenant("acme"), factories.tenant("globex")
    for _ in range(3):
        factories.document(backend, acme, status=DocumentStatus.CLASSIFIED)
    factories.document(backend, globex)
    dead_doc(backend, acme, "stored file is missing: t/acme/2026/17.txt")
    dead_doc(backend, globex, "stored file is missing: t/globex/2026/99.txt")
    dead_doc(backend, acme, "ValueError: bad page 4")
    for n, due in ((1, NOW + timedelta(hours=2)), (2, NOW + timedelta(hours=1))):
        factories.document(backend, acme, status=DocumentStatus.FAILED, filename=f"f{n}.txt",
                           next_retry_at=due, last_error=f"timeout after {n}0 s")  # fmt: skip
    endpoint = WebhookEndpoint.create(
        tenant=acme, url="https://hooks.example.com/in", secret=SECRET
    )
    event(acme, endpoint, "msg_sent1", EventStatus.SENT)
    event(acme, endpoint, "msg_dead1", EventStatus.DEAD_LETTERED, "HTTP 503")
    WebhookAttempt.create(event="msg_dead1", number=1, attempted_at=NOW, status_code=503,
                          latency_ms=12, error="HTTP 503")  # fmt: skip
    for n in range(4):
        JobRun.create(job="classify_documents", started_at=NOW - timedelta(minutes=n),
                      finished_at=NOW - timedelta(minutes=n) + timedelta(seconds=n + 1),
                      outcome="succeeded" if n else "failed", counts={"classified": 10})  # fmt: skip
    failed_rq_job(redis_conn, backend, "OperationalError: database is locked (attempt 3)")
    return backend


@pytest.fixture
def console(world):
    made = Backend(world, actor="operator:tester", now=lambda: NOW)
    made.open()
    yield made
    made.close()


def texts(snapshot: Snapshot) -> str:
    return "\n".join(str(c) for t in snapshot.tables for r in t.rows for c in (r.key, *r.cells))


def table(snapshot: Snapshot, name: str):
    return next(t for t in snapshot.tables if t.name == name)


def audit_actions() -> list[str]:
    return [a.action for a in AuditEvent.select().order_by(AuditEvent.id)]


# --- tabs ---------------------------------------------------------------------------------


def test_every_tab_has_keyed_bounded_tables(console):
    for tab in TABS:
        snapshot = console.snapshot(tab)
        assert snapshot.tab == tab and snapshot.taken_at == NOW
        for t in snapshot.tables:
            keys = [r.key for r in t.rows]
            assert len(keys) == len(set(keys)), f"duplicate keys in {tab}/{t.name}"
            assert {row_kind(k) for k in keys} <= KEY_PREFIXES[tab]
            assert all(len(r.cells) == len(t.columns) for r in t.rows)
            assert t.total >= len([k for k in keys if not k.startswith("all:")])


def test_queues_tab(console, world, redis_conn):
    snapshot = console.snapshot("queues")
    queues = {r.key: r.cells for r in table(snapshot, "queues").rows}
    assert list(queues) == ["queue:high", "queue:default", "queue:low"]
    assert queues["queue:default"][3] == 1  # the failed RQ job
    assert queues["queue:high"][-1] == "no"
    periodic = table(snapshot, "periodic")
    assert "periodic:classify_documents" in {r.key for r in periodic.rows}
    last_classify = next(r for r in periodic.rows if r.key == "periodic:classify_documents")
    assert last_classify.cells[2] == "2026-03-01 12:00:00 UTC"


def test_documents_tab_counts_by_tenant_and_status(console):
    by_tenant = table(console.snapshot("documents"), "by_tenant")
    cols = by_tenant.columns
    rows = {r.key: dict(zip(cols, r.cells, strict=True)) for r in by_tenant.rows}
    assert rows["all:documents"]["total"] == 9
    assert rows["tenant:acme"][DocumentStatus.CLASSIFIED] == 3
    assert rows["tenant:acme"][DocumentStatus.DEAD_LETTERED] == 2
    assert rows["tenant:globex"][DocumentStatus.PENDING] == 1
    assert by_tenant.total == 3  # two tenants and the "all" row
    filtered = table(console.snapshot("documents", filter="GLOB"), "by_tenant")
    assert [r.key for r in filtered.rows] == ["all:documents", "tenant:globex"]
    assert filtered.rows[0].cells[-1] == 2  # "all" sums what the filter matched
    throughput = table(console.snapshot("documents"), "throughput")
    assert throughput.total == 4 and throughput.rows[1].cells[2] == 10
    assert len(table(console.snapshot("documents", limit=1), "throughput").rows) == 1


def test_retries_tab_orders_by_next_attempt(console):
    retries = table(console.snapshot("retries"), "retries")
    assert [r.cells[2] for r in retries.rows] == ["f2.txt", "f1.txt"]
    assert retries.rows[0].cells[5] == "timeout after 20 s"
    assert table(console.snapshot("retries", filter="F1.TXT"), "retries").total == 1


def test_tenants_tab_bars_and_limit(console):
    TenantQuota.update(max_documents=10, document_count=7, is_blocked=True).execute()
    tenants = table(console.snapshot("tenants", limit=1), "tenants")
    assert tenants.total == 2 and len(tenants.rows) == 1
    acme = tenants.rows[0]
    assert acme.key == "tenant:acme"
    assert acme.cells[1] == Bar(7, 10, "docs") and acme.cells[3] == "yes"


def test_webhooks_tab_masks_secrets(console):
    snapshot = console.snapshot("webhooks")
    endpoint = table(snapshot, "endpoints").rows[0]
    assert endpoint.cells[3] == "whsec_****LaSw"
    statuses = {r.key: r.cells[1] for r in table(snapshot, "events").rows}
    assert statuses["status:DeadLettered"] == 1 and statuses["status:Sent"] == 1
    assert {r.key for r in table(snapshot, "recent").rows} == {"event:msg_sent1", "event:msg_dead1"}
    detail = console.detail("event:msg_dead1")
    assert detail.tables[0].rows[0].cells[:3] == (1, "2026-03-01 12:00:00 UTC", 503)


def test_history_tab_runs_and_stats(console):
    snapshot = console.snapshot("history")
    runs = table(snapshot, "runs")
    assert runs.total == 4 and runs.rows[0].cells[1] == "classify_documents"
    stats = {r.key: r.cells for r in table(snapshot, "stats").rows}
    # 4 runs of 1..4 s, one failed: 75 % success, nearest-rank p50 2 s, p95 4 s.
    assert stats["job:classify_documents"][1:] == (4, 75.0, 2.0, 4.0)
    assert stats["job:report_usage"][1:] == (0, None, None, None)


def test_dlq_groups_all_three_sources(console):
    groups = table(console.snapshot("dlq"), "groups")
    by_fp = {r.cells[0]: r for r in groups.rows}
    missing = by_fp["Error: stored file is missing: <path>"]
    assert missing.cells[1:3] == ("documents 2", 2)
    assert by_fp["Error: HTTP 503"].cells[1] == "events 1"
    assert by_fp["OperationalError: database is locked (attempt <n>)"].cells[1] == "rq 1"
    assert groups.total == 4
    detail = console.detail(missing.key)
    assert {row_kind(r.key) for r in detail.tables[0].rows} == {"doc"}
    assert detail.tables[0].total == 2
    rq_group = by_fp["OperationalError: database is locked (attempt <n>)"]
    rq_key = console.detail(rq_group.key).tables[0].rows[0].key
    assert "database is locked" in dict(console.detail(rq_key).fields)["error"]
    assert table(console.snapshot("dlq", filter="valueerror"), "groups").total == 1


def test_detail_of_a_gone_row_is_not_found(console):
    for key in ("doc:99999", "event:msg_nope", "rq:nope", "group:000000000000", "tenant:nope",
                "endpoint:42", "run:999", "queue:urgent"):  # fmt: skip
        with pytest.raises(NotFound):
            console.detail(key)


# --- actions ------------------------------------------------------------------------------


def test_requeue_a_group_requeues_all_its_documents(console, world, redis_conn):
    key = next(
        r.key for r in table(console.snapshot("dlq"), "groups").rows if "missing" in r.cells[0]
    )
    message = console.run("dlq.requeue", key)
    assert message.startswith("requeued 2 documents of group")
    assert Document.select().where(Document.status == DocumentStatus.DEAD_LETTERED).count() == 1
    assert Document.select().where(Document.error_fingerprint.is_null(False)).count() == 1
    assert audit_actions() == ["document.dlq_requeued"] * 2
    assert redis_conn.exists(run_request_key(world, "classify_documents"))
    with pytest.raises(NotFound):
        console.run("dlq.requeue", key)


def test_requeue_and_purge_rq_jobs(console, world, redis_conn):
    job_id = FailedJobRegistry(queue=get_queue(redis_conn, world, "default")).get_job_ids()[0]
    assert console.run("dlq.requeue", f"rq:{job_id}") == "requeued 1 RQ job"
    assert get_queue(redis_conn, world, "default").job_ids == [job_id]
    second = failed_rq_job(redis_conn, world, "KeyError: 'x'")
    assert console.run("dlq.purge", f"rq:{second.id}") == "purged 1 RQ job"
    assert not redis_conn.exists(second.key)
    audits = AuditEvent.select().order_by(AuditEvent.id)
    assert [(a.action, a.subject_type, a.subject_id) for a in audits] == [
        ("rq_job.requeued", "rq_job", job_id),
        ("rq_job.purged", "rq_job", second.id),
    ]


def test_purge_items_and_everything(console):
    assert console.run("dlq.purge", "event:msg_dead1") == "purged 1 webhook event"
    assert WebhookEvent.get_or_none(WebhookEvent.id == "msg_dead1") is None
    assert console.run("dlq.purge_all") == "purged 3 documents, 1 RQ job from the whole DLQ"
    assert console.run("dlq.purge_all") == "nothing to purge"
    assert console.run("dlq.requeue_all") == "nothing to requeue"
    assert table(console.snapshot("dlq"), "groups").total == 0


def test_retry_now(console, world, redis_conn):
    doc = Document.get(Document.filename == "f1.txt")
    assert console.run("retries.retry_now", f"doc:{doc.id}").endswith("a retry run is queued")
    assert Document.get_by_id(doc.id).next_retry_at == NOW
    assert audit_actions() == ["document.retry_now"]
    assert get_queue(redis_conn, world, "high").count == 1
    classified = Document.get(Document.status == DocumentStatus.CLASSIFIED)
    with pytest.raises(InvalidArgument, match="not Failed"):
        console.run("retries.retry_now", f"doc:{classified.id}")


def test_tenant_and_endpoint_actions(console):
    TenantQuota.update(is_blocked=True).execute()
    TenantBilling.update(status="ReadOnly").execute()
    assert console.run("tenants.unblock", "tenant:acme") == "unblocked uploads of acme"
    assert console.run("tenants.unblock", "tenant:acme") == "acme was not blocked; nothing changed"
    assert console.run("tenants.activate", "tenant:acme") == "activated billing of acme"
    endpoint = WebhookEndpoint.get()
    assert (
        console.run("webhooks.disable", f"endpoint:{endpoint.id}")
        == f"disabled endpoint {endpoint.id}"
    )
    assert not WebhookEndpoint.get_by_id(endpoint.id).enabled
    assert (
        console.run("webhooks.enable", f"endpoint:{endpoint.id}")
        == f"enabled endpoint {endpoint.id}"
    )
    assert audit_actions() == ["tenant.unblocked", "tenant.activated", "webhook_endpoint.disabled",
                               "webhook_endpoint.enabled"]  # fmt: skip


def test_pause_and_resume_a_queue(console, world, redis_conn):
    assert console.run("queues.pause", "queue:low").startswith("paused queue low")
    assert paused(redis_conn, world) == {"low"}
    snapshot = console.snapshot("queues")
    assert table(snapshot, "queues").rows[2].cells[-1] == "yes"
    assert snapshot.notes == ("paused: low",)
    assert (
        console.run("queues.pause", "queue:low") == "queue low was already paused; nothing changed"
    )
    assert console.run("queues.resume", "queue:low") == "resumed queue low"
    assert paused(redis_conn, world) == set()
    audits = [(a.action, a.subject_type) for a in AuditEvent.select().order_by(AuditEvent.id)]
    assert audits == [("queue.paused", "queue"), ("queue.resumed", "queue")]


def test_enqueue_a_job_from_the_form(console, world, redis_conn):
    form = next(a for a in console.actions() if a.id == "jobs.enqueue")
    assert [f.name for f in form.fields] == ["job", "batch_size", "max_retries", "queue"]
    assert "classify_documents" in form.fields[0].choices
    message = console.run("jobs.enqueue", None, {"job": "classify_documents", "batch_size": "5",
                                                 "max_retries": "", "queue": "low"})  # fmt: skip
    assert message.startswith("enqueued classify_documents(batch_size=5) as ")
    job = Job.fetch(get_queue(redis_conn, world, "low").job_ids[0], connection=redis_conn,
                    serializer=get_queue(redis_conn, world, "low").serializer)  # fmt: skip
    assert job.kwargs == {"batch_size": 5}
    assert audit_actions() == ["job.enqueued"]
    with pytest.raises(InvalidArgument, match="from 1 to 10000"):
        console.run("jobs.enqueue", None, {"job": "classify_documents", "batch_size": "0"})
    with pytest.raises(InvalidArgument, match="does not take max_retries"):
        console.run("jobs.enqueue", None, {"job": "classify_documents", "max_retries": "2"})


def test_actions_check_their_row_kind(console):
    with pytest.raises(InvalidArgument, match="applies to tenant rows"):
        console.run("tenants.unblock", "doc:1")
    with pytest.raises(InvalidArgument, match="unknown action"):
        console.run("nope")


def test_read_only_refuses_and_changes_nothing(world, redis_conn):
    reader = Backend(world, actor="operator:viewer", read_only=True, now=lambda: NOW)
    reader.open()
    assert reader.actions() == ()
    dead_before = Document.select().where(Document.status == DocumentStatus.DEAD_LETTERED).count()
    for spec in ACTIONS:
        with pytest.raises(Refused, match="--read-only"):
            reader.run(spec.id, "queue:low", {"job": "check_quotas"})
    assert AuditEvent.select().count() == 0
    assert (
        Document.select().where(Document.status == DocumentStatus.DEAD_LETTERED).count()
        == dead_before
    )
    assert paused(redis_conn, world) == set()
    assert reader.snapshot("dlq").tables[0].total == 4  # reading still works
    reader.close()


# --- safety and resilience ----------------------------------------------------------------


def test_secrets_never_appear(console, world):
    acme = factories.tenant("initech")
    leaky = f"OperationalError: could not connect to postgresql://app:{DB_PASSWORD}@db/prod"
    dead_doc(world, acme, leaky)
    WebhookEndpoint.create(tenant=acme, url=f"https://user:{DB_PASSWORD}@hooks.example.com/x",
                           secret=SECRET, previous_secret=SECRET)  # fmt: skip
    seen = []
    for tab in TABS:
        snapshot = console.snapshot(tab)
        seen.append(texts(snapshot))
        for t in snapshot.tables:
            for row in t.rows[:20]:
                detail = console.detail(row.key)
                seen.append(repr(detail))
                for sub in detail.tables:
                    seen += [repr(console.detail(r.key)) for r in sub.rows
                             if row_kind(r.key) in ("doc", "event", "rq")]  # fmt: skip
    text = "\n".join(seen)
    assert SECRET[6:] not in text and DB_PASSWORD not in text
    assert "postgresql://app:***@db/prod" in text


def test_concurrent_snapshots_from_threads(console):
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda tab: console.snapshot(tab), list(TABS) * 3))
    assert [s.tab for s in results] == list(TABS) * 3


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_redis_outage_is_a_queue_error_and_heals(tmp_path):
    port = unused_port()
    settings = make_settings(
        tmp_path, DOCFLOW_REDIS_URL=f"redis://:pw-{DB_PASSWORD}@127.0.0.1:{port}/0"
    )
    with open_database(settings) as db:
        migrate(db)
        factories.tenant("acme")
    console = Backend(settings, actor="operator:tester")
    console.open()
    with pytest.raises(QueueError) as caught:
        console.snapshot("queues")
    assert isinstance(caught.value.__cause__, redis.RedisError)
    assert DB_PASSWORD not in str(caught.value)
    assert (
        table(console.snapshot("documents"), "by_tenant").total == 2
    )  # one tenant and the "all" row
    dlq = console.snapshot("dlq")
    assert dlq.notes and dlq.notes[0].startswith("failed RQ jobs not shown")
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server binary to bring Redis back with")
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
         "--requirepass", f"pw-{DB_PASSWORD}", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(lambda: _answers(console), 10, "the console to reach the restarted Redis")
        assert table(console.snapshot("queues"), "queues").total == 3
    finally:
        server.terminate()
        server.wait(timeout=10)
        console.close()


def _answers(console: Backend) -> bool:
    try:
        console.snapshot("queues")
    except QueueError:
        return False
    return True


def test_database_outage_is_a_database_error_and_heals(tmp_path, redis_conn):
    settings = make_settings(tmp_path)
    with open_database(settings) as db:
        migrate(db)
        factories.tenant("acme")
    database.close()
    console = Backend(settings, actor="operator:tester")
    console.open()
    path = tmp_path / "docflow.sqlite3"
    path.rename(tmp_path / "away.sqlite3")
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError) as caught:
        console.snapshot("tenants")
    assert isinstance(caught.value.__cause__, peewee.PeeweeException)
    path.unlink()
    (tmp_path / "away.sqlite3").rename(path)
    assert table(console.snapshot("tenants"), "tenants").total == 1
    console.close()


def test_open_refuses_an_unmigrated_database(tmp_path):
    console = Backend(make_settings(tmp_path), actor="operator:tester")
    with pytest.raises(DatabaseError, match="docflow migrate"):
        console.open()


def test_unknown_tab(console):
    with pytest.raises(InvalidArgument, match="tabs are"):
        console.snapshot("nope")
    assert isinstance(console.detail("queue:high"), Detail)


def test_documents_tab_lists_recent_documents_and_opens_how_one_was_read(console):
    owner = factories.tenant("documentco")
    doc = factories.document(console.settings, owner, documents_mod_pdf(), filename="scan.pdf",
                             content_type="application/pdf", now=NOW)  # fmt: skip
    DocumentContent.create(document=doc, text="INVOICE 42\nTotal due 10 EUR", format="pdf", method="ocr",
                           pages=1, language="en", einvoice=False, extracted_at=NOW)  # fmt: skip
    recent = table(console.snapshot("documents"), "recent")
    row = next(r for r in recent.rows if r.key == f"doc:{doc.id}")
    assert row.cells[3:5] == ("pdf", "ocr")
    fields = dict(console.detail(f"doc:{doc.id}").fields)
    assert fields["read"] == "ocr, 1 page(s), en" and fields["text"].startswith(
        "INVOICE 42 Total due"
    )


def documents_mod_pdf() -> bytes:
    from tests.extract import documents

    return documents.pdf("INVOICE 42")


def test_event_detail_shows_the_receivers_answer_on_one_line(console):
    answer = '{"error": "db down\n\x1b[2Jretry", "dsn": "postgresql://u:hunter2@db/x"}'
    WebhookAttempt.create(event="msg_dead1", number=2, attempted_at=NOW, status_code=500,
                          latency_ms=9, error="HTTP 500", response_excerpt=answer)  # fmt: skip
    detail = console.detail("event:msg_dead1")
    shown = '{"error": "db down\\n\\x1b[2Jretry", "dsn": "postgresql://u:***@db/x"}'
    assert detail.tables[0].rows[1].cells[4] == f"HTTP 500: {shown}"
    fields = dict(detail.fields)
    assert fields["last response"] == shown and fields["attempts"] == "2"


def test_endpoint_detail_shows_rotation_only_during_the_overlap(console):
    WebhookEndpoint.update(
        previous_secret="whsec_old", previous_secret_expires_at=NOW + timedelta(seconds=1)
    ).execute()
    assert dict(console.detail("endpoint:1").fields)["previous secret"].startswith("kept until")
    WebhookEndpoint.update(previous_secret_expires_at=NOW).execute()
    assert dict(console.detail("endpoint:1").fields)["previous secret"] == "-"
