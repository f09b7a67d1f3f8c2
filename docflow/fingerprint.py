"""Error fingerprints: one string per kind of failure, so a DLQ of 100,000 items reads as
a dozen groups.

A fingerprint is the exception type and the message with its variable parts (numbers,
ids, hex, UUIDs, quoted strings, URLs, paths) collapsed to placeholders. Jobs store it
where they dead-letter an item, so the console groups in SQL instead of re-reading and
re-normalising every message on each refresh.
"""

from __future__ import annotations

import hashlib
import re

MAX_LENGTH = 255  # the column width; longer messages differ only in their tail anyway

# Order matters: URLs and UUIDs first, or their parts would be taken as numbers and hex.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.I), "<url>"),
    (
        re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I),
        "<uuid>",
    ),
    (re.compile(r"'[^']*'|\"[^\"]*\""), "<str>"),
    (re.compile(r"\b(msg|whsec|evt|job|doc|req)_[A-Za-z0-9]+"), r"\1_<id>"),
    (re.compile(r"(?:\.{0,2}/)?(?:[\w.-]+/)+[\w.-]+"), "<path>"),
    (
        re.compile(r"\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b", re.I),
        "<hex>",
    ),
    # HTTP status codes tell failures apart (404 is not 503): keep them.
    (re.compile(r"(?<!HTTP )(?<![\w<])[-+]?\d+(?:[.,:]\d+)*\b"), "<n>"),
    (re.compile(r"\s+"), " "),
)
_TYPE = re.compile(r"^([A-Z][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*): ")
_LAST_ERROR = re.compile(r"; last error: ", re.I)


def normalise(message: str) -> str:
    """``message`` with its variable parts replaced by placeholders."""
    for pattern, placeholder in _RULES:
        message = pattern.sub(placeholder, message)
    return message.strip()


def fingerprint(message: str | None, default_type: str = "Error") -> str:
    """``Type: normalised message`` for an error text as DocFlow stores it.

    Messages are ``Type: text`` when the error was not DocFlow's own; others get
    ``default_type``. A dead-letter reason's ``...; last error: X`` is fingerprinted by X,
    the failure itself, not by the retry count that ended it.
    """
    text = (message or "").strip() or "(no error recorded)"
    parts = _LAST_ERROR.split(text, maxsplit=1)
    if len(parts) == 2 and parts[1].strip():
        text = parts[1].strip()
    match = _TYPE.match(text)
    kind, rest = (match.group(1), text[match.end() :]) if match else (default_type, text)
    return f"{kind}: {normalise(rest)}"[:MAX_LENGTH]


def short_hash(value: str) -> str:
    """A short stable id for a fingerprint, for row keys (``group:<hash>``)."""
    return hashlib.sha1(value.encode()).hexdigest()[:12]
