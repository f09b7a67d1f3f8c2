"""report_usage: each tenant's usage for the last complete period, reported to billing.

A period (DOCFLOW_USAGE_PERIOD: hour, day or month, in UTC) is reported once it is over:
a run at 12:05 reports 11:00-12:00. Its figures are what the tenant stored at the end of
the period: documents created before the period's end that are not Expired, and their
bytes. Every tenant that existed by then gets a report, with 0s when it had nothing.

Step 1 computes the figures of every tenant still without a report for the period in one
aggregate query and inserts the reports, ignoring conflicts on (tenant, period): a
period's figures are frozen at first computation, and concurrent runs create each report
once. Each report's idempotency key is derived from its tenant and period, so every
retry of it carries the same key and the billing service can drop duplicates.

Step 2, with a billing service configured, claims Pending and Failed reports in batches
(claim protocol) and POSTs each; a batch's outcomes are written in one transaction. Sent
reports are never sent again; Failed ones are retried on every run. Without a billing
service, Pending reports are marked Recorded: kept locally, never sent later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import peewee

from docflow.claim import batches
from docflow.db import tuple_rows, write_transaction
from docflow.errors import BillingError
from docflow.models import Document, DocumentStatus, ReportStatus, Tenant, UsageReport
from docflow.outcomes import Outcome, write_outcomes
from docflow.registry import Clock, job
from docflow.runs import RunRecorder
from docflow.services.billing import BillingClient
from docflow.settings import Settings
from docflow.timefmt import iso_utc

R = UsageReport
ACTOR = "job:report_usage"
D = Document
log = logging.getLogger(__name__)
KEY_FORMATS = {"hour": "%Y-%m-%dT%H", "day": "%Y-%m-%d", "month": "%Y-%m"}
# Longer than any period: flooring start + this gives the next period's start.
_BEYOND = {"hour": timedelta(hours=1), "day": timedelta(days=1), "month": timedelta(days=32)}
MAX_BATCH_SIZE = 100
CLAIMED_COLUMNS = (R.id, R.tenant, R.period, R.document_count, R.byte_count,
                   R.idempotency_key, R.attempts)  # fmt: skip
SENT_COLUMNS = (R.status, R.attempts, R.last_error, R.sent_at)
FAILED_COLUMNS = (R.status, R.attempts, R.last_error)


@dataclass(frozen=True)
class Period:
    key: str  # "2026-03-01T11", "2026-02-28" or "2026-02"
    start: datetime  # aware UTC, included
    end: datetime  # aware UTC, excluded

    @classmethod
    def from_key(cls, key: str) -> Period:
        """The period a stored key names, whatever DOCFLOW_USAGE_PERIOD says now."""
        for unit, fmt in KEY_FORMATS.items():
            try:
                start = datetime.strptime(key, fmt).replace(tzinfo=UTC)
            except ValueError:
                continue
            return cls(key, start, _floor(start + _BEYOND[unit], unit))
        raise ValueError(f"not a usage period key: {key!r}")


def period_of(moment: datetime, usage_period: str) -> Period:
    """The last complete ``usage_period`` (hour, day, month) before ``moment``, in UTC."""
    end = _floor(moment.astimezone(UTC), usage_period)
    start = _floor(end - timedelta(microseconds=1), usage_period)
    return Period(start.strftime(KEY_FORMATS[usage_period]), start, end)


def _floor(moment: datetime, unit: str) -> datetime:
    hour = moment.replace(minute=0, second=0, microsecond=0)
    if unit == "hour":
        return hour
    day = hour.replace(hour=0)
    return day if unit == "day" else day.replace(day=1)


def idempotency_key(tenant_id: int, period: str) -> str:
    return f"docflow-usage-{tenant_id}-{period}"


def unclaimed(now: datetime) -> peewee.Expression:
    return R.claimed_by.is_null() | (R.lease_expires_at < now)


@job(queue="low", schedule="0 * * * *")
def report_usage(run: RunRecorder, settings: Settings, now: Clock) -> None:
    """Report each tenant's usage for the last period to the billing service."""
    at = now()
    period = period_of(at, settings.usage_period)
    with write_transaction():
        run.add(created=_create_reports(period, at))
    if settings.billing_url is None:
        with write_transaction():
            recorded = (
                R.update(status=ReportStatus.RECORDED)
                .where((R.status == ReportStatus.PENDING) & unclaimed(at))
                .execute()
            )
            run.add(recorded=recorded)
        run.note(billing="not configured: reports recorded locally")
        return
    _send_reports(run, settings, now)


