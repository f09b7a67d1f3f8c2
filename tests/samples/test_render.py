"""Generated samples rendered as real files: each kind is the format DocFlow sniffs it as,
and reads back, with its extractor, the words that went in."""

from __future__ import annotations

import io
import random
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from docflow import samples
from docflow.errors import InvalidArgument, MissingExtra
from docflow.samples import render
from docflow.samples.render_text import latin1
from docflow.services.extract.einvoice import XmlExtractor
from docflow.services.extract.html import HtmlExtractor
from docflow.services.extract.image import ImageExtractor
from docflow.services.extract.language import guess_language
from docflow.services.extract.mail import EmailExtractor
from docflow.services.extract.office import DocxExtractor, OdtExtractor
from docflow.services.extract.pdf import PdfExtractor
from docflow.services.extract.result import Limits
from docflow.services.extract.sniff import sniff
from docflow.services.extract.text import TextExtractor
from docflow.settings import CATEGORIES

EXTRACTORS = {"text": TextExtractor(), "html": HtmlExtractor(), "email": EmailExtractor(),
              "docx": DocxExtractor(), "odt": OdtExtractor(), "pdf": PdfExtractor(),
              "xml": XmlExtractor(), "image": ImageExtractor()}  # fmt: skip
# The format each kind sniffs as; a text that starts like a mail (an English e-mail
# printout) sniffs as one, as an upload of it would.
FORMATS = {"text": ("text", "email"), "latin1": ("text", "email"), "html": ("html",),
           "pdf": ("pdf",), "scan-pdf": ("pdf",), "scan-image": ("image",), "docx": ("docx",),
           "odt": ("odt",), "email": ("email",), "ubl": ("xml",), "cii": ("xml",), "facturx": ("pdf",)}  # fmt: skip
EXTENSIONS = {"text": (".txt", ".md", ".csv"), "latin1": (".txt", ".md", ".csv"),
              "html": (".html", ".htm"), "pdf": (".pdf",), "scan-pdf": (".pdf",),
              "scan-image": (".jpg", ".png", ".tif"), "docx": (".docx",), "odt": (".odt",),
              "email": (".eml",), "ubl": (".xml",), "cii": (".xml",), "facturx": (".pdf",)}  # fmt: skip
WORD = re.compile(r"[^\W\d_]{7,}")
UBL = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


def words(text: str) -> set[str]:
    """The long words of `text`, as a Latin-1 font prints them (PDF core fonts)."""
    return {w.lower() for w in WORD.findall(latin1(text))}


def extract(rendered: render.Rendered, **limits: object) -> object:
    kind = sniff(rendered.data)
    return EXTRACTORS[kind.format].extract(rendered.data, Limits(**limits))  # type: ignore[arg-type]


def invoice_sample(language: str, seed: object = 1) -> samples.Sample:
    rng = random.Random(f"render-invoice-{language}-{seed}")
    while True:
        made = samples.sample(rng, "invoice", language)
        if made.content_type == "text/plain":
            return made


@pytest.mark.parametrize("language", samples.LANGUAGES)
@pytest.mark.parametrize("category", CATEGORIES)
def test_every_kind_is_sniffed_as_its_format_and_reads_back(category, language):
    rng = random.Random(f"render-{category}-{language}")
    for _ in range(3):
        made = samples.sample(rng, category, language)
        for kind in render.kinds_for(made):
            if kind.startswith("scan"):
                continue  # below: drawing takes 0.1 s a page, OCR seconds
            rendered = render.render(rng, made, kind)
            found = sniff(rendered.data)
            assert found.mime == rendered.content_type, (kind, rendered.filename)
            assert found.format in FORMATS[kind], (kind, found)
            assert rendered.filename.endswith(EXTENSIONS[kind]), (kind, rendered.filename)
            assert re.fullmatch(r"[\w.-]+", rendered.filename), rendered.filename
            extraction = extract(rendered)
            if kind in ("ubl", "cii"):
                assert made.invoice is not None
                expected = words(" ".join(line.description for line in made.invoice.lines))
            else:
                expected = words(made.text)
            got = latin1(extraction.text).lower()  # type: ignore[attr-defined]
            missing = {w for w in expected if w not in got}
            # Table renderers print the invoice's own column headings, not the text's.
            assert len(missing) <= 0.1 * len(expected), (kind, rendered.filename, sorted(missing))
            if kind in render.INVOICE_KINDS:
                assert extraction.einvoice, (kind, rendered.filename)  # type: ignore[attr-defined]


