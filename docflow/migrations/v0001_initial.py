"""Schema version 1: the initial tables, frozen as they were at version 1.

Copied from ``docflow/models.py`` at the commit before ab139c3 (which introduced version 2);
``JSONField`` is the TEXT it stores. Do not edit: a schema change is a new migration.
"""

from __future__ import annotations

import peewee

from docflow.migrations._frozen import FrozenModel, Timestamp

VERSION = 1
NAME = "initial schema"


class Tenant(FrozenModel):
    name = peewee.CharField(unique=True, max_length=64)
    contact_email = peewee.CharField(null=True)
    created_at = Timestamp()


class Document(FrozenModel):
    tenant = peewee.ForeignKeyField(Tenant, on_delete="CASCADE", index=False)
    filename = peewee.CharField(max_length=255)
    content_type = peewee.CharField(max_length=127)
    size_bytes = peewee.BigIntegerField()
    storage_path = peewee.CharField(max_length=1024)
    status = peewee.CharField(max_length=16)
    category = peewee.CharField(max_length=32, null=True)
    confidence = peewee.FloatField(null=True)
    route = peewee.CharField(max_length=64, null=True)
    retry_count = peewee.IntegerField()
    next_retry_at = Timestamp(null=True)
    last_error = peewee.TextField(null=True)
    dead_letter_reason = peewee.TextField(null=True)
    claimed_by = peewee.CharField(max_length=128, null=True)
    lease_expires_at = Timestamp(null=True)
    retention_until = Timestamp(null=True)
    classified_at = Timestamp(null=True)
    dead_lettered_at = Timestamp(null=True)
    created_at = Timestamp()
    updated_at = Timestamp()

    class Meta:
        indexes = (
            (("status", "tenant"), False),
            (("status", "next_retry_at"), False),
            (("status", "lease_expires_at"), False),
            (("retention_until",), False),
            (("tenant", "status", "created_at", "size_bytes"), False),
        )


class TenantQuota(FrozenModel):
    tenant = peewee.ForeignKeyField(Tenant, unique=True, on_delete="CASCADE")
    max_documents = peewee.BigIntegerField(null=True)
    max_bytes = peewee.BigIntegerField(null=True)
    document_count = peewee.BigIntegerField()
    used_bytes = peewee.BigIntegerField()
    is_blocked = peewee.BooleanField()
    checked_at = Timestamp(null=True)


class TenantBilling(FrozenModel):
    tenant = peewee.ForeignKeyField(Tenant, unique=True, on_delete="CASCADE")
    status = peewee.CharField(max_length=16)
    grace_period_ends_at = Timestamp(null=True)
    suspended_at = Timestamp(null=True)
    updated_at = Timestamp()

    class Meta:
        indexes = ((("status", "grace_period_ends_at"), False),)


class WebhookEndpoint(FrozenModel):
    tenant = peewee.ForeignKeyField(Tenant, on_delete="CASCADE")
    url = peewee.CharField(max_length=2048)
    secret = peewee.CharField(max_length=128, null=True)
    previous_secret = peewee.CharField(max_length=128, null=True)
    previous_secret_expires_at = Timestamp(null=True)
    enabled = peewee.BooleanField()
    disabled_reason = peewee.TextField(null=True)
    created_at = Timestamp()


class WebhookEvent(FrozenModel):
    id = peewee.CharField(primary_key=True, max_length=40)
    tenant = peewee.ForeignKeyField(Tenant, on_delete="CASCADE", index=False)
    endpoint = peewee.ForeignKeyField(WebhookEndpoint, on_delete="CASCADE", null=True)
    type = peewee.CharField(max_length=64)
    payload = peewee.TextField()
    status = peewee.CharField(max_length=16)
    attempts = peewee.IntegerField()
    next_attempt_at = Timestamp(null=True)
    last_status_code = peewee.IntegerField(null=True)
    last_error = peewee.TextField(null=True)
    claimed_by = peewee.CharField(max_length=128, null=True)
    lease_expires_at = Timestamp(null=True)
    sent_at = Timestamp(null=True)
    dead_lettered_at = Timestamp(null=True)
    created_at = Timestamp()

    class Meta:
        indexes = (
            (("status", "next_attempt_at"), False),
            (("tenant", "status"), False),
        )


class WebhookAttempt(FrozenModel):
    event = peewee.ForeignKeyField(WebhookEvent, on_delete="CASCADE")
    number = peewee.IntegerField()
    attempted_at = Timestamp()
    status_code = peewee.IntegerField(null=True)
    latency_ms = peewee.IntegerField(null=True)
    response_excerpt = peewee.TextField(null=True)
    error = peewee.TextField(null=True)


class UsageReport(FrozenModel):
    tenant = peewee.ForeignKeyField(Tenant, on_delete="CASCADE", index=False)
    period = peewee.CharField(max_length=32)
    document_count = peewee.BigIntegerField()
    byte_count = peewee.BigIntegerField()
    idempotency_key = peewee.CharField(max_length=128, unique=True)
    status = peewee.CharField(max_length=16)
    attempts = peewee.IntegerField()
    last_error = peewee.TextField(null=True)
    claimed_by = peewee.CharField(max_length=128, null=True)
    lease_expires_at = Timestamp(null=True)
    sent_at = Timestamp(null=True)
    created_at = Timestamp()

    class Meta:
        indexes = ((("tenant", "period"), True), (("status",), False))


class AuditEvent(FrozenModel):
    at = Timestamp(index=True)
    actor = peewee.CharField(max_length=128)
    action = peewee.CharField(max_length=64)
    tenant = peewee.ForeignKeyField(Tenant, null=True, on_delete="SET NULL", index=False)
    subject_type = peewee.CharField(max_length=32)
    subject_id = peewee.CharField(max_length=64)
    details = peewee.TextField(null=True)

    class Meta:
        indexes = ((("subject_type", "subject_id"), False), (("tenant", "at"), False))


class JobRun(FrozenModel):
    job = peewee.CharField(max_length=64)
    rq_job_id = peewee.CharField(max_length=64, null=True)
    worker = peewee.CharField(max_length=128, null=True)
    args = peewee.TextField(null=True)
    started_at = Timestamp()
    finished_at = Timestamp(null=True)
    outcome = peewee.CharField(max_length=16)
    counts = peewee.TextField(null=True)
    error = peewee.TextField(null=True)

    class Meta:
        indexes = ((("job", "started_at"), False),)


MODELS = (
    Tenant,
    Document,
    TenantQuota,
    TenantBilling,
    WebhookEndpoint,
    WebhookEvent,
    WebhookAttempt,
    UsageReport,
    AuditEvent,
    JobRun,
)


def apply(db: peewee.Database) -> None:
    with db.bind_ctx(MODELS):
        db.create_tables(MODELS)
