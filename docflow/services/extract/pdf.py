"""PDF with pypdfium2: the text layer of each page; pages without one are rendered and
read by OCR (so a scan, or a mixed file, reads whole); an embedded e-invoice (Factur-X,
ZUGFeRD, XRechnung) is read too and makes the document an e-invoice.

pypdfium2 measured about 10x faster than pypdf and 25x faster than pdfminer on real files
here (4 ms against 44 ms and 108 ms median per document), and reads damaged files well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docflow.errors import CorruptDocument, EncryptedDocument, LimitExceeded, MissingExtra
from docflow.services.extract import einvoice
from docflow.services.extract.language import guess_language
from docflow.services.extract.ocr import read_image
from docflow.services.extract.result import (
    MIXED,
    OCR,
    TEXT_LAYER,
    Extraction,
    Limits,
    clip,
    describe,
)

if TYPE_CHECKING:
    from PIL.Image import Image

# Fewer visible characters than this and a page counts as having no text layer.
MIN_PAGE_CHARS = 20
_EINVOICE_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "zugferd.xml")


def _open(data: bytes) -> object:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise MissingExtra(
            "reading PDF needs pypdfium2: pip install 'docflow[documents]'"
        ) from None
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedDocument(
                "the PDF is encrypted (it needs a password to open): upload it without the password"
            ) from None
        raise CorruptDocument(f"damaged PDF ({describe(exc)})") from None


class PdfExtractor:
    formats = ("pdf",)
    isolated = True

    def extract(self, data: bytes, limits: Limits) -> Extraction:
        pdf = _open(data)
        try:
            return self._read(pdf, limits)
        finally:
            pdf.close()  # type: ignore[attr-defined]

    def _read(self, pdf: object, limits: Limits) -> Extraction:
        warnings: list[str] = []
        pages = len(pdf)  # type: ignore[arg-type]
        if pages > limits.max_pages:
            warnings.append(
                f"only the first {limits.max_pages} of {pages} pages read (DOCFLOW_EXTRACT_MAX_PAGES)"
            )
        texts, layered, scanned, size = [], 0, 0, 0
        for index in range(min(pages, limits.max_pages)):
            page = pdf[index]  # type: ignore[index]
            try:
                text = _text_layer(page)
                if len(text.strip()) >= MIN_PAGE_CHARS:
                    layered += 1
                elif scanned < limits.ocr_max_pages:
                    text = read_image(_render(page, limits), limits.ocr_engine)
                    scanned += 1
                elif scanned == limits.ocr_max_pages:
                    warnings.append(
                        f"OCR stopped after {scanned} pages (DOCFLOW_EXTRACT_OCR_MAX_PAGES)"
                    )
                    scanned += 1
            finally:
                page.close()
            texts.append(text)
            size += len(text)
            if size > limits.max_chars:
                break
        invoice_text, is_einvoice = _embedded_invoice(pdf, warnings)
        if invoice_text:
            texts.insert(0, invoice_text)
        text = clip("\n\n".join(t.strip() for t in texts if t.strip()), limits, warnings)
        method = MIXED if layered and scanned else OCR if scanned else TEXT_LAYER
        return Extraction(text, "pdf", method, pages=pages, language=guess_language(text),
                          warnings=tuple(warnings), einvoice=is_einvoice)  # fmt: skip


def _text_layer(page: object) -> str:
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        # PDFium ends lines with CRLF; everything else in DocFlow uses LF.
        return str(textpage.get_text_bounded()).replace("\r\n", "\n").replace("\r", "\n")
    finally:
        textpage.close()


def _render(page: object, limits: Limits) -> Image:
    width, height = page.get_size()  # type: ignore[attr-defined]
    scale = limits.ocr_dpi / 72
    if width * height * scale * scale > limits.max_pixels:
        raise LimitExceeded(
            f"a page renders to over {limits.max_pixels:,} pixels at {limits.ocr_dpi} dpi "
            "(DOCFLOW_EXTRACT_MAX_PIXELS)"
        )
    image: Image = page.render(scale=scale, grayscale=True).to_pil()  # type: ignore[attr-defined]
    return image


def _embedded_invoice(pdf: object, warnings: list[str]) -> tuple[str, bool]:
    """The text of an embedded e-invoice XML, and whether it is a valid e-invoice."""
    for index in range(pdf.count_attachments()):  # type: ignore[attr-defined]
        attachment = pdf.get_attachment(index)  # type: ignore[attr-defined]
        name = str(attachment.get_name()).lower()
        if not (name in _EINVOICE_NAMES or (name.endswith(".xml") and "invoice" in name)):
            continue
        try:
            invoice = einvoice.invoice_lines(einvoice.parse_xml(bytes(attachment.get_data())))
        except CorruptDocument as exc:
            warnings.append(f"embedded {name} not read: {exc}")
            continue
        if invoice is not None:
            lines, valid = invoice
            return "\n".join(lines), valid
    return "", False
