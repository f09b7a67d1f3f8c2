"""classify_documents: claim pending documents, classify them, route them.

A run drains batch after batch while there is backlog, until its time budget is spent;
then it asks for a follow-up run, so throughput does not hinge on the schedule. Each
batch is claimed in one statement and written in one transaction. A document whose
file cannot be read or classified becomes Failed with the reason, and the document
retry policy decides when it is due again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from docflow.claim import batches, write_claimed
from docflow.db import write_transaction
from docflow.errors import DocflowError
from docflow.events import emit_many
from docflow.jobs.runs import RunRecorder, execute, request_from_job
from docflow.models import Document, DocumentStatus
from docflow.retry import RetryPolicy, document_policy
from docflow.services.classifier import load_classifier, read_text
from docflow.services.storage import Storage
from docflow.settings import MANUAL_REVIEW_ROUTE, Settings

D = Document
CLAIMED_COLUMNS = (D.id, D.tenant, D.storage_path, D.filename, D.content_type, D.retry_count)
CLASSIFIED_COLUMNS = (
    D.status,
    D.category,
    D.confidence,
    D.route,
    D.last_error,
    D.next_retry_at,
    D.classified_at,
    D.updated_at,
)
FAILED_COLUMNS = (D.status, D.last_error, D.next_retry_at, D.updated_at)


def classify_documents(batch_size: int | None = None) -> dict[str, Any]:
    """RQ entry point: classify pending documents, batch after batch."""
    args = {} if batch_size is None else {"batch_size": batch_size}
    return execute("classify_documents", run_classification, args)


def claimable(now: datetime):
    """Pending documents, and documents whose claim's lease ran out."""
    return (D.status == DocumentStatus.PENDING) | (
        (D.status == DocumentStatus.PROCESSING) & (D.lease_expires_at < now)
    )


def run_classification(
    run: RunRecorder,
    settings: Settings,
    now: Callable[[], datetime],
    batch_size: int | None = None,
) -> None:
    batch_size = batch_size or settings.classify_batch_size
    classifier = load_classifier(settings)
    storage = Storage(settings.storage_root)
    policy = document_policy(settings)
    deadline = time.monotonic() + settings.classify_time_budget_seconds
    done_batches = events = 0
    claimed = batches(
        D,
        where=claimable,
        limit=batch_size,
        worker=run.worker,
        lease_seconds=settings.lease_seconds,
        now=now,
        returning=CLAIMED_COLUMNS,
        extra={D.status: DocumentStatus.PROCESSING},
    )
    for batch in claimed:
        token, rows = batch.token, batch.rows
        classified, failed = classify_batch(rows, classifier, storage, settings, policy, now())
        with write_transaction():
            done = write_claimed(D, classified, token=token, columns=CLASSIFIED_COLUMNS)
            broken = write_claimed(D, failed, token=token, columns=FAILED_COLUMNS)
            run.add(
                classified=len(done),
                failed=len(broken),
                manual_review=sum(
                    r["route"] == MANUAL_REVIEW_ROUTE for r in classified if r["id"] in done
                ),
                lease_lost=len(rows) - len(done) - len(broken),
            )
            events += len(emit_many(_events(rows, classified, failed, done | broken), now()))
        done_batches += 1
        if len(rows) == batch_size and time.monotonic() >= deadline:
            run.note(budget_spent=True, follow_up=request_from_job(settings, "classify_documents"))
            break
    run.note(batches=done_batches, webhook_events=events)
    if events:
        request_from_job(settings, "deliver_webhooks")


def _events(
    rows: list[dict[str, Any]],
    classified: list[dict[str, Any]],
    failed: list[dict[str, Any]],
    written: set[int],
) -> list[tuple[int, str, dict[str, Any]]]:
    """The webhook events of a batch's committed outcomes."""
    claimed = {r["id"]: r for r in rows}
    events = []
    for r in classified:
        if r["id"] in written:
            src = claimed[r["id"]]
            data = {"document_id": r["id"], "filename": src["filename"], "category": r["category"],
                    "confidence": r["confidence"], "route": r["route"]}  # fmt: skip
            events.append((src["tenant"], "document.classified", data))
    for r in failed:
        if r["id"] in written:
            src = claimed[r["id"]]
            data = {"document_id": r["id"], "filename": src["filename"], "error": r["last_error"],
                    "retry_count": src["retry_count"], "next_retry_at": r["next_retry_at"].isoformat()}  # fmt: skip
            events.append((src["tenant"], "document.failed", data))
    return events


def classify_batch(
    rows: list[dict[str, Any]],
    classifier: Any,
    storage: Storage,
    settings: Settings,
    policy: RetryPolicy,
    now: datetime,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Classify claimed rows; return (classified rows, failed rows) ready to write."""
    classified, failed = [], []
    for row in rows:
        try:
            text = read_text(storage.real_path(row["storage_path"]), settings.classifier_read_bytes)
            result = classifier.classify(
                text, filename=row["filename"], content_type=row["content_type"]
            )
        except Exception as exc:  # noqa: BLE001 - any classifier failure fails this document only
            reason = str(exc) if isinstance(exc, DocflowError) else f"{type(exc).__name__}: {exc}"
            failed.append(
                {
                    "id": row["id"],
                    "status": DocumentStatus.FAILED,
                    "last_error": reason[:2000],
                    "next_retry_at": policy.next_attempt_at(row["retry_count"], now),
                    "updated_at": now,
                }
            )
            continue
        route = (
            settings.routes[result.category]
            if result.confidence >= settings.min_confidence_ratio
            else MANUAL_REVIEW_ROUTE
        )
        classified.append(
            {
                "id": row["id"],
                "status": DocumentStatus.CLASSIFIED,
                "category": result.category,
                "confidence": round(result.confidence, 4),
                "route": route,
                "last_error": None,
                "next_retry_at": None,
                "classified_at": now,
                "updated_at": now,
            }
        )
    return classified, failed
