"""Small builders for test data, written through the real models."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docflow.models import Document, DocumentStatus, Tenant, TenantBilling, TenantQuota, utcnow
from docflow.services.storage import Storage
from docflow.settings import Settings


def tenant(name: str = "acme") -> Tenant:
    row = Tenant.create(name=name, contact_email=f"ops@{name}.example")
    TenantQuota.create(tenant=row)
    TenantBilling.create(tenant=row)
    return row


def document(
    settings: Settings,
    owner: Tenant,
    text: str | bytes | None = "Invoice number 42. Total due: 100 EUR. Payment terms: 30 days.",
    *,
    filename: str = "invoice.txt",
    status: str = DocumentStatus.PENDING,
    now: datetime | None = None,
    **fields,
) -> Document:
    """A document row; its file is written unless ``text`` is None (a missing file)."""
    now = now or utcnow()
    storage = Storage(settings.storage_root)
    relative = storage.new_path(owner.name, filename, now)
    data = text.encode() if isinstance(text, str) else text
    if data is not None:
        storage.write(relative, data)
    fields.setdefault("content_type", "text/plain")
    return Document.create(
        tenant=owner,
        filename=filename,
        size_bytes=len(data or b""),
        storage_path=relative,
        status=status,
        created_at=now,
        updated_at=now,
        **fields,
    )


def stored_files(settings: Settings) -> list[Path]:
    root = Path(settings.storage_root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
