"""Demo data: tenants and Pending documents with realistic generated files.

Fast enough for benchmarks (100,000 documents in seconds): files are written straight
into one folder per tenant and rows inserted in chunks, one transaction per chunk. A
share of documents is made unreadable on purpose, half with a missing file and half
with a PDF cut short, so the retry and dead-letter paths have work too; another
share can be seeded already past its retention, for the cleanup job.

The demo tenants have plain names (``acme``, ...), which real tenants may have too, so
seed refuses a tenant holding documents it did not make. Once seeded, a classification
run is asked for, as an upload asks for one.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import peewee

from docflow import seed_files
from docflow.db import insert_rows, tuple_rows, write_transaction
from docflow.errors import Refused
from docflow.models import (
    Document,
    DocumentStatus,
    Tenant,
    TenantBilling,
    TenantQuota,
    to_db_time,
    utcnow,
)
from docflow.registry import Woken, wake_quietly
from docflow.services.storage import Storage, sanitize_filename
from docflow.settings import Settings
from docflow.topics import DOCUMENTS_PENDING

TENANT_NAMES = (
    "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka",
    "cyberdyne", "tyrell", "soylent", "vandelay", "monarch", "oscorp", "aperture",
)  # fmt: skip
CHUNK = 2_000
# Every seeded file is stored under "<tenant>/seed-<run>/"; uploads never use that folder.
SEED_FOLDER = "/seed-"


@dataclass(frozen=True)
class SeedResult:
    tenants: list[str]
    documents: int
    unreadable: int
    seconds: float
    classification: Woken


def tenant_name(index: int) -> str:
    base = TENANT_NAMES[index % len(TENANT_NAMES)]
    return base if index < len(TENANT_NAMES) else f"{base}-{index // len(TENANT_NAMES) + 1}"


def demo_tenant_names(count: int) -> list[str]:
    """The names of the first ``count`` demo tenants, the ones seed fills."""
    return [tenant_name(i) for i in range(count)]


def refuse_real_tenants(names: list[str]) -> None:
    """Raise Refused when any of ``names`` is a tenant with documents seed did not make:
    demo files mixed into a real tenant's would be billed, counted and routed as its own."""
    T, D = Tenant, Document
    prefix = T.name.concat(SEED_FOLDER)
    query = (
        D.select(T.name, peewee.fn.COUNT(D.id))
        .join(T)
        .where(
            T.name.in_(names),
            # An email's attachments are stored beside it in the tenant's usual folders.
            D.parent.is_null(),
            peewee.fn.SUBSTR(D.storage_path, 1, peewee.fn.LENGTH(prefix)) != prefix,
        )
        .group_by(T.name)
        .order_by(T.name)
    )
    held = ", ".join(
        f"{name!r} ({count} document{'' if count == 1 else 's'})"
        for name, count in tuple_rows(query)
    )
    if held:
        raise Refused(
            "not seeding: demo data would mix with documents that seed did not make, held by "
            f"tenant {held}; seed into a database of its own "
            "(DOCFLOW_DATABASE_URL=sqlite:///var/demo.sqlite3 docflow migrate, then seed)"
        )


def ensure_tenants(count: int, now: datetime) -> list[Tenant]:
    """The first ``count`` demo tenants, created with quota and billing rows if missing."""
    names = demo_tenant_names(count)
    with write_transaction():
        existing = {t.name: t for t in Tenant.select().where(Tenant.name.in_(names))}
        for name in names:
            if name not in existing:
                tenant = Tenant.create(
                    name=name, contact_email=f"ops@{name}.example", created_at=now
                )
                TenantQuota.create(tenant=tenant)
                TenantBilling.create(tenant=tenant, updated_at=now)
                existing[name] = tenant
    return [existing[n] for n in names]


@dataclass(frozen=True)
class _Made:
    filename: str
    content_type: str
    data: bytes | None  # None: the file is missing from storage
    size: int
    unreadable: bool


def _made(
    rng: random.Random, make: Callable[[random.Random], seed_files.File], unreadable_ratio: float
) -> _Made:
    filename, content_type, made = make(rng)
    if rng.random() >= unreadable_ratio:
        return _Made(filename, content_type, made, len(made), False)
    # Half vanish from storage (retried, then dead), half are PDFs cut short (corrupt:
    # dead at once): two real ways files break.
    if rng.random() < 0.5:
        return _Made(filename, content_type, None, len(made), True)
    cut = b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(64))
    return _Made(filename, "application/pdf", cut, len(cut), True)


def seed(
    settings: Settings,
    *,
    tenants: int,
    documents: int,
    unreadable_ratio: float = 0.02,
    expired_ratio: float = 0.0,
    history_days: int = 0,
    random_seed: int | None = None,
    progress: Callable[[int], object] | None = None,
    now: datetime | None = None,
    mix: str = "text",
) -> SeedResult:
    """Demo tenants and Pending documents; ``mix`` says which files (see docflow.seed_files).

    Refuses (writing nothing) tenants that hold other documents; asks for classification."""
    make = seed_files.maker(mix)
    started = time.monotonic()
    refuse_real_tenants(demo_tenant_names(tenants))
    now = now or utcnow()
    rng = random.Random(random_seed)
    # With a history, tenants signed up before their first upload, which spread over it.
    owners = ensure_tenants(tenants, now - timedelta(days=history_days))
    storage = Storage(settings.storage_root)
    run = uuid.uuid4().hex[:8]
    folders = {}
    for tenant in owners:
        folder = storage.resolve(f"{tenant.name}{SEED_FOLDER}{run}")
        folder.mkdir(parents=True, exist_ok=True)
        folders[tenant.id] = str(folder)
    fields: list[peewee.Field[Any]] = [
        Document.tenant, Document.filename, Document.content_type, Document.size_bytes,
        Document.storage_path, Document.status, Document.retry_count, Document.retention_until,
        Document.created_at, Document.updated_at,
    ]  # fmt: skip
    keep_until = to_db_time(now + timedelta(days=settings.retention_days))
    lapsed = to_db_time(now - timedelta(days=1))
    today = to_db_time(now)
    unreadable = 0
    for start in range(0, documents, CHUNK):
        rows = []
        for i in range(start, min(start + CHUNK, documents)):
            tenant = owners[rng.randrange(len(owners))]
            made = _made(rng, make, unreadable_ratio)
            unreadable += made.unreadable
            name = f"{i:07d}-{sanitize_filename(made.filename)}"
            if made.data is not None:
                with open(os.path.join(folders[tenant.id], name), "wb") as out:
                    out.write(made.data)
            stamp = (
                to_db_time(now - timedelta(seconds=rng.uniform(0, history_days * 86400)))
                if history_days
                else today
            )
            retention = lapsed if rng.random() < expired_ratio else keep_until
            rows.append((tenant.id, made.filename, made.content_type, made.size,
                         f"{tenant.name}{SEED_FOLDER}{run}/{name}", DocumentStatus.PENDING, 0,
                         retention, stamp, stamp))  # fmt: skip
        with write_transaction():
            insert_rows(Document, fields, rows)
        if progress:
            progress(len(rows))
    seconds = time.monotonic() - started
    woken = wake_quietly(settings, DOCUMENTS_PENDING)
    return SeedResult([t.name for t in owners], documents, unreadable, seconds, woken)
