"""cleanup_expired_documents: documents past retention become Expired, their files deleted.

Rows are batch-claimed like every other job's. A stored path that resolves outside the
storage root (a crafted ``../``, an absolute path, a symlink out) is refused: the file
is left alone, the document still expires, and the refusal is recorded on the
document and in the audit trail. A file already gone is fine. Pending and Processing
documents wait until classification is done with them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import peewee

from docflow.claim import batches
from docflow.errors import StorageError
from docflow.models import Document, DocumentStatus
from docflow.outcomes import Outcome, write_outcomes
from docflow.registry import BATCH_SIZE, Clock, job
from docflow.runs import RunRecorder
from docflow.services.storage import Storage
from docflow.settings import Settings
from docflow.timefmt import iso_utc

D = Document
ACTOR = "job:cleanup_expired_documents"
SETTLED = (DocumentStatus.CLASSIFIED, DocumentStatus.FAILED, DocumentStatus.DEAD_LETTERED)
CLAIMED_COLUMNS = (D.id, D.tenant, D.storage_path, D.filename, D.retention_until)
EXPIRED_COLUMNS = (D.status, D.last_error, D.next_retry_at, D.updated_at)
FILE_TALLY = {f"files_{what}": (lambda row, what=what: row["file"] == what)
              for what in ("deleted", "missing", "refused")}  # fmt: skip


def due(now: datetime) -> peewee.Expression:
    unclaimed = D.claimed_by.is_null() | (D.lease_expires_at < now)
    return D.status.in_(SETTLED) & (D.retention_until <= now) & unclaimed


@job(queue="low", schedule="0 3 * * *")
def cleanup_expired_documents(
    run: RunRecorder,
    settings: Settings,
    now: Clock,
    batch_size: Annotated[int | None, BATCH_SIZE] = None,
) -> None:
    """Expire documents past retention and delete their stored files."""
    storage = Storage(settings.storage_root)
    batch_size = batch_size or settings.cleanup_batch_size
    claimed = batches(D, where=due, limit=batch_size, worker=run.worker,
                      lease_seconds=settings.lease_seconds, now=now, returning=CLAIMED_COLUMNS)  # fmt: skip
    for batch in claimed:
        updates = []
        for row in batch.rows:
            file, refused = _remove(storage, row["storage_path"])
            updates.append({**row, "file": file, "refused": refused, "status": DocumentStatus.EXPIRED,
                            "last_error": refused, "next_retry_at": None, "updated_at": batch.at})  # fmt: skip
        expired = Outcome("expired", updates, EXPIRED_COLUMNS, audit="document.expired",
                          details=_details, event="document.expired", data=_data, tally=FILE_TALLY)  # fmt: skip
        write_outcomes(D, [expired], token=batch.token, run=run, actor=ACTOR, subject="document",
                       at=batch.at)  # fmt: skip


def _remove(storage: Storage, path: str) -> tuple[str, str | None]:
    """What became of the stored file (deleted, missing, refused) and why it was refused."""
    try:
        return ("deleted" if storage.delete(path) else "missing"), None
    except StorageError as exc:
        return "refused", str(exc)


def _data(row: dict[str, Any]) -> dict[str, Any]:
    return {"document_id": row["id"], "filename": row["filename"],
            "retention_until": iso_utc(row["retention_until"]), "file_deleted": row["refused"] is None}  # fmt: skip


def _details(row: dict[str, Any]) -> dict[str, Any]:
    details = {"filename": row["filename"]}
    if row["refused"] is not None:
        details["file_refused"] = row["refused"]
    return details
