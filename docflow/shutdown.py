"""Whether this process was asked to stop after the batch it is on (a warm shutdown).

A run claims batch after batch (:func:`docflow.claim.batches`) until its backlog or its
time budget is gone, which can be minutes; a supervisor's stop timeout is seconds
(Kubernetes 30, ``docker stop`` 10). The worker's SIGTERM handler asks its work-horse to
stop (:data:`SIGNAL`), the run finishes the batch in hand, writes it and claims no more,
so the rows it did not take are free for other workers at once, not after a lease.
"""

from __future__ import annotations

import signal
import time
from types import FrameType

SIGNAL = signal.SIGUSR1
"""Sent by a worker to its work-horse; RQ uses SIGTERM and SIGKILL for horses, never this."""

_requested_at: float | None = None


def request(signum: int | None = None, frame: FrameType | None = None) -> None:
    """Ask the runs of this process to stop after their current batch (a signal handler)."""
    global _requested_at
    if _requested_at is None:
        _requested_at = time.monotonic()


def requested() -> bool:
    return _requested_at is not None


def seconds_since_request() -> float | None:
    """How long ago the stop was asked for; None if it was not."""
    return None if _requested_at is None else time.monotonic() - _requested_at


def listen() -> None:
    """Take :data:`SIGNAL` as a stop request from here on (in a work-horse)."""
    signal.signal(SIGNAL, request)


def reset() -> None:
    """Forget an earlier request: a new process image, or a test."""
    global _requested_at
    _requested_at = None
