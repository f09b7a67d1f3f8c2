"""Parsers of setting values: each takes the raw text and returns the value, or raises
ValueError with what the setting accepts (settings.py adds the variable's name)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from crontab import CronTab

from docflow.errors import InvalidArgument
from docflow.when import parse_duration
from docflow.whsec import secret_key

CATEGORIES = (
    "invoice",
    "receipt",
    "contract",
    "identity_document",
    "correspondence",
    "other",
)


def int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"expected a whole number from {low} to {high}") from None
        if not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}")
        return value

    return parse


def float_in(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"expected a number from {low} to {high}") from None
        if not low <= value <= high:
            raise ValueError(f"expected a number from {low} to {high}")
        return value

    return parse


def database_url(raw: str) -> str:
    scheme = urlsplit(raw).scheme
    if scheme not in ("sqlite", "postgresql", "postgres"):
        raise ValueError(
            "expected sqlite:///relative/path.db, sqlite:////absolute/path.db "
            "or postgresql://user@host:5432/dbname"
        )
    if scheme == "sqlite" and not raw.startswith("sqlite:///"):
        raise ValueError("a SQLite URL needs three slashes: sqlite:///var/docflow.sqlite3")
    return raw


def redis_url(raw: str) -> str:
    if urlsplit(raw).scheme not in ("redis", "rediss", "unix"):
        raise ValueError("expected redis://host:port/db, rediss://... or unix:///path")
    return raw


def name(raw: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", raw):
        raise ValueError("expected lowercase letters, digits, '-' or '_', starting with a letter")
    return raw


def dotted_path(raw: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", raw):
        raise ValueError(
            "expected module.path:ClassName, e.g. docflow.services.classifier:KeywordClassifier"
        )
    return raw


def modules(raw: str) -> tuple[str, ...]:
    names = tuple(filter(None, (p.strip() for p in raw.split(","))))
    if not names or not all(re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", n) for n in names):
        raise ValueError("expected dotted module names separated by commas, e.g. docflow.jobs")
    return names


def routes(raw: str) -> dict[str, str]:
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


def flag(raw: str) -> bool:
    value = raw.lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false (1/0, yes/no, on/off)")


def optional_webhook_secret(raw: str) -> str | None:
    if not raw:
        return None
    try:
        secret_key(raw)
    except InvalidArgument as exc:
        raise ValueError(str(exc)) from None
    return raw


def optional_http_url(raw: str) -> str | None:
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("expected an http:// or https:// URL, or empty for none")
    return raw


def optional_smtp_url(raw: str) -> str | None:
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


def usage_period(raw: str) -> str:
    if raw not in ("hour", "day", "month"):
        raise ValueError("expected hour, day or month")
    return raw


def text(raw: str) -> str:
    if not raw:
        raise ValueError("must not be empty")
    return raw.replace("\\n", "\n")


def durations(raw: str) -> tuple[float, ...]:
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


def log_level(raw: str) -> str:
    level = raw.upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ValueError("expected DEBUG, INFO, WARNING or ERROR")
    return level


def cron(raw: str) -> str | None:
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


FORMATS = ("text", "html", "xml", "email", "docx", "odt", "pdf", "image")


def pairs(raw: str, what: str) -> dict[str, str]:
    """``name=value,name=value`` as a dict; ValueError naming ``what`` a value is."""
    found: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        name, sep, value = (s.strip() for s in part.partition("="))
        if not sep or not name or not value:
            raise ValueError(f"expected format={what} pairs separated by commas, got {part!r}")
        found[name] = value
    return found


def bytes_by_format(raw: str) -> dict[str, int]:
    sizes = {}
    for name, value in pairs(raw, "bytes").items():
        if name not in FORMATS:
            raise ValueError(f"unknown format {name!r}; formats are {', '.join(FORMATS)}")
        if not (value.isascii() and value.isdigit()) or int(value) < 1:
            raise ValueError(f"expected a whole number of bytes for {name}, got {value!r}")
        sizes[name] = int(value)
    return sizes


def extractors(raw: str) -> dict[str, str]:
    """Extractor classes by format; a new format name adds one (it must sniff its files)."""
    found = pairs(raw, "module.path:ClassName")
    for name, path in found.items():
        if not re.fullmatch(r"[a-z][a-z0-9_-]{0,31}", name):
            raise ValueError(f"a format name is lowercase letters and digits, got {name!r}")
        dotted_path(path)
    return found


def ocr_engine(raw: str) -> str:
    if raw not in ("rapidocr", "tesseract"):
        raise ValueError("expected rapidocr (the default, pip only) or tesseract")
    return raw


def classifier_scope(raw: str) -> str:
    if raw not in ("tenant", "shared"):
        raise ValueError("expected tenant (a model per tenant with enough labels) or shared")
    return raw
