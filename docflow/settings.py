"""Every DocFlow setting: its environment variable, default, unit and validation.

Each field of :class:`Settings` is one setting. Its metadata names the environment
variable that sets it and a one-line description; units are part of the names.
``Settings.from_env()`` reads and validates all of them at once, so a bad value is
reported at start-up, naming the variable and what it accepts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from docflow import parse
from docflow.errors import ConfigError
from docflow.parse import CATEGORIES
from docflow.redaction import redact, redact_url
from docflow.timefmt import when_text

__all__ = [
    "CATEGORIES",
    "MANUAL_REVIEW_ROUTE",
    "SCHEDULE_PREFIX",
    "Settings",
    "current",
    "describe",
    "suspension_values",
]

MANUAL_REVIEW_ROUTE = "manual-review"
SCHEDULE_PREFIX = "DOCFLOW_SCHEDULE_"


T = TypeVar("T")


def setting(
    env: str,
    default: str,
    parse: Callable[[str], T],
    doc: str,
    *,
    secret: bool = False,
    url: bool = False,
) -> T:
    """A field of :class:`Settings` read from ``env``. Typed as what ``parse`` returns, which
    is what the field holds once ``from_env`` has run, so the type checker matches the two.
    A ``url`` setting's value is shown with its password masked, parsable or not."""
    metadata = {"env": env, "default": default, "parse": parse, "doc": doc, "secret": secret}
    return cast(T, field(metadata={**metadata, "url": url}))


def suspension_values(tenant: str, grace_period_ends_at: datetime) -> dict[str, str]:
    """What the suspension notice's placeholders are filled with: by suspend_tenants, and
    with a sample when the settings are read, so a template that loads is one that renders."""
    return {"tenant": tenant, "grace_period_ends_at": when_text(grace_period_ends_at)}


_SUSPENSION_SAMPLE = suspension_values("acme", datetime(2026, 1, 31, tzinfo=UTC))


def settings_by_prefix(prefix: str, parse: Callable[[str], T]) -> dict[str, T]:
    """A field of :class:`Settings` holding every ``<prefix><NAME>`` variable, parsed."""
    return cast(
        dict[str, T], field(metadata={"env_prefix": prefix, "parse": parse, "secret": False})
    )


