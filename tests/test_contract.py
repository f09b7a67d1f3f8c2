"""The model and claim-protocol contract, run on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from docflow.claim import claim, new_token, write_claimed
from docflow.db import database
from docflow.migrations import LATEST_VERSION, current_version, migrate
from docflow.models import Document, DocumentStatus, JobRun, Tenant
from tests import factories

D = Document
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def pending_or_expired(now):
    return (D.status == DocumentStatus.PENDING) | (
        (D.status == DocumentStatus.PROCESSING) & (D.lease_expires_at < now)
    )


def claim_docs(limit, token, now, lease=60):
    return claim(
        D,
        where=pending_or_expired(now),
        limit=limit,
        token=token,
        lease_seconds=lease,
        now=now,
        returning=(D.id,),
        extra={D.status: DocumentStatus.PROCESSING},
    )


def make_docs(settings, count):
    owner = factories.tenant()
    rows = [
        dict(tenant=owner.id, filename=f"f{i}.txt", content_type="text/plain", size_bytes=1,
             storage_path=f"acme/f{i}.txt", created_at=NOW, updated_at=NOW)
        for i in range(count)
    ]  # fmt: skip
    D.insert_many(rows).execute()
    return owner


def test_migrate_is_idempotent_and_records_version(backend):
    db = database.obj
    assert current_version(db) == LATEST_VERSION
    assert migrate(db) == []
    assert current_version(db) == LATEST_VERSION


def test_times_come_back_aware_utc(backend):
    owner = factories.tenant()
    local = datetime(2026, 3, 1, 14, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    Tenant.update(created_at=local).where(Tenant.id == owner.id).execute()
    stored = Tenant.get_by_id(owner.id).created_at
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored == local


def test_naive_datetimes_are_refused(backend):
    with pytest.raises(TypeError, match="timezone-aware"):
        Tenant.create(name="naive", created_at=datetime(2026, 1, 1))


def test_claim_takes_at_most_limit_and_marks_rows(backend):
    make_docs(backend, 10)
    token = new_token("w1")
    rows = claim_docs(4, token, NOW)
    assert len(rows) == 4
    claimed = list(D.select().where(D.claimed_by == token))
    assert {d.id for d in claimed} == {r["id"] for r in rows}
    assert all(d.status == DocumentStatus.PROCESSING for d in claimed)
    assert all(d.lease_expires_at == NOW + timedelta(seconds=60) for d in claimed)


def test_two_claimers_never_share_a_row(backend):
    make_docs(backend, 25)
    seen = []
    for i in range(10):
        rows = claim_docs(3, new_token(f"w{i}"), NOW)
        seen.extend(r["id"] for r in rows)
    assert len(seen) == len(set(seen)) == 25


def test_expired_lease_is_claimed_again_and_old_owner_cannot_write(backend):
    make_docs(backend, 2)
    first = new_token("dead-worker")
    rows = claim_docs(2, first, NOW, lease=30)
    assert claim_docs(2, new_token("early"), NOW + timedelta(seconds=29)) == []
    second = new_token("rescuer")
    again = claim_docs(2, second, NOW + timedelta(seconds=31))
    assert {r["id"] for r in again} == {r["id"] for r in rows}
    late = [
        {"id": r["id"], "status": DocumentStatus.CLASSIFIED, "category": "invoice"} for r in rows
    ]
    assert write_claimed(D, late, token=first, columns=(D.status, D.category)) == set()
    assert write_claimed(D, late, token=second, columns=(D.status, D.category)) == {
        r["id"] for r in rows
    }
    done = list(D.select())
    assert all(d.status == DocumentStatus.CLASSIFIED and d.claimed_by is None for d in done)
    assert all(d.lease_expires_at is None for d in done)


def test_write_claimed_writes_each_rows_own_values(backend):
    make_docs(backend, 5)
    token = new_token()
    rows = claim_docs(5, token, NOW)
    updates = [
        {"id": r["id"], "status": DocumentStatus.CLASSIFIED, "confidence": r["id"] / 10,
         "classified_at": NOW + timedelta(seconds=r["id"]), "last_error": None}
        for r in rows
    ]  # fmt: skip
    cols = (D.status, D.confidence, D.classified_at, D.last_error)
    assert len(write_claimed(D, updates, token=token, columns=cols)) == 5
    for doc in D.select():
        assert doc.confidence == pytest.approx(doc.id / 10)
        assert doc.classified_at == NOW + timedelta(seconds=doc.id)


def test_write_claimed_splits_large_batches(backend, monkeypatch):
    import docflow.db as db_mod

    monkeypatch.setattr(db_mod, "SQLITE_MAX_VARIABLES", 10)
    make_docs(backend, 7)
    token = new_token()
    rows = claim_docs(7, token, NOW)
    updates = [{"id": r["id"], "status": DocumentStatus.FAILED} for r in rows]
    assert len(write_claimed(D, updates, token=token, columns=(D.status,))) == 7
    assert D.select().where(D.status == DocumentStatus.FAILED).count() == 7


def test_job_run_json_roundtrip(backend):
    run = JobRun.create(job="x", args={"batch_size": 5}, counts={"classified": 3}, started_at=NOW)
    again = JobRun.get_by_id(run.id)
    assert again.args == {"batch_size": 5} and again.counts == {"classified": 3}
