"""Word (.docx, python-docx) and OpenDocument text (.odt, its content.xml): paragraphs,
tables, headers and footers, in reading order."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from docflow.errors import CorruptDocument, MissingExtra
from docflow.services.extract.einvoice import parse_xml
from docflow.services.extract.language import guess_language
from docflow.services.extract.result import MARKUP, Extraction, Limits, clip, describe
from docflow.services.extract.zipcheck import open_checked, read_member

_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_BLOCKS = {f"{{{_ODF_TEXT}}}{name}" for name in ("p", "h")}


class DocxExtractor:
    formats = ("docx",)
    isolated = True
    extra = "documents"

    def extract(self, data: bytes, limits: Limits) -> Extraction:
        open_checked(data, limits).close()
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
        warnings: list[str] = []
        text = clip("\n".join(_docx_lines(document)), limits, warnings)
        return Extraction(
            text, "docx", MARKUP, language=guess_language(text), warnings=tuple(warnings)
        )


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
        warnings: list[str] = []
        text = clip("\n".join(line for line in lines if line), limits, warnings)
        return Extraction(
            text, "odt", MARKUP, language=guess_language(text), warnings=tuple(warnings)
        )


__all__ = ["DocxExtractor", "OdtExtractor", "ET"]
