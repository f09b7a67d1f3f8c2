"""cleanup_expired_documents: documents past retention become Expired, their files deleted.

Rows are batch-claimed like every other job's. A stored path that resolves outside the
storage root (a crafted ``../``, an absolute path, a symlink out) is refused: the file
is left alone, the document still expires, and the refusal is recorded on the
document and in the audit trail. A file already gone is fine. Pending and Processing
documents wait until classification is done with them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from docflow.audit import record_many
from docflow.claim import batches, write_claimed
from docflow.db import write_transaction
from docflow.errors import StorageError
from docflow.events import emit_many
from docflow.jobs.runs import RunRecorder, execute, request_from_job
from docflow.models import Document, DocumentStatus
from docflow.services.storage import Storage
from docflow.settings import Settings

D = Document
ACTOR = "job:cleanup_expired_documents"
SETTLED = (DocumentStatus.CLASSIFIED, DocumentStatus.FAILED, DocumentStatus.DEAD_LETTERED)
CLAIMED_COLUMNS = (D.id, D.tenant, D.storage_path, D.filename, D.retention_until)
EXPIRED_COLUMNS = (D.status, D.last_error, D.next_retry_at, D.updated_at)


def cleanup_expired_documents(batch_size: int | None = None) -> dict[str, Any]:
    """RQ entry point: expire documents past retention and delete their files."""
    args = {} if batch_size is None else {"batch_size": batch_size}
    return execute("cleanup_expired_documents", run_cleanup, args)


def due(now: datetime):
    unclaimed = D.claimed_by.is_null() | (D.lease_expires_at < now)
    return D.status.in_(SETTLED) & (D.retention_until <= now) & unclaimed


def run_cleanup(
    run: RunRecorder, settings: Settings, now: Callable[[], datetime], batch_size: int | None = None
) -> None:
    storage = Storage(settings.storage_root)
    batch_size = batch_size or settings.cleanup_batch_size
    expired_total = 0
    claimed = batches(D, where=due, limit=batch_size, worker=run.worker,
                      lease_seconds=settings.lease_seconds, now=now, returning=CLAIMED_COLUMNS)  # fmt: skip
    for batch in claimed:
        token, at, rows = batch.token, batch.at, batch.rows
        updates, refused, deleted, missing = [], {}, 0, 0
        for row in rows:
            try:
                if storage.delete(row["storage_path"]):
                    deleted += 1
                else:
                    missing += 1
            except StorageError as exc:
                refused[row["id"]] = str(exc)
            updates.append({"id": row["id"], "status": DocumentStatus.EXPIRED, "last_error": refused.get(row["id"]),
                            "next_retry_at": None, "updated_at": at})  # fmt: skip
        with write_transaction():
            written = write_claimed(D, updates, token=token, columns=EXPIRED_COLUMNS)
            done = [r for r in rows if r["id"] in written]
            record_many(ACTOR, "document.expired", (_subject(r, refused) for r in done), at=at)
            emit_many(((r["tenant"], "document.expired", _data(r, refused)) for r in done), at)
            run.add(expired=len(written), files_deleted=deleted, files_missing=missing,
                    files_refused=sum(1 for r in done if r["id"] in refused))  # fmt: skip
        expired_total += len(written)
    if expired_total:
        request_from_job(settings, "deliver_webhooks")


def _data(row: dict[str, Any], refused: dict[int, str]) -> dict[str, Any]:
    return {"document_id": row["id"], "filename": row["filename"],
            "retention_until": row["retention_until"].isoformat(), "file_deleted": row["id"] not in refused}  # fmt: skip


def _subject(row: dict[str, Any], refused: dict[int, str]) -> tuple[str, int, int, dict[str, Any]]:
    details = {"filename": row["filename"]}
    if row["id"] in refused:
        details["file_refused"] = refused[row["id"]]
    return ("document", row["id"], row["tenant"], details)
