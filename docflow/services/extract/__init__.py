"""Reading documents: one extractor per format, a small registry, one result type.

Each format has an extractor (a class with ``formats``, ``isolated`` and
``extract(data, limits) -> Extraction``), one module each in this package:

=========  ===================================================================
format     extractor (``DOCFLOW_EXTRACTORS`` replaces or adds, ``format=module:Class``)
=========  ===================================================================
text       :mod:`.text` plain text in any encoding (in the worker: cheap, pure Python)
html       :mod:`.html` visible text of HTML
xml        :mod:`.einvoice` UBL / CII e-invoices as fields, other XML as text
email      :mod:`.mail` MIME email; attachments become documents of their own
docx, odt  :mod:`.office` Word and OpenDocument text
pdf        :mod:`.pdf` text layer, OCR for pages without one, embedded e-invoices
image      :mod:`.image` PNG, JPEG, TIFF (every page), WebP, by OCR
=========  ===================================================================

Formats are recognised by content (:mod:`.sniff`). Isolated extractors run in a watched
child process (:mod:`.sandbox`); :class:`Reader` sends each document where it belongs.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import replace
from typing import Protocol

from docflow.errors import ClassificationError, ConfigError, UnsupportedDocument
from docflow.services.extract.result import Extraction, Limits
from docflow.services.extract.sandbox import Sandbox
from docflow.settings import Settings

DEFAULT_EXTRACTORS = {
    "text": "docflow.services.extract.text:TextExtractor",
    "html": "docflow.services.extract.html:HtmlExtractor",
    "xml": "docflow.services.extract.einvoice:XmlExtractor",
    "email": "docflow.services.extract.mail:EmailExtractor",
    "docx": "docflow.services.extract.office:DocxExtractor",
    "odt": "docflow.services.extract.office:OdtExtractor",
    "pdf": "docflow.services.extract.pdf:PdfExtractor",
    "image": "docflow.services.extract.image:ImageExtractor",
}
FORMAT_NAMES = {"text": "text", "html": "HTML", "xml": "XML", "email": "email",
                "docx": "Word", "odt": "OpenDocument", "pdf": "PDF", "image": "image"}  # fmt: skip


class Extractor(Protocol):
    isolated: bool

    def extract(self, data: bytes, limits: Limits) -> Extraction: ...


def extractor_paths(settings: Settings) -> dict[str, str]:
    return {**DEFAULT_EXTRACTORS, **settings.extractors}


def load_extractor(format_: str, path: str) -> Extractor:
    module_name, _, class_name = path.partition(":")
    fix = f"set DOCFLOW_EXTRACTORS to {format_}=module.path:ClassName of an importable class"
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(
            f"extractor for {format_} ({path}) cannot be loaded: {exc}; {fix}"
        ) from exc
    extractor: Extractor = cls()
    return extractor


def limits_of(settings: Settings, scratch_dir: str = "") -> Limits:
    return Limits(
        max_chars=settings.extract_max_chars,
        max_pages=settings.extract_max_pages,
        ocr_max_pages=settings.extract_ocr_max_pages,
        ocr_dpi=settings.ocr_dpi,
        max_pixels=settings.extract_max_pixels,
        max_unzipped_bytes=settings.extract_max_unzipped_bytes,
        max_attachments=settings.extract_max_attachments,
        scratch_dir=scratch_dir,
        ocr_engine=settings.ocr_engine,
    )


class Reader:
    """Extracts stored documents: cheap formats here, the rest in one sandboxed child."""

    def __init__(self, settings: Settings, scratch_dir: str = "") -> None:
        self.settings = settings
        self.paths = extractor_paths(settings)
        self.limits = limits_of(settings, scratch_dir)
        self._extractors: dict[str, Extractor] = {}
        self.sandbox = Sandbox(
            timeout_seconds=settings.extract_timeout_seconds,
            cpu_seconds=settings.extract_cpu_seconds,
            memory_mb=settings.extract_memory_mb,
        )

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sandbox.close()

    def probe(self, path: str, format_: str) -> Extraction:
        """A quick read at upload (a few pages, no OCR, attachments not kept), so a file
        that cannot be read (corrupt, encrypted, a bomb) is refused before it is stored."""
        full = self.limits
        self.limits = replace(full, max_pages=3, ocr_max_pages=0, max_chars=10_000, scratch_dir="")
        try:
            return self.read(path, format_)
        finally:
            self.limits = full

    def read(self, path: str, format_: str) -> Extraction:
        """The text of the stored file at ``path``, of ``format_`` (as sniffed at upload)."""
        extractor_path = self.paths.get(format_)
        if extractor_path is None:
            raise UnsupportedDocument(f"no extractor reads the format {format_!r}")
        extractor = self._extractors.get(format_)
        if extractor is None:
            extractor = self._extractors[format_] = load_extractor(format_, extractor_path)
        try:
            if not extractor.isolated:
                with open(path, "rb") as file:
                    # Four bytes a character at most: enough for the longest text kept. A
                    # buffer of the file's own size, not of that bound, for speed.
                    size = min(os.fstat(file.fileno()).st_size, 4 * self.limits.max_chars)
                    return extractor.extract(file.read(size), self.limits)
            os.stat(path)
        except FileNotFoundError as exc:
            # No path in the message: it is stored with the document and sent to the tenant
            # in webhooks, and the server's folder layout is none of the tenant's business.
            raise ClassificationError("stored file is missing") from exc
        except OSError as exc:
            raise ClassificationError(f"cannot read stored file: {exc.strerror or exc}") from exc
        what = FORMAT_NAMES.get(format_, format_)
        return self.sandbox.extract(path, extractor_path, self.limits,
                                    max_bytes=self.settings.max_upload_bytes, what=what)  # fmt: skip
