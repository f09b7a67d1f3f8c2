"""Audit trail: who changed what, and when, for job transitions and operator actions."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import peewee

from docflow.db import dict_rows
from docflow.models import AuditEvent, Tenant, utcnow


def operator() -> str:
    """The operator behind a command, for audit rows: $DOCFLOW_OPERATOR or the login name."""
    name = os.environ.get("DOCFLOW_OPERATOR")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return f"operator:{name}"


def record_many(
    actor: str,
    action: str,
    subjects: Iterable[tuple[str, Any, int | None, dict[str, Any] | None]],
    *,
    at: datetime | None = None,
) -> int:
    """One audit row per (subject_type, subject_id, tenant_id, details), in one INSERT."""
    at = at or utcnow()
    rows = [
        {
            "at": at,
            "actor": actor,
            "action": action,
            "subject_type": kind,
            "subject_id": str(subject_id),
            "tenant": tenant_id,
            "details": details,
        }
        for kind, subject_id, tenant_id, details in subjects
    ]
    if rows:
        AuditEvent.insert_many(rows).execute()
    return len(rows)


def events(
    *,
    since: datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    tenant_id: int | None = None,
    subject: tuple[str, str | None] | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Audit rows, newest first: who did what to which subject, filtered. ``action`` matches
    a prefix (``webhook_endpoint.`` is every endpoint action); ``subject`` is a type and,
    optionally, an id."""
    A = AuditEvent
    where = []
    if since is not None:
        where.append(A.at >= since)
    if actor:
        where.append(A.actor == actor)
    if action:
        where.append(A.action.startswith(action))
    if tenant_id is not None:
        where.append(A.tenant == tenant_id)
    if subject is not None:
        where.append(A.subject_type == subject[0])
        if subject[1] is not None:
            where.append(A.subject_id == subject[1])
    query = A.select(A.id, A.at, A.actor, A.action, A.subject_type, A.subject_id, A.details,
                     Tenant.name.alias("tenant")).join(Tenant, peewee.JOIN.LEFT_OUTER)  # fmt: skip
    if where:
        query = query.where(*where)
    return list(dict_rows(query.order_by(A.at.desc(), A.id.desc()).limit(limit)))
