"""An email's attachments become documents of their own: same tenant, linked to the email
(``parent``), Pending, classified on their own content.

:func:`stage` writes the attachment files into the tenant's storage folder before the
batch's transaction; :func:`insert` creates their rows inside it, for the emails whose
outcome was written; :func:`discard` removes the files of those that were not (a lost
lease), so nothing is half-written either way. An attachment DocFlow cannot read, or one
over its format's size limit, is left out, and the email's content says so.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from docflow.db import insert_rows, tuple_rows
from docflow.errors import DocflowError
from docflow.models import Document, DocumentStatus, to_db_time
from docflow.services.extract.result import Extraction
from docflow.services.extract.sniff import sniff
from docflow.services.storage import Storage
from docflow.settings import Settings
from docflow.uploads import stored_name

D = Document


@dataclass(frozen=True)
class Staged:
    parent: int
    tenant: int
    filename: str
    content_type: str
    size_bytes: int
    storage_path: str
    retention_until: datetime | None


def depth(rows: Iterable[dict[str, Any]]) -> dict[int, int]:
    """How many emails each row is nested in (0: uploaded itself), by a few parent lookups."""
    found = {row["id"]: 0 for row in rows}
    parents = {row["id"]: row["parent"] for row in rows if row["parent"] is not None}
    level = 1
    while parents:
        for child in parents:
            found[child] = level
        query = D.select(D.id, D.parent).where(D.id.in_(set(parents.values())))
        above: dict[int, int | None] = {row[0]: row[1] for row in tuple_rows(query)}
        parents = {child: above[p] for child, p in parents.items() if above.get(p) is not None}
        level += 1
    return found


def stage(
    row: dict[str, Any], extraction: Extraction, storage: Storage, settings: Settings,
    warnings: list[str], now: datetime,
) -> list[Staged]:  # fmt: skip
    """Store the attachments of the email ``row``; the files it could not keep are named in
    ``warnings``. The scratch files are removed in every case."""
    staged = []
    for attachment in extraction.attachments:
        try:
            with open(attachment.path, "rb") as file:
                data = file.read(settings.max_upload_bytes + 1)
            kind = sniff(data)
            limit = min(settings.max_upload_bytes,
                        settings.max_upload_bytes_by_format.get(kind.format, settings.max_upload_bytes))  # fmt: skip
            if len(data) > limit:
                raise DocflowError(f"over the {limit:,}-byte limit for {kind.format}")
            relative = storage.beside(row["storage_path"], attachment.filename, now)
            storage.write(relative, data)
        except (DocflowError, OSError) as exc:
            warnings.append(f"attachment {attachment.filename!r} not kept: {exc}")
            continue
        finally:
            with contextlib.suppress(OSError):
                os.unlink(attachment.path)
        # The name comes from the email, so it is as untrusted as an uploaded file's.
        staged.append(Staged(row["id"], row["tenant"], stored_name(attachment.filename), kind.mime,
                             len(data), relative, row["retention_until"]))  # fmt: skip
    return staged


def insert(staged: list[Staged], now: datetime) -> int:
    """Create the staged attachments' documents; inside the caller's transaction."""
    if not staged:
        return 0
    fields = [D.tenant, D.parent, D.filename, D.content_type, D.size_bytes, D.storage_path,
              D.status, D.retry_count, D.retention_until, D.created_at, D.updated_at]  # fmt: skip
    stamp = to_db_time(now)
    rows = [(s.tenant, s.parent, s.filename[:255], s.content_type, s.size_bytes, s.storage_path,
             DocumentStatus.PENDING, 0, s.retention_until and to_db_time(s.retention_until), stamp, stamp)
            for s in staged]  # fmt: skip
    insert_rows(D, fields, rows)
    return len(rows)


def discard_scratch(path: str) -> None:
    """Remove an attachment's scratch file that is not kept."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def discard(staged: list[Staged], storage: Storage) -> None:
    for item in staged:
        with contextlib.suppress(DocflowError):
            storage.delete(item.storage_path)
