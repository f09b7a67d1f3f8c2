"""deliver_webhooks: sign and POST due webhook events, record every attempt.

Events are claimed in batches (claim protocol) and delivered concurrently through one
pooled keep-alive session. Only 2xx is success. 410 Gone disables the endpoint and
dead-letters the event; other failures are retried on the webhook schedule (honouring
Retry-After) and dead-lettered after the last attempt. Each retry is re-signed with a
fresh timestamp under the same event id. The outcome of a batch, its attempt rows,
endpoint changes and audit rows are written in one transaction.

An event's ``attempts`` is its position in the retry schedule, which a DLQ requeue starts
again; attempt rows are numbered on from the event's last one, so its history reads in
order across requeues. Each run first deletes rotated-out secrets whose overlap is over.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Annotated, Any

import peewee
import requests
from peewee import fn

from docflow import endpoints as endpoints_mod
from docflow import shutdown
from docflow.audit import record_many
from docflow.claim import batches
from docflow.db import tuple_rows, write_transaction
from docflow.dlq import dead_letter
from docflow.models import EventStatus, WebhookAttempt, WebhookEndpoint, WebhookEvent
from docflow.outcomes import Outcome, write_outcomes
from docflow.registry import BATCH_SIZE, Clock, job
from docflow.retry import ScheduledRetries, webhook_schedule
from docflow.runs import RunRecorder
from docflow.services.webhooks.signing import build_headers, signing_secrets
from docflow.services.webhooks.transport import AttemptResult, new_session, post
from docflow.settings import Settings
from docflow.timefmt import when_text
from docflow.topics import EVENTS_PENDING

E = WebhookEvent
W = WebhookEndpoint
ACTOR = "job:deliver_webhooks"
CLAIMED_COLUMNS = (E.id, E.tenant, E.endpoint, E.payload, E.attempts, E.type)
SENT_COLUMNS = (
    E.status,
    E.attempts,
    E.last_status_code,
    E.last_error,
    E.sent_at,
    E.next_attempt_at,
)
RETRY_COLUMNS = (E.status, E.attempts, E.last_status_code, E.last_error, E.next_attempt_at)


def due(now: datetime) -> peewee.Expression:
    enabled = W.select(W.id).where(W.enabled)
    unclaimed = E.claimed_by.is_null() | (E.lease_expires_at < now)
    waiting = E.status.in_([EventStatus.PENDING, EventStatus.FAILED]) & (E.next_attempt_at <= now)
    return waiting & unclaimed & E.endpoint.in_(enabled)


@job(queue="default", schedule="* * * * *", wakes_on=(EVENTS_PENDING,))
def deliver_webhooks(
    run: RunRecorder,
    settings: Settings,
    now: Clock,
    batch_size: Annotated[int | None, BATCH_SIZE] = None,
) -> None:
    """Sign and send due webhook events; retry on schedule, then the DLQ."""
    batch_size = batch_size or settings.webhook_batch_size
    schedule = webhook_schedule(settings)
    with write_transaction():
        deleted = endpoints_mod.forget_expired_secrets(actor=ACTOR, now=now())
        if deleted:
            run.add(previous_secrets_deleted=deleted)
    deadline = time.monotonic() + settings.webhook_time_budget_seconds
    with (
        new_session(settings.webhook_concurrency) as session,
        ThreadPoolExecutor(settings.webhook_concurrency) as pool,
    ):
        claimed = batches(
            E,
            where=due,
            limit=batch_size,
            worker=run.worker,
            lease_seconds=settings.lease_seconds,
            now=now,
            returning=CLAIMED_COLUMNS,
        )
        for batch in claimed:
            token, at, rows = batch.token, batch.at, batch.rows
            endpoints = {e.id: e for e in W.select().where(W.id.in_({r["endpoint"] for r in rows}))}
            attempt = functools.partial(
                _attempt, endpoints=endpoints, settings=settings, session=session, now=at
            )
            results = list(pool.map(attempt, rows))
            tried = [(row, result) for row, result in zip(rows, results, strict=True)
                     if result is not None]  # fmt: skip
            _record(run, [r for r, _ in tried], [a for _, a in tried], schedule, token, now())
            if len(tried) < len(rows):
                _release(run, [r["id"] for r, a in zip(rows, results, strict=True) if a is None],
                         token)  # fmt: skip
            if time.monotonic() >= deadline:
                run.note(budget_spent=True)
                break
    if shutdown.requested():
        run.note(stopped="shutdown", follow_up=run.follow_up(deliver_webhooks))


def _attempt(
    row: dict[str, Any],
    endpoints: dict[int, WebhookEndpoint],
    settings: Settings,
    session: requests.Session,
    now: datetime,
) -> AttemptResult | None:
    """The attempt's result; None when a warm shutdown came before it started (a batch
    of hanging receivers would otherwise hold a stopping worker for minutes)."""
    if shutdown.requested():
        return None
    endpoint = endpoints[row["endpoint"]]
    if endpoint.tenant_id != row["tenant"]:
        # Never send one tenant's event to another tenant's endpoint, whatever the data says.
        return AttemptResult(
            None, 0, None, "endpoint belongs to another tenant; not sent", None, refused=True
        )
    secrets = signing_secrets(
        endpoint.secret,
        endpoint.previous_secret,
        endpoint.previous_secret_expires_at,
        settings.webhook_secret,
        now,
    )
    if not secrets:
        return AttemptResult(
            None,
            0,
            None,
            "no signing secret: rotate the endpoint's secret or set DOCFLOW_WEBHOOK_SECRET",
            None,
        )
    body = row["payload"].encode("utf-8")
    headers = build_headers(row["id"], int(time.time()), body, secrets)
    return post(
        session,
        endpoint.url,
        body,
        headers,
        connect_timeout_seconds=settings.webhook_connect_timeout_seconds,
        deadline_seconds=settings.webhook_deadline_seconds,
        max_response_bytes=settings.webhook_max_response_bytes,
        allow_private=settings.webhook_allow_private,
    )


def _record(
    run: RunRecorder,
    rows: list[dict[str, Any]],
    results: list[AttemptResult],
    schedule: ScheduledRetries,
    token: str,
    at: datetime,
) -> None:
    sent, retry, dead, gone_endpoints = [], [], [], {}
    for row, result in zip(rows, results, strict=True):
        base = {"id": row["id"], "tenant": row["tenant"], "attempts": row["attempts"] + 1,
                "last_status_code": result.status_code}  # fmt: skip
        if result.ok:
            sent.append({**base, "status": EventStatus.SENT, "last_error": None, "sent_at": at,
                         "next_attempt_at": None})  # fmt: skip
            continue
        error = result.error or f"HTTP {result.status_code}"
        next_at = (
            schedule.next_attempt_at(base["attempts"], at, retry_after_seconds=result.retry_after_seconds)
            if result.retryable
            else None
        )  # fmt: skip
        if result.gone:
            gone_endpoints[row["endpoint"]] = row["tenant"]
            error = "receiver answered 410 Gone: endpoint disabled"
        if next_at is None:
            dead.append({**base, "reason": error})
        else:
            retry.append({**base, "status": EventStatus.FAILED, "last_error": error,
                          "next_attempt_at": next_at})  # fmt: skip

    def attempts_and_endpoints(written: Mapping[str, set[Any]]) -> dict[str, int]:
        done = set().union(*written.values())
        last = _last_attempt_numbers(done)
        attempts = [
            {"event": row["id"], "number": last.get(row["id"], 0) + 1, "attempted_at": at,
             "status_code": result.status_code, "latency_ms": result.latency_ms,
             "response_excerpt": result.excerpt, "error": result.error}
            for row, result in zip(rows, results, strict=True)
            if row["id"] in done
        ]  # fmt: skip
        if attempts:
            WebhookAttempt.insert_many(attempts).execute()
        return {"endpoints_disabled": _disable_gone(gone_endpoints, at)}

    outcomes = [
        Outcome("sent", sent, SENT_COLUMNS),
        Outcome("retried", retry, RETRY_COLUMNS),
        dead_letter(E, dead, at=at, extra_columns=(E.attempts, E.last_status_code)),
    ]
    write_outcomes(E, outcomes, token=token, run=run, actor=ACTOR, subject="webhook_event",
                   at=at, also=attempts_and_endpoints)  # fmt: skip


def _last_attempt_numbers(event_ids: set[str]) -> dict[str, int]:
    """The number of each event's latest attempt row, for those that have one."""
    A = WebhookAttempt
    query = A.select(A.event, fn.MAX(A.number)).where(A.event.in_(list(event_ids)))
    return dict(tuple_rows(query.group_by(A.event)))


def _release(run: RunRecorder, ids: list[str], token: str) -> None:
    """Give back the events a stopping run did not attempt: due again for others at once."""
    with write_transaction():
        released = (
            E.update(claimed_by=None, lease_expires_at=None)
            .where(E.id.in_(ids) & (E.claimed_by == token))
            .execute()
        )
        run.add(released=released)


def _disable_gone(gone: dict[int, int], at: datetime) -> int:
    """Disable endpoints that answered 410 Gone, once each, audited."""
    if not gone:
        return 0
    reason = f"receiver answered 410 Gone at {when_text(at)}"
    disabled = list(
        W.update(enabled=False, disabled_reason=reason)
        .where(W.id.in_(list(gone)) & W.enabled)
        .returning(W.id)
        .tuples()
        .execute()
    )
    record_many(
        ACTOR,
        "webhook_endpoint.disabled",
        (
            ("webhook_endpoint", endpoint_id, gone[endpoint_id], {"reason": reason})
            for (endpoint_id,) in disabled
        ),
        at=at,
    )
    return len(disabled)
