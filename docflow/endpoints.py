"""Webhook endpoints and their secrets: add, list, rotate, disable, enable (all audited).

Each endpoint has its own ``whsec_`` secret, shown once when it is created or rotated
and masked everywhere else. A rotated-out secret keeps signing beside the new one for
an overlap window, so receivers can switch without missing a delivery; once the window
is over it is deleted (:func:`forget_expired_secrets`). Endpoints without a secret of
their own sign with DOCFLOW_WEBHOOK_SECRET.

A URL may carry a user and password for receivers behind HTTP basic auth: they are
stored, sent, and shown as ``***`` everywhere, the audit trail included.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from docflow.audit import record_many
from docflow.db import write_transaction
from docflow.errors import NotFound
from docflow.models import Tenant, WebhookEndpoint
from docflow.redaction import hide_userinfo
from docflow.services.webhooks.guard import check_url
from docflow.services.webhooks.signing import mask_secret
from docflow.settings import Settings
from docflow.uploads import find_tenant
from docflow.whsec import generate_secret

W = WebhookEndpoint


def _get(endpoint_id: int) -> WebhookEndpoint:
    endpoint = W.get_or_none(W.id == endpoint_id)
    if endpoint is None:
        raise NotFound(f"no webhook endpoint {endpoint_id}; see `docflow webhooks list`")
    return endpoint


def add(
    tenant_name: str,
    url: str,
    *,
    settings: Settings,
    actor: str,
    now: datetime,
    own_secret: bool = True,
) -> tuple[WebhookEndpoint, str | None]:
    """Add an endpoint for a tenant; return it and its new secret (None: uses the global one)."""
    tenant = find_tenant(tenant_name)
    url = url.strip()
    check_url(url, allow_private=settings.webhook_allow_private)
    secret = generate_secret() if own_secret else None
    with write_transaction():
        endpoint = W.create(tenant=tenant, url=url, secret=secret, created_at=now)
        record_many(
            actor,
            "webhook_endpoint.added",
            [("webhook_endpoint", endpoint.id, tenant.id, {"url": hide_userinfo(url)})],
            at=now,
        )
    return endpoint, secret


def listing(tenant_name: str | None = None, *, now: datetime) -> list[dict[str, Any]]:
    """Endpoints (of a tenant, which must exist, when named) with masked secrets and URL
    credentials, for display; ``rotating`` while a previous secret still signs at ``now``."""
    query = W.select(W, Tenant.name).join(Tenant).order_by(Tenant.name, W.id)
    if tenant_name is not None:
        query = query.where(W.tenant == find_tenant(tenant_name).id)
    return [
        {
            "id": e.id,
            "tenant": e.tenant.name,
            "url": hide_userinfo(e.url),
            "secret": mask_secret(e.secret) if e.secret else "(global DOCFLOW_WEBHOOK_SECRET)",
            "rotating": still_signing(e.previous_secret, e.previous_secret_expires_at, now),
            "enabled": e.enabled,
            "disabled_reason": e.disabled_reason,
        }
        for e in query
    ]


def still_signing(previous_secret: str | None, expires_at: datetime | None, now: datetime) -> bool:
    """Whether a rotated-out secret is still within its overlap window at ``now``."""
    return previous_secret is not None and expires_at is not None and expires_at > now


def forget_expired_secrets(*, actor: str, now: datetime) -> int:
    """Delete the rotated-out secrets whose overlap window is over (audited); how many.

    They sign nothing any more, and a secret kept is a secret that can leak.
    """
    with write_transaction():
        forgotten = list(
            W.update(previous_secret=None, previous_secret_expires_at=None)
            .where(
                W.previous_secret.is_null(False)
                & (W.previous_secret_expires_at.is_null() | (W.previous_secret_expires_at <= now))
            )
            .returning(W.id, W.tenant)
            .tuples()
            .execute()
        )
        record_many(
            actor,
            "webhook_endpoint.previous_secret_deleted",
            (
                ("webhook_endpoint", endpoint_id, tenant_id, None)
                for endpoint_id, tenant_id in forgotten
            ),
            at=now,
        )
    return len(forgotten)


def rotate(endpoint_id: int, *, overlap_seconds: int, actor: str, now: datetime) -> str:
    """Give an endpoint a new secret; the old one keeps signing for ``overlap_seconds``."""
    with write_transaction():
        endpoint = _get(endpoint_id)
        secret = generate_secret()
        # With no overlap, the old secret would be expired the moment it is stored.
        keep = endpoint.secret if overlap_seconds else None
        W.update(
            secret=secret,
            previous_secret=keep,
            previous_secret_expires_at=now + timedelta(seconds=overlap_seconds) if keep else None,
        ).where(W.id == endpoint_id).execute()
        record_many(
            actor,
            "webhook_endpoint.secret_rotated",
            [
                (
                    "webhook_endpoint",
                    endpoint_id,
                    endpoint.tenant_id,
                    {"overlap_seconds": overlap_seconds},
                )
            ],
            at=now,
        )
    return secret


def set_enabled(
    endpoint_id: int, enabled: bool, *, actor: str, now: datetime, reason: str | None = None
) -> None:
    with write_transaction():
        endpoint = _get(endpoint_id)
        W.update(
            enabled=enabled, disabled_reason=None if enabled else (reason or f"disabled by {actor}")
        ).where(W.id == endpoint_id).execute()
        action = "webhook_endpoint.enabled" if enabled else "webhook_endpoint.disabled"
        record_many(
            actor,
            action,
            [("webhook_endpoint", endpoint_id, endpoint.tenant_id, {"reason": reason})],
            at=now,
        )
