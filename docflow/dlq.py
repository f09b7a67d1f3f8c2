"""The dead-letter queue: dead documents and dead webhook events; every action audited.

:func:`dead_letter` is how anything gets in, for documents and webhook events alike. A
dead-lettered document is a row with status DeadLettered: requeueing sends it back
to Pending with a fresh retry budget, purging deletes the row and its stored file. A
dead webhook event is requeued with its id kept and its retry schedule reset, or purged
with its attempt history. Ids tell the kinds apart: documents have numbers, webhook
events ``msg_...`` ids. Every listing and action may be limited to one tenant's items.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee

from docflow.audit import record_many
from docflow.db import dict_rows, write_transaction
from docflow.errors import InvalidArgument, NotFound, StorageError
from docflow.fingerprint import fingerprint
from docflow.models import ID_MAX, Document, DocumentStatus, EventStatus, Tenant, WebhookEvent
from docflow.outcomes import Outcome, Row
from docflow.parse import whole_number
from docflow.registry import Woken, wake_quietly
from docflow.services.storage import Storage
from docflow.settings import Settings
from docflow.tenants import lookup
from docflow.topics import DOCUMENTS_PENDING, EVENTS_PENDING

log = logging.getLogger(__name__)

D = Document
E = WebhookEvent
DEAD_DOCUMENT = D.status == DocumentStatus.DEAD_LETTERED
DEAD_EVENT = E.status == EventStatus.DEAD_LETTERED
# docflow.events makes msg_ and 27 letters and digits; the column holds 40 characters.
_EVENT_ID = re.compile(r"msg_[A-Za-z0-9]{1,36}")


DEAD_DOCUMENT_COLUMNS = (D.status, D.dead_letter_reason, D.error_fingerprint, D.dead_lettered_at,
                         D.next_retry_at, D.updated_at)  # fmt: skip
DEAD_EVENT_COLUMNS = (E.status, E.last_error, E.error_fingerprint, E.dead_lettered_at,
                      E.next_attempt_at)  # fmt: skip


def dead_letter(
    model: type[Document] | type[WebhookEvent],
    rows: Sequence[Row],
    *,
    at: datetime,
    extra_columns: Sequence[peewee.Field] = (),
) -> Outcome:
    """The outcome that puts ``rows`` in the DLQ, for :func:`docflow.outcomes.write_outcomes`.

    Each row has ``id``, ``tenant``, ``reason`` (what an operator reads), optionally
    ``error`` (the underlying error, which the DLQ groups by; default the reason) and the
    values of ``extra_columns``. Dead documents are audited and emit
    ``document.dead_lettered``; dead webhook events are audited (an event about an event
    that cannot be delivered would not be delivered either).
    """
    if model is Document:
        dead = [{**r, "status": DocumentStatus.DEAD_LETTERED, "dead_letter_reason": r["reason"],
                 "error_fingerprint": fingerprint(r.get("error") or r["reason"]),
                 "dead_lettered_at": at, "next_retry_at": None, "updated_at": at} for r in rows]  # fmt: skip
        return Outcome(
            "dead_lettered", dead, (*DEAD_DOCUMENT_COLUMNS, *extra_columns),
            audit="document.dead_lettered",
            details=lambda r: {"reason": r["reason"], "filename": r["filename"]},
            event="document.dead_lettered",
            data=lambda r: {"document_id": r["id"], "filename": r["filename"], "reason": r["reason"]},
        )  # fmt: skip
    dead = [{**r, "status": EventStatus.DEAD_LETTERED, "last_error": r["reason"],
             "error_fingerprint": fingerprint(r.get("error") or r["reason"]),
             "dead_lettered_at": at, "next_attempt_at": None} for r in rows]  # fmt: skip
    return Outcome(
        "dead_lettered", dead, (*DEAD_EVENT_COLUMNS, *extra_columns),
        audit="webhook_event.dead_lettered", details=lambda r: {"error": r["reason"]},
    )  # fmt: skip


@dataclass(frozen=True)
class Selection:
    """Which dead items an action is for: given ids of each kind, or everything (None);
    with ``fingerprint``, only the items whose error has that fingerprint; with
    ``tenant`` (a name), only that tenant's items."""

    documents: list[int] | None
    events: list[str] | None
    fingerprint: str | None = None
    tenant: str | None = None

    @classmethod
    def parse(cls, ids: Sequence[str] | None, tenant: str | None = None) -> Selection:
        if ids is None:
            return cls(None, None, tenant=tenant)
        if not ids:
            raise InvalidArgument(
                "give dead-letter ids (document numbers or msg_... event ids), or --all"
            )
        documents, events = [], []
        for raw in ids:
            if _EVENT_ID.fullmatch(raw):
                events.append(raw)
                continue
            try:
                documents.append(whole_number(raw, 1, ID_MAX))
            except ValueError:
                raise InvalidArgument(
                    f"{raw!r} is neither a document number nor a webhook event id (msg_...): "
                    f"document numbers are 1 to {ID_MAX} in digits 0-9; see `docflow dlq list`"
                ) from None
        return cls(documents, events, tenant=tenant)


