"""The webhook outbox: events written in the same transaction as the change they report.

``emit()`` adds one ``webhook_events`` row per enabled endpoint of the tenant, inside
the caller's transaction, so an event exists exactly when its state change was
committed. Delivery (jobs/deliver_webhooks.py) reads the outbox later; the payload is
stored as the exact bytes that will be signed and sent, so every retry sends the same
body under the same event id.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable
from datetime import datetime
from secrets import choice
from typing import Any

import peewee

from docflow.db import insert_rows, tuple_rows
from docflow.errors import InvalidArgument
from docflow.models import EventStatus, WebhookEndpoint, WebhookEvent, to_db_time
from docflow.timefmt import iso_utc

E = WebhookEvent
_ID_ALPHABET = string.ascii_letters + string.digits
EVENT_TYPES = (
    "document.classified",
    "document.failed",
    "document.dead_lettered",
    "document.expired",
    "tenant.quota_blocked",
    "tenant.quota_unblocked",
    "tenant.suspended",
)


def new_message_id() -> str:
    """An event id, ``msg_`` + 27 random letters and digits; kept across every retry."""
    return "msg_" + "".join(choice(_ID_ALPHABET) for _ in range(27))


def payload(event_type: str, data: dict[str, Any], now: datetime) -> str:
    """The JSON body of an event: ``{type, timestamp, data}``."""
    body = {"type": event_type, "timestamp": iso_utc(now), "data": data}
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


def emit(tenant_id: int, event_type: str, data: dict[str, Any], now: datetime) -> list[str]:
    """Queue ``event_type`` for every enabled endpoint of the tenant; return the event ids."""
    return emit_many([(tenant_id, event_type, data)], now)


def emit_many(events: Iterable[tuple[int, str, dict[str, Any]]], now: datetime) -> list[str]:
    """Queue many events at once: one endpoint lookup and one INSERT for the lot."""
    events = list(events)
    if not events:
        return []
    unknown = {t for _, t, _ in events} - set(EVENT_TYPES)
    if unknown:
        raise InvalidArgument(f"unknown event type(s): {', '.join(sorted(unknown))}")
    tenants = {tenant for tenant, _, _ in events}
    endpoints: dict[int, list[int]] = {}
    query = WebhookEndpoint.select(WebhookEndpoint.id, WebhookEndpoint.tenant).where(
        WebhookEndpoint.tenant.in_(list(tenants)) & WebhookEndpoint.enabled
    )
    for endpoint_id, tenant_id in tuple_rows(query):
        endpoints.setdefault(tenant_id, []).append(endpoint_id)
    stamp = to_db_time(now)
    rows = []
    for tenant_id, event_type, data in events:
        body = payload(event_type, data, now)
        for endpoint_id in endpoints.get(tenant_id, ()):
            rows.append(
                (
                    new_message_id(),
                    tenant_id,
                    endpoint_id,
                    event_type,
                    body,
                    EventStatus.PENDING,
                    0,
                    stamp,
                    stamp,
                )
            )
    if rows:
        fields: list[peewee.Field[Any]] = [
            E.id,
            E.tenant,
            E.endpoint,
            E.type,
            E.payload,
            E.status,
            E.attempts,
            E.next_attempt_at,
            E.created_at,
        ]
        insert_rows(E, fields, rows)
    return [row[0] for row in rows]
