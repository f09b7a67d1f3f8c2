"""The review queue and the operator's decision.

Documents the classifier was not sure enough about wait in ``manual-review``, oldest
first, with its suggestions. An operator's decision (:func:`assign`) routes the document,
is audited under the operator's name, emits ``document.classified`` with
``"decided_by": "operator"`` and becomes a label the classifier learns from. It works on
any classified document: correcting a wrong automatic decision is the most useful label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from docflow import documents
from docflow.audit import record_many
from docflow.db import dict_rows, write_transaction
from docflow.errors import InvalidArgument, NotFound
from docflow.events import emit_many
from docflow.models import Document, DocumentStatus, Label, LabelSource, Tenant
from docflow.registry import Woken, wake_quietly
from docflow.settings import CATEGORIES, MANUAL_REVIEW_ROUTE, Settings
from docflow.topics import EVENTS_PENDING

D = Document


def waiting(*, tenant: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Documents waiting for an operator, oldest first, with the classifier's suggestions."""
    query = (
        D.select(
            D.id,
            Tenant.name.alias("tenant_name"),
            D.filename,
            D.category,
            D.confidence,
            D.suggestions,
            D.created_at,
            D.classified_at,
        )  # fmt: skip
        .join(Tenant, on=D.tenant == Tenant.id)
        .where((D.status == DocumentStatus.CLASSIFIED) & (D.route == MANUAL_REVIEW_ROUTE))
        .order_by(D.created_at, D.id)
        .limit(limit)
    )
    if tenant is not None:
        query = query.where(Tenant.name == tenant)
    return [_waiting_row(row) for row in dict_rows(query)]


def _waiting_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "tenant": row["tenant_name"],
        "filename": row["filename"],
        "category": row["category"],
        "confidence": row["confidence"],
        "suggestions": [{"category": c, "score": s} for c, s in row["suggestions"] or []],
        "created_at": row["created_at"].isoformat(),
    }


def count_waiting(tenant: str | None = None) -> int:
    query = D.select().where(
        (D.status == DocumentStatus.CLASSIFIED) & (D.route == MANUAL_REVIEW_ROUTE)
    )
    if tenant is not None:
        query = query.join(Tenant, on=D.tenant == Tenant.id).where(Tenant.name == tenant)
    return int(query.count())


def show(document_id: int, *, tenant: str | None = None) -> dict[str, Any]:
    """A document as review shows it: its detail, suggestions and the start of its text."""
    detail = documents.detail(document_id, tenant=tenant)
    stored = D.get_by_id(document_id).suggestions or []
    detail["suggestions"] = [{"category": c, "score": s} for c, s in stored]
    detail["label"] = current_label(document_id)
    return detail


def current_label(document_id: int) -> dict[str, Any] | None:
    label = (
        Label.select()
        .where(Label.document == document_id)
        .order_by(Label.at.desc(), Label.id.desc())
        .first()
    )
    if label is None:
        return None
    return {"category": label.category, "source": label.source, "actor": label.actor,
            "at": label.at.isoformat()}  # fmt: skip


@dataclass(frozen=True)
class Decision:
    document_id: int
    category: str
    route: str
    previous_category: str | None
    previous_route: str | None
    delivery: Woken


def assign(
    document_id: int, category: str, *, settings: Settings, actor: str, now: datetime,
    route: str | None = None, tenant: str | None = None, source: str = LabelSource.OPERATOR,
) -> Decision:  # fmt: skip
    """Decide what ``document_id`` is; route it, audit it, emit it, learn from it."""
    if category not in CATEGORIES:
        raise InvalidArgument(f"unknown category {category!r}; use one of {', '.join(CATEGORIES)}")
    route = route or settings.routes[category]
    with write_transaction():
        doc = _decidable(document_id, tenant)
        D.update(category=category, route=route, updated_at=now).where(D.id == doc.id).execute()
        Label.create(document=doc.id, tenant=doc.tenant_id, category=category, source=source,
                     actor=actor, at=now)  # fmt: skip
        details = {"category": category, "route": route, "previous_category": doc.category,
                   "previous_route": doc.route, "source": source}  # fmt: skip
        record_many(
            actor, "document.decided", [("document", doc.id, doc.tenant_id, details)], at=now
        )
        data = {"document_id": doc.id, "filename": doc.filename, "category": category,
                "confidence": doc.confidence, "route": route, "decided_by": source}  # fmt: skip
        emitted = emit_many([(doc.tenant_id, "document.classified", data)], now)
    delivery = wake_quietly(settings, EVENTS_PENDING) if emitted else Woken(0)
    return Decision(doc.id, category, route, doc.category, doc.route, delivery)


def _decidable(document_id: int, tenant: str | None) -> Document:
    query = D.select(D, Tenant.name).join(Tenant, on=D.tenant == Tenant.id)
    doc: Document | None = query.where(D.id == document_id).first()
    if doc is None or (tenant is not None and doc.tenant.name != tenant):
        owner = f" of tenant {tenant!r}" if tenant else ""
        raise NotFound(f"no document {document_id}{owner}; see `docflow review list`")
    if doc.status != DocumentStatus.CLASSIFIED:
        raise InvalidArgument(
            f"document {document_id} is {doc.status}: only classified documents are decided "
            "(a pending one is being read; a failed or dead one needs its file fixed first)"
        )
    return doc