def test_kinds_and_their_mix():
    rng = random.Random("mix")
    receipt = samples.sample(rng, "receipt", "de")
    invoice = invoice_sample("fr")
    assert render.kinds_for(invoice) == render.KINDS
    assert not set(render.kinds_for(receipt)) & set(render.INVOICE_KINDS)
    picked = Counter(render.pick_kind(rng, invoice) for _ in range(2000))
    assert set(picked) == set(render.KINDS)
    assert picked["pdf"] > picked["facturx"] > picked["odt"]
    english = samples.sample(rng, "correspondence", "en")
    assert "latin1" not in {render.pick_kind(rng, english) for _ in range(500)}
    by_category = {c: Counter(render.pick_kind(rng, samples.sample(rng, c, "de")) for _ in range(300))
                   for c in CATEGORIES}  # fmt: skip
    assert by_category["identity_document"].most_common(1)[0][0] == "scan-image"
    assert by_category["correspondence"].most_common(1)[0][0] == "email"


@pytest.mark.parametrize("language", samples.LANGUAGES)
def test_ubl_is_an_en16931_invoice_that_adds_up(language):
    made = invoice_sample(language)
    invoice = made.invoice
    assert invoice is not None
    rendered = render.render(random.Random(1), made, "ubl")
    root = ET.fromstring(rendered.data)
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
    assert root.findtext(f"{UBL}ID") == invoice.number
    assert root.findtext(f"{UBL}IssueDate") == invoice.issued.isoformat()
    assert root.findtext(f"{UBL}CustomizationID", "").startswith("urn:cen.eu:en16931:2017")
    assert ("xrechnung" in root.findtext(f"{UBL}CustomizationID", "")) == (language == "de")
    lines = root.findall(f"{CAC}InvoiceLine")
    assert len(lines) == len(invoice.lines)
    total = sum(float(line.findtext(f"{UBL}LineExtensionAmount", "0")) for line in lines)
    assert total == pytest.approx(invoice.net, abs=0.011)
    payable = root.find(f"{CAC}LegalMonetaryTotal/{UBL}PayableAmount")
    assert payable is not None and float(payable.text or 0) == pytest.approx(invoice.total)
    assert payable.get("currencyID") == invoice.currency
    assert float(root.findtext(f"{CAC}TaxTotal/{UBL}TaxAmount", "0")) == pytest.approx(invoice.tax)
    subtotals = root.findall(f"{CAC}TaxTotal/{CAC}TaxSubtotal/{UBL}TaxAmount")
    assert sum(float(t.text or 0) for t in subtotals) == pytest.approx(invoice.tax, abs=0.011)
    text = XmlExtractor().extract(rendered.data, Limits())
    assert text.einvoice and invoice.number in text.text and invoice.seller.name in text.text


