"""Every DocFlow setting: its environment variable, default, unit and validation.

Each field of :class:`Settings` is one setting. Its metadata names the environment
variable that sets it and a one-line description; units are part of the names.
``Settings.from_env()`` reads and validates all of them at once, so a bad value is
reported at start-up, naming the variable and what it accepts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crontab import CronTab

from docflow.errors import ConfigError, InvalidArgument
from docflow.services.webhooks.signing import secret_key
from docflow.when import parse_duration

CATEGORIES = (
    "invoice",
    "receipt",
    "contract",
    "identity_document",
    "correspondence",
    "other",
)
MANUAL_REVIEW_ROUTE = "manual-review"


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"expected a whole number from {low} to {high}") from None
        if not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}")
        return value

    return parse


def _float_in(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"expected a number from {low} to {high}") from None
        if not low <= value <= high:
            raise ValueError(f"expected a number from {low} to {high}")
        return value

    return parse


def _database_url(raw: str) -> str:
    scheme = urlsplit(raw).scheme
    if scheme not in ("sqlite", "postgresql", "postgres"):
        raise ValueError(
            "expected sqlite:///relative/path.db, sqlite:////absolute/path.db "
            "or postgresql://user@host:5432/dbname"
        )
    if scheme == "sqlite" and not raw.startswith("sqlite:///"):
        raise ValueError("a SQLite URL needs three slashes: sqlite:///var/docflow.sqlite3")
    return raw


def _redis_url(raw: str) -> str:
    if urlsplit(raw).scheme not in ("redis", "rediss", "unix"):
        raise ValueError("expected redis://host:port/db, rediss://... or unix:///path")
    return raw


def _name(raw: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", raw):
        raise ValueError("expected lowercase letters, digits, '-' or '_', starting with a letter")
    return raw


def _dotted_path(raw: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", raw):
        raise ValueError(
            "expected module.path:ClassName, e.g. docflow.services.classifier:KeywordClassifier"
        )
    return raw


def _routes(raw: str) -> dict[str, str]:
    routes: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        category, sep, destination = part.partition("=")
        category, destination = category.strip(), destination.strip()
        if not sep or not category or not destination:
            raise ValueError(
                f"expected category=destination pairs separated by commas, got {part!r}"
            )
        routes[category] = destination
    missing = [c for c in CATEGORIES if c not in routes]
    if missing:
        raise ValueError(f"no route for {', '.join(missing)}; every category needs one")
    return routes


def _bool(raw: str) -> bool:
    value = raw.lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false (1/0, yes/no, on/off)")


def _optional_webhook_secret(raw: str) -> str | None:
    if not raw:
        return None
    try:
        secret_key(raw)
    except InvalidArgument as exc:
        raise ValueError(str(exc)) from None
    return raw


def _optional_http_url(raw: str) -> str | None:
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("expected an http:// or https:// URL, or empty for none")
    return raw


def _optional_smtp_url(raw: str) -> str | None:
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("smtp", "smtps", "smtp+starttls") or not parts.hostname:
        raise ValueError(
            "expected smtp://[user:password@]host[:port], smtps://... or smtp+starttls://..."
        )
    try:
        parts.port  # noqa: B018 - parsing it is the check
    except ValueError:
        raise ValueError("the SMTP port must be a number") from None
    return raw


def _usage_period(raw: str) -> str:
    if raw not in ("hour", "day", "month"):
        raise ValueError("expected hour, day or month")
    return raw


def _text(raw: str) -> str:
    if not raw:
        raise ValueError("must not be empty")
    return raw.replace("\\n", "\n")


def _durations(raw: str) -> tuple[float, ...]:
    delays = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        try:
            delays.append(parse_duration(part))
        except ValueError:
            raise ValueError(
                f"expected durations like 5s,5m,2h,1d separated by commas, got {part!r}"
            ) from None
    if not delays or len(delays) > 50:
        raise ValueError("expected 1 to 50 durations like 5s,5m,2h")
    return tuple(delays)


def _log_level(raw: str) -> str:
    level = raw.upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ValueError("expected DEBUG, INFO, WARNING or ERROR")
    return level


def _cron(raw: str) -> str | None:
    if raw.lower() in ("", "off"):
        return None
    parts = raw.split()
    # Seven fields (second first, year last) is the crontab package's form for sub-minute
    # cadences, which demos and tests use.
    if len(parts) not in (5, 7):
        raise ValueError(
            "expected 5 cron fields (minute hour day month weekday, in UTC), "
            "e.g. '*/5 * * * *', or 7 with seconds first and year last, "
            f"e.g. '*/10 * * * * * *', or off; got {len(parts)}"
        )
    cron = " ".join(parts)
    try:
        # An aware `now` keeps crontab in UTC and out of its FutureWarning about naive times.
        fires_in = CronTab(cron).next(now=datetime.now(UTC), default_utc=True)
    except ValueError as exc:
        raise ValueError(f"not a valid cron string: {exc}") from None
    if fires_in is None:
        raise ValueError("this cron string never fires (no such date); check day and month")
    return cron


def setting(
    env: str, default: str, parse: Callable[[str], Any], doc: str, *, secret: bool = False
) -> Any:
    return field(
        metadata={"env": env, "default": default, "parse": parse, "doc": doc, "secret": secret}
    )


@dataclass(frozen=True)
class Settings:
    database_url: str = setting(
        "DOCFLOW_DATABASE_URL",
        "sqlite:///var/docflow.sqlite3",
        _database_url,
        "Database: sqlite:///path (WAL, the default, under ./var/) or postgresql://user@host/db.",
    )
    redis_url: str = setting(
        "DOCFLOW_REDIS_URL", "redis://127.0.0.1:6379/0", _redis_url, "Redis holding the RQ queues."
    )
    storage_root: Path = setting(
        "DOCFLOW_STORAGE_ROOT",
        "var/storage",
        Path,
        "Folder that holds uploaded files, one subfolder per tenant.",
    )
    queue_prefix: str = setting(
        "DOCFLOW_QUEUE_PREFIX",
        "docflow",
        _name,
        "Prefix of the RQ queue names: <prefix>-high, -default, -low.",
    )
    lease_seconds: int = setting(
        "DOCFLOW_LEASE_SECONDS",
        "300",
        _int_in(1, 86_400),
        "How long a claimed row stays claimed before another worker may take it.",
    )
    classify_batch_size: int = setting(
        "DOCFLOW_CLASSIFY_BATCH_SIZE",
        "100",
        _int_in(1, 10_000),
        "Documents claimed per batch by classify_documents.",
    )
    classify_time_budget_seconds: float = setting(
        "DOCFLOW_CLASSIFY_TIME_BUDGET_SECONDS",
        "120",
        _float_in(0, 3_600),
        "How long one classify_documents run keeps draining batches.",
    )
    retry_batch_size: int = setting(
        "DOCFLOW_RETRY_BATCH_SIZE",
        "50",
        _int_in(1, 10_000),
        "Failed documents handled per batch by retry_failed_documents.",
    )
    max_retries: int = setting(
        "DOCFLOW_MAX_RETRIES",
        "3",
        _int_in(0, 100),
        "Retries of a failed document before it goes to the dead-letter queue.",
    )
    retry_base_seconds: float = setting(
        "DOCFLOW_RETRY_BASE_SECONDS",
        "30",
        _float_in(0, 86_400),
        "First retry delay of a failed document; doubles per retry, with full jitter.",
    )
    retry_cap_seconds: float = setting(
        "DOCFLOW_RETRY_CAP_SECONDS",
        "3600",
        _float_in(0, 604_800),
        "Longest delay between two retries of a failed document.",
    )
    retry_deadline_seconds: float = setting(
        "DOCFLOW_RETRY_DEADLINE_SECONDS",
        "86400",
        _float_in(0, 2_592_000),
        "Age after which a failing document is dead-lettered whatever its retry count.",
    )
    max_upload_bytes: int = setting(
        "DOCFLOW_MAX_UPLOAD_BYTES",
        str(10 * 1024 * 1024),
        _int_in(1, 1 << 34),
        "Largest file `docflow upload` accepts.",
    )
    classifier: str = setting(
        "DOCFLOW_CLASSIFIER",
        "docflow.services.classifier:KeywordClassifier",
        _dotted_path,
        "Classifier class, as module.path:ClassName.",
    )
    classifier_read_bytes: int = setting(
        "DOCFLOW_CLASSIFIER_READ_BYTES",
        "65536",
        _int_in(1_024, 1 << 30),
        "Bytes of a file the classifier reads; the rest of a large file is ignored.",
    )
    min_confidence_ratio: float = setting(
        "DOCFLOW_MIN_CONFIDENCE_RATIO",
        "0.5",
        _float_in(0, 1),
        "Below this confidence a document is routed to manual-review.",
    )
    routes: dict[str, str] = setting(
        "DOCFLOW_ROUTES",
        "invoice=accounts-payable,receipt=expenses,contract=legal,"
        "identity_document=kyc,correspondence=mailroom,other=manual-review",
        _routes,
        "Where each category is routed, as category=destination pairs.",
    )
    job_timeout_seconds: int = setting(
        "DOCFLOW_JOB_TIMEOUT_SECONDS",
        "900",
        _int_in(10, 86_400),
        "RQ kills a job that runs longer than this.",
    )
    result_ttl_seconds: int = setting(
        "DOCFLOW_RESULT_TTL_SECONDS",
        "86400",
        _int_in(0, 2_592_000),
        "How long RQ keeps a finished job's result.",
    )
    failure_ttl_seconds: int = setting(
        "DOCFLOW_FAILURE_TTL_SECONDS",
        "604800",
        _int_in(0, 31_536_000),
        "How long RQ keeps a failed job in its failed registry for inspection and requeue.",
    )
    sqlite_busy_timeout_ms: int = setting(
        "DOCFLOW_SQLITE_BUSY_TIMEOUT_MS",
        "30000",
        _int_in(0, 600_000),
        "How long a SQLite writer waits for the lock before failing.",
    )
    webhook_secret: str | None = setting(
        "DOCFLOW_WEBHOOK_SECRET",
        "",
        _optional_webhook_secret,
        "Signing secret (whsec_...) for endpoints that have none of their own; empty for none.",
        secret=True,
    )
    webhook_allow_private: bool = setting(
        "DOCFLOW_WEBHOOK_ALLOW_PRIVATE",
        "false",
        _bool,
        "Allow webhook URLs on loopback/private addresses (tests and local demos only).",
    )
    webhook_retry_schedule: tuple[float, ...] = setting(
        "DOCFLOW_WEBHOOK_RETRY_SCHEDULE",
        "5s,5m,30m,2h,5h,10h,14h,20h,24h",
        _durations,
        "Delays before each webhook retry after the first attempt; after the last, the DLQ.",
    )
    webhook_batch_size: int = setting(
        "DOCFLOW_WEBHOOK_BATCH_SIZE",
        "100",
        _int_in(1, 10_000),
        "Events claimed per batch by deliver_webhooks.",
    )
    webhook_concurrency: int = setting(
        "DOCFLOW_WEBHOOK_CONCURRENCY",
        "16",
        _int_in(1, 256),
        "Deliveries in flight at once in one deliver_webhooks run.",
    )
    webhook_time_budget_seconds: float = setting(
        "DOCFLOW_WEBHOOK_TIME_BUDGET_SECONDS",
        "120",
        _float_in(0, 3_600),
        "How long one deliver_webhooks run keeps claiming batches.",
    )
    webhook_connect_timeout_seconds: float = setting(
        "DOCFLOW_WEBHOOK_CONNECT_TIMEOUT_SECONDS",
        "5",
        _float_in(0.1, 60),
        "Longest wait to connect to a webhook receiver.",
    )
    webhook_deadline_seconds: float = setting(
        "DOCFLOW_WEBHOOK_DEADLINE_SECONDS",
        "15",
        _float_in(0.1, 300),
        "Longest a whole webhook attempt may take, slow receivers included.",
    )
    webhook_max_response_bytes: int = setting(
        "DOCFLOW_WEBHOOK_MAX_RESPONSE_BYTES",
        "65536",
        _int_in(0, 10_485_760),
        "Most bytes of a receiver's response read; the rest is dropped.",
    )
    webhook_rotation_overlap_seconds: int = setting(
        "DOCFLOW_WEBHOOK_ROTATION_OVERLAP_SECONDS",
        "86400",
        _int_in(0, 2_592_000),
        "How long a rotated-out secret keeps signing beside the new one.",
    )
    retention_days: int = setting(
        "DOCFLOW_RETENTION_DAYS",
        "365",
        _int_in(1, 36_500),
        "How long an uploaded document is kept before cleanup_expired_documents removes it.",
    )
    cleanup_batch_size: int = setting(
        "DOCFLOW_CLEANUP_BATCH_SIZE",
        "500",
        _int_in(1, 10_000),
        "Expired documents handled per batch by cleanup.",
    )
    billing_url: str | None = setting(
        "DOCFLOW_BILLING_URL",
        "",
        _optional_http_url,
        "Billing service endpoint usage reports are POSTed to; empty to record them locally only.",
    )
    billing_token: str | None = setting(
        "DOCFLOW_BILLING_TOKEN",
        "",
        lambda raw: raw or None,
        "Bearer token for the billing service; empty for none.",
        secret=True,
    )
    billing_timeout_seconds: float = setting(
        "DOCFLOW_BILLING_TIMEOUT_SECONDS",
        "10",
        _float_in(0.1, 300),
        "Longest one usage report POST may take.",
    )
    usage_period: str = setting(
        "DOCFLOW_USAGE_PERIOD",
        "hour",
        _usage_period,
        "Reporting period of usage reports: hour, day or month.",
    )
    smtp_url: str | None = setting(
        "DOCFLOW_SMTP_URL",
        "",
        _optional_smtp_url,
        "SMTP server for tenant notices, smtp://user:password@host:port; empty to send no email.",
        secret=True,
    )
    smtp_timeout_seconds: float = setting(
        "DOCFLOW_SMTP_TIMEOUT_SECONDS",
        "10",
        _float_in(0.1, 300),
        "Longest wait for the SMTP server.",
    )
    email_sender: str = setting(
        "DOCFLOW_EMAIL_SENDER",
        "DocFlow <noreply@docflow.invalid>",
        _text,
        "From address of tenant notices.",
    )
    suspension_subject: str = setting(
        "DOCFLOW_SUSPENSION_SUBJECT",
        "Your DocFlow account {tenant} is now read-only",
        _text,
        "Subject of the suspension notice; {tenant} is replaced.",
    )
    suspension_template: str = setting(
        "DOCFLOW_SUSPENSION_TEMPLATE",
        "Hello {tenant},\\n\\nyour payment grace period ended on {grace_period_ends_at}. "
        "Your account is now read-only: documents stay available, but new uploads are refused "
        "until your account is brought up to date.\\n\\nThe DocFlow team",
        _text,
        "Body of the suspension notice; {tenant} and {grace_period_ends_at} are replaced; \\n for new lines.",
    )
    scheduler_interval_seconds: float = setting(
        "DOCFLOW_SCHEDULER_INTERVAL_SECONDS",
        "1",
        _float_in(0.1, 60),
        "How often `docflow scheduler` looks for periodic jobs that are due.",
    )
    schedule_classify_documents: str | None = setting(
        "DOCFLOW_SCHEDULE_CLASSIFY_DOCUMENTS",
        "* * * * *",
        _cron,
        "When the scheduler enqueues classify_documents: a cron string in UTC (5 fields, or 7 with seconds), or off.",
    )
    schedule_retry_failed_documents: str | None = setting(
        "DOCFLOW_SCHEDULE_RETRY_FAILED_DOCUMENTS",
        "*/5 * * * *",
        _cron,
        "When the scheduler enqueues retry_failed_documents: a cron string in UTC (5 fields, or 7 with seconds), or off.",
    )
    schedule_report_usage: str | None = setting(
        "DOCFLOW_SCHEDULE_REPORT_USAGE",
        "0 * * * *",
        _cron,
        "When the scheduler enqueues report_usage: a cron string in UTC (5 fields, or 7 with seconds), or off.",
    )
    schedule_cleanup_expired_documents: str | None = setting(
        "DOCFLOW_SCHEDULE_CLEANUP_EXPIRED_DOCUMENTS",
        "0 3 * * *",
        _cron,
        "When the scheduler enqueues cleanup_expired_documents: a cron string in UTC (5 fields, or 7 with seconds), or off.",
    )
    schedule_check_quotas: str | None = setting(
        "DOCFLOW_SCHEDULE_CHECK_QUOTAS",
        "15 * * * *",
        _cron,
        "When the scheduler enqueues check_quotas: a cron string in UTC (5 fields, or 7 with seconds), or off.",
    )
    schedule_suspend_tenants: str | None = setting(
        "DOCFLOW_SCHEDULE_SUSPEND_TENANTS",
        "30 * * * *",
        _cron,
        "When the scheduler enqueues suspend_tenants: a cron string in UTC (5 fields, or 7 with seconds), or off.",
    )
    schedule_deliver_webhooks: str | None = setting(
        "DOCFLOW_SCHEDULE_DELIVER_WEBHOOKS",
        "* * * * *",
        _cron,
        "When the scheduler enqueues deliver_webhooks: a cron string in UTC (5 fields, or 7 with seconds), or off.",
    )
    log_level: str = setting(
        "DOCFLOW_LOG_LEVEL", "INFO", _log_level, "Logging level of workers and commands."
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from ``env`` (default: the process environment) and validate it."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        problems: list[str] = []
        for f in fields(cls):
            meta = f.metadata
            raw = env.get(meta["env"], meta["default"])
            try:
                values[f.name] = meta["parse"](raw.strip())
            except ValueError as exc:
                shown = "(value hidden)" if meta["secret"] else repr(raw)
                problems.append(f"{meta['env']}={shown}: {exc}")
        for budget in ("classify_time_budget_seconds", "webhook_time_budget_seconds"):
            if not problems and values[budget] >= values["job_timeout_seconds"]:
                problems.append(
                    f"DOCFLOW_{budget.upper()} must be below DOCFLOW_JOB_TIMEOUT_SECONDS, "
                    "or RQ kills runs before their budget is spent"
                )
        if problems:
            raise ConfigError("invalid settings:\n  " + "\n  ".join(problems))
        return cls(**values)

    def env(self) -> dict[str, str]:
        """These settings as environment variables, for starting worker processes."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict):
                value = ",".join(f"{k}={v}" for k, v in value.items())
            elif isinstance(value, tuple):
                value = ",".join(f"{v:g}s" for v in value)
            elif value is None:
                value = ""
            out[f.metadata["env"]] = str(value)
        return out


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, description) of every setting, for docs and `docflow settings`."""
    return [(f.metadata["env"], f.metadata["default"], f.metadata["doc"]) for f in fields(Settings)]