def _where(
    dead: peewee.Expression,
    field: peewee.Field,
    ids: list[Any] | None,
    fingerprint: str | None,
    tenant: Tenant | None,
) -> peewee.Expression | None:
    """The rows to act on, or None when ids of this kind were given but none of them."""
    if fingerprint is not None:
        dead &= field.model.error_fingerprint == fingerprint
    if tenant is not None:
        dead &= field.model.tenant == tenant.id
    if ids is None:
        return dead
    return dead & field.in_(ids) if ids else None


def _check_found(ids: list[Any] | None, found: list[dict[str, Any]], tenant: Tenant | None) -> None:
    if ids:
        missing = sorted(set(ids) - {r["id"] for r in found}, key=str)
        if missing:
            queue = (
                "the dead-letter queue" if tenant is None else f"{tenant.name}'s dead-letter queue"
            )
            raise NotFound(
                f"not in {queue}: {', '.join(map(str, missing))}; nothing was changed "
                "(see `docflow dlq list`)"
            )


def list_dead_documents(limit: int = 50, tenant: str | None = None) -> list[dict[str, Any]]:
    """The newest dead documents (of ``tenant``, which must exist, when given)."""
    owner = lookup(tenant)
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
        .where(DEAD_DOCUMENT)
        .order_by(D.dead_lettered_at.desc(), D.id.desc())
        .limit(limit)
    )
    if owner is not None:
        query = query.where(D.tenant == owner.id)
    return list(dict_rows(query))


def list_dead_events(limit: int = 50, tenant: str | None = None) -> list[dict[str, Any]]:
    """The newest dead webhook events (of ``tenant``, which must exist, when given)."""
    owner = lookup(tenant)
    query = (
        E.select(
            E.id,
            Tenant.name.alias("tenant"),
            E.type,
            E.attempts,
            E.dead_lettered_at,
            E.last_status_code,
            E.last_error,
        )
        .join(Tenant)
        .where(DEAD_EVENT)
        .order_by(E.dead_lettered_at.desc(), E.id)
        .limit(limit)
    )
    if owner is not None:
        query = query.where(E.tenant == owner.id)
    return list(dict_rows(query))


def count_dead(tenant: str | None = None) -> dict[str, int]:
    """How many items are in the dead-letter queue (``tenant``'s, which must exist, when given)."""
    owner = lookup(tenant)
    documents, events = D.select().where(DEAD_DOCUMENT), E.select().where(DEAD_EVENT)
    if owner is not None:
        documents, events = (
            documents.where(D.tenant == owner.id),
            events.where(E.tenant == owner.id),
        )
    return {"documents": documents.count(), "webhook_events": events.count()}


