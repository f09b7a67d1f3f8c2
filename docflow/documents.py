"""Looking documents up: the listing and the detail `docflow documents` and the console show.

Both return plain JSON-able dicts with stable field names (scripts rely on them): ``id,
tenant, filename, status, category, confidence, route`` and more.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import peewee

from docflow.db import dict_rows
from docflow.errors import InvalidArgument, NotFound
from docflow.models import Document, DocumentContent, DocumentStatus, Tenant
from docflow.services.extract.sniff import format_of

D = Document
C = DocumentContent
EXCERPT_CHARS = 1_500


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "tenant": row["tenant_name"],
        "filename": row["filename"],
        "status": row["status"],
        "category": row["category"],
        "confidence": row["confidence"],
        "route": row["route"],
        "format": row["format"] or format_of(row["content_type"]),
        "content_type": row["content_type"],
        "method": row["method"],
        "pages": row["pages"],
        "language": row["language"],
        "size_bytes": row["size_bytes"],
        "parent_id": row["parent"],
        "retry_count": row["retry_count"],
        "last_error": row["last_error"] or row["dead_letter_reason"],
        "created_at": _iso(row["created_at"]),
        "classified_at": _iso(row["classified_at"]),
    }


def _query() -> peewee.ModelSelect[Document]:
    return (
        D.select(
            D.id,
            Tenant.name.alias("tenant_name"),
            D.filename,
            D.status,
            D.category,
            D.confidence,
            D.route,
            D.content_type,
            D.size_bytes,
            D.parent,
            D.retry_count,
            D.last_error,
            D.dead_letter_reason,
            D.created_at,
            D.classified_at,
            C.format,
            C.method,
            C.pages,
            C.language,
        )  # fmt: skip
        .join(Tenant, on=D.tenant == Tenant.id)
        .join(C, peewee.JOIN.LEFT_OUTER, on=C.document == D.id)
    )


def listing(
    *,
    tenant: str | None = None,
    status: str | None = None,
    route: str | None = None,
    category: str | None = None,
    parent: int | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Documents matching every filter given, newest first."""
    if status is not None and status not in DocumentStatus.ALL:
        raise InvalidArgument(
            f"unknown status {status!r}; use one of {', '.join(DocumentStatus.ALL)}"
        )
    query = _query()
    for column, value in ((Tenant.name, tenant), (D.status, status), (D.route, route),
                          (D.category, category), (D.parent, parent)):  # fmt: skip
        if value is not None:
            query = query.where(column == value)
    return [_row(r) for r in dict_rows(query.order_by(D.id.desc()).limit(limit))]


def detail(document_id: int, *, tenant: str | None = None) -> dict[str, Any]:
    """One document with the start of its extracted text, its warnings and attachments."""
    query = _query().where(D.id == document_id)
    if tenant is not None:
        query = query.where(Tenant.name == tenant)
    found = list(dict_rows(query.select_extend(C.text, C.warnings, C.einvoice)))
    if not found:
        owner = f" of tenant {tenant!r}" if tenant else ""
        raise NotFound(f"no document {document_id}{owner}; see `docflow documents list`")
    row = found[0]
    text = row["text"]
    return {
        **_row(row),
        "einvoice": bool(row["einvoice"]),
        "warnings": row["warnings"] or [],
        "text_chars": None if text is None else len(text),
        "text": None if text is None else text[:EXCERPT_CHARS],
        "attachments": [
            {k: a[k] for k in ("id", "filename", "status", "category", "route")}
            for a in listing(parent=document_id, limit=1_000)
        ],
    }