@pytest.mark.parametrize("language", samples.LANGUAGES)
def test_cii_is_a_cross_industry_invoice_that_adds_up(language):
    made = invoice_sample(language, 2)
    invoice = made.invoice
    assert invoice is not None
    rendered = render.render(random.Random(2), made, "cii")
    root = ET.fromstring(rendered.data)
    assert root.tag.endswith("}CrossIndustryInvoice")
    assert len(list(root.iter(f"{RAM}IncludedSupplyChainTradeLineItem"))) == len(invoice.lines)
    grand = root.find(f".//{RAM}GrandTotalAmount")
    assert grand is not None and float(grand.text or 0) == pytest.approx(invoice.total)
    breakdown = [
        t for t in root.iter(f"{RAM}ApplicableTradeTax") if t.find(f"{RAM}BasisAmount") is not None
    ]
    assert len(breakdown) == len(invoice.taxes)
    assert sum(
        float(t.findtext(f"{RAM}CalculatedAmount", "0")) for t in breakdown
    ) == pytest.approx(invoice.tax, abs=0.011)
    text = XmlExtractor().extract(rendered.data, Limits())
    assert text.einvoice and invoice.number in text.text and f"{invoice.total:.2f}" in text.text


def test_facturx_embeds_the_cii_xml_in_the_invoice_pdf():
    import pypdfium2 as pdfium

    made = invoice_sample("fr", 3)
    assert made.invoice is not None
    rendered = render.render(random.Random(3), made, "facturx")
    pdf = pdfium.PdfDocument(rendered.data)
    try:
        names = [str(pdf.get_attachment(i).get_name()) for i in range(pdf.count_attachments())]
        xml = bytes(pdf.get_attachment(0).get_data())
    finally:
        pdf.close()
    assert names == ["factur-x.xml"]
    document = ET.fromstring(xml).find(
        "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}ExchangedDocument"
    )
    assert document is not None and document.findtext(f"{RAM}ID") == made.invoice.number
    assert b"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0" in rendered.data
    extraction = PdfExtractor().extract(rendered.data, Limits())
    assert extraction.einvoice and made.invoice.number in extraction.text
    assert extraction.method == "text-layer"


def test_docx_and_odt_carry_the_invoice_lines_as_a_table():
    import docx

    made = invoice_sample("de", 4)
    assert made.invoice is not None
    document = docx.Document(io.BytesIO(render.render(random.Random(4), made, "docx").data))
    [table] = document.tables
    assert len(table.rows) == len(made.invoice.lines) + 1
    assert [cell.text for cell in table.rows[0].cells] == list(made.invoice.columns)
    assert table.rows[1].cells[0].text == made.invoice.lines[0].description
    assert document.core_properties.title == made.heading
    odt = render.render(random.Random(4), made, "odt").data
    assert odt[30:38] == b"mimetype" and b"application/vnd.oasis.opendocument.text" in odt[:100]
    text = OdtExtractor().extract(odt, Limits()).text
    assert all(line.description in text for line in made.invoice.lines)


@pytest.mark.parametrize("language", ["de", "fr"])
def test_latin1_is_cp1252_text(language):
    rng = random.Random(f"latin1-{language}")
    made = samples.sample(rng, "correspondence", language)
    rendered = render.render(rng, made, "latin1")
    assert rendered.content_type == "text/plain"
    with pytest.raises(UnicodeDecodeError):
        rendered.data.decode("utf-8")
    extraction = TextExtractor().extract(rendered.data, Limits())
    assert extraction.text == rendered.data.decode("cp1252") and extraction.language == language
    assert "decoded from cp1252" in extraction.warnings


@pytest.mark.parametrize("language", samples.LANGUAGES)
def test_an_invoice_pdf_attached_to_a_cover_email(language, tmp_path):
    rng = random.Random(f"cover-{language}")
    made = invoice_sample(language, 5)
    assert made.invoice is not None
    pdf = render.render(rng, made, "pdf")
    mail = render.cover_email(rng, made, pdf)
    assert mail.filename.endswith(".eml") and sniff(mail.data).mime == "message/rfc822"
    extraction = EmailExtractor().extract(mail.data, Limits(scratch_dir=str(tmp_path)))
    [attachment] = extraction.attachments
    assert attachment.filename == pdf.filename
    with open(attachment.path, "rb") as file:
        assert file.read() == pdf.data
    assert made.invoice.number in extraction.text
    body = extraction.text.split("\n\n", 1)[1]
    assert guess_language(body + " " + body) in (language, None)