@dataclass(frozen=True)
class Settings:
    database_url: str = setting(
        "DOCFLOW_DATABASE_URL",
        "sqlite:///var/docflow.sqlite3",
        parse.database_url,
        "Database: sqlite:///path (WAL, the default, under ./var/) or postgresql://user@host/db.",
        url=True,
    )
    redis_url: str = setting(
        "DOCFLOW_REDIS_URL",
        "redis://127.0.0.1:6379/0",
        parse.redis_url,
        "Redis holding the RQ queues.",
        url=True,
    )
    storage_root: Path = setting(
        "DOCFLOW_STORAGE_ROOT",
        "var/storage",
        parse.directory,
        "Folder that holds uploaded files, one subfolder per tenant.",
    )
    queue_prefix: str = setting(
        "DOCFLOW_QUEUE_PREFIX",
        "docflow",
        parse.name,
        "Prefix of the RQ queue names: <prefix>-high, -default, -low.",
    )
    lease_seconds: int = setting(
        "DOCFLOW_LEASE_SECONDS",
        "300",
        parse.int_in(1, 86_400),
        "How long a claimed row stays claimed before another worker may take it.",
    )
    classify_batch_size: int = setting(
        "DOCFLOW_CLASSIFY_BATCH_SIZE",
        "100",
        parse.int_in(1, 10_000),
        "Documents claimed per batch by classify_documents.",
    )
    classify_time_budget_seconds: float = setting(
        "DOCFLOW_CLASSIFY_TIME_BUDGET_SECONDS",
        "120",
        parse.float_in(0, 3_600),
        "How long one classify_documents run keeps draining batches.",
    )
    classify_batch_seconds: float = setting(
        "DOCFLOW_CLASSIFY_BATCH_SECONDS",
        "30",
        parse.float_in(1, 3_600),
        "Time slice of one batch: documents not started by then go back to Pending for any worker.",
    )
    retry_batch_size: int = setting(
        "DOCFLOW_RETRY_BATCH_SIZE",
        "50",
        parse.int_in(1, 10_000),
        "Failed documents handled per batch by retry_failed_documents.",
    )
    max_retries: int = setting(
        "DOCFLOW_MAX_RETRIES",
        "3",
        parse.int_in(0, 100),
        "Retries of a failed document before it goes to the dead-letter queue.",
    )
    retry_base_seconds: float = setting(
        "DOCFLOW_RETRY_BASE_SECONDS",
        "30",
        parse.float_in(0, 86_400),
        "First retry delay of a failed document; doubles per retry, with full jitter.",
    )
    retry_cap_seconds: float = setting(
        "DOCFLOW_RETRY_CAP_SECONDS",
        "3600",
        parse.float_in(0, 604_800),
        "Longest delay between two retries of a failed document.",
    )
    retry_deadline_seconds: float = setting(
        "DOCFLOW_RETRY_DEADLINE_SECONDS",
        "86400",
        parse.float_in(0, 2_592_000),
        "Time from a document's first failure after which it is dead-lettered whatever its retry count (dlq requeue starts it afresh).",
    )
    max_upload_bytes: int = setting(
        "DOCFLOW_MAX_UPLOAD_BYTES",
        str(50 * 1024 * 1024),
        parse.int_in(1, 1 << 34),
        "Largest file `docflow upload` accepts, whatever its format (read before anything else).",
    )
    max_upload_bytes_by_format: dict[str, int] = setting(
        "DOCFLOW_MAX_UPLOAD_BYTES_BY_FORMAT",
        "text=10485760,html=10485760,xml=10485760,email=26214400,docx=26214400,"
        "odt=26214400,pdf=52428800,image=26214400",
        parse.bytes_by_format,
        "Largest upload per format (format=bytes pairs); formats left out have only the limit above.",
    )
    extractors: dict[str, str] = setting(
        "DOCFLOW_EXTRACTORS",
        "",
        parse.extractors,
        "Extractor classes replacing or adding to the built-in ones, as format=module.path:Class.",
    )
    extract_timeout_seconds: float = setting(
        "DOCFLOW_EXTRACT_TIMEOUT_SECONDS",
        "120",
        parse.float_in(1, 3_600),
        "Wall time one document's extraction may take before its reader is killed.",
    )
    extract_cpu_seconds: float = setting(
        "DOCFLOW_EXTRACT_CPU_SECONDS",
        "120",
        parse.float_in(1, 3_600),
        "CPU time one document's extraction may use.",
    )
    extract_memory_mb: int = setting(
        "DOCFLOW_EXTRACT_MEMORY_MB",
        "2048",
        parse.int_in(64, 65_536),
        "Resident memory the extraction process may reach (OCR needs about 1,400 MB).",
    )
    extract_max_pages: int = setting(
        "DOCFLOW_EXTRACT_MAX_PAGES",
        "200",
        parse.int_in(1, 100_000),
        "Pages of a PDF read; the rest are left out (and said so).",
    )
    extract_ocr_max_pages: int = setting(
        "DOCFLOW_EXTRACT_OCR_MAX_PAGES",
        "20",
        parse.int_in(0, 10_000),
        "Pages of one document read by OCR (scanned PDF pages, image frames).",
    )
    extract_max_chars: int = setting(
        "DOCFLOW_EXTRACT_MAX_CHARS",
        "1000000",
        parse.int_in(1_000, 100_000_000),
        "Characters of extracted text kept per document.",
    )
    extract_max_pixels: int = setting(
        "DOCFLOW_EXTRACT_MAX_PIXELS",
        "60000000",
        parse.int_in(1_000_000, 2_000_000_000),
        "Largest image (or rendered page) in pixels; larger ones are refused as bombs.",
    )
    extract_max_unzipped_bytes: int = setting(
        "DOCFLOW_EXTRACT_MAX_UNZIPPED_BYTES",
        "200000000",
        parse.int_in(1_000_000, 1 << 36),
        "Most bytes a .docx or .odt may unpack to; more is refused as a decompression bomb.",
    )
    extract_max_attachments: int = setting(
        "DOCFLOW_EXTRACT_MAX_ATTACHMENTS",
        "50",
        parse.int_in(0, 1_000),
        "Attachments of one email kept as documents of their own.",
    )
    extract_max_depth: int = setting(
        "DOCFLOW_EXTRACT_MAX_DEPTH",
        "3",
        parse.int_in(1, 20),
        "Emails nested in emails whose attachments are still kept as documents.",
    )
    ocr_engine: str = setting(
        "DOCFLOW_OCR_ENGINE",
        "rapidocr",
        parse.ocr_engine,
        "OCR engine: rapidocr (models in its pip wheel) or tesseract (needs language data).",
    )
    ocr_dpi: int = setting(
        "DOCFLOW_OCR_DPI",
        "200",
        parse.int_in(72, 600),
        "Resolution scanned PDF pages are rendered at for OCR.",
    )
    classifier: str = setting(
        "DOCFLOW_CLASSIFIER",
        "docflow.services.learning.classifier:LearnedClassifier",
        parse.classifier,
        "Classifier class, as module.path:ClassName (docflow.services.classifier:KeywordClassifier: keywords only).",
    )
    target_precision: float = setting(
        "DOCFLOW_TARGET_PRECISION",
        "0.98",
        parse.float_in(0.5, 1),
        "Of the documents routed without review, at least this share must be right; the rest wait for review.",
    )
    classifier_scope: str = setting(
        "DOCFLOW_CLASSIFIER_SCOPE",
        "tenant",
        parse.classifier_scope,
        "tenant: a tenant with enough labels gets a model of its own, from its own documents; shared: one model.",
    )
    tenant_model_min_labels: int = setting(
        "DOCFLOW_TENANT_MODEL_MIN_LABELS",
        "20",
        parse.int_in(1, 1_000_000),
        "Labels a tenant needs before it gets a model of its own (tenant scope).",
    )
    model_check_seconds: float = setting(
        "DOCFLOW_MODEL_CHECK_SECONDS",
        "30",
        parse.float_in(1, 3_600),
        "How often a running worker looks for a newer model.",
    )
    min_confidence_ratio: float = setting(
        "DOCFLOW_MIN_CONFIDENCE_RATIO",
        "0.5",
        parse.float_in(0, 1),
        "Below this confidence a document goes to manual-review, for classifiers without thresholds of their own.",
    )
    routes: dict[str, str] = setting(
        "DOCFLOW_ROUTES",
        "invoice=accounts-payable,receipt=expenses,contract=legal,"
        "identity_document=kyc,correspondence=mailroom,other=manual-review",
        parse.routes,
        "Where each category is routed, as category=destination pairs.",
    )
    job_timeout_seconds: int = setting(
        "DOCFLOW_JOB_TIMEOUT_SECONDS",
        "900",
        parse.int_in(10, 86_400),
        "RQ kills a job that runs longer than this.",
    )
    result_ttl_seconds: int = setting(
        "DOCFLOW_RESULT_TTL_SECONDS",
        "86400",
        parse.int_in(0, 2_592_000),
        "How long RQ keeps a finished job's result.",
    )
    failure_ttl_seconds: int = setting(
        "DOCFLOW_FAILURE_TTL_SECONDS",
        "604800",
        parse.int_in(0, 31_536_000),
        "How long RQ keeps a failed job in its failed registry for inspection and requeue.",
    )
    sqlite_busy_timeout_ms: int = setting(
        "DOCFLOW_SQLITE_BUSY_TIMEOUT_MS",
        "30000",
        parse.int_in(0, 600_000),
        "How long a SQLite writer waits for the lock before failing.",
    )
    webhook_secret: str | None = setting(
        "DOCFLOW_WEBHOOK_SECRET",
        "",
        parse.optional_webhook_secret,
        "Signing secret (whsec_...) for endpoints that have none of their own; empty for none.",
        secret=True,
    )
    webhook_allow_private: bool = setting(
        "DOCFLOW_WEBHOOK_ALLOW_PRIVATE",
        "false",
        parse.flag,
        "Allow webhook URLs on loopback/private addresses (tests and local demos only).",
    )
    webhook_retry_schedule: tuple[float, ...] = setting(
        "DOCFLOW_WEBHOOK_RETRY_SCHEDULE",
        "5s,5m,30m,2h,5h,10h,14h,20h,24h",
        parse.durations,
        "Delays before each webhook retry after the first attempt; after the last, the DLQ.",
    )
    webhook_batch_size: int = setting(
        "DOCFLOW_WEBHOOK_BATCH_SIZE",
        "100",
        parse.int_in(1, 10_000),
        "Events claimed per batch by deliver_webhooks.",
    )
    webhook_concurrency: int = setting(
        "DOCFLOW_WEBHOOK_CONCURRENCY",
        "16",
        parse.int_in(1, 256),
        "Deliveries in flight at once in one deliver_webhooks run.",
    )
    webhook_time_budget_seconds: float = setting(
        "DOCFLOW_WEBHOOK_TIME_BUDGET_SECONDS",
        "120",
        parse.float_in(0, 3_600),
        "How long one deliver_webhooks run keeps claiming batches.",
    )
    webhook_connect_timeout_seconds: float = setting(
        "DOCFLOW_WEBHOOK_CONNECT_TIMEOUT_SECONDS",
        "5",
        parse.float_in(0.1, 60),
        "Longest wait to connect to a webhook receiver.",
    )
    webhook_deadline_seconds: float = setting(
        "DOCFLOW_WEBHOOK_DEADLINE_SECONDS",
        "15",
        parse.float_in(0.1, 300),
        "Longest a whole webhook attempt may take, slow receivers included.",
    )
    webhook_max_response_bytes: int = setting(
        "DOCFLOW_WEBHOOK_MAX_RESPONSE_BYTES",
        "65536",
        parse.int_in(0, 10_485_760),
        "Most bytes of a receiver's response read; the rest is dropped.",
    )
    webhook_rotation_overlap_seconds: int = setting(
        "DOCFLOW_WEBHOOK_ROTATION_OVERLAP_SECONDS",
        "86400",
        parse.int_in(0, 2_592_000),
        "How long a rotated-out secret keeps signing beside the new one.",
    )
    retention_days: int = setting(
        "DOCFLOW_RETENTION_DAYS",
        "365",
        parse.int_in(1, 36_500),
        "How long an uploaded document is kept before cleanup_expired_documents removes it.",
    )
    cleanup_batch_size: int = setting(
        "DOCFLOW_CLEANUP_BATCH_SIZE",
        "500",
        parse.int_in(1, 10_000),
        "Expired documents handled per batch by cleanup.",
    )
    billing_url: str | None = setting(
        "DOCFLOW_BILLING_URL",
        "",
        parse.optional_http_url,
        "Billing service endpoint usage reports are POSTed to; empty to record them locally only.",
        url=True,
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
        parse.float_in(0.1, 300),
        "Longest one usage report POST may take.",
    )
    usage_period: str = setting(
        "DOCFLOW_USAGE_PERIOD",
        "hour",
        parse.usage_period,
        "Reporting period of usage reports: hour, day or month.",
    )
    smtp_url: str | None = setting(
        "DOCFLOW_SMTP_URL",
        "",
        parse.optional_smtp_url,
        "SMTP server for tenant notices, smtp://user:password@host:port; empty to send no email.",
        secret=True,
    )
    smtp_timeout_seconds: float = setting(
        "DOCFLOW_SMTP_TIMEOUT_SECONDS",
        "10",
        parse.float_in(0.1, 300),
        "Longest wait for the SMTP server.",
    )
    email_sender: str = setting(
        "DOCFLOW_EMAIL_SENDER",
        "DocFlow <noreply@docflow.invalid>",
        parse.email_address,
        "From address of tenant notices: name@domain or Name <name@domain>.",
    )
    suspension_subject: str = setting(
        "DOCFLOW_SUSPENSION_SUBJECT",
        "Your DocFlow account {tenant} is now read-only",
        parse.template(_SUSPENSION_SAMPLE, one_line=True),
        "Subject of the suspension notice, one line; {tenant} and {grace_period_ends_at} are replaced.",
    )
    suspension_template: str = setting(
        "DOCFLOW_SUSPENSION_TEMPLATE",
        "Hello {tenant},\\n\\nyour payment grace period ended on {grace_period_ends_at}. "
        "Your account is now read-only: documents stay available, but new uploads are refused "
        "until your account is brought up to date.\\n\\nThe DocFlow team",
        parse.template(_SUSPENSION_SAMPLE),
        "Body of the suspension notice; {tenant} and {grace_period_ends_at} are replaced; \\n for new lines.",
    )
    metrics_port: int = setting(
        "DOCFLOW_METRICS_PORT",
        "9808",
        parse.int_in(0, 65535),
        "Port of `docflow metrics` (/metrics, /healthz, /readyz); 0: any free port.",
    )
    metrics_bind: str = setting(
        "DOCFLOW_METRICS_BIND",
        "127.0.0.1",
        parse.text,
        "Address `docflow metrics` listens on (0.0.0.0 to be scraped from other machines).",
    )
    metrics_cache_seconds: float = setting(
        "DOCFLOW_METRICS_CACHE_SECONDS",
        "10",
        parse.float_in(0, 300),
        "How long `docflow metrics` serves one collection before reading the database and Redis again.",
    )
    metrics_tenant_labels: bool = setting(
        "DOCFLOW_METRICS_TENANT_LABELS",
        "false",
        parse.flag,
        "Also export documents per tenant (one series per tenant and status: keep off with many tenants).",
    )
    scheduler_interval_seconds: float = setting(
        "DOCFLOW_SCHEDULER_INTERVAL_SECONDS",
        "1",
        parse.float_in(0.1, 60),
        "How often `docflow scheduler` looks for periodic jobs that are due.",
    )
    job_modules: tuple[str, ...] = setting(
        "DOCFLOW_JOB_MODULES",
        "docflow.jobs",
        parse.modules,
        "Modules (or packages, each module in them) whose @job declarations are DocFlow's jobs.",
    )
    schedules: dict[str, str | None] = settings_by_prefix(SCHEDULE_PREFIX, parse.cron)
    """Cron overrides by job name, from every ``DOCFLOW_SCHEDULE_<JOB>`` variable; the
    registry checks that each names a job (settings sit below the jobs and cannot)."""
    log_level: str = setting(
        "DOCFLOW_LOG_LEVEL", "INFO", parse.log_level, "Logging level of workers and commands."
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read every setting from ``env`` (default: the process environment) and validate it."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        problems: list[str] = []
        for f in fields(cls):
            meta = f.metadata
            if "env_prefix" in meta:
                values[f.name] = _prefixed(env, meta["env_prefix"], meta["parse"], problems)
                continue
            raw = env.get(meta["env"], meta["default"])
            try:
                values[f.name] = meta["parse"](raw.strip())
            except ValueError as exc:
                problems.append(f"{meta['env']}={_shown(meta, raw)}: {exc}")
        for budget in ("classify_time_budget_seconds", "webhook_time_budget_seconds"):
            if not problems and values[budget] >= values["job_timeout_seconds"]:
                problems.append(
                    f"DOCFLOW_{budget.upper()} must be below DOCFLOW_JOB_TIMEOUT_SECONDS, "
                    "or RQ kills runs before their budget is spent"
                )
        if len(problems) == 1:  # one line, as every other error is
            raise ConfigError(f"invalid settings: {problems[0]}")
        if problems:
            raise ConfigError("invalid settings:\n  " + "\n  ".join(problems))
        return cls(**values)

    def env(self) -> dict[str, str]:
        """These settings as environment variables, for starting worker processes."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if "env_prefix" in f.metadata:
                for name, cron in value.items():
                    out[f.metadata["env_prefix"] + name.upper()] = cron or "off"
                continue
            if isinstance(value, dict):
                value = ",".join(f"{k}={v}" for k, v in value.items())
            elif isinstance(value, tuple):
                value = ",".join(v if isinstance(v, str) else f"{v:g}s" for v in value)
            elif value is None:
                value = ""
            out[f.metadata["env"]] = str(value)
        return out


def _prefixed(
    env: Mapping[str, str], prefix: str, parse: Callable[[str], Any], problems: list[str]
) -> dict[str, Any]:
    """Every ``<prefix><NAME>`` variable, parsed, by lowercase name."""
    values = {}
    for variable in sorted(v for v in env if v.startswith(prefix) and len(v) > len(prefix)):
        try:
            values[variable.removeprefix(prefix).lower()] = parse(env[variable].strip())
        except ValueError as exc:
            problems.append(f"{variable}={env[variable]!r}: {exc}")
    return values


def _shown(meta: Mapping[str, Any], raw: str) -> str:
    """``raw`` as output and errors may show it: a secret hidden, URL passwords masked; a
    URL setting's value is masked as one URL, so a password typed with spaces stays hidden."""
    if meta["secret"] and raw:
        return "(value hidden)"
    return repr(redact_url(raw) if meta["url"] else redact(raw))


def current(env: Mapping[str, str] | None = None) -> list[tuple[str, str, str | None, str]]:
    """(variable, value as shown, default as shown if the variable is set, description) of
    every setting in ``env`` (default: the process environment), for `docflow settings`.

    Values are the text ``from_env`` reads, so validate ``env`` with it first.
    """
    env = os.environ if env is None else env
    meta = {f.metadata["env"]: f.metadata for f in fields(Settings) if "env" in f.metadata}
    rows: list[tuple[str, str, str | None, str]] = []
    for variable, default, doc in describe():
        raw = env.get(variable)
        shown = meta[variable]
        if raw is None:
            rows.append((variable, _shown(shown, default), None, doc))
        else:
            rows.append((variable, _shown(shown, raw.strip()), _shown(shown, default), doc))
    return rows


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, description) of every setting, for docs and :func:`current`.

    The ``DOCFLOW_SCHEDULE_<JOB>`` overrides are not here: they come with the jobs.
    """
    return [
        (f.metadata["env"], f.metadata["default"], f.metadata["doc"])
        for f in fields(Settings)
        if "env" in f.metadata
    ]
