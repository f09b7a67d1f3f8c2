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
from urllib.parse import SplitResult, urlsplit

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


# What an operator types as a number: ASCII digits only. int() and float() also take
# ' 5', '1_000', other scripts' digits ('٥') and, for float(), 'inf', 'nan' and '1e3';
# none of them is meant as a number here, so each is refused rather than guessed at.
_WHOLE = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def is_whole_number(raw: str, *, negative: bool = False) -> bool:
    """Whether ``raw`` is written as a whole number: ASCII digits, a leading minus only
    with ``negative``."""
    return bool(_WHOLE.fullmatch(raw)) and (negative or not raw.startswith("-"))


def is_decimal(raw: str, *, negative: bool = False) -> bool:
    """Whether ``raw`` is written as a decimal number: ASCII digits and at most one point,
    a leading minus only with ``negative``."""
    return bool(_DECIMAL.fullmatch(raw)) and (negative or not raw.startswith("-"))


def whole_number(raw: str, low: int, high: int) -> int:
    """``raw`` as a whole number from ``low`` to ``high``; ValueError naming the range."""
    if is_whole_number(raw, negative=low < 0):
        try:
            value = int(raw)
        except ValueError:  # more digits than int() converts: out of any range here
            pass
        else:
            if low <= value <= high:
                return value
    raise ValueError(f"expected a whole number from {low} to {high}")


def int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        return whole_number(raw, low, high)

    return parse


def float_in(low: float, high: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        if not is_decimal(raw, negative=low < 0) or not low <= float(raw) <= high:
            raise ValueError(f"expected a number from {low} to {high}")
        return float(raw)

    return parse


_URL_SPACE = re.compile(r"[\s\x00-\x1f\x7f]")


def _url_parts(raw: str, schemes: tuple[str, ...], expected: str) -> SplitResult:
    """``raw`` split as a URL of one of ``schemes``, followed by ``//``, as clients read it.

    The ValueErrors never quote ``raw`` or a part of it (urlsplit's do): a URL that does not
    parse may hold a password anywhere. ``postgresql:/user:pw@host`` is refused because
    drivers read it as a path with no host and pass the whole of it on, password included.
    """
    if _URL_SPACE.search(raw):
        raise ValueError(
            "a URL cannot hold spaces, tabs, line breaks or control characters; "
            f"percent-encode them (a space is %20); {expected}"
        )
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ValueError(
            f"not a URL clients can read: check the host and that the port is a number "
            f"from 1 to 65535; {expected}"
        ) from None
    if parts.scheme not in schemes or raw[len(parts.scheme) : len(parts.scheme) + 3] != "://":
        raise ValueError(expected)
    if port == 0:
        raise ValueError(f"the port must be a number from 1 to 65535; {expected}")
    return parts


def database_url(raw: str) -> str:
    expected = (
        "expected sqlite:///relative/path.db, sqlite:////absolute/path.db "
        "or postgresql://user:password@host:5432/dbname"
    )
    if raw[:7].lower() == "sqlite:":
        if raw[:10].lower() != "sqlite:///":
            raise ValueError("a SQLite URL needs three slashes: sqlite:///var/docflow.sqlite3")
        return raw  # a file path: spaces and all are the file's name
    _url_parts(raw, ("postgresql", "postgres"), expected)
    return raw


def redis_url(raw: str) -> str:
    expected = "expected redis://[:password@]host:6379/0, rediss://... or unix:///path/to/socket"
    parts = _url_parts(raw, ("redis", "rediss", "unix"), expected)
    db = parts.path.strip("/")
    if parts.scheme != "unix" and db and not (db.isascii() and db.isdigit()):
        raise ValueError(
            f"the Redis database is a number, e.g. redis://127.0.0.1:6379/0; {expected}"
        )
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
    expected = "expected an http:// or https:// URL, or empty for none"
    if not _url_parts(raw, ("http", "https"), expected).hostname:
        raise ValueError(expected)
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


_LONGEST_DURATION = 30 * 86_400


def durations(raw: str) -> tuple[float, ...]:
    delays = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        try:
            delay: float | None = parse_duration(part)
        except ValueError:
            delay = None
        # Longer is no retry delay, and a huge one overflows the datetimes computed from it.
        if delay is None or delay > _LONGEST_DURATION:
            raise ValueError(
                f"expected durations like 5s,5m,2h,1d (each up to 30d) separated by commas, "
                f"got {part!r}"
            )
        delays.append(delay)
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
    if not raw.isascii():
        # crontab reads other scripts' digits ('٥') as numbers; a cron string never holds them.
        raise ValueError(
            "expected a cron string of ASCII digits 0-9, * / , - and names such as MON or JAN"
        )
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
        try:
            sizes[name] = whole_number(value, 1, 1 << 34)
        except ValueError:
            raise ValueError(
                f"expected a whole number of bytes from 1 to {1 << 34} for {name}, got {value!r}"
            ) from None
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
