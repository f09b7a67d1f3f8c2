"""Topics: the kinds of work a lower layer can say exist, without naming the job that does it.

The domain (an upload, a DLQ requeue) calls :func:`docflow.registry.wake` with a topic;
the jobs declared with ``wakes_on=`` that topic get a run. A new topic is a constant here.
"""

from __future__ import annotations

DOCUMENTS_PENDING = "documents.pending"
"""Documents wait in Pending for classification."""

RETRIES_DUE = "retries.due"
"""Failed documents are due for their retry now."""

EVENTS_PENDING = "webhook_events.pending"
"""Webhook events wait in the outbox for delivery."""
