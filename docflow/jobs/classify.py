"""classify_documents: claim pending documents, read them, classify them, route them.

A run drains batch after batch while there is backlog, until its time budget is spent;
then it asks for a follow-up run, so throughput does not hinge on the schedule. Each
batch is claimed in one statement, decided (:mod:`docflow.classification`) and written in
one transaction: the outcomes, the newly extracted texts, and the attachments of emails
as documents of their own. A transient failure is retried by the retry policy; a
permanent one (unsupported, encrypted, corrupt, over a limit) goes to the DLQ at once.
Documents are read in a sandboxed child process (:mod:`docflow.services.extract`).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

import peewee

from docflow import attachments, shutdown
from docflow.claim import Batch, batches
from docflow.claim_size import ClaimSize
from docflow.classification import BatchClassifier, Decided
from docflow.db import insert_rows
from docflow.dlq import dead_letter
from docflow.models import Document, DocumentContent, DocumentStatus, to_db_time
from docflow.outcomes import Outcome, write_outcomes
from docflow.registry import BATCH_SIZE, Clock, job
from docflow.retry import document_policy
from docflow.runs import RunRecorder
from docflow.services.classifier import load_classifier
from docflow.services.extract import Reader
from docflow.services.storage import Storage
from docflow.settings import MANUAL_REVIEW_ROUTE, Settings
from docflow.timefmt import iso_utc
from docflow.topics import DOCUMENTS_PENDING

D = Document
ACTOR = "job:classify_documents"
CLAIMED_COLUMNS = (D.id, D.tenant, D.storage_path, D.filename, D.content_type, D.retry_count,
                   D.first_failed_at, D.retention_until, D.parent)  # fmt: skip
CLASSIFIED_COLUMNS = (
    D.status,
    D.category,
    D.confidence,
    D.route,
    D.suggestions,
    D.last_error,
    D.next_retry_at,
    D.first_failed_at,
    D.classified_at,
    D.updated_at,
)
FAILED_COLUMNS = (D.status, D.last_error, D.next_retry_at, D.first_failed_at, D.updated_at)
RELEASED_COLUMNS = (D.status, D.updated_at)


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
    storage = Storage(settings.storage_root)
    deadline = time.monotonic() + settings.classify_time_budget_seconds
    done_batches = children = 0
    size = ClaimSize(batch_size)
    claimed = batches(
        D,
        where=claimable,
        limit=size,
        worker=run.worker,
        lease_seconds=settings.lease_seconds,
        now=now,
        returning=CLAIMED_COLUMNS,
        extra={D.status: DocumentStatus.PROCESSING},
    )
    with (
        tempfile.TemporaryDirectory(prefix="docflow-attachments-") as scratch,
        Reader(settings, scratch) as reader,
    ):
        decider = BatchClassifier(
            settings, load_classifier(settings), reader, storage, document_policy(settings)
        )
        for batch in claimed:
            at, started = now(), time.monotonic()
            decided = decider.decide(batch.rows, at)
            size.measured(len(batch.rows) - len(decided.released), time.monotonic() - started)
            children += _write(run, batch, decided, storage, settings, at)
            done_batches += 1
            if len(batch.rows) == batch.limit and time.monotonic() >= deadline:
                run.note(budget_spent=True, follow_up=run.follow_up(classify_documents))
                break
    run.note(batches=done_batches)
    if shutdown.requested():  # the backlog left is for the other workers, at once
        run.note(stopped="shutdown", follow_up=run.follow_up(classify_documents))
    elif children:
        run.note(follow_up=run.follow_up(classify_documents))


def _write(
    run: RunRecorder,
    batch: Batch,
    decided: Decided,
    storage: Storage,
    settings: Settings,
    at: datetime,
) -> int:
    """Write one batch's outcomes, contents and attachments; the attachments created."""
    staged: list[attachments.Staged] = []
    warnings: dict[int, list[str]] = {}
    depths = (
        attachments.depth(batch.rows)
        if any(e.attachments for e in decided.extracted.values())
        else {}
    )
    claimed = {row["id"]: row for row in batch.rows}
    for doc_id, extraction in decided.extracted.items():
        if not extraction.attachments:
            continue
        notes = warnings.setdefault(doc_id, [])
        if depths.get(doc_id, 0) >= settings.extract_max_depth:
            notes.append(f"attachments not kept: nested {settings.extract_max_depth} emails deep")
            for attachment in extraction.attachments:
                attachments.discard_scratch(attachment.path)
            continue
        staged += attachments.stage(claimed[doc_id], extraction, storage, settings, notes, at)

    def contents_and_children(written: Mapping[str, set[Any]]) -> dict[str, int]:
        done = written["classified"] | written["dead_lettered"]
        _store_contents(decided, warnings, done, at)
        kept = [s for s in staged if s.parent in done]
        return {
            "attachments": attachments.insert(kept, at),
            "extracted": len(set(decided.extracted) & done),
        }

    outcomes = [
        Outcome("classified", decided.classified, CLASSIFIED_COLUMNS, event="document.classified",
                data=_classified_data, tally={"manual_review": _to_review}),
        Outcome("failed", decided.failed, FAILED_COLUMNS, event="document.failed", data=_failed_data),
        dead_letter(D, decided.dead, at=at, extra_columns=(D.last_error,)),
        Outcome("released", decided.released, RELEASED_COLUMNS),
    ]  # fmt: skip
    try:
        written = write_outcomes(D, outcomes, token=batch.token, run=run, actor=ACTOR,
                                 subject="document", at=at, claimed=len(batch.rows),
                                 also=contents_and_children)  # fmt: skip
    except BaseException:
        attachments.discard(staged, storage)
        raise
    done = written["classified"] | written["dead_lettered"]
    attachments.discard([s for s in staged if s.parent not in done], storage)
    return sum(1 for s in staged if s.parent in done)


def _store_contents(
    decided: Decided, warnings: dict[int, list[str]], ids: set[Any], at: datetime
) -> None:
    C = DocumentContent
    fields: list[peewee.Field[Any]] = [C.document, C.text, C.format, C.method, C.pages,
                                       C.language, C.einvoice, C.warnings, C.extracted_at]  # fmt: skip
    stamp = to_db_time(at)
    rows = [
        (doc_id, e.text, e.format, e.method, e.pages, e.language, e.einvoice,
         C.warnings.db_value([*e.warnings, *warnings.get(doc_id, [])] or None), stamp)
        for doc_id, e in decided.extracted.items()
        if doc_id in ids
    ]  # fmt: skip
    if rows:
        # Bulk, as every write of a batch (peewee builds SQL row by row); a document is read
        # only when it has no content yet, so no row can be there already.
        insert_rows(C, fields, rows)


def _to_review(row: dict[str, Any]) -> bool:
    return bool(row["route"] == MANUAL_REVIEW_ROUTE)


def _classified_data(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("filename", "category", "confidence", "route")
    return {"document_id": row["id"], **{k: row[k] for k in keys}}


def _failed_data(row: dict[str, Any]) -> dict[str, Any]:
    return {"document_id": row["id"], "filename": row["filename"], "error": row["last_error"],
            "retry_count": row["retry_count"], "next_retry_at": iso_utc(row["next_retry_at"])}  # fmt: skip
