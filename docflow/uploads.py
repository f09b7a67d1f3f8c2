"""Uploads: validate files, store them under the tenant's folder, create Pending rows,
ask for their classification.

All files of one upload are checked before anything is written, and rows are created
in one transaction; if that fails the stored files are removed again, so a refused or
failed upload leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from docflow.db import write_transaction
from docflow.errors import (
    MissingExtra,
    NotFound,
    PermanentError,
    TenantBlocked,
    UnsupportedDocument,
    UploadRejected,
)
from docflow.models import (
    BillingStatus,
    Document,
    DocumentStatus,
    Tenant,
    TenantBilling,
    TenantQuota,
)
from docflow.registry import Woken, wake_quietly
from docflow.services.extract import FORMAT_NAMES, Reader
from docflow.services.extract.sniff import sniff
from docflow.services.storage import Storage
from docflow.settings import Settings
from docflow.topics import DOCUMENTS_PENDING


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


def check_may_upload(tenant: Tenant) -> None:
    """Refuse uploads for a tenant that is over quota or read-only, saying what lifts it."""
    quota = TenantQuota.get_or_none(TenantQuota.tenant == tenant)
    if quota is not None and quota.is_blocked:
        limits = ", ".join(
            f"{used:,} of {limit:,} {what}"
            for used, limit, what in (
                (quota.document_count, quota.max_documents, "documents"),
                (quota.used_bytes, quota.max_bytes, "bytes"),
            )
            if limit is not None
        )
        raise TenantBlocked(
            f"tenant {tenant.name!r} is over its quota ({limits or 'limits changed since'}); uploads are "
            f"blocked until usage is back under the limits: delete documents, or raise them with "
            f"`docflow tenants set-limits {tenant.name} ...`, then `docflow tenants unblock {tenant.name}`"
        )
    billing = TenantBilling.get_or_none(TenantBilling.tenant == tenant)
    if billing is not None and billing.status == BillingStatus.READ_ONLY:
        since = f" since {billing.suspended_at:%Y-%m-%d}" if billing.suspended_at else ""
        raise TenantBlocked(
            f"tenant {tenant.name!r} is read-only{since}: its payment grace period ended; uploads "
            f"resume once the account is settled and an operator runs `docflow tenants activate {tenant.name}`"
        )


def _shown(path: Path) -> str:
    """``path`` for a message, on one line: a newline in a file name would split the error."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(path))


def check_file(path: Path, settings: Settings, reader: Reader) -> CheckedFile:
    """Read and validate one file to upload; raise UploadRejected saying what is wrong.

    The format comes from the content (never the name); a file of a format DocFlow reads
    is also opened once (a few pages, no OCR, in the extraction sandbox), so a corrupt,
    encrypted or bomb file is refused here rather than found by a worker later.
    """
    if not path.exists():
        raise UploadRejected(f"{_shown(path)}: no such file")
    if not path.is_file():
        raise UploadRejected(f"{_shown(path)}: not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise UploadRejected(f"{_shown(path)}: the file is empty")
    if size > settings.max_upload_bytes:
        raise UploadRejected(
            f"{_shown(path)}: {size} bytes is over the upload limit of {settings.max_upload_bytes} bytes (DOCFLOW_MAX_UPLOAD_BYTES)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UploadRejected(f"{_shown(path)}: cannot read: {exc.strerror}") from exc
    try:
        kind = sniff(data)
    except UnsupportedDocument as exc:
        raise UploadRejected(f"{_shown(path)}: {exc}") from None
    limit = settings.max_upload_bytes_by_format.get(kind.format)
    if limit is not None and size > limit:
        raise UploadRejected(
            f"{_shown(path)}: {size} bytes is over the limit of {limit} bytes for {FORMAT_NAMES[kind.format]} "
            "files (DOCFLOW_MAX_UPLOAD_BYTES_BY_FORMAT)"
        )
    try:
        reader.probe(str(path), kind.format)
    except MissingExtra:
        pass  # the workers read it, and they may have the package this process lacks
    except PermanentError as exc:
        raise UploadRejected(f"{_shown(path)}: {exc}") from None
    return CheckedFile(path, data, kind.mime)


def stored_name(name: str) -> str:
    """A file name as stored and shown: no control characters (a newline would forge
    lines in listings and logs), at most 255 characters."""
    return "".join(ch if ch.isprintable() else " " for ch in name).strip()[:255] or "document"


@dataclass(frozen=True)
class Uploaded:
    documents: list[Document]
    classification: Woken
    """Whether a classification run was asked for (after the commit, so a Redis outage
    only delays it to the next periodic run)."""


def upload(
    settings: Settings, tenant_name: str, paths: list[Path], now: datetime,
    before_commit: Callable[[list[Document]], None] | None = None,
) -> Uploaded:  # fmt: skip
    """Store ``paths`` for ``tenant_name`` as Pending documents, all or nothing, and ask
    for their classification; ``before_commit`` writes more in the same transaction."""
    if not paths:
        raise UploadRejected("no files given")
    tenant = find_tenant(tenant_name)
    check_may_upload(tenant)
    with Reader(settings) as reader:
        checked = [check_file(Path(p), settings, reader) for p in paths]
    retention_until = now + timedelta(days=settings.retention_days)
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
                    filename=stored_name(item.source.name),
                    content_type=item.content_type,
                    size_bytes=len(item.data),
                    storage_path=relative,
                    status=DocumentStatus.PENDING,
                    retention_until=retention_until,
                    created_at=now,
                    updated_at=now,
                )
            )
        with write_transaction():
            for row in rows:
                row.save(force_insert=True)
            if before_commit is not None:
                before_commit(rows)
    except BaseException:
        for relative in stored:
            storage.delete(relative)
        raise
    return Uploaded(rows, wake_quietly(settings, DOCUMENTS_PENDING))
