"""Keeping secrets out of what DocFlow prints, logs and stores: one copy of each rule.

Everything here works on text that may not parse: a malformed URL (``postgres//bob:pw@h``,
``postgresql:/bob:pw@h``, ``bob:pw@h`` without a scheme, a password holding ``@`` or ``/``)
is exactly what an error message quotes, so no rule asks a URL parser first.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\S+")
# A scheme (or what was typed for one) and its slashes, however many or few, whichever
# way they lean; with a ":" anywhere else before them, they are a password's instead.
_SCHEME_SLASHES = re.compile(r"[^/\\:]*:?[/\\]+")
_ANY_USERINFO = re.compile(r"(?<=//)[^\s/@]*@")
_WEBHOOK_SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]+")


def redact_url(url: str) -> str:
    """``url``, taken whole as one URL however malformed, with its password masked.

    The userinfo is what comes before the last ``@``, after the scheme's slashes (or from
    the start without them); its password is everything after its first ``:``. Reading up
    to the last ``@`` masks too much rather than too little when a query holds one, and
    spaces, quotes or slashes typed into a password stay inside the mask.
    """
    at = url.rfind("@")
    if at > 0:
        slashes = _SCHEME_SLASHES.match(url, 0, at)
        colon = url.find(":", slashes.end() if slashes else 0, at)
        if colon >= 0:
            url = url[: colon + 1] + "***" + url[at:]
    return _WEBHOOK_SECRET.sub("whsec_****", url)


def redact(text: str) -> str:
    """``text`` (a URL, or an error quoting one) with URL passwords and webhook secrets masked."""
    return _WORD.sub(lambda word: redact_url(word.group()), text)


def without_userinfo(url: str) -> str:
    """``url`` with no user or password at all, for URLs whose user part may be a token."""
    return _ANY_USERINFO.sub("", redact(url))


def hide_userinfo(url: str) -> str:
    """``url`` with its user and password, if any, shown as ``***``: that it has credentials
    is worth knowing, and a user part may itself be a token."""
    return _ANY_USERINFO.sub("***@", redact(url))


def scrub(text: str | None, width: int | None = None) -> str:
    """Free text (an error) safe to show on one line: secrets masked, cut to ``width``."""
    if not text:
        return ""
    text = " ".join(redact(text).split())
    if width is not None and len(text) > width:
        return text[: width - 1] + "…"
    return text


def excerpt(text: str | None, width: int) -> str:
    """Text someone else wrote (a receiver's response) as one line: secrets masked,
    line breaks and other control characters escaped (``\\n``, ``\\x1b``) so they can
    neither break a table nor drive the terminal, cut to ``width``."""
    if not text:
        return ""
    # repr() escapes exactly the characters isprintable() rejects: \n, \x1b, \u202e, ...
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in redact(text))
    if len(shown) > width:
        return shown[: width - 1] + "…"
    return shown
