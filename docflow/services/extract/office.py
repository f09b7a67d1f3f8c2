"""Word (.docx, python-docx) and OpenDocument text (.odt, its content.xml): paragraphs,
tables, headers and footers, in reading order. A file that is pictures and next to no
text (a scan pasted into Word) is read from its pictures, by OCR."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator

from docflow.errors import CorruptDocument, LimitExceeded, MissingExtra
from docflow.services.extract.einvoice import parse_xml
from docflow.services.extract.image import ImageExtractor
from docflow.services.extract.language import guess_language
from docflow.services.extract.result import MARKUP, OCR, Extraction, Limits, clip, describe
from docflow.services.extract.zipcheck import open_checked, read_member

_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_BLOCKS = {f"{{{_ODF_TEXT}}}{name}" for name in ("p", "h")}


class DocxExtractor:
    formats = ("docx",)
    isolated = True
    extra = "documents"

    def extract(self, data: bytes, limits: Limits) -> Extraction:
        archive = open_checked(data, limits)
        try:
            import docx
        except ImportError:
            raise MissingExtra(
                "reading Word files needs python-docx: pip install 'docflow[documents]'"
            ) from None
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - python-docx raises anything on damaged files
            raise CorruptDocument(f"damaged Word file ({describe(exc)})") from None
        with archive:
            return _with_pictures("\n".join(_docx_lines(document)), "docx", archive, "word/media/",
                                  limits)  # fmt: skip


def _docx_lines(document: object) -> Iterator[str]:
    sections = getattr(document, "sections", [])
    for section in sections:
        for paragraph in section.header.paragraphs:
            yield paragraph.text
    for paragraph in getattr(document, "paragraphs", []):
        yield paragraph.text
    for table in getattr(document, "tables", []):
        for row in table.rows:
            yield " | ".join(cell.text.strip() for cell in row.cells)
    for section in sections:
        for paragraph in section.footer.paragraphs:
            yield paragraph.text


class OdtExtractor:
    formats = ("odt",)
    isolated = True

    def extract(self, data: bytes, limits: Limits) -> Extraction:
        archive = open_checked(data, limits)
        with archive:
            root = parse_xml(read_member(archive, "content.xml", limits))
            lines = (
                " ".join("".join(e.itertext()).split()) for e in root.iter() if e.tag in _ODF_BLOCKS
            )
            text = "\n".join(line for line in lines if line)
            return _with_pictures(text, "odt", archive, "Pictures/", limits)


MIN_TEXT_CHARS = 20
"""Below this many letters and digits, a file's text says nothing and its pictures are
read instead: what a phone scan pasted into a document looks like."""


def _with_pictures(
    text: str, kind: str, archive: zipfile.ZipFile, folder: str, limits: Limits
) -> Extraction:
    warnings: list[str] = []
    method = MARKUP
    if sum(c.isalnum() for c in text) < MIN_TEXT_CHARS:
        pictures = _pictures_text(archive, folder, limits, warnings)
        if pictures:
            text, method = f"{text}\n\n{pictures}".strip(), OCR
    text = clip(text, limits, warnings)
    return Extraction(text, kind, method, language=guess_language(text), warnings=tuple(warnings))


def _pictures_text(
    archive: zipfile.ZipFile, folder: str, limits: Limits, warnings: list[str]
) -> str:
    """OCR of the pictures under ``folder``, within the OCR page limit; a picture OCR
    cannot read (a vector drawing, a damaged file) is passed over."""
    names = sorted(n for n in archive.namelist() if n.startswith(folder) and not n.endswith("/"))
    if len(names) > limits.ocr_max_pages:
        warnings.append(f"only {limits.ocr_max_pages} of {len(names)} pictures read "
                        "(DOCFLOW_EXTRACT_OCR_MAX_PAGES)")  # fmt: skip
    texts = []
    for name in names[: limits.ocr_max_pages]:
        try:
            read = ImageExtractor().extract(read_member(archive, name, limits), limits)
        except (CorruptDocument, LimitExceeded, MissingExtra) as exc:
            # The words around the pictures are still worth having.
            warnings.append(f"picture {name} not read: {exc}")
            continue
        if read.text:
            texts.append(read.text)
    return "\n\n".join(texts)


__all__ = ["DocxExtractor", "OdtExtractor", "ET"]
