"""retry_failed_documents: failed documents due for retry go back to Pending, or to the DLQ.

The document retry policy (docflow.retry) decides: while retries remain and the
document is younger than the policy's deadline it is requeued with its retry count
raised; otherwise it is dead-lettered with the reason, and audited.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from docflow.audit import record_many
from docflow.claim import batches, write_claimed
from docflow.db import write_transaction
from docflow.events import emit_many
from docflow.fingerprint import fingerprint
from docflow.jobs.runs import RunRecorder, execute, request_from_job
from docflow.models import Document, DocumentStatus
from docflow.retry import document_policy
from docflow.settings import Settings

D = Document
ACTOR = "job:retry_failed_documents"
CLAIMED_COLUMNS = (D.id, D.tenant, D.retry_count, D.created_at, D.last_error, D.filename)
REQUEUED_COLUMNS = (D.status, D.retry_count, D.next_retry_at, D.updated_at)
DEAD_COLUMNS = (D.status, D.dead_letter_reason, D.error_fingerprint, D.dead_lettered_at,
                D.next_retry_at, D.updated_at)  # fmt: skip


def retry_failed_documents(
    max_retries: int | None = None, batch_size: int | None = None
) -> dict[str, Any]:
    """RQ entry point: requeue or dead-letter failed documents that are due."""
    args = {
        k: v for k, v in (("max_retries", max_retries), ("batch_size", batch_size)) if v is not None
    }
    return execute("retry_failed_documents", run_retry, args)


def due(now: datetime):
    unclaimed = D.claimed_by.is_null() | (D.lease_expires_at < now)
    return (D.status == DocumentStatus.FAILED) & (D.next_retry_at <= now) & unclaimed


def run_retry(
    run: RunRecorder,
    settings: Settings,
    now: Callable[[], datetime],
    max_retries: int | None = None,
    batch_size: int | None = None,
) -> None:
    policy = document_policy(settings)
    if max_retries is not None:
        policy = policy.with_max_retries(max_retries)
    batch_size = batch_size or settings.retry_batch_size
    requeued_total = dead_total = 0
    claimed = batches(
        D,
        where=due,
        limit=batch_size,
        worker=run.worker,
        lease_seconds=settings.lease_seconds,
        now=now,
        returning=CLAIMED_COLUMNS,
    )
    for batch in claimed:
        token, at, rows = batch.token, batch.at, batch.rows
        requeue, dead = [], []
        for row in rows:
            if policy.gives_up(row["retry_count"], row["created_at"], at):
                dead.append(row)
            else:
                requeue.append(row)
        with write_transaction():
            requeued = write_claimed(
                D,
                [
                    {
                        "id": r["id"],
                        "status": DocumentStatus.PENDING,
                        "retry_count": r["retry_count"] + 1,
                        "next_retry_at": None,
                        "updated_at": at,
                    }
                    for r in requeue
                ],
                token=token,
                columns=REQUEUED_COLUMNS,
            )
            dead_rows = [
                {
                    "id": r["id"],
                    "status": DocumentStatus.DEAD_LETTERED,
                    "dead_letter_reason": _reason(r, policy.max_retries),
                    "error_fingerprint": fingerprint(
                        r["last_error"] or _reason(r, policy.max_retries)
                    ),
                    "dead_lettered_at": at,
                    "next_retry_at": None,
                    "updated_at": at,
                }
                for r in dead
            ]
            dead_lettered = write_claimed(D, dead_rows, token=token, columns=DEAD_COLUMNS)
            record_many(
                ACTOR,
                "document.dead_lettered",
                (
                    (
                        "document",
                        r["id"],
                        src["tenant"],
                        {"reason": r["dead_letter_reason"], "filename": src["filename"]},
                    )
                    for r, src in zip(dead_rows, dead, strict=True)
                    if r["id"] in dead_lettered
                ),
                at=at,
            )
            emit_many(
                (
                    (src["tenant"], "document.dead_lettered",
                     {"document_id": r["id"], "filename": src["filename"], "reason": r["dead_letter_reason"]})
                    for r, src in zip(dead_rows, dead, strict=True)
                    if r["id"] in dead_lettered
                ),
                at,
            )  # fmt: skip
            run.add(requeued=len(requeued), dead_lettered=len(dead_lettered))
        dead_total += len(dead_lettered)
        requeued_total += len(requeued)
    if requeued_total:
        run.note(follow_up=request_from_job(settings, "classify_documents"))
    if dead_total:
        request_from_job(settings, "deliver_webhooks")


def _reason(row: dict[str, Any], max_retries: int) -> str:
    if row["retry_count"] >= max_retries:
        why = f"gave up after {row['retry_count']} retries (max {max_retries})"
    else:
        why = "gave up: past the retry deadline"
    return f"{why}; last error: {row['last_error'] or 'unknown'}"
