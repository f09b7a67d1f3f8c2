"""What the console shows and can do, as plain immutable data (no Textual, no I/O).

The backend fills these; the app renders them. A snapshot is frozen, so a thread worker
can hand it to the UI thread without sharing anything mutable.

Row keys are stable strings that say what a row is, so the UI keeps its cursor on the
same row across refreshes and actions know their target:

    queue:<priority>   worker:<name>    periodic:<job>     tenant:<name>
    doc:<id>           event:<msg_id>   rq:<rq job id>     group:<fingerprint hash>
    endpoint:<id>      run:<id>         job:<name>         status:<status>
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

TABS = ("queues", "documents", "retries", "dlq", "tenants", "webhooks", "history", "review")


@dataclass(frozen=True)
class Bar:
    """Usage against a limit, drawn as a bar; ``limit`` None means unlimited."""

    used: int
    limit: int | None
    unit: str  # "docs" or "bytes"


Cell = str | int | float | Bar | None


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    total: int  # rows that matched before the display limit: "showing 200 of 100000"


@dataclass(frozen=True)
class Snapshot:
    tab: str
    taken_at: datetime
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = ()  # one-line facts under the tables, e.g. "paused: low"


@dataclass(frozen=True)
class Detail:
    """What `enter` on a row opens: labelled fields and tables (items, attempts, ...)."""

    title: str
    fields: tuple[tuple[str, str], ...]
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    choices: tuple[str, ...] | None = None  # a select when given, else free text
    default: str = ""
    help: str = ""


@dataclass(frozen=True)
class Action:
    """An operator action. ``kinds`` are the row-key prefixes it applies to; empty means
    it needs no row (it acts on everything, or on what its form names)."""

    id: str
    label: str
    tab: str | None  # None: offered on every tab (and in the command palette)
    kinds: tuple[str, ...]
    key: str | None  # shortcut on its tab
    destructive: bool = False
    fields: tuple[FormField, ...] = ()


# One key per category, so an operator decides a document with one keystroke.
REVIEW_KEYS = {"invoice": "i", "receipt": "t", "contract": "c", "identity_document": "d",
               "correspondence": "m", "other": "o"}  # fmt: skip

ACTIONS: tuple[Action, ...] = (
    Action("dlq.requeue", "Requeue", "dlq", ("group", "doc", "event", "rq"), "R"),
    Action("dlq.purge", "Purge", "dlq", ("group", "doc", "event", "rq"), "X", destructive=True),
    Action("dlq.requeue_all", "Requeue the whole DLQ", "dlq", (), None),
    Action("dlq.purge_all", "Purge the whole DLQ", "dlq", (), None, destructive=True),
    Action("retries.retry_now", "Retry now", "retries", ("doc",), "R"),
    Action("tenants.unblock", "Unblock uploads", "tenants", ("tenant",), "u"),
    Action("tenants.activate", "Activate billing", "tenants", ("tenant",), "a"),
    Action("webhooks.disable", "Disable endpoint", "webhooks", ("endpoint",), "d"),
    Action("webhooks.enable", "Enable endpoint", "webhooks", ("endpoint",), "e"),
    Action("queues.pause", "Pause queue", "queues", ("queue",), "P"),
    Action("queues.resume", "Resume queue", "queues", ("queue",), "U"),
    Action("review.accept", "Accept suggestion", "review", ("doc",), "a"),
    *(
        Action(
            f"review.{category}", f"File as {category.replace('_', ' ')}", "review", ("doc",), key
        )  # fmt: skip
        for category, key in REVIEW_KEYS.items()
    ),
    # Fields of the enqueue form are filled in by the backend from docflow.jobs.JOBS.
    Action("jobs.enqueue", "Enqueue a job now", None, (), "E"),
)


def action(action_id: str) -> Action:
    for candidate in ACTIONS:
        if candidate.id == action_id:
            return candidate
    raise KeyError(action_id)


def row_kind(key: str) -> str:
    return key.split(":", 1)[0]
