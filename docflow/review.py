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

import peewee

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


def waiting(
    *, tenant: str | None = None, limit: int = 50, search: str = ""
) -> list[dict[str, Any]]:
    """Documents waiting for an operator, oldest first, with the classifier's suggestions;
    ``search`` keeps those whose tenant or filename contains it."""
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
        .where(_waiting_where(tenant, search))
        .order_by(D.created_at, D.id)
        .limit(limit)
    )
    return [_waiting_row(row) for row in dict_rows(query)]


def _waiting_where(tenant: str | None, search: str) -> peewee.Expression:
    # The tenant by id, not through the join, so the (route, status, created_at) index
    # serves the count too: joined, SQLite's planner walked every tenant's documents.
    where = (D.status == DocumentStatus.CLASSIFIED) & (D.route == MANUAL_REVIEW_ROUTE)
    if tenant is not None:
        where &= D.tenant.in_(Tenant.select(Tenant.id).where(Tenant.name == tenant))
    if search:
        matching = Tenant.select(Tenant.id).where(Tenant.name.contains(search))
        where &= D.tenant.in_(matching) | D.filename.contains(search)
    return where


def _waiting_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "tenant": row["tenant_name"],
        "filename": row["filename"],
        "category": row["category"],
        "confidence": row["confidence"],
        "suggestions": stored_suggestions(row["suggestions"]),
        "created_at": row["created_at"].isoformat(),
    }


def stored_suggestions(stored: list[list[Any]] | None) -> list[dict[str, Any]]:
    """The ``[[category, score], ...]`` a document keeps, as objects for JSON and tables."""
    return [{"category": c, "score": s} for c, s in stored or []]


def suggestions_text(suggestions: list[dict[str, Any]]) -> str:
    """``invoice 0.62, receipt 0.21``, or "-" for none."""
    return ", ".join(f"{s['category']} {s['score']:.2f}" for s in suggestions) or "-"


def count_waiting(tenant: str | None = None, search: str = "") -> int:
    return int(D.select().where(_waiting_where(tenant, search)).count())


def top_suggestion(document_id: int) -> str:
    """The category the classifier thought likeliest, for "accept the suggestion"."""
    doc = D.get_or_none(D.id == document_id)
    if doc is None:
        raise NotFound(f"document {document_id} no longer exists")
    stored = doc.suggestions or []
    if not stored:
        raise InvalidArgument(
            f"document {document_id} has no suggestion to accept; choose its category instead"
        )
    return str(max(stored, key=lambda pair: pair[1])[0])


def recent_decisions(*, search: str = "", limit: int = 50) -> tuple[list[dict[str, Any]], int]:
    """The newest labels, newest first, and how many match in all."""
    where = Tenant.name.contains(search) | Label.actor.contains(search) if search else True
    base = Label.select().join(Tenant, on=Label.tenant == Tenant.id).where(where)
    query = (
        Label.select(
            Label.document,
            Tenant.name.alias("tenant_name"),
            Label.category,
            Label.source,
            Label.actor,
            Label.at,
        )  # fmt: skip
        .join(Tenant, on=Label.tenant == Tenant.id)
        .where(where)
        .order_by(Label.id.desc())
        .limit(limit)
    )
    rows = [{"document_id": r["document"], "tenant": r["tenant_name"], "category": r["category"],
             "source": r["source"], "actor": r["actor"], "at": r["at"]}
            for r in dict_rows(query)]  # fmt: skip
    return rows, int(base.count())


def show(document_id: int, *, tenant: str | None = None) -> dict[str, Any]:
    """A document as review shows it: its detail, suggestions and the start of its text."""
    detail = documents.detail(document_id, tenant=tenant)
    detail["suggestions"] = stored_suggestions(D.get_by_id(document_id).suggestions)
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
    query = D.select(D, Tenant).join(Tenant, on=D.tenant == Tenant.id)
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
