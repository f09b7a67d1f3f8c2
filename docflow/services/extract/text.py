"""Plain text in any encoding: UTF-8 first (the common case, and microseconds), then the
byte order marks of UTF-16/32, then charset-normalizer's guess for legacy encodings."""

from __future__ import annotations

import codecs

from docflow.errors import UnsupportedDocument
from docflow.services.extract.language import guess_language
from docflow.services.extract.result import DECODED, Extraction, Limits, clip

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str]:
    """``data`` as text, and the encoding it was in."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, "replace"), encoding.removesuffix("-sig")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8"), "utf-8"  # a sequence cut by a read limit
    western = _western(data)
    if western is not None:
        return western, "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnsupportedDocument("not text in any encoding DocFlow recognises (binary data?)")
    return str(best), best.encoding


def _western(data: bytes) -> str | None:
    """``data`` as Windows-1252 (a superset of Latin-1 for text) when it reads as Western
    European text: detectors misjudge short letters, and these are most of what arrives.

    Cyrillic or Greek bytes decode too, but as nothing but accented letters; in English,
    German, French, Spanish, Italian or Dutch, most letters are plain ASCII ones.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    accented = sum(1 for ch in letters if ord(ch) > 127)
    return text if letters and accented / len(letters) < 0.3 else None


class TextExtractor:
    """``text``: decoded as above; cheap and pure Python, so it runs in the worker itself."""

    formats = ("text",)
    isolated = False

    def extract(self, data: bytes, limits: Limits) -> Extraction:
        text, encoding = decode(data)
        warnings: list[str] = [] if encoding == "utf-8" else [f"decoded from {encoding}"]
        text = clip(text, limits, warnings)
        return Extraction(text, "text", DECODED, language=guess_language(text),
                          warnings=tuple(warnings))  # fmt: skip
