"""retry_failed_documents: failed documents due for retry go back to Pending, or to the DLQ.

The document retry policy (docflow.retry) decides: while retries remain and the
document's first failure (of this run of failures) is younger than the policy's deadline
it is requeued with its retry count raised; otherwise it is dead-lettered with the
reason, and audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import peewee

from docflow.claim import batches
from docflow.dlq import dead_letter
from docflow.jobs.classify import classify_documents
from docflow.models import Document, DocumentStatus
from docflow.outcomes import Outcome, write_outcomes
from docflow.registry import BATCH_SIZE, Clock, IntRange, job
from docflow.retry import document_policy
from docflow.runs import RunRecorder
from docflow.settings import Settings
from docflow.topics import RETRIES_DUE

D = Document
ACTOR = "job:retry_failed_documents"
CLAIMED_COLUMNS = (D.id, D.tenant, D.retry_count, D.first_failed_at, D.updated_at, D.last_error,
                   D.filename)  # fmt: skip
REQUEUED_COLUMNS = (D.status, D.retry_count, D.next_retry_at, D.first_failed_at, D.updated_at)
MAX_RETRIES = IntRange(0, 100, "retries before a document is dead-lettered")


def due(now: datetime) -> peewee.Expression:
    unclaimed = D.claimed_by.is_null() | (D.lease_expires_at < now)
    return (D.status == DocumentStatus.FAILED) & (D.next_retry_at <= now) & unclaimed


@job(queue="default", schedule="*/5 * * * *", wakes_on=(RETRIES_DUE,))
def retry_failed_documents(
    run: RunRecorder,
    settings: Settings,
    now: Clock,
    max_retries: Annotated[int | None, MAX_RETRIES] = None,
    batch_size: Annotated[int | None, BATCH_SIZE] = None,
) -> None:
    """Send failed documents due for retry back to Pending, or to the DLQ."""
    policy = document_policy(settings)
    if max_retries is not None:
        policy = policy.with_max_retries(max_retries)
    requeued = 0
    claimed = batches(
        D,
        where=due,
        limit=batch_size or settings.retry_batch_size,
        worker=run.worker,
        lease_seconds=settings.lease_seconds,
        now=now,
        returning=CLAIMED_COLUMNS,
    )
    for batch in claimed:
        requeue, dead = [], []
        for row in batch.rows:
            # A row failed by a worker older than first_failed_at has its failure time only.
            first_failed_at = row["first_failed_at"] or row["updated_at"]
            if policy.gives_up(row["retry_count"], first_failed_at, batch.at):
                reason = _reason(row, policy.max_retries)
                dead.append({**row, "reason": reason, "error": row["last_error"] or reason})
            else:
                requeue.append({"id": row["id"], "tenant": row["tenant"], "status": DocumentStatus.PENDING,
                                "retry_count": row["retry_count"] + 1, "next_retry_at": None,
                                "first_failed_at": first_failed_at, "updated_at": batch.at})  # fmt: skip
        written = write_outcomes(
            D,
            [Outcome("requeued", requeue, REQUEUED_COLUMNS), dead_letter(D, dead, at=batch.at)],
            token=batch.token, run=run, actor=ACTOR, subject="document", at=batch.at,
        )  # fmt: skip
        requeued += len(written["requeued"])
    if requeued:
        run.note(follow_up=run.follow_up(classify_documents))


def _reason(row: dict[str, Any], max_retries: int) -> str:
    if row["retry_count"] >= max_retries:
        why = f"gave up after {row['retry_count']} retries (max {max_retries})"
    else:
        why = "gave up: past the retry deadline"
    return f"{why}; last error: {row['last_error'] or 'unknown'}"
