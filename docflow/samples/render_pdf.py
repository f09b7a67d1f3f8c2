"""PDF with fpdf2: a text layer in the core fonts (Helvetica for prose, Courier for
aligned columns, receipts on an 80 mm roll), an invoice's lines as a table; image-only
PDFs of scanned pages; Factur-X, an invoice PDF with its CII XML embedded.

Lines are placed with ``FPDF.text`` and wrapped here by measured word widths: about
1 ms a page, where ``multi_cell`` takes 15.
"""

from __future__ import annotations

import io
import textwrap
from datetime import datetime
from typing import TYPE_CHECKING

from docflow.errors import MissingExtra
from docflow.samples.common import Sample
from docflow.samples.render_text import blocks, latin1, table_rows

if TYPE_CHECKING:
    from fpdf import FPDF

A4 = (210.0, 297.0)
PT = 0.3528  # mm per point
_FONT = "helvetica"


def _fpdf() -> type[FPDF]:
    try:
        from fpdf import FPDF
    except ImportError:
        raise MissingExtra("rendering PDF needs fpdf2: pip install 'docflow[run]'") from None
    return FPDF


class _Writer:
    """Places lines top to bottom, starting a new page where one is full."""

    def __init__(self, pdf: FPDF, width: float, height: float, margin: float) -> None:
        self.pdf, self.width, self.height, self.margin = pdf, width, height, margin
        self.y = margin + 4

    def line(self, text: str, size: float, family: str = _FONT, style: str = "") -> None:
        step = size * PT * 1.35
        if self.y + step > self.height - self.margin:
            self.pdf.add_page()
            self.y = self.margin + 4
        self.pdf.set_font(family, style, size)
        if text:
            self.pdf.text(self.margin, self.y, text)
        self.y += step

    def wrapped(self, text: str, size: float, style: str = "") -> None:
        self.pdf.set_font(_FONT, style, size)
        room, space = self.width - 2 * self.margin, self.pdf.get_string_width(" ")
        for paragraph in text.split("\n"):
            current: list[str] = []
            used = 0.0
            for word in paragraph.split():
                w = self.pdf.get_string_width(word)
                if current and used + space + w > room:
                    self.line(" ".join(current), size, style=style)
                    current, used = [], 0.0
                current.append(word)
                used += w + (space if used else 0)
            self.line(" ".join(current), size, style=style)

    def pre(self, text: str, limit: float = 9.0) -> None:
        longest = max(len(line) for line in text.splitlines())
        size = min(limit, (self.width - 2 * self.margin) / (0.6 * PT * max(longest, 1)))
        for row in text.splitlines():
            self.line(row, size, "courier")


def _table(writer: _Writer, sample: Sample) -> None:
    invoice = sample.invoice
    assert invoice is not None
    pdf, room = writer.pdf, writer.width - 2 * writer.margin
    rights = (room * 0.66, room * 0.82, room)  # right edges of the number columns
    rows = [
        [latin1(cell) for cell in row]
        for row in (invoice.columns, *table_rows(invoice, sample.language))
    ]
    for i, row in enumerate(rows):
        style = "B" if i == 0 else ""
        pdf.set_font(_FONT, style, 8.5)
        desc = row[0]
        while desc and pdf.get_string_width(desc) > room * 0.5:
            desc = desc[:-1]
        writer.line(desc, 8.5, style=style)
        writer.y -= 8.5 * PT * 1.35
        for right, cell in zip(rights, row[1:], strict=True):
            pdf.text(writer.margin + right - pdf.get_string_width(cell), writer.y, cell)
        writer.y += 8.5 * PT * 1.35
    writer.y += 2


_XMP = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
<rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"><fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>factur-x.xml</fx:DocumentFileName><fx:Version>1.0</fx:Version><fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>
</rdf:RDF></x:xmpmeta>"""


def _new(sample: Sample, when: datetime, size: tuple[float, float]) -> FPDF:
    pdf = _fpdf()(unit="mm", format=size)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(when)
    pdf.set_title(latin1(sample.heading))
    pdf.set_creator("DocFlow")
    pdf.set_margins(0, 0)
    pdf.add_page()
    return pdf


def _receipt_size(text: str) -> tuple[float, float, float]:
    """(font size, page height) of a receipt printed on an 80 mm roll, and its margin."""
    lines = text.splitlines()
    longest = max(min(len(line), 56) for line in lines)
    size = min(8.5, 72 / (0.6 * PT * longest))
    wrapped = sum(max(1, -(-len(line) // longest)) for line in lines)
    return size, 12 + wrapped * size * PT * 1.35, 4.0


def text_pdf(sample: Sample, when: datetime, facturx: bytes | None = None) -> bytes:
    """The sample as a PDF with a text layer; with `facturx`, that CII XML embedded."""
    text = latin1(sample.text)
    if sample.category == "receipt" and facturx is None:
        size, height, margin = _receipt_size(text)
        pdf = _new(sample, when, (80, height))
        writer = _Writer(pdf, 80, height, margin)
        for row in text.splitlines():
            for part in textwrap.wrap(row, 56) if len(row) > 56 else [row]:
                writer.line(part, size, "courier")
        return bytes(pdf.output())
    pdf = _new(sample, when, A4)
    writer = _Writer(pdf, *A4, 18)
    for i, block in enumerate(blocks(sample)):
        if block.kind == "table":
            _table(writer, sample)
            continue
        content = latin1(block.text)
        if block.kind == "pre":
            writer.pre(content)
        elif i == 0 and len(content.split("\n", 1)[0]) < 70:
            first, _, rest = content.partition("\n")
            writer.wrapped(first, 12, "B")
            if rest:
                writer.wrapped(rest, 10)
        else:
            writer.wrapped(content, 10)
        writer.y += 2.5
    if facturx is not None:
        pdf.embed_file(basename="factur-x.xml", bytes=facturx, desc="Factur-X invoice (EN 16931)",
                       mime_type="text/xml", associated_file_relationship="Alternative",
                       modification_date=when, creation_date=when)  # fmt: skip
        pdf.set_xmp_metadata(_XMP)
    return bytes(pdf.output())


def facturx_pdf(sample: Sample, xml: bytes, when: datetime) -> bytes:
    """The invoice PDF with its CII XML embedded as factur-x.xml and the Factur-X XMP
    metadata declared (not a validated PDF/A-3: the core fonts are not embedded)."""
    return text_pdf(sample, when, xml)


def image_pdf(pages: list[bytes], dpi: int = 200) -> bytes:
    """An image-only PDF, one JPEG page each (embedded as they are, not re-encoded)."""
    from PIL import Image

    pdf = _fpdf()(unit="pt")
    pdf.set_creator("Scanner")
    for data in pages:
        width, height = Image.open(io.BytesIO(data)).size
        size = (width * 72 / dpi, height * 72 / dpi)
        pdf.add_page(format=size)
        pdf.image(io.BytesIO(data), x=0, y=0, w=size[0], h=size[1])
    return bytes(pdf.output())
