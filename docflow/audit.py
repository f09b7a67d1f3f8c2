"""Audit trail: who changed what, and when, for job transitions and operator actions."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from docflow.models import AuditEvent, utcnow


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
