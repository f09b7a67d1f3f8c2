"""Pausing and resuming a queue on an operator's word, audited.

The pause itself is Redis plumbing (:func:`docflow.queues.pause`); this is the domain
action around it, which also writes the audit row, so it needs an open database.
"""

from __future__ import annotations

from datetime import datetime

import redis

from docflow.audit import record_many
from docflow.queues import pause, queue_name, resume, take_held
from docflow.registry import get_job
from docflow.settings import Settings


def set_paused(
    conn: redis.Redis,
    settings: Settings,
    priority: str,
    pause_it: bool,
    *,
    actor: str,
    now: datetime,
) -> bool:
    """Pause or resume a queue and audit it; False if it already was. Resuming puts back
    the runs that workers which know no pauses held meanwhile (see ``queues.hold``)."""
    changed = (pause if pause_it else resume)(conn, settings, priority)
    if not pause_it:
        for name, args in take_held(conn, settings, priority):
            get_job(name, settings).enqueue(conn, settings, args, priority=priority)
    if changed:
        action = "queue.paused" if pause_it else "queue.resumed"
        record_many(actor, action, [("queue", queue_name(settings, priority), None, None)], at=now)
    return changed