@dataclass(frozen=True)
class Requeued:
    documents: int
    webhook_events: int
    woken: Woken
    """The classification and delivery runs asked for after the commit."""


def requeue(selection: Selection, *, settings: Settings, actor: str, now: datetime) -> Requeued:
    """Send dead items back: documents to Pending with a fresh retry budget (no retries
    used, and the retry deadline counting from their next failure), events to delivery;
    then ask for the runs that process them."""
    with write_transaction():
        docs = events = []
        owner = lookup(selection.tenant)
        where = _where(DEAD_DOCUMENT, D.id, selection.documents, selection.fingerprint, owner)
        if where is not None:
            docs = list(
                D.update(
                    status=DocumentStatus.PENDING,
                    retry_count=0,
                    next_retry_at=None,
                    first_failed_at=None,
                    dead_letter_reason=None,
                    error_fingerprint=None,
                    dead_lettered_at=None,
                    claimed_by=None,
                    lease_expires_at=None,
                    updated_at=now,
                )  # fmt: skip
                .where(where)
                .returning(D.id, D.tenant)
                .dicts()
                .execute()
            )
        where = _where(DEAD_EVENT, E.id, selection.events, selection.fingerprint, owner)
        if where is not None:
            events = list(
                E.update(
                    status=EventStatus.PENDING,
                    attempts=0,
                    next_attempt_at=now,
                    dead_lettered_at=None,
                    error_fingerprint=None,
                    claimed_by=None,
                    lease_expires_at=None,
                )  # fmt: skip
                .where(where)
                .returning(E.id, E.tenant)
                .dicts()
                .execute()
            )
        _check_found(selection.documents, docs, owner)
        _check_found(selection.events, events, owner)
        record_many(
            actor,
            "document.dlq_requeued",
            (("document", r["id"], r["tenant"], None) for r in docs),
            at=now,
        )
        record_many(
            actor,
            "webhook_event.dlq_requeued",
            (("webhook_event", r["id"], r["tenant"], None) for r in events),
            at=now,
        )
    topics = [t for t, n in ((DOCUMENTS_PENDING, docs), (EVENTS_PENDING, events)) if n]
    woken = wake_quietly(settings, *topics) if topics else Woken(0)
    return Requeued(len(docs), len(events), woken)


def purge(selection: Selection, *, settings: Settings, actor: str, now: datetime) -> dict[str, int]:
    """Delete dead items for good: documents with their stored files, events with their attempts."""
    with write_transaction():
        docs = events = []
        owner = lookup(selection.tenant)
        where = _where(DEAD_DOCUMENT, D.id, selection.documents, selection.fingerprint, owner)
        if where is not None:
            docs = list(
                D.delete()
                .where(where)
                .returning(D.id, D.tenant, D.storage_path, D.filename)
                .dicts()
                .execute()
            )
        where = _where(DEAD_EVENT, E.id, selection.events, selection.fingerprint, owner)
        if where is not None:
            events = list(
                E.delete().where(where).returning(E.id, E.tenant, E.type).dicts().execute()
            )
        _check_found(selection.documents, docs, owner)
        _check_found(selection.events, events, owner)
        record_many(
            actor,
            "document.dlq_purged",
            (("document", r["id"], r["tenant"], {"filename": r["filename"]}) for r in docs),
            at=now,
        )
        record_many(
            actor,
            "webhook_event.dlq_purged",
            (("webhook_event", r["id"], r["tenant"], {"type": r["type"]}) for r in events),
            at=now,
        )
    storage = Storage(settings.storage_root)
    for row in docs:
        # The rows are gone; a file that cannot be removed is only wasted space, so
        # one bad path must not stop the others from being removed.
        try:
            storage.delete(row["storage_path"])
        except StorageError as exc:
            log.warning("purged document %s but kept its file: %s", row["id"], exc)
    return {"documents": len(docs), "webhook_events": len(events)}
