"""The DLQ tab: dead documents, dead webhook events and failed RQ jobs, grouped by error.

Documents and events carry their stored fingerprint (docflow.fingerprint), so their
groups come from one GROUP BY over an index each. RQ's failed jobs have no database row:
the newest ``RQ_LIMIT`` per queue are read from Redis and fingerprinted here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import peewee
import redis
from peewee import SQL, fn
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.results import Result
from rq.serializers import JSONSerializer

from console.cells import View, scrub, table
from console.snapshot import Row, Table
from docflow import documents as documents_mod
from docflow.db import tuple_rows
from docflow.errors import NotFound
from docflow.fingerprint import fingerprint, short_hash
from docflow.models import (
    Document,
    DocumentStatus,
    EventStatus,
    Tenant,
    WebhookAttempt,
    WebhookEvent,
)
from docflow.queues import PRIORITIES, get_queue
from docflow.redaction import excerpt
from docflow.review import stored_suggestions, suggestions_text
from docflow.settings import Settings
from docflow.timefmt import when_text

D, E = Document, WebhookEvent
RQ_LIMIT = 500  # failed RQ jobs read per queue on a refresh
ITEMS_LIMIT = 200  # items of each source listed in a group's detail
SOURCES = ("documents", "events", "rq")
RESPONSE_WIDTH = 300  # of a receiver's response shown in an event's detail


@dataclass(frozen=True)
class FailedJob:
    id: str
    priority: str
    func: str
    kwargs: dict[str, object]
    ended_at: datetime | None
    error: str  # the exception line of the traceback
    traceback: str
    fingerprint: str


@dataclass
class Group:
    fingerprint: str
    counts: dict[str, int] = field(default_factory=dict)
    oldest: datetime | None = None
    newest: datetime | None = None

    @property
    def key(self) -> str:
        return f"group:{short_hash(self.fingerprint)}"

    def add(
        self, source: str, count: int, oldest: datetime | None, newest: datetime | None
    ) -> None:
        self.counts[source] = self.counts.get(source, 0) + count
        if oldest is not None and (self.oldest is None or oldest < self.oldest):
            self.oldest = oldest
        if newest is not None and (self.newest is None or newest > self.newest):
            self.newest = newest


UNKNOWN = "(not fingerprinted)"


def failed_jobs(
    conn: redis.Redis, settings: Settings, limit: int | None = RQ_LIMIT
) -> list[FailedJob]:
    """RQ's failed jobs on the DocFlow queues, newest first, ``limit`` per queue."""
    found: list[FailedJob] = []
    for priority in PRIORITIES:
        key = FailedJobRegistry(queue=get_queue(conn, settings, priority)).key
        end = -1 if limit is None else limit - 1
        ids = [_text(i) for i in conn.zrange(key, 0, end, desc=True)]
        found += _load(conn, priority, ids)
    return found


def _text(reply: object) -> str:
    """A member of a Redis set as text (bytes from our clients)."""
    return reply.decode() if isinstance(reply, bytes) else str(reply)


def failed_job(conn: redis.Redis, settings: Settings, job_id: str) -> FailedJob:
    for priority in PRIORITIES:
        key = FailedJobRegistry(queue=get_queue(conn, settings, priority)).key
        if conn.zscore(key, job_id) is not None:
            for job in _load(conn, priority, [job_id]):
                return job
    raise NotFound(f"RQ job {job_id} is no longer among the failed jobs (requeued or purged?)")


def _load(conn: redis.Redis, priority: str, ids: list[str]) -> list[FailedJob]:
    if not ids:
        return []
    jobs = Job.fetch_many(ids, connection=conn, serializer=JSONSerializer)
    # RQ keeps the traceback in the job's latest result; older RQ kept it on the job.
    pipe = conn.pipeline(transaction=False)
    for job_id in ids:
        pipe.xrevrange(Result.get_key(job_id), "+", "-", count=1)
    found = []
    for job_id, job, entries in zip(ids, jobs, pipe.execute(), strict=True):
        if job is None:
            continue
        text = job._exc_info or ""
        if entries:
            result_id, payload = entries[0]
            restored = Result.restore(job_id, result_id.decode(), payload, connection=conn,
                                      serializer=JSONSerializer)  # fmt: skip
            text = restored.exc_string or text
        lines = text.strip().splitlines()
        error = lines[-1] if lines else ""
        found.append(FailedJob(job_id, priority, job.func_name or "", job.kwargs, job.ended_at,
                               error, text, fingerprint(error)))  # fmt: skip
    return found


