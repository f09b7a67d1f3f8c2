"""Uploads: validate files, store them under the tenant's folder, create Pending rows.

All files of one upload are checked before anything is written, and rows are created
in one transaction; if that fails the stored files are removed again, so a refused or
failed upload leaves nothing behind.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docflow.db import write_transaction
from docflow.errors import NotFound, UploadRejected
from docflow.models import Document, DocumentStatus, Tenant
from docflow.services.storage import Storage
from docflow.settings import Settings


@dataclass(frozen=True)
class CheckedFile:
    source: Path
    data: bytes
    content_type: str


def find_tenant(name: str) -> Tenant:
    tenant = Tenant.get_or_none(Tenant.name == name)
    if tenant is None:
        raise NotFound(
            f"unknown tenant {name!r}; see `docflow tenants list`, or add it with `docflow tenants add {name}`"
        )
    return tenant


def check_file(path: Path, max_bytes: int) -> CheckedFile:
    """Read and validate one file to upload; raise UploadRejected saying what is wrong."""
    if not path.exists():
        raise UploadRejected(f"{path}: no such file")
    if not path.is_file():
        raise UploadRejected(f"{path}: not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise UploadRejected(f"{path}: the file is empty")
    if size > max_bytes:
        raise UploadRejected(
            f"{path}: {size} bytes is over the upload limit of {max_bytes} bytes (DOCFLOW_MAX_UPLOAD_BYTES)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UploadRejected(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UploadRejected(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8 first"
        ) from exc
    content_type = mimetypes.guess_type(path.name)[0] or "text/plain"
    return CheckedFile(path, data, content_type)


def upload(
    settings: Settings, tenant_name: str, paths: list[Path], now: datetime
) -> list[Document]:
    """Store ``paths`` for ``tenant_name`` as Pending documents; all or nothing."""
    if not paths:
        raise UploadRejected("no files given")
    tenant = find_tenant(tenant_name)
    checked = [check_file(Path(p), settings.max_upload_bytes) for p in paths]
    storage = Storage(settings.storage_root)
    stored: list[str] = []
    try:
        rows = []
        for item in checked:
            relative = storage.new_path(tenant.name, item.source.name, now)
            storage.write(relative, item.data)
            stored.append(relative)
            rows.append(
                Document(
                    tenant=tenant,
                    filename=item.source.name[:255],
                    content_type=item.content_type,
                    size_bytes=len(item.data),
                    storage_path=relative,
                    status=DocumentStatus.PENDING,
                    created_at=now,
                    updated_at=now,
                )
            )
        with write_transaction():
            for row in rows:
                row.save(force_insert=True)
    except BaseException:
        for relative in stored:
            storage.delete(relative)
        raise
    return rows
