"""Keeping secrets out of what DocFlow prints, logs and stores: one copy of each rule.

Everything here works on text that may not parse: a malformed URL (``postgres//bob:pw@h``,
``postgresql:/bob:pw@h``) is exactly what an error message quotes.
"""

from __future__ import annotations

import re

# user:password@ after a scheme's colon or slash, however many slashes came before.
_USERINFO = re.compile(r"(?<=[/:])([^\s/:@]*):([^\s@]+)@")
_ANY_USERINFO = re.compile(r"(?<=//)[^\s/@]*@")
_WEBHOOK_SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]+")


def redact(text: str) -> str:
    """``text`` (a URL, or an error quoting one) with URL passwords and webhook secrets masked."""
    return _WEBHOOK_SECRET.sub("whsec_****", _USERINFO.sub(r"\1:***@", text))


def without_userinfo(url: str) -> str:
    """``url`` with no user or password at all, for URLs whose user part may be a token."""
    return _ANY_USERINFO.sub("", redact(url))


def scrub(text: str | None, width: int | None = None) -> str:
    """Free text (an error) safe to show on one line: secrets masked, cut to ``width``."""
    if not text:
        return ""
    text = " ".join(redact(text).split())
    if width is not None and len(text) > width:
        return text[: width - 1] + "…"
    return text
