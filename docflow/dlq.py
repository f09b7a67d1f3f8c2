"""The dead-letter queue of documents: list, requeue and purge, each action audited.

A dead-lettered document is a row with status DeadLettered; requeueing sends it back
to Pending with a fresh retry budget, purging deletes the row and its stored file.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from docflow.audit import record_many
from docflow.db import write_transaction
from docflow.errors import InvalidArgument, NotFound, StorageError
from docflow.models import Document, DocumentStatus, Tenant
from docflow.services.storage import Storage
from docflow.settings import Settings

log = logging.getLogger(__name__)

D = Document
DEAD = D.status == DocumentStatus.DEAD_LETTERED


def list_dead(limit: int = 50, tenant: str | None = None) -> list[dict[str, Any]]:
    query = (
        D.select(
            D.id,
            Tenant.name.alias("tenant"),
            D.filename,
            D.retry_count,
            D.dead_lettered_at,
            D.dead_letter_reason,
        )
        .join(Tenant)
        .where(DEAD)
        .order_by(D.dead_lettered_at.desc(), D.id.desc())
        .limit(limit)
    )
    if tenant is not None:
        query = query.where(Tenant.name == tenant)
    return list(query.dicts())


def count_dead() -> int:
    return D.select().where(DEAD).count()


def _selection(ids: Sequence[int] | None):
    if ids is None:
        return DEAD
    if not ids:
        raise InvalidArgument("give document ids, or --all")
    return DEAD & D.id.in_(list(ids))


def _check_found(ids: Sequence[int] | None, found: list[dict[str, Any]]) -> None:
    if ids is None:
        return
    missing = sorted(set(ids) - {r["id"] for r in found})
    if missing:
        raise NotFound(
            f"not in the dead-letter queue: {', '.join(map(str, missing))}; nothing was changed"
        )


def requeue(ids: Sequence[int] | None, *, actor: str, now: datetime) -> int:
    """Send dead-lettered documents (``ids``, or all when None) back to Pending."""
    with write_transaction():
        rows = list(
            D.update(
                status=DocumentStatus.PENDING,
                retry_count=0,
                next_retry_at=None,
                dead_letter_reason=None,
                dead_lettered_at=None,
                claimed_by=None,
                lease_expires_at=None,
                updated_at=now,
            )
            .where(_selection(ids))
            .returning(D.id, D.tenant)
            .dicts()
            .execute()
        )
        _check_found(ids, rows)
        record_many(
            actor,
            "document.dlq_requeued",
            (("document", r["id"], r["tenant"], None) for r in rows),
            at=now,
        )
    return len(rows)


def purge(ids: Sequence[int] | None, *, settings: Settings, actor: str, now: datetime) -> int:
    """Delete dead-lettered documents (``ids``, or all when None) and their stored files."""
    with write_transaction():
        rows = list(
            D.delete()
            .where(_selection(ids))
            .returning(D.id, D.tenant, D.storage_path, D.filename)
            .dicts()
            .execute()
        )
        _check_found(ids, rows)
        record_many(
            actor,
            "document.dlq_purged",
            (("document", r["id"], r["tenant"], {"filename": r["filename"]}) for r in rows),
            at=now,
        )
    storage = Storage(settings.storage_root)
    for row in rows:
        # The rows are gone; a file that cannot be removed is only wasted space, so
        # one bad path must not stop the others from being removed.
        try:
            storage.delete(row["storage_path"])
        except StorageError as exc:
            log.warning("purged document %s but kept its file: %s", row["id"], exc)
    return len(rows)