def test_an_email_printout_becomes_a_real_email():
    rng = random.Random("printout")
    made = next(s for s in (samples.sample(rng, "correspondence", "de") for _ in range(50))
                if s.text.startswith("Von: "))  # fmt: skip
    rendered = render.render(rng, made, "email")
    extraction = EmailExtractor().extract(rendered.data, Limits())
    sender = made.text.splitlines()[0].removeprefix("Von: ")
    assert f"From: {sender}" in extraction.text and f"Subject: {made.title}" in extraction.text
    assert "Von: " not in extraction.text.split("\n\n", 1)[1]  # the headers left the body


def test_unknown_kinds_and_e_invoices_of_non_invoices_are_refused():
    made = samples.sample(random.Random(1), "receipt", "fr")
    with pytest.raises(InvalidArgument, match="unknown render kind 'rtf'"):
        render.render(random.Random(1), made, "rtf")
    for kind in render.INVOICE_KINDS:
        with pytest.raises(InvalidArgument, match="invoices only"):
            render.render(random.Random(1), made, kind)


@pytest.mark.parametrize(
    ("module", "kind", "extra"),
    [("fpdf", "pdf", "run"), ("docx", "docx", "documents"), ("PIL", "scan-image", "documents")],
)
def test_a_missing_library_names_the_extra_to_install(monkeypatch, module, kind, extra):
    monkeypatch.setitem(sys.modules, module, None)  # import fails
    made = samples.sample(random.Random(1), "contract", "de")
    with pytest.raises(MissingExtra, match=rf"pip install 'docflow\[{extra}\]'"):
        render.render(random.Random(1), made, kind)


def test_rendering_is_reproducible():
    made = invoice_sample("de", 6)
    for kind in ("text", "html", "pdf", "odt", "email", "ubl", "cii", "facturx"):
        assert render.render(random.Random(7), made, kind) == render.render(
            random.Random(7), made, kind
        )


def test_scans_are_image_only_a4_pages_at_200_dpi():
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random("scans")
    made = samples.sample(rng, "identity_document", "fr")
    rendered = render.render(rng, made, "scan-pdf")
    assert sniff(rendered.data).mime == "application/pdf"
    pdf = pdfium.PdfDocument(rendered.data)
    try:
        page = pdf[0]
        width, height = page.get_size()
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        assert page.get_textpage().get_text_bounded().strip() == ""  # no text layer: OCR needed
    finally:
        pdf.close()
    seen = {}
    while len(seen) < 3:
        image = render.render(rng, made, "scan-image")
        seen.setdefault(image.content_type, image)
    assert set(seen) == {"image/jpeg", "image/png", "image/tiff"}
    for content_type, image in seen.items():
        assert sniff(image.data).mime == content_type
        opened = Image.open(io.BytesIO(image.data))
        assert opened.size == (1654, 2339) and round(opened.info["dpi"][0]) == 200
    assert Image.open(io.BytesIO(seen["image/tiff"].data)).mode == "1"  # a fax: black and white


@pytest.mark.slow
def test_a_scan_reads_back_by_ocr():
    rng = random.Random("ocr")
    made = invoice_sample("de", 7)
    while not (rendered := render.render(rng, made, "scan-image")).filename.endswith(".jpg"):
        pass
    family, size, pages = render.render_scan.layout(made.text, pages=1)
    drawn = {w.lower() for w in re.findall(r"[^\W\d_]{5,}", "\n".join(pages[0]))}
    extraction = ImageExtractor().extract(rendered.data, Limits())
    found = {w for w in drawn if w in extraction.text.lower()}
    assert len(found) >= 0.85 * len(drawn), sorted(drawn - found)
    assert extraction.language == "de"
