"""Parsers of setting values: each takes the raw text and returns the value, or raises
ValueError with what the setting accepts (settings.py adds the variable's name)."""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parseaddr
from pathlib import Path
from string import Formatter
from typing import Any
from urllib.parse import urlsplit

from crontab import CronTab

from docflow.errors import InvalidArgument
from docflow.redaction import scrub
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


_CLASSIFIER_FIX = (
    "expected module.path:ClassName of an importable class built as ClassName(settings) "
    "with a classify(text, *, filename, content_type) method, "
    "e.g. docflow.services.classifier:KeywordClassifier"
)


def classifier(raw: str) -> str:
    classifier_class(raw)
    return raw


def classifier_class(path: str) -> type[Any]:
    """The class ``path`` names, checked against how the classify job uses it: built as
    ``cls(settings)``, then ``classify(text, filename=..., content_type=...)`` per document.

    The import is done here, when settings are read, so that a bad class stops every
    process at start-up instead of failing each classify run; importlib keeps this base
    module from depending on the classifiers' layer.
    """
    dotted_path(path)
    module_name, _, class_name = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - a module that fails to import in any way is unusable
        raise ValueError(
            f"cannot import {module_name} ({scrub(f'{type(exc).__name__}: {exc}', 200)}); "
            + _CLASSIFIER_FIX
        ) from exc
    cls = getattr(module, class_name, None)
    if not isinstance(cls, type):
        raise ValueError(f"{module_name} has no class {class_name}; {_CLASSIFIER_FIX}")
    if inspect.isabstract(cls) or not _accepts(cls, "settings"):
        raise ValueError(
            f"{class_name} cannot be built as {class_name}(settings); {_CLASSIFIER_FIX}"
        )
    method = getattr(cls, "classify", None)
    if not callable(method):
        raise ValueError(f"{class_name} has no classify() method; {_CLASSIFIER_FIX}")
    # Looked up on the class, a plain method still takes self; static and class methods do not.
    bound = isinstance(inspect.getattr_static(cls, "classify"), staticmethod | classmethod)
    receiver = () if bound else ("self",)
    if not _accepts(method, *receiver, "text", filename="f", content_type="t"):
        raise ValueError(
            f"{class_name}.classify does not take (text, *, filename, content_type); "
            + _CLASSIFIER_FIX
        )
    return cls


def _accepts(function: Callable[..., object], *args: object, **kwargs: object) -> bool:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # some built-ins have no signature: let the call decide
        return True
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        return False
    return True


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


def directory(raw: str) -> Path:
    if not raw:
        raise ValueError(
            "must not be empty, which would mean the current directory; "
            "set a folder such as var/storage or /srv/docflow/storage, or unset it for the default"
        )
    return Path(raw)


def email_address(raw: str) -> str:
    _, address = parseaddr(raw)
    local, _, domain = address.partition("@")
    if (
        raw.count("@") != 1
        or not local
        or not domain
        or any(c.isspace() for c in address)
        or not raw.isprintable()
    ):
        raise ValueError(
            "expected one e-mail address on one line, name@domain or "
            "Display Name <name@domain>, e.g. DocFlow <noreply@docflow.example>"
        )
    return raw


def template(sample: Mapping[str, str], *, one_line: bool = False) -> Callable[[str], str]:
    """A text whose placeholders are ``sample``'s keys, checked by filling it with ``sample``
    (values of the shape its user fills in); \\n stands for a line break."""
    available = " and ".join(f"{{{name}}}" for name in sample)
    hint = f"the placeholders are {available}; write {{{{ or }}}} for a literal brace"

    def parse(raw: str) -> str:
        value = text(raw)
        if one_line and "\n" in value:
            raise ValueError(
                "must be one line, without \\n: an e-mail header cannot hold a line break"
            )
        try:
            parts = list(Formatter().parse(value))
        except ValueError as exc:
            raise ValueError(f"not a valid template ({exc}); {hint}") from None
        for _, name, spec, conversion in parts:
            # Nested fields or indexing could fit the sample and not a real value.
            if name is not None and (name not in sample or "{" in (spec or "")):
                shown = (
                    name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
                )
                raise ValueError(f"unknown placeholder {{{shown}}}; {hint}")
        try:
            value.format(**sample)
        except ValueError as exc:
            raise ValueError(f"cannot be filled ({exc}); {hint}") from None
        return value

    return parse


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
