"""What extraction gives back, and the limits it works within.

Both cross a process boundary (the extraction child sends them back as JSON), so they
are plain data: strings, numbers and tuples, never objects with behaviour.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# Extraction methods, as stored with the text.
TEXT_LAYER = "text-layer"
OCR = "ocr"
MIXED = "text-layer+ocr"
DECODED = "decoded"
MARKUP = "markup"
MIME = "mime"
E_INVOICE = "e-invoice"


@dataclass(frozen=True)
class Attachment:
    """A file found inside a document (an email's attachment); its bytes wait in ``path``."""

    filename: str
    path: str
    size_bytes: int


@dataclass(frozen=True)
class Extraction:
    """The text of one document and how it was read."""

    text: str
    format: str
    method: str
    pages: int = 1
    language: str | None = None
    warnings: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    einvoice: bool = False
    """The document is (or embeds) a structured e-invoice (UBL or UN/CEFACT CII)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extraction:
        return cls(
            text=data["text"],
            format=data["format"],
            method=data["method"],
            pages=data["pages"],
            language=data["language"],
            warnings=tuple(data["warnings"]),
            attachments=tuple(Attachment(**a) for a in data["attachments"]),
            einvoice=data["einvoice"],
        )


@dataclass(frozen=True)
class Limits:
    """How much one document may cost to read (settings ``DOCFLOW_EXTRACT_*``)."""

    max_chars: int = 1_000_000
    max_pages: int = 200
    ocr_max_pages: int = 20
    ocr_dpi: int = 200
    max_pixels: int = 60_000_000
    max_unzipped_bytes: int = 200_000_000
    max_zip_ratio: int = 200
    max_attachments: int = 50
    scratch_dir: str = ""
    """Where attachments are written for the caller to store (a folder of its own)."""
    ocr_engine: str = "rapidocr"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Limits:
        return cls(**data)


def clip(text: str, limits: Limits, warnings: list[str]) -> str:
    """``text`` within ``limits.max_chars``, saying so when cut."""
    if len(text) <= limits.max_chars:
        return text
    warnings.append(f"text cut at {limits.max_chars:,} characters (DOCFLOW_EXTRACT_MAX_CHARS)")
    return text[: limits.max_chars]


def describe(exc: BaseException, limit: int = 200) -> str:
    """An exception in one bounded line: parsers like to quote whole buffers."""
    text = " ".join(str(exc).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
