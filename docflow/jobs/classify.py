"""classify_documents: claim pending documents, classify them, route them.

A run drains batch after batch while there is backlog, until its time budget is spent;
then it asks for a follow-up run, so throughput does not hinge on the schedule. Each
batch is claimed in one statement and written in one transaction. A document whose
file cannot be read or classified becomes Failed with the reason, and the document
retry policy decides when it is due again.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated, Any

import peewee

from docflow.claim import batches
from docflow.errors import DocflowError
from docflow.models import Document, DocumentStatus
from docflow.outcomes import Outcome, write_outcomes
from docflow.registry import BATCH_SIZE, Clock, job
from docflow.retry import RetryPolicy, document_policy
from docflow.runs import RunRecorder
from docflow.services.classifier import Classifier, load_classifier, read_text
from docflow.services.storage import Storage
from docflow.settings import MANUAL_REVIEW_ROUTE, Settings
from docflow.topics import DOCUMENTS_PENDING

D = Document
ACTOR = "job:classify_documents"
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


def claimable(now: datetime) -> peewee.Expression:
    """Pending documents, and documents whose claim's lease ran out."""
    return (D.status == DocumentStatus.PENDING) | (
        (D.status == DocumentStatus.PROCESSING) & (D.lease_expires_at < now)
    )


@job(queue="default", schedule="* * * * *", wakes_on=(DOCUMENTS_PENDING,))
def classify_documents(
    run: RunRecorder,
    settings: Settings,
    now: Clock,
    batch_size: Annotated[int | None, BATCH_SIZE] = None,
) -> None:
    """Classify and route pending documents."""
    batch_size = batch_size or settings.classify_batch_size
    classifier = load_classifier(settings)
    storage = Storage(settings.storage_root)
    policy = document_policy(settings)
    deadline = time.monotonic() + settings.classify_time_budget_seconds
    done_batches = 0
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
        at = now()
        classified, failed = classify_batch(batch.rows, classifier, storage, settings, policy, at)
        outcomes = [
            Outcome("classified", classified, CLASSIFIED_COLUMNS, event="document.classified",
                    data=_classified_data, tally={"manual_review": _to_review}),
            Outcome("failed", failed, FAILED_COLUMNS, event="document.failed", data=_failed_data),
        ]  # fmt: skip
        write_outcomes(D, outcomes, token=batch.token, run=run, actor=ACTOR, subject="document",
                       at=at, claimed=len(batch.rows))  # fmt: skip
        done_batches += 1
        if len(batch.rows) == batch_size and time.monotonic() >= deadline:
            run.note(budget_spent=True, follow_up=run.follow_up(classify_documents))
            break
    run.note(batches=done_batches)


def _to_review(row: dict[str, Any]) -> bool:
    return bool(row["route"] == MANUAL_REVIEW_ROUTE)


def _classified_data(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("filename", "category", "confidence", "route")
    return {"document_id": row["id"], **{k: row[k] for k in keys}}


def _failed_data(row: dict[str, Any]) -> dict[str, Any]:
    return {"document_id": row["id"], "filename": row["filename"], "error": row["last_error"],
            "retry_count": row["retry_count"], "next_retry_at": row["next_retry_at"].isoformat()}  # fmt: skip


def classify_batch(
    rows: list[dict[str, Any]],
    classifier: Classifier,
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
                    **_claimed(row),
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
                **_claimed(row),
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


def _claimed(row: dict[str, Any]) -> dict[str, Any]:
    """What the outcome's audit and events need of the claimed row."""
    keys = ("id", "tenant", "filename", "retry_count")
    return {k: row[k] for k in keys}