def _db_groups(groups: dict[str, Group]) -> None:
    for source, model, dead in (
        ("documents", D, DocumentStatus.DEAD_LETTERED),
        ("events", E, EventStatus.DEAD_LETTERED),
    ):
        query = (
            model.select(
                model.error_fingerprint,
                fn.COUNT(SQL("*")),
                fn.MIN(model.dead_lettered_at),
                fn.MAX(model.dead_lettered_at),
            )  # fmt: skip
            .where(model.status == dead)
            .group_by(model.error_fingerprint)
        )
        for fp, count, oldest, newest in tuple_rows(query):
            fp = fp or UNKNOWN
            groups.setdefault(fp, Group(fp)).add(source, count, _aware(oldest), _aware(newest))


def _aware(value: datetime | str | None) -> datetime | None:
    """MIN/MAX come back as stored text on SQLite, aware datetimes on PostgreSQL."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def groups(jobs: Iterable[FailedJob]) -> dict[str, Group]:
    found: dict[str, Group] = {}
    _db_groups(found)
    for job in jobs:
        found.setdefault(job.fingerprint, Group(job.fingerprint)).add(
            "rq", 1, job.ended_at, job.ended_at
        )
    return found


def tables(found: dict[str, Group], view: View) -> list[Table]:
    needle = view.filter.lower()
    rows = [
        Row(
            g.key,
            (
                g.fingerprint,
                ", ".join(f"{s} {g.counts[s]}" for s in SOURCES if s in g.counts),
                sum(g.counts.values()),
                when_text(g.oldest),
                when_text(g.newest),
            ),
        )  # fmt: skip
        for g in sorted(found.values(), key=lambda g: (-sum(g.counts.values()), g.fingerprint))
    ]
    kept = [r for r in rows if not needle or needle in f"{r.cells[0]} {r.cells[1]}".lower()]
    columns = ("fingerprint", "sources", "count", "oldest", "newest")
    return [table("groups", "Dead letters by error", columns, kept[: view.limit], len(kept))]


def find_group(found: dict[str, Group], key: str) -> Group:
    for group in found.values():
        if group.key == key:
            return group
    raise NotFound(f"{key} is no longer in the dead-letter queue (requeued or purged?)")


def group_items(group: Group, jobs: Iterable[FailedJob]) -> Table:
    fp = None if group.fingerprint == UNKNOWN else group.fingerprint
    rows = []
    if "documents" in group.counts:
        docs = (
            D.select(D.id, Tenant.name, D.dead_lettered_at, D.last_error, D.dead_letter_reason)
            .join(Tenant)
            .where((D.status == DocumentStatus.DEAD_LETTERED) & _fp_is(D, fp))
            .order_by(D.dead_lettered_at.desc(), D.id.desc())
            .limit(ITEMS_LIMIT)
        )
        rows += [Row(f"doc:{d.id}", (f"document {d.id}", d.tenant.name, when_text(d.dead_lettered_at),
                                     scrub(d.last_error or d.dead_letter_reason, 100)))  # fmt: skip
                 for d in docs]  # fmt: skip
    if "events" in group.counts:
        events = (
            E.select(E.id, Tenant.name, E.dead_lettered_at, E.last_error)
            .join(Tenant)
            .where((E.status == EventStatus.DEAD_LETTERED) & _fp_is(E, fp))
            .order_by(E.dead_lettered_at.desc(), E.id)
            .limit(ITEMS_LIMIT)
        )
        rows += [Row(f"event:{e.id}", (f"event {e.id}", e.tenant.name, when_text(e.dead_lettered_at),
                                       scrub(e.last_error, 100)))  # fmt: skip
                 for e in events]  # fmt: skip
    rq_jobs = [j for j in jobs if j.fingerprint == group.fingerprint][:ITEMS_LIMIT]
    rows += [Row(f"rq:{j.id}", (f"rq job {j.id}", j.priority, when_text(j.ended_at), scrub(j.error, 100)))
             for j in rq_jobs]  # fmt: skip
    return table("items", "Items", ("item", "tenant/queue", "when", "error"), rows,
                 sum(group.counts.values()))  # fmt: skip


def _fp_is(model: type[Document] | type[WebhookEvent], fp: str | None) -> peewee.Expression:
    return model.error_fingerprint.is_null() if fp is None else model.error_fingerprint == fp


def document_fields(doc_id: int) -> tuple[tuple[str, str], ...]:
    try:
        d = documents_mod.detail(doc_id)
    except NotFound:
        raise NotFound(f"document {doc_id} no longer exists (purged?)") from None
    extra = D.select(D.next_retry_at, D.dead_lettered_at, D.dead_letter_reason, D.error_fingerprint,
                     D.created_at, D.suggestions).where(D.id == doc_id).first()  # fmt: skip
    read = "-" if d["method"] is None else (
        f"{d['method']}, {d['pages']} page(s), {d['language'] or 'language unknown'}"
        f"{', e-invoice' if d['einvoice'] else ''}"
    )  # fmt: skip
    confidence = "-" if d["confidence"] is None else f"{d['confidence']:.2f}"
    fields = [
        ("document", str(d["id"])), ("tenant", d["tenant"]), ("filename", scrub(d["filename"])),
        ("status", d["status"]), ("category", d["category"] or "-"), ("confidence", confidence),
        ("route", d["route"] or "-"),
        ("suggestions", suggestions_text(stored_suggestions(extra.suggestions if extra else None))),
        ("format", f"{d['format']} ({d['content_type']})"),
        ("read", read), ("size", f"{d['size_bytes']:,} bytes"),
        ("attached to", str(d["parent_id"] or "-")),
        ("attachments", ", ".join(f"{a['id']} {a['filename']}" for a in d["attachments"]) or "-"),
        ("retries", str(d["retry_count"])),
        ("next retry", when_text(extra.next_retry_at) if extra else "-"),
        ("dead-lettered", when_text(extra.dead_lettered_at) if extra else "-"),
        ("reason", scrub(extra.dead_letter_reason if extra else None) or "-"),
        ("last error", scrub(d["last_error"]) or "-"),
        ("fingerprint", (extra.error_fingerprint if extra else None) or "-"),
        ("created", when_text(extra.created_at) if extra else "-"),
        *(("warning", scrub(w)) for w in d["warnings"]),
        ("text", scrub(d["text"], 300) or "-"),
    ]  # fmt: skip
    return tuple(fields)


def event_detail(event_id: str) -> tuple[tuple[tuple[str, str], ...], Table]:
    e = E.select(E, Tenant.name.alias("tenant_name")).join(Tenant).where(E.id == event_id).first()
    if e is None:
        raise NotFound(f"webhook event {event_id} no longer exists (purged?)")
    A = WebhookAttempt
    attempts = list(A.select().where(A.event == event_id).order_by(A.number))
    last_response = attempts[-1].response_excerpt if attempts else None
    fields = (
        ("event", e.id),
        ("tenant", e.tenant.tenant_name),
        ("endpoint", str(e.endpoint_id or "-")),
        ("type", e.type),
        ("status", e.status),
        # Every try, across DLQ requeues (the event's own counter restarts with each).
        ("attempts", str(len(attempts))),
        ("last status code", str(e.last_status_code or "-")),
        ("last error", scrub(e.last_error) or "-"),
        ("last response", excerpt(last_response, RESPONSE_WIDTH) or "-"),
        ("next attempt", when_text(e.next_attempt_at)),
        ("sent", when_text(e.sent_at)),
        ("dead-lettered", when_text(e.dead_lettered_at)),
        ("fingerprint", e.error_fingerprint or "-"),
        ("created", when_text(e.created_at)),
    )
    rows = [
        Row(
            f"attempt:{a.id}",
            (
                a.number,
                when_text(a.attempted_at),
                a.status_code,
                a.latency_ms,
                # "HTTP 500: {"error": "..."}": what went wrong, in the receiver's words.
                excerpt(": ".join(filter(None, (a.error, a.response_excerpt))), 100),
            ),
        )  # fmt: skip
        for a in attempts
    ]
    columns = ("#", "at", "status", "ms", "error / response")
    return fields, table("attempts", "Delivery attempts", columns, rows)


def job_fields(job: FailedJob) -> tuple[tuple[str, str], ...]:
    tail = "\n".join(job.traceback.strip().splitlines()[-12:])
    return (
        ("rq job", job.id),
        ("queue", job.priority),
        ("function", job.func),
        ("arguments", json.dumps(job.kwargs, sort_keys=True)),
        ("failed", when_text(job.ended_at)),
        ("error", scrub(job.error) or "-"),
        ("fingerprint", job.fingerprint),
        ("traceback", scrub_lines(tail)),
    )


def scrub_lines(text: str) -> str:
    return "\n".join(scrub(line) for line in text.splitlines())
