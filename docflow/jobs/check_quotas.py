"""check_quotas: recompute every tenant's usage; block or unblock uploads on the limits.

Usage (documents and bytes that are not Expired) comes from one aggregate query for
all tenants, and is written back in one bulk UPDATE. A tenant whose usage reaches a
limit is blocked; one back under every limit is unblocked. Each flip is a guarded
UPDATE ... RETURNING, so when two runs race only one of them reports (audits and
emits) a given change.
"""

from __future__ import annotations

from datetime import datetime

import peewee

from docflow.audit import record_many
from docflow.db import update_many, write_transaction
from docflow.events import emit_many
from docflow.models import Document, DocumentStatus, Tenant, TenantQuota
from docflow.registry import Clock, job
from docflow.runs import RunRecorder
from docflow.settings import Settings

Q = TenantQuota
D = Document
ACTOR = "job:check_quotas"
# What an event about a tenant's quota tells: name, documents, bytes, max documents, max bytes.
Usage = tuple[str, int, int, int | None, int | None]


def usage_by_tenant() -> peewee.Select:
    """(quota id, tenant id, tenant name, limits, blocked, documents, bytes) for every tenant."""
    # Aggregate the documents once, then join the thousand-odd tenants to the result:
    # a per-tenant join would probe the index a thousand times instead.
    usage = (
        D.select(
            D.tenant.alias("tenant_id"),
            peewee.fn.COUNT(D.id).alias("n"),
            peewee.fn.SUM(D.size_bytes).alias("b"),
        )
        .where(D.status != DocumentStatus.EXPIRED)
        .group_by(D.tenant)
        .alias("usage")
    )
    return (
        Q.select(
            Q.id,
            Q.tenant,
            Tenant.name,
            Q.max_documents,
            Q.max_bytes,
            Q.is_blocked,
            peewee.fn.COALESCE(usage.c.n, 0),
            peewee.fn.COALESCE(usage.c.b, 0),
        )
        .join(Tenant, on=Q.tenant == Tenant.id)
        .join(usage, peewee.JOIN.LEFT_OUTER, on=usage.c.tenant_id == Q.tenant)
        .tuples()
    )


def over_limit(
    documents: int, used_bytes: int, max_documents: int | None, max_bytes: int | None
) -> bool:
    return (max_documents is not None and documents >= max_documents) or (
        max_bytes is not None and used_bytes >= max_bytes
    )


@job(queue="default", schedule="15 * * * *")
def check_quotas(run: RunRecorder, settings: Settings, now: Clock) -> None:
    """Recompute tenant usage; block or unblock uploads on the limits."""
    at = now()
    with write_transaction():
        # Tenants created without a quota row (or before quotas existed) get one here.
        zero, no = peewee.Value(0), peewee.Value(False)
        missing = Tenant.select(Tenant.id, zero, zero, no).where(
            Tenant.id.not_in(Q.select(Q.tenant))
        )
        Q.insert_from(missing, [Q.tenant, Q.document_count, Q.used_bytes, Q.is_blocked]).execute()
        rows, block, unblock = [], [], []
        names: dict[int, Usage] = {}
        for (
            quota_id,
            tenant_id,
            name,
            max_docs,
            max_bytes,
            blocked,
            docs,
            used,
        ) in usage_by_tenant():
            rows.append(
                {"id": quota_id, "document_count": docs, "used_bytes": int(used), "checked_at": at}
            )
            names[tenant_id] = (name, docs, int(used), max_docs, max_bytes)
            should_block = over_limit(docs, int(used), max_docs, max_bytes)
            if should_block and not blocked:
                block.append(tenant_id)
            elif blocked and not should_block:
                unblock.append(tenant_id)
        update_many(Q, rows, (Q.document_count, Q.used_bytes, Q.checked_at))
        blocked, blocked_events = _flip(block, True, "tenant.quota_blocked", names, at)
        unblocked, unblocked_events = _flip(unblock, False, "tenant.quota_unblocked", names, at)
        run.add(checked=len(rows), blocked=len(blocked), unblocked=len(unblocked))
        run.emitted(blocked_events + unblocked_events)


def _flip(
    tenant_ids: list[int], block: bool, event: str, names: dict[int, Usage], at: datetime
) -> tuple[list[int], int]:
    """The tenants flipped (each once, however many runs race) and the events emitted."""
    if not tenant_ids:
        return [], 0
    changed = [
        tenant_id
        for (tenant_id,) in Q.update(is_blocked=block)
        .where(Q.tenant.in_(tenant_ids) & (Q.is_blocked == (not block)))
        .returning(Q.tenant)
        .tuples()
        .execute()
    ]
    details = {}
    for tenant_id in changed:
        name, docs, used, max_docs, max_bytes = names[tenant_id]
        details[tenant_id] = {"tenant": name, "documents": docs, "bytes": used,
                              "max_documents": max_docs, "max_bytes": max_bytes}  # fmt: skip
    record_many(ACTOR, event, (("tenant", t, t, details[t]) for t in changed), at=at)
    events = emit_many(((t, event, details[t]) for t in changed), at)
    return changed, len(events)