def _create_reports(period: Period, at: datetime) -> int:
    """Insert the period's missing reports, figures from one aggregate query; count them."""
    reported = R.select(R.tenant).where(R.period == period.key)
    # Aggregate the documents once, then join the tenants to the result: a per-tenant
    # join would probe the index once per tenant.
    stored = (
        D.select(
            D.tenant.alias("tenant_id"),
            peewee.fn.COUNT(D.id).alias("n"),
            peewee.fn.SUM(D.size_bytes).alias("b"),
        )
        .where((D.status != DocumentStatus.EXPIRED) & (D.created_at < period.end))
        .group_by(D.tenant)
        .alias("stored")
    )
    usage = (
        Tenant.select(
            Tenant.id, peewee.fn.COALESCE(stored.c.n, 0), peewee.fn.COALESCE(stored.c.b, 0)
        )
        .join(stored, peewee.JOIN.LEFT_OUTER, on=stored.c.tenant_id == Tenant.id)
        .where((Tenant.created_at < period.end) & Tenant.id.not_in(reported))
    )
    rows = [
        {"tenant": tenant_id, "period": period.key, "document_count": documents,
         "byte_count": int(size), "idempotency_key": idempotency_key(tenant_id, period.key),
         "created_at": at}
        for tenant_id, documents, size in tuple_rows(usage)
    ]  # fmt: skip
    if not rows:
        return 0
    # A concurrent run may have inserted some of them since: its figures stand.
    created = R.insert_many(rows).on_conflict_ignore().returning(R.id).tuples().execute()
    return len(list(created))


def _send_reports(run: RunRecorder, settings: Settings, now: Callable[[], datetime]) -> None:
    # Small enough that a batch ends within its lease even if every POST times out
    # (connect and read timeouts each), so no other worker takes its reports meanwhile.
    per_post = 2 * settings.billing_timeout_seconds
    batch_size = max(1, min(MAX_BATCH_SIZE, int(settings.lease_seconds // per_post)))
    after = 0  # a report failed in this run is not claimed again until the next run

    def due(at: datetime) -> peewee.Expression:
        waiting = R.status.in_([ReportStatus.PENDING, ReportStatus.FAILED])
        return waiting & unclaimed(at) & (R.id > after)

    with BillingClient(settings) as client:
        claimed = batches(R, where=due, limit=batch_size, worker=run.worker, lease_seconds=settings.lease_seconds,
                          now=now, returning=CLAIMED_COLUMNS, order_by=(R.id,))  # fmt: skip
        for batch in claimed:
            token, rows = batch.token, batch.rows
            after = max(row["id"] for row in rows)
            names: dict[int, str] = dict(
                tuple_rows(
                    Tenant.select(Tenant.id, Tenant.name).where(
                        Tenant.id.in_({row["tenant"] for row in rows})
                    )
                )
            )
            # A tenant deleted since the claim took its reports with it: nothing to send.
            rows = [row for row in rows if row["tenant"] in names]
            errors = [_send(client, row, names[row["tenant"]]) for row in rows]
            _record(run, rows, errors, token, now())


def _send(client: BillingClient, row: dict[str, Any], tenant_name: str) -> str | None:
    """Send one report, built from its own row only; the error, or None when accepted."""
    period = Period.from_key(row["period"])
    report = {
        "tenant": tenant_name,
        "tenant_id": row["tenant"],
        "period": period.key,
        "period_start": iso_utc(period.start),
        "period_end": iso_utc(period.end),
        "documents": row["document_count"],
        "bytes": row["byte_count"],
        "idempotency_key": row["idempotency_key"],
    }
    try:
        client.send(report, row["idempotency_key"])
    except BillingError as exc:
        log.warning(
            "usage report %s of %s for %s failed: %s", row["id"], tenant_name, period.key, exc
        )
        return str(exc)
    return None


def _record(
    run: RunRecorder,
    rows: list[dict[str, Any]],
    errors: list[str | None],
    token: str,
    at: datetime,
) -> None:
    sent, failed = [], []
    for row, error in zip(rows, errors, strict=True):
        outcome = {"id": row["id"], "tenant": row["tenant"], "attempts": row["attempts"] + 1,
                   "last_error": error}  # fmt: skip
        if error is None:
            sent.append({**outcome, "status": ReportStatus.SENT, "sent_at": at})
        else:
            failed.append({**outcome, "status": ReportStatus.FAILED})
    outcomes = [Outcome("sent", sent, SENT_COLUMNS), Outcome("failed", failed, FAILED_COLUMNS)]
    write_outcomes(R, outcomes, token=token, run=run, actor=ACTOR, subject="usage_report", at=at)
