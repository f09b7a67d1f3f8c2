"""Labels: what documents really are, from operators' decisions and from imports.

:func:`latest` gives each document's newest label. :func:`import_folder` uploads a
tenant's back catalogue, one sub-folder per category, and labels every document with
its folder's category in the same go; classification then reads each (the text is what
training needs) and routes it by its label. :func:`export` lists labels for scripts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from peewee import fn

from docflow.db import dict_rows, tuple_rows
from docflow.errors import InvalidArgument, UploadRejected
from docflow.models import Document, Label, LabelSource, Tenant
from docflow.settings import CATEGORIES, Settings
from docflow.uploads import Uploaded, upload

L = Label


def latest(
    *, tenant_id: int | None = None, documents: Iterable[int] | None = None
) -> dict[int, str]:
    """The newest label of each labelled document (of one tenant, or of some documents)."""
    newest = L.select(fn.MAX(L.id)).group_by(L.document)
    if tenant_id is not None:
        newest = newest.where(L.tenant == tenant_id)
    if documents is not None:
        newest = newest.where(L.document.in_(list(documents)))
    query = L.select(L.document, L.category).where(L.id.in_(newest))
    return {doc: category for doc, category in tuple_rows(query)}


def fingerprint(labels: dict[int, str]) -> str:
    """A hash of a set of labels: the same labels, the same hash, so training can skip."""
    digest = hashlib.sha256()
    for doc, category in sorted(labels.items()):
        digest.update(f"{doc}:{category}\n".encode())
    return digest.hexdigest()


def counts(labels: dict[int, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for category in labels.values():
        found[category] = found.get(category, 0) + 1
    return dict(sorted(found.items()))


def import_folder(
    settings: Settings, tenant: str, folder: Path, *, actor: str, now: datetime
) -> tuple[Uploaded, dict[str, int]]:
    """Upload every file under ``folder/<category>/`` for ``tenant``, labelled with that
    category; all or nothing, like any upload."""
    if not folder.is_dir():
        raise InvalidArgument(f"{folder}: not a folder; give one with a sub-folder per category")
    files: list[tuple[Path, str]] = []
    for child in sorted(folder.iterdir()):
        if child.is_dir():
            if child.name not in CATEGORIES:
                raise InvalidArgument(f"{child}: {child.name!r} is no category; sub-folders are named "
                                      f"after categories: {', '.join(CATEGORIES)}")  # fmt: skip
            files += [(p, child.name) for p in sorted(child.rglob("*")) if p.is_file()]
    if not files:
        raise UploadRejected(
            f"{folder}: no files in category sub-folders ({', '.join(CATEGORIES)})"
        )
    labelled: dict[int, str] = {}

    def label(documents: list[Document]) -> None:
        rows = [{"document": d.id, "tenant": d.tenant_id, "category": category,
                 "source": LabelSource.IMPORT, "actor": actor, "at": now}
                for d, (_, category) in zip(documents, files, strict=True)]  # fmt: skip
        L.insert_many(rows).execute()
        labelled.update({d.id: category for d, (_, category) in zip(documents, files, strict=True)})

    uploaded = upload(settings, tenant, [p for p, _ in files], now, before_commit=label)
    return uploaded, counts(labelled)


def export(*, tenant: str | None = None) -> list[dict[str, Any]]:
    """Every document's newest label, with who gave it and when."""
    newest = L.select(fn.MAX(L.id)).group_by(L.document)
    query = (
        L.select(
            L.document,
            Tenant.name.alias("tenant_name"),
            Document.filename,
            L.category,
            L.source,
            L.actor,
            L.at,
        )  # fmt: skip
        .join(Tenant, on=L.tenant == Tenant.id)
        .join(Document, on=L.document == Document.id)
        .where(L.id.in_(newest))
        .order_by(L.document)
    )
    if tenant is not None:
        query = query.where(Tenant.name == tenant)
    return [{"document_id": r["document"], "tenant": r["tenant_name"], "filename": r["filename"],
             "category": r["category"], "source": r["source"], "actor": r["actor"],
             "at": r["at"].isoformat()} for r in dict_rows(query)]  # fmt: skip
