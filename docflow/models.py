"""Peewee models: every table of DocFlow's data model, designed once.

Times are stored as UTC and always come back timezone-aware (:class:`UTCDateTimeField`).
The schema itself is created and upgraded by :mod:`docflow.migrations`, not here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, overload

import peewee

from docflow.db import database


def utcnow() -> datetime:
    return datetime.now(UTC)


# What a number typed by an operator must fit before it reaches a column (or a query on
# one): beyond it SQLite raises OverflowError and PostgreSQL "out of range".
BIGINT_MAX = 2**63 - 1
"""The largest value of a BigIntegerField, on both backends."""
ID_MAX = 2**31 - 1
"""The largest id of an AutoField: PostgreSQL's serial is a 32-bit integer."""


_DT = TypeVar("_DT", datetime, datetime | None)


class UTCDateTimeField(peewee.Field, Generic[_DT]):
    """A timestamp stored as UTC text on SQLite and TIMESTAMPTZ on PostgreSQL.

    The fixed-width text form sorts and compares correctly in SQL on SQLite, so the
    claim queries can compare leases and retry times in the database on both backends.
    Naive datetimes are refused: they are the bug this field exists to prevent.
    """

    field_type = "TIMESTAMPTZ"

    if TYPE_CHECKING:
        # What peewee-stubs declares for its own fields: null=True makes the value Optional.
        @overload
        def __new__(
            cls, *args: object, null: Literal[True], **kwargs: object
        ) -> UTCDateTimeField[datetime | None]: ...
        @overload
        def __new__(
            cls, *args: object, null: Literal[False] = ..., **kwargs: object
        ) -> UTCDateTimeField[datetime]: ...
        # Callers only ever see the overloads above.
        def __new__(cls, *args: object, **kwargs: object) -> UTCDateTimeField[Any]: ...
        @overload
        def __get__(self, instance: None, owner: object) -> Self: ...
        @overload
        def __get__(self, instance: object, owner: object) -> _DT: ...
        def __get__(self, instance: object, owner: object) -> Self | _DT: ...
        def __set__(self, instance: object, value: _DT) -> None: ...

    def db_value(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        return to_db_time(value)

    def python_value(self, value: str | datetime | None) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def to_db_time(value: datetime) -> str:
    """``value`` as the fixed-width UTC text both backends store and compare."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise TypeError(f"expected a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


class JSONField(peewee.TextField):
    def db_value(self, value: object) -> str | None:
        return None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"))

    def python_value(self, value: str | None) -> object:
        return None if value is None else json.loads(value)


class BaseModel(peewee.Model):
    """Every model declares the ``id`` peewee would create implicitly, and annotates the
    ``<name>_id`` accessor of each foreign key, so that the type checker knows both."""

    class Meta:
        database = database
        legacy_table_names = False


class DocumentStatus:
    PENDING = "Pending"
    PROCESSING = "Processing"
    CLASSIFIED = "Classified"
    FAILED = "Failed"
    DEAD_LETTERED = "DeadLettered"
    EXPIRED = "Expired"
    ALL = (PENDING, PROCESSING, CLASSIFIED, FAILED, DEAD_LETTERED, EXPIRED)


class BillingStatus:
    ACTIVE = "Active"
    GRACE_PERIOD = "GracePeriod"
    READ_ONLY = "ReadOnly"
    ALL = (ACTIVE, GRACE_PERIOD, READ_ONLY)


class ReportStatus:
    PENDING = "Pending"
    SENT = "Sent"
    FAILED = "Failed"
    RECORDED = "Recorded"  # kept locally: no billing service configured
    ALL = (PENDING, SENT, FAILED, RECORDED)


class EventStatus:
    PENDING = "Pending"
    SENT = "Sent"
    FAILED = "Failed"
    DEAD_LETTERED = "DeadLettered"
    ALL = (PENDING, SENT, FAILED, DEAD_LETTERED)


class SchemaVersion(BaseModel):
    version = peewee.IntegerField(primary_key=True)
    name = peewee.CharField()
    applied_at = UTCDateTimeField(default=utcnow)


class Tenant(BaseModel):
    id = peewee.AutoField()
    name = peewee.CharField(unique=True, max_length=64)
    contact_email = peewee.CharField(null=True)
    created_at = UTCDateTimeField(default=utcnow)


class Document(BaseModel):
    id = peewee.AutoField()
    tenant = peewee.ForeignKeyField(Tenant, backref="documents", on_delete="CASCADE", index=False)
    tenant_id: int
    filename = peewee.CharField(max_length=255)
    content_type = peewee.CharField(max_length=127)
    size_bytes = peewee.BigIntegerField()
    storage_path = peewee.CharField(max_length=1024)
    # The email a document was attached to; its attachments outlive it (SET NULL).
    parent = peewee.ForeignKeyField("self", null=True, backref="attachments", on_delete="SET NULL")
    parent_id: int | None
    status = peewee.CharField(max_length=16, default=DocumentStatus.PENDING)
    category = peewee.CharField(max_length=32, null=True)
    confidence = peewee.FloatField(null=True)
    route = peewee.CharField(max_length=64, null=True)
    # The classifier's top categories and their probabilities, for the review queue.
    suggestions = JSONField(null=True)
    retry_count = peewee.IntegerField(default=0)
    next_retry_at = UTCDateTimeField(null=True)
    # When the current run of failures began: the retry deadline counts from it, so a
    # document uploaded long ago still gets its retries. Cleared by success and by a
    # requeue from the DLQ.
    first_failed_at = UTCDateTimeField(null=True)
    last_error = peewee.TextField(null=True)
    dead_letter_reason = peewee.TextField(null=True)
    # Set with DeadLettered (docflow.fingerprint), so the DLQ groups in SQL.
    error_fingerprint = peewee.CharField(max_length=255, null=True)
    claimed_by = peewee.CharField(max_length=128, null=True)
    lease_expires_at = UTCDateTimeField(null=True)
    retention_until = UTCDateTimeField(null=True)
    classified_at = UTCDateTimeField(null=True)
    dead_lettered_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("status", "tenant"), False),
            (("status", "next_retry_at"), False),
            (("status", "lease_expires_at"), False),
            (("retention_until",), False),
            # Covers the per-tenant usage aggregates (check_quotas, report_usage), so they
            # read the index alone instead of a million table rows.
            (("tenant", "status", "created_at", "size_bytes"), False),
            (("status", "error_fingerprint", "dead_lettered_at"), False),
            # The review queue, oldest first, and the classification metrics' grouping.
            (("route", "status", "created_at"), False),
            (("status", "category", "route"), False),
        )


class DocumentContent(BaseModel):
    """The text extracted from a document, once: retries, re-classification, training and
    review read it here instead of extracting (or OCRing) again."""

    document = peewee.ForeignKeyField(
        Document, primary_key=True, backref="contents", on_delete="CASCADE"
    )
    document_id: int
    text = peewee.TextField()
    format = peewee.CharField(max_length=16)
    method = peewee.CharField(max_length=32)
    pages = peewee.IntegerField()
    language = peewee.CharField(max_length=8, null=True)
    einvoice = peewee.BooleanField(default=False)
    warnings = JSONField(null=True)
    extracted_at = UTCDateTimeField(default=utcnow)


class LabelSource:
    OPERATOR = "operator"
    IMPORT = "import"
    ALL = (OPERATOR, IMPORT)


class Label(BaseModel):
    """What a document really is, as an operator decided or an import said; the newest
    label of a document wins. Labels are what the classifier learns from."""

    id = peewee.AutoField()
    document = peewee.ForeignKeyField(Document, backref="labels", on_delete="CASCADE", index=False)
    document_id: int
    tenant = peewee.ForeignKeyField(Tenant, on_delete="CASCADE", index=False)
    tenant_id: int
    category = peewee.CharField(max_length=32)
    source = peewee.CharField(max_length=16)
    actor = peewee.CharField(max_length=128)
    at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("tenant", "document", "at"), False), (("document", "at"), False))


class ClassifierModel(BaseModel):
    """A trained model, stored as data (:mod:`docflow.services.learning.model`), per scope:
    ``shared`` or ``tenant:<id>``. The newest version of a scope is the one used."""

    id = peewee.AutoField()
    scope = peewee.CharField(max_length=64)
    version = peewee.IntegerField()
    created_at = UTCDateTimeField(default=utcnow)
    labels_hash = peewee.CharField(max_length=64)
    label_counts = JSONField()
    metrics = JSONField()
    thresholds = JSONField()
    blob = peewee.BlobField()

    class Meta:
        indexes = ((("scope", "version"), True),)


class TenantQuota(BaseModel):
    id = peewee.AutoField()
    tenant = peewee.ForeignKeyField(Tenant, backref="quota", unique=True, on_delete="CASCADE")
    tenant_id: int
    max_documents = peewee.BigIntegerField(null=True)
    max_bytes = peewee.BigIntegerField(null=True)
    document_count = peewee.BigIntegerField(default=0)
    used_bytes = peewee.BigIntegerField(default=0)
    is_blocked = peewee.BooleanField(default=False)
    checked_at = UTCDateTimeField(null=True)


class TenantBilling(BaseModel):
    id = peewee.AutoField()
    tenant = peewee.ForeignKeyField(Tenant, backref="billing", unique=True, on_delete="CASCADE")
    tenant_id: int
    status = peewee.CharField(max_length=16, default=BillingStatus.ACTIVE)
    grace_period_ends_at = UTCDateTimeField(null=True)
    suspended_at = UTCDateTimeField(null=True)
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("status", "grace_period_ends_at"), False),)


class WebhookEndpoint(BaseModel):
    id = peewee.AutoField()
    tenant = peewee.ForeignKeyField(Tenant, backref="webhook_endpoints", on_delete="CASCADE")
    tenant_id: int
    url = peewee.CharField(max_length=2048)
    secret = peewee.CharField(max_length=128, null=True)
    previous_secret = peewee.CharField(max_length=128, null=True)
    previous_secret_expires_at = UTCDateTimeField(null=True)
    enabled = peewee.BooleanField(default=True)
    disabled_reason = peewee.TextField(null=True)
    created_at = UTCDateTimeField(default=utcnow)


class WebhookEvent(BaseModel):
    id = peewee.CharField(primary_key=True, max_length=40)
    tenant = peewee.ForeignKeyField(
        Tenant, backref="webhook_events", on_delete="CASCADE", index=False
    )
    tenant_id: int
    endpoint = peewee.ForeignKeyField(
        WebhookEndpoint, backref="events", on_delete="CASCADE", null=True
    )
    endpoint_id: int | None
    type = peewee.CharField(max_length=64)
    payload = peewee.TextField()
    status = peewee.CharField(max_length=16, default=EventStatus.PENDING)
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = UTCDateTimeField(null=True)
    last_status_code = peewee.IntegerField(null=True)
    last_error = peewee.TextField(null=True)
    # Set with DeadLettered (docflow.fingerprint), so the DLQ groups in SQL.
    error_fingerprint = peewee.CharField(max_length=255, null=True)
    claimed_by = peewee.CharField(max_length=128, null=True)
    lease_expires_at = UTCDateTimeField(null=True)
    sent_at = UTCDateTimeField(null=True)
    dead_lettered_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("status", "next_attempt_at"), False),
            (("tenant", "status"), False),
            (("status", "error_fingerprint", "dead_lettered_at"), False),
            (("created_at",), False),
        )


class WebhookAttempt(BaseModel):
    id = peewee.AutoField()
    event = peewee.ForeignKeyField(WebhookEvent, backref="attempt_log", on_delete="CASCADE")
    event_id: str
    number = peewee.IntegerField()
    attempted_at = UTCDateTimeField(default=utcnow)
    status_code = peewee.IntegerField(null=True)
    latency_ms = peewee.IntegerField(null=True)
    response_excerpt = peewee.TextField(null=True)
    error = peewee.TextField(null=True)


class UsageReport(BaseModel):
    id = peewee.AutoField()
    tenant = peewee.ForeignKeyField(
        Tenant, backref="usage_reports", on_delete="CASCADE", index=False
    )
    tenant_id: int
    period = peewee.CharField(max_length=32)
    document_count = peewee.BigIntegerField()
    byte_count = peewee.BigIntegerField()
    idempotency_key = peewee.CharField(max_length=128, unique=True)
    status = peewee.CharField(max_length=16, default=ReportStatus.PENDING)
    attempts = peewee.IntegerField(default=0)
    last_error = peewee.TextField(null=True)
    claimed_by = peewee.CharField(max_length=128, null=True)
    lease_expires_at = UTCDateTimeField(null=True)
    sent_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("tenant", "period"), True), (("status",), False))


class AuditEvent(BaseModel):
    id = peewee.AutoField()
    at = UTCDateTimeField(default=utcnow, index=True)
    actor = peewee.CharField(max_length=128)
    action = peewee.CharField(max_length=64)
    tenant = peewee.ForeignKeyField(Tenant, null=True, on_delete="SET NULL", index=False)
    tenant_id: int | None
    subject_type = peewee.CharField(max_length=32)
    subject_id = peewee.CharField(max_length=64)
    details = JSONField(null=True)

    class Meta:
        indexes = ((("subject_type", "subject_id"), False), (("tenant", "at"), False))


class JobRun(BaseModel):
    id = peewee.AutoField()
    job = peewee.CharField(max_length=64)
    rq_job_id = peewee.CharField(max_length=64, null=True)
    worker = peewee.CharField(max_length=128, null=True)
    args = JSONField(null=True)
    started_at = UTCDateTimeField(default=utcnow)
    finished_at = UTCDateTimeField(null=True)
    outcome = peewee.CharField(max_length=16, default="running")
    counts = JSONField(null=True)
    error = peewee.TextField(null=True)
    heartbeat_at = UTCDateTimeField(null=True)
    """Written at the start and with every batch: a running row whose heartbeat is older
    than the lease has lost its worker (see ``docflow.runs.reap``)."""

    class Meta:
        indexes = ((("job", "started_at"), False), (("outcome", "heartbeat_at"), False))


ALL_MODELS = (
    SchemaVersion,
    Tenant,
    Document,
    DocumentContent,
    Label,
    ClassifierModel,
    TenantQuota,
    TenantBilling,
    WebhookEndpoint,
    WebhookEvent,
    WebhookAttempt,
    UsageReport,
    AuditEvent,
    JobRun,
)
