"""HTML: the text a reader sees, without markup, scripts and styles (stdlib parser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from docflow.services.extract.language import guess_language
from docflow.services.extract.result import MARKUP, Extraction, Limits, clip
from docflow.services.extract.text import decode

_SKIP = {"script", "style", "noscript", "template", "svg", "head"}
_KEEP_IN_HEAD = {"title"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
          "article", "header", "footer", "blockquote", "pre", "hr", "dt", "dd", "title", "td", "th"}  # fmt: skip
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


class _TextParser(HTMLParser):
    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skipping.clear()  # a <head> left open ends where the body begins
        if tag in _SKIP:
            self.skipping.append(tag)
        elif tag in _KEEP_IN_HEAD and self.skipping == ["head"]:
            self.skipping.append(tag)  # marks "inside head, but keep"
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skipping and self.skipping[-1] not in _KEEP_IN_HEAD:
            return
        if self.size < self.limit:
            self.parts.append(data)
            self.size += len(data)


def html_to_text(markup: str, limit: int) -> str:
    """The visible text of ``markup``, one line per block, whitespace folded."""
    parser = _TextParser(limit)
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def decode_html(data: bytes) -> str:
    """HTML bytes as text: the charset its <meta> declares, else detected."""
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    return decode(data)[0]


class HtmlExtractor:
    formats = ("html",)
    isolated = True

    def extract(self, data: bytes, limits: Limits) -> Extraction:
        warnings: list[str] = []
        text = clip(html_to_text(decode_html(data), limits.max_chars), limits, warnings)
        return Extraction(text, "html", MARKUP, language=guess_language(text),
                          warnings=tuple(warnings))  # fmt: skip
