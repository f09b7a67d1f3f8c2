"""The console's operator actions: each does one thing through docflow, audited, and says
in one line what it did. The backend checks read-only mode and the row kind first."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import redis
from rq.exceptions import InvalidJobOperation
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer

from console import dlq
from docflow import dlq as dlq_mod
from docflow import endpoints, review, tenants
from docflow.audit import record_many
from docflow.db import write_transaction
from docflow.errors import InvalidArgument, NotFound, QueueError
from docflow.models import Document, DocumentStatus, WebhookEndpoint
from docflow.pauses import set_paused
from docflow.queues import get_queue
from docflow.registry import get_job, wake
from docflow.settings import Settings
from docflow.topics import RETRIES_DUE


@dataclass(frozen=True)
class Context:
    settings: Settings
    actor: str
    now: datetime
    conn: Callable[[], redis.Redis]
    redis_errors: Callable[[], contextlib.AbstractContextManager[None]]


def run(ctx: Context, action_id: str, key: str | None, values: dict[str, str]) -> str:
    kind, _, ident = (key or "").partition(":")
    if action_id in ("dlq.requeue", "dlq.purge", "dlq.requeue_all", "dlq.purge_all"):
        return _dlq(ctx, action_id.split(".")[1], kind, ident, key)
    if action_id == "retries.retry_now":
        return _retry_now(ctx, _id(ident, key))
    if action_id == "tenants.unblock":
        done = tenants.unblock(ident, actor=ctx.actor, now=ctx.now)
        return (
            f"unblocked uploads of {ident}" if done else f"{ident} was not blocked; nothing changed"
        )
    if action_id == "tenants.activate":
        done = tenants.activate(ident, actor=ctx.actor, now=ctx.now)
        return (
            f"activated billing of {ident}"
            if done
            else f"{ident} was already active; nothing changed"
        )
    if action_id in ("webhooks.enable", "webhooks.disable"):
        return _set_endpoint(ctx, _id(ident, key), action_id == "webhooks.enable")
    if action_id in ("queues.pause", "queues.resume"):
        pause = action_id == "queues.pause"
        with ctx.redis_errors():
            changed = set_paused(
                ctx.conn(), ctx.settings, ident, pause, actor=ctx.actor, now=ctx.now
            )
        if not changed:
            return f"queue {ident} was already {'paused' if pause else 'running'}; nothing changed"
        return (
            f"paused queue {ident}: workers take no new jobs from it"
            if pause
            else f"resumed queue {ident}"
        )
    if action_id == "jobs.enqueue":
        return _enqueue(ctx, values)
    if action_id.startswith("review."):
        return _decide(ctx, _id(ident, key), action_id.removeprefix("review."))
    raise InvalidArgument(f"unknown action {action_id!r}")


def _id(ident: str, key: str | None) -> int:
    if not ident.isdigit():
        raise NotFound(f"{key!r} is not a valid row key")
    return int(ident)


# --- DLQ ----------------------------------------------------------------------------------


def _dlq(ctx: Context, verb: str, kind: str, ident: str, key: str | None) -> str:
    """Requeue or purge: a group (every item with its fingerprint), one item, or all."""
    requeue = verb.startswith("requeue")
    with ctx.redis_errors():
        if verb.endswith("_all"):
            selection = dlq_mod.Selection(None, None)
            jobs = dlq.failed_jobs(ctx.conn(), ctx.settings, limit=None)
            what = "from the whole DLQ"
        elif kind == "group":
            jobs = dlq.failed_jobs(ctx.conn(), ctx.settings, limit=None)
            group = dlq.find_group(dlq.groups(jobs), key or "")
            selection = dlq_mod.Selection(None, None, fingerprint=group.fingerprint)
            if group.fingerprint == dlq.UNKNOWN:
                selection = dlq_mod.Selection([], [])  # nothing in the database to select by
            jobs = [j for j in jobs if j.fingerprint == group.fingerprint]
            what = f"of group {group.fingerprint[:60]!r}"
        elif kind == "rq":
            jobs = [dlq.failed_job(ctx.conn(), ctx.settings, ident)]
            selection = dlq_mod.Selection([], [])
            what = ""
        else:
            selection = dlq_mod.Selection.parse([ident])
            jobs = []
            what = ""
    woken = None
    if requeue:
        done = dlq_mod.requeue(selection, settings=ctx.settings, actor=ctx.actor, now=ctx.now)
        counts = {"documents": done.documents, "webhook_events": done.webhook_events}
        woken = done.woken
    else:
        counts = dlq_mod.purge(selection, settings=ctx.settings, actor=ctx.actor, now=ctx.now)
    with ctx.redis_errors():
        moved = _requeue_jobs(ctx, jobs) if requeue else _purge_jobs(ctx, jobs)
    parts = [
        _plural(counts["documents"], "document"),
        _plural(counts["webhook_events"], "webhook event"),
        _plural(moved, "RQ job"),
    ]
    parts = [p for p in parts if p]
    word = "requeue" if requeue else "purge"
    if not parts:
        return f"nothing to {word}"
    message = f"{word}d {', '.join(parts)} {what}".rstrip()
    if woken is not None and woken.problem is not None:
        message += "; Redis is down, so the next scheduled run picks them up"
    return message


def _plural(n: int, noun: str) -> str:
    return "" if n == 0 else f"{n} {noun}{'' if n == 1 else 's'}"


def _requeue_jobs(ctx: Context, jobs: list[dlq.FailedJob]) -> int:
    done = []
    for job in jobs:
        registry = FailedJobRegistry(queue=get_queue(ctx.conn(), ctx.settings, job.priority))
        try:
            registry.requeue(job.id)
        except InvalidJobOperation:
            continue  # requeued or removed meanwhile
        done.append(job)
    _audit_jobs(ctx, "rq_job.requeued", done)
    return len(done)


def _purge_jobs(ctx: Context, jobs: list[dlq.FailedJob]) -> int:
    found = Job.fetch_many([j.id for j in jobs], connection=ctx.conn(), serializer=JSONSerializer)
    done = []
    for job, rq_job in zip(jobs, found, strict=True):
        if rq_job is not None:
            rq_job.delete()  # also takes it out of the failed registry
            done.append(job)
    _audit_jobs(ctx, "rq_job.purged", done)
    return len(done)


def _audit_jobs(ctx: Context, action: str, jobs: list[dlq.FailedJob]) -> None:
    def details(j: dlq.FailedJob) -> dict[str, str]:
        return {"queue": j.priority, "function": j.func, "error": j.fingerprint}

    record_many(ctx.actor, action, (("rq_job", j.id, None, details(j)) for j in jobs), at=ctx.now)


# --- the others ---------------------------------------------------------------------------


def _retry_now(ctx: Context, doc_id: int) -> str:
    D = Document
    with write_transaction():
        doc = D.get_or_none(D.id == doc_id)
        if doc is None:
            raise NotFound(f"document {doc_id} no longer exists")
        if doc.status != DocumentStatus.FAILED:
            raise InvalidArgument(
                f"document {doc_id} is {doc.status}, not Failed: only failed documents wait "
                "for a retry (use the DLQ tab to requeue dead ones)"
            )
        D.update(next_retry_at=ctx.now, updated_at=ctx.now).where(
            (D.id == doc_id) & (D.status == DocumentStatus.FAILED)
        ).execute()
        record_many(ctx.actor, "document.retry_now", [("document", doc_id, doc.tenant_id, None)],
                    at=ctx.now)  # fmt: skip
    try:
        with ctx.redis_errors():
            queued = wake(ctx.conn(), ctx.settings, RETRIES_DUE)
    except QueueError:
        return (
            f"document {doc_id} is due now; Redis is down, so the next scheduled retry run takes it"
        )
    how = "a retry run is queued" if queued else "a waiting retry run takes it"
    return f"document {doc_id} is due now; {how}"


def _set_endpoint(ctx: Context, endpoint_id: int, enable: bool) -> str:
    endpoint = WebhookEndpoint.get_or_none(WebhookEndpoint.id == endpoint_id)
    if endpoint is None:
        raise NotFound(f"webhook endpoint {endpoint_id} no longer exists")
    word = "enabled" if enable else "disabled"
    if endpoint.enabled == enable:
        return f"endpoint {endpoint_id} was already {word}; nothing changed"
    endpoints.set_enabled(endpoint_id, enable, actor=ctx.actor, now=ctx.now)
    return f"{word} endpoint {endpoint_id}"


def _decide(ctx: Context, doc_id: int, choice: str) -> str:
    category = review.top_suggestion(doc_id) if choice == "accept" else choice
    decision = review.assign(doc_id, category, settings=ctx.settings, actor=ctx.actor, now=ctx.now)
    was = decision.previous_category or "unclassified"
    note = "" if decision.delivery.problem is None else "; Redis is down, webhooks go out later"
    return f"document {doc_id} is {category} (was {was}), routed to {decision.route}{note}"


def _enqueue(ctx: Context, values: dict[str, str]) -> str:
    job = (values.get("job") or "").strip()
    if not job:
        raise InvalidArgument("choose a job to enqueue")
    declared = get_job(job, ctx.settings)
    # The form offers every job's parameters; those left blank take the job's defaults.
    filled = {k: v.strip() for k, v in values.items() if k not in ("job", "queue") and v.strip()}
    priority = (values.get("queue") or "").strip() or None
    kwargs = declared.validate(filled)
    with ctx.redis_errors():
        rq_job = declared.enqueue(ctx.conn(), ctx.settings, kwargs, priority=priority)
    details = {"job": job, "args": kwargs, "queue": rq_job.origin}
    record_many(ctx.actor, "job.enqueued", [("rq_job", rq_job.id, None, details)], at=ctx.now)
    return f"enqueued {rq_job.description} as {rq_job.id} on {rq_job.origin}"
