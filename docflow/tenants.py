"""Tenant administration: add, limits, grace periods, activation, unblocking (all audited).

These are the operator's actions; the jobs (check_quotas, suspend_tenants) apply the
rules. Each action checks its input first and changes nothing when it is refused.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import peewee

from docflow.audit import record_many
from docflow.db import dict_rows, tuple_rows, write_transaction
from docflow.errors import InvalidArgument
from docflow.models import (
    BIGINT_MAX,
    BillingStatus,
    Document,
    DocumentStatus,
    Tenant,
    TenantBilling,
    TenantQuota,
)
from docflow.uploads import find_tenant

NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def add(name: str, email: str | None, *, actor: str, now: datetime) -> Tenant:
    if not NAME.fullmatch(name):
        raise InvalidArgument(
            f"invalid tenant name {name!r}: use lowercase letters, digits and '-' (max 63)"
        )
    if email is not None and not EMAIL.fullmatch(email):
        raise InvalidArgument(f"invalid email address {email!r}")
    with write_transaction():
        if Tenant.get_or_none(Tenant.name == name):
            raise InvalidArgument(f"tenant {name!r} already exists")
        tenant = Tenant.create(name=name, contact_email=email, created_at=now)
        TenantQuota.create(tenant=tenant)
        TenantBilling.create(tenant=tenant, updated_at=now)
        record_many(
            actor, "tenant.added", [("tenant", tenant.id, tenant.id, {"email": email})], at=now
        )
    return tenant


def lookup(name: str | None) -> Tenant | None:
    """The tenant a ``--tenant NAME`` filter names, or None when no name is given.

    An unknown name is :class:`~docflow.errors.NotFound` with the message every command
    gives (see :func:`docflow.uploads.find_tenant`): a typo must not read as "nothing there".
    """
    return None if name is None else find_tenant(name)


def overview(name: str | None = None) -> list[dict[str, Any]]:
    """Every tenant (or one) with usage, limits, block and billing state, in one query."""
    Q, B = TenantQuota, TenantBilling
    query = (
        Tenant.select(
            Tenant.id,
            Tenant.name,
            Tenant.contact_email,
            Q.document_count,
            Q.used_bytes,
            Q.max_documents,
            Q.max_bytes,
            Q.is_blocked,
            Q.checked_at,
            B.status.alias("billing"),
            B.grace_period_ends_at,
            B.suspended_at,
        )  # fmt: skip
        .join(Q, peewee.JOIN.LEFT_OUTER, on=Q.tenant == Tenant.id)
        .join(B, peewee.JOIN.LEFT_OUTER, on=B.tenant == Tenant.id)
        .order_by(Tenant.name)
    )
    if name is not None:
        query = query.where(Tenant.name == name)
    return list(dict_rows(query))


def documents_by_status(tenant: Tenant) -> dict[str, int]:
    query = (
        Document.select(Document.status, peewee.fn.COUNT(Document.id))
        .where(Document.tenant == tenant)
        .group_by(Document.status)
    )
    return {status: count for status, count in tuple_rows(query) if status in DocumentStatus.ALL}


def set_limits(
    name: str,
    *,
    max_documents: int | None,
    max_bytes: int | None,
    clear: bool,
    actor: str,
    now: datetime,
) -> None:
    """Set (or with ``clear``, remove) a tenant's limits; check_quotas enforces them.

    A limit of 0 allows nothing: check_quotas blocks every upload of the tenant.
    """
    for label, value in (("--max-documents", max_documents), ("--max-bytes", max_bytes)):
        if value is not None and not 0 <= value <= BIGINT_MAX:
            raise InvalidArgument(
                f"{label} must be a whole number from 0 (nothing allowed) to {BIGINT_MAX}, "
                f"got {value}; or give --unlimited"
            )
    if clear and (max_documents is not None or max_bytes is not None):
        raise InvalidArgument("give limits or --unlimited, not both")
    if not clear and max_documents is None and max_bytes is None:
        raise InvalidArgument("give --max-documents, --max-bytes, or --unlimited")
    tenant = find_tenant(name)
    changes: dict[str, int | None] = (
        {"max_documents": None, "max_bytes": None}
        if clear
        else {
            k: v
            for k, v in (("max_documents", max_documents), ("max_bytes", max_bytes))
            if v is not None
        }
    )
    with write_transaction():
        TenantQuota.insert(tenant=tenant).on_conflict_ignore().execute()
        TenantQuota.update(**changes).where(TenantQuota.tenant == tenant).execute()
        record_many(actor, "tenant.limits_set", [("tenant", tenant.id, tenant.id, changes)], at=now)


def set_grace(name: str, until: datetime, *, actor: str, now: datetime) -> None:
    """Put a tenant in its payment grace period, ending at ``until``."""
    if until.tzinfo is None:
        raise InvalidArgument(
            "the grace period end needs a time zone (or give a date: midnight UTC is used)"
        )
    tenant = find_tenant(name)
    with write_transaction():
        TenantBilling.insert(tenant=tenant, updated_at=now).on_conflict_ignore().execute()
        TenantBilling.update(
            status=BillingStatus.GRACE_PERIOD,
            grace_period_ends_at=until,
            suspended_at=None,
            updated_at=now,
        ).where(TenantBilling.tenant == tenant).execute()
        details = {"grace_period_ends_at": until.isoformat()}
        record_many(
            actor, "tenant.grace_period_set", [("tenant", tenant.id, tenant.id, details)], at=now
        )


def activate(name: str, *, actor: str, now: datetime) -> bool:
    """Make a tenant Active again (account settled); False if it already was."""
    tenant = find_tenant(name)
    with write_transaction():
        TenantBilling.insert(tenant=tenant, updated_at=now).on_conflict_ignore().execute()
        changed = (
            TenantBilling.update(
                status=BillingStatus.ACTIVE,
                grace_period_ends_at=None,
                suspended_at=None,
                updated_at=now,
            )
            .where(
                (TenantBilling.tenant == tenant) & (TenantBilling.status != BillingStatus.ACTIVE)
            )
            .execute()
        )
        if changed:
            record_many(actor, "tenant.activated", [("tenant", tenant.id, tenant.id, None)], at=now)
    return bool(changed)


def unblock(name: str, *, actor: str, now: datetime) -> bool:
    """Lift a quota block now; the next check_quotas blocks again if still over a limit."""
    tenant = find_tenant(name)
    with write_transaction():
        changed = (
            TenantQuota.update(is_blocked=False)
            .where((TenantQuota.tenant == tenant) & TenantQuota.is_blocked)
            .execute()
        )
        if changed:
            record_many(actor, "tenant.unblocked", [("tenant", tenant.id, tenant.id, None)], at=now)
    return bool(changed)
