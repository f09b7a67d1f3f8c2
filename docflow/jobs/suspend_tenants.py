"""suspend_tenants: tenants whose payment grace period is over become read-only.

One statement flips every due GracePeriod tenant to ReadOnly and returns the rows it
changed; the audit rows and ``tenant.suspended`` webhook events are written in the same
transaction. Because the status check is part of that UPDATE, concurrent runs cannot
suspend a tenant twice: a row another run already changed no longer matches.

After the commit each suspended tenant with a contact address gets an email notice
(when DOCFLOW_SMTP_URL is set). Email is best effort and sent at most once: a failure
is logged and audited but never undoes a suspension, and a worker killed between the
commit and the emails leaves those notices unsent (the audit trail shows which).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from docflow.audit import record_many
from docflow.db import write_transaction
from docflow.errors import NotificationError
from docflow.events import emit_many
from docflow.models import BillingStatus, Tenant, TenantBilling
from docflow.registry import Clock, job
from docflow.runs import RunRecorder
from docflow.services.notify import send_email
from docflow.settings import Settings, suspension_values
from docflow.topics import EVENTS_PENDING

B = TenantBilling
ACTOR = "job:suspend_tenants"
log = logging.getLogger(__name__)


@job(queue="default", schedule="30 * * * *")
def suspend_tenants(run: RunRecorder, settings: Settings, now: Clock) -> None:
    """Make tenants read-only when their payment grace period is over; notify them."""
    at = now()
    with write_transaction():
        suspended = (
            B.update({B.status: BillingStatus.READ_ONLY, B.suspended_at: at, B.updated_at: at})
            .where((B.status == BillingStatus.GRACE_PERIOD) & (B.grace_period_ends_at <= at))
            .returning(B.tenant, B.grace_period_ends_at)
            .dicts()
            .execute()
        )
        ends = {row["tenant"]: row["grace_period_ends_at"] for row in suspended}
        tenants = _tenants(list(ends))
        record_many(
            ACTOR,
            "tenant.suspended",
            (("tenant", t.id, t.id, {"grace_period_ends_at": _iso(ends[t.id])}) for t in tenants),
            at=at,
        )
        events = emit_many(
            (
                (
                    t.id,
                    "tenant.suspended",
                    {
                        "tenant": t.name,
                        "grace_period_ends_at": _iso(ends[t.id]),
                        "suspended_at": _iso(at),
                    },
                )
                for t in tenants
            ),
            at,
        )
        run.add(suspended=len(ends))
        run.emitted(len(events))
    # Asked for before the emails, so webhooks need not wait on a slow mail server.
    run.wake(EVENTS_PENDING)
    if settings.smtp_url is None:
        run.note(email="not configured")
        return
    for tenant in tenants:
        _notify(run, settings, now, tenant, ends[tenant.id])


def _notify(
    run: RunRecorder,
    settings: Settings,
    now: Callable[[], datetime],
    tenant: Tenant,
    grace_period_ends_at: datetime,
) -> None:
    if not tenant.contact_email:
        run.add(no_email_address=1)
        return
    subject, body = _notice(settings, tenant.name, grace_period_ends_at)
    try:
        send_email(settings, tenant.contact_email, subject, body)
    except NotificationError as exc:
        # The message names server and error kind only: send_email keeps the password out.
        log.warning("suspension notice to tenant %s not sent: %s", tenant.name, exc)
        with write_transaction():
            record_many(
                ACTOR,
                "tenant.suspension_email_failed",
                [("tenant", tenant.id, tenant.id, {"to": tenant.contact_email, "error": str(exc)})],
                at=now(),
            )
            run.add(email_failed=1)
        return
    run.add(emailed=1)


def _tenants(ids: list[int]) -> list[Tenant]:
    if not ids:
        return []
    query = Tenant.select(Tenant.id, Tenant.name, Tenant.contact_email).where(Tenant.id.in_(ids))
    return list(query.order_by(Tenant.name))


def _notice(settings: Settings, tenant: str, grace_period_ends_at: datetime) -> tuple[str, str]:
    """Subject and body of the suspension notice, from the configured templates (which
    the settings filled with values of this shape when they were read, so they fit)."""
    values = suspension_values(tenant, grace_period_ends_at)
    subject = settings.suspension_subject.format(**values)
    return subject, settings.suspension_template.format(**values)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
