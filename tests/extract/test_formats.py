"""Every format DocFlow reads, from real files made by real libraries, recognised by
content and read back: the text that comes out is the text that went in."""

from __future__ import annotations

import codecs

import pytest

from docflow.errors import CorruptDocument, EncryptedDocument, LimitExceeded, UnsupportedDocument
from docflow.services.extract.einvoice import XmlExtractor
from docflow.services.extract.html import HtmlExtractor
from docflow.services.extract.mail import EmailExtractor
from docflow.services.extract.office import DocxExtractor, OdtExtractor
from docflow.services.extract.pdf import PdfExtractor
from docflow.services.extract.result import Limits
from docflow.services.extract.sniff import sniff
from docflow.services.extract.text import TextExtractor
from tests.extract import documents

LETTER_DE = "Sehr geehrte Frau Müller,\nanbei erhalten Sie die Rechnung für den Monat November.\nMit freundlichen Grüßen"
LETTER_FR = (
    "Madame, Monsieur,\nveuillez trouver ci-joint la facture de novembre pour les "
    "travaux réalisés dans vos locaux.\nCordialement, Hélène"
)


@pytest.mark.parametrize(
    ("data", "kind", "mime"),
    [
        (documents.pdf("Invoice 42"), "pdf", "application/pdf"),
        (b"junk before\n%PDF-1.4\n...", "pdf", "application/pdf"),
        (documents.image_bytes(documents.scan("x"), "PNG"), "image", "image/png"),
        (documents.image_bytes(documents.scan("x"), "JPEG"), "image", "image/jpeg"),
        (documents.image_bytes(documents.scan("x"), "WEBP"), "image", "image/webp"),
        (documents.tiff(documents.scan("x")), "image", "image/tiff"),
        (
            documents.docx("Hello"),
            "docx",
            documents.docx.__doc__
            or "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (documents.odt("Hello"), "odt", "application/vnd.oasis.opendocument.text"),
        (documents.email("Rechnung", "Hallo"), "email", "message/rfc822"),
        (b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html", "text/html"),
        (documents.UBL_INVOICE, "xml", "application/xml"),
        ("Grüße".encode("latin-1"), "text", "text/plain"),
        (codecs.BOM_UTF16_LE + "Rechnung".encode("utf-16-le"), "text", "text/plain"),
    ],
)
def test_formats_are_recognised_by_content_alone(data, kind, mime):
    found = sniff(data)
    assert found.format == kind
    if kind != "docx":
        assert found.mime == mime


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, "binary data"),
        (
            documents.odt("x", mimetype="application/vnd.oasis.opendocument.spreadsheet"),
            "neither a Word",
        ),
    ],
)
def test_unsupported_files_are_refused_naming_what_is_read(data, message):
    with pytest.raises(UnsupportedDocument, match=message) as refused:
        sniff(data)
    if message != "empty":
        assert "PDF (text or scanned), PNG, JPEG" in str(refused.value)


RUSSIAN = "Уважаемый господин Иванов, направляем вам счёт за ноябрь и просим оплатить его."


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (LETTER_DE.encode("utf-8"), "utf-8", LETTER_DE),
        (LETTER_DE.encode("latin-1"), "cp1252", LETTER_DE),
        (LETTER_FR.encode("cp1252"), "cp1252", LETTER_FR),
        (codecs.BOM_UTF16_LE + LETTER_FR.encode("utf-16-le"), "utf-16", LETTER_FR),
        (codecs.BOM_UTF16_BE + LETTER_DE.encode("utf-16-be"), "utf-16", LETTER_DE),
        (codecs.BOM_UTF8 + LETTER_DE.encode("utf-8"), "utf-8", LETTER_DE),
        ((RUSSIAN * 3).encode("cp1251"), "cp1251", RUSSIAN * 3),
    ],
)
def test_text_in_any_encoding(data, encoding, text):
    result = TextExtractor().extract(data, Limits())
    assert result.text == text and result.format == "text" and result.method == "decoded"
    if encoding != "utf-8":
        assert result.warnings == (f"decoded from {encoding}",)


def test_text_language_is_guessed():
    assert TextExtractor().extract(LETTER_DE.encode(), Limits()).language == "de"
    assert TextExtractor().extract(LETTER_FR.encode(), Limits()).language == "fr"


def test_pdf_text_layer_page_by_page():
    data = documents.pdf(
        "INVOICE No. 2026-17\nTotal due 1,200.00 EUR", "Page two: payment terms 30 days"
    )
    result = PdfExtractor().extract(data, Limits())
    assert (result.pages, result.method) == (2, "text-layer")
    assert "INVOICE No. 2026-17" in result.text and "payment terms 30 days" in result.text


def test_pdf_with_an_embedded_einvoice_is_an_einvoice():
    data = documents.pdf(
        "Rechnung RE-2026-0815", attachments={"factur-x.xml": documents.CII_INVOICE}
    )
    result = PdfExtractor().extract(data, Limits())
    assert result.einvoice
    assert "Invoice number: FA-2026-77" in result.text and "Rechnung RE-2026-0815" in result.text


def test_a_truncated_pdf_is_corrupt():
    data = documents.pdf("Invoice 42")
    with pytest.raises(CorruptDocument, match="damaged PDF"):
        PdfExtractor().extract(data[: len(data) // 3], Limits())


def test_a_password_protected_pdf_is_refused_as_encrypted():
    pikepdf = pytest.importorskip("pypdf")
    writer = pikepdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    import io

    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(EncryptedDocument, match="needs a password"):
        PdfExtractor().extract(out.getvalue(), Limits())


def test_docx_paragraphs_and_tables():
    data = documents.docx("Dienstleistungsvertrag", "zwischen der Firma A und der Firma B",
                          table=[["Leistung", "Preis"], ["Beratung", "900 EUR"]])  # fmt: skip
    result = DocxExtractor().extract(data, Limits())
    assert "Dienstleistungsvertrag" in result.text and "Beratung | 900 EUR" in result.text
    assert result.language == "de"


def test_a_word_file_with_text_does_not_read_its_pictures():
    logo = documents.image_bytes(documents.scan("ACME GMBH LOGO"))
    data = documents.docx(
        "Dienstleistungsvertrag zwischen der Firma A und der Firma B", pictures=(logo,)
    )
    result = DocxExtractor().extract(data, Limits())
    assert (result.method, result.text.strip()) == (
        "markup",
        "Dienstleistungsvertrag zwischen der Firma A und der Firma B",
    )


@pytest.mark.slow
def test_a_scan_pasted_into_word_is_read_from_its_picture():
    scan = documents.image_bytes(documents.scan("RECHNUNG Nr. 2026-17\nGesamtbetrag 1.190,00 EUR"))
    broken = b"\x89PNG\r\n\x1a\n broken"
    result = DocxExtractor().extract(documents.docx("Scan", pictures=(scan,)), Limits())
    assert result.method == "ocr" and "RECHNUNG" in result.text and "1.190,00" in result.text
    assert result.text.startswith("Scan\n\n")
    # A picture OCR cannot read costs that picture, with a warning, not the document.
    import io
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(documents.docx("Scan", pictures=(scan,)))) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/media/zz-broken.png", broken)
    result = DocxExtractor().extract(out.getvalue(), Limits(ocr_max_pages=5))
    assert "RECHNUNG" in result.text
    assert any(
        w.startswith("picture word/media/zz-broken.png not read: damaged image")
        for w in result.warnings
    )


def test_odt_paragraphs():
    result = OdtExtractor().extract(
        documents.odt("Contrat de location", "entre les parties"), Limits()
    )
    assert result.text == "Contrat de location\nentre les parties"


def test_a_zip_bomb_is_refused_before_it_inflates():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * 50_000_000)
    with pytest.raises(LimitExceeded, match="decompression bomb"):
        DocxExtractor().extract(out.getvalue(), Limits(max_zip_ratio=100))


def test_email_bodies_any_charset_and_attachments(tmp_path):
    body = "Bonjour,\nla facture de novembre est jointe. Merci d'avance.\nHélène"
    data = documents.email("Facture novembre", body, charset="iso-8859-1",
                           attachments={"facture.pdf": (documents.pdf("Facture 77"), "application/pdf")})  # fmt: skip
    result = EmailExtractor().extract(data, Limits(scratch_dir=str(tmp_path)))
    assert "Subject: Facture novembre" in result.text and "Hélène" in result.text
    assert "Attachments: facture.pdf" in result.text and result.language == "fr"
    [attachment] = result.attachments
    assert attachment.filename == "facture.pdf"
    with open(attachment.path, "rb") as file:
        assert sniff(file.read()).format == "pdf"


def test_email_with_only_html_reads_the_html_as_text():
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "Receipt"
    message.set_content(
        "<html><body><h1>Thank you</h1><script>x()</script><p>Total 9.99</p></body></html>",
        subtype="html",
    )
    result = EmailExtractor().extract(message.as_bytes(), Limits())
    assert "Thank you\nTotal 9.99" in result.text and "x()" not in result.text


def test_html_text_without_scripts_and_styles():
    data = (b"<html><head><title>Lieferschein</title><style>p{color:red}</style></head>"
            b"<body><p>Menge: 3</p><script>alert(1)</script><p>Gesamt &amp; mehr</p></body></html>")  # fmt: skip
    result = HtmlExtractor().extract(data, Limits())
    assert result.text == "Lieferschein\nMenge: 3\nGesamt & mehr"


@pytest.mark.parametrize(("data", "number", "seller"), [
    (documents.UBL_INVOICE, "RE-2026-0815", "Müller Werkzeuge GmbH"),
    (documents.CII_INVOICE, "FA-2026-77", "Boulangerie Dupont"),
    (documents.FATTURAPA_INVOICE, "FT/2026/0042", "Officine Rossi S.r.l."),
    (documents.nfe("55"), "4711", "Padaria Sao Jorge Ltda"),
])  # fmt: skip
def test_einvoices_give_their_fields(data, number, seller):
    result = XmlExtractor().extract(data, Limits())
    assert result.einvoice and result.method == "e-invoice"
    assert f"Invoice number: {number}" in result.text and f"Seller: {seller}" in result.text


def test_a_brazilian_consumer_receipt_is_read_as_a_receipt_not_an_invoice():
    result = XmlExtractor().extract(documents.nfe("65"), Limits())
    assert not result.einvoice and result.method == "e-invoice"
    assert result.text.startswith("Receipt (NF-e)") and "consumer receipt (NFC-e)" in result.text


def test_xml_with_a_dtd_is_not_read():
    bomb = b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><Invoice>&lol;</Invoice>'
    with pytest.raises(CorruptDocument, match="document type definition"):
        XmlExtractor().extract(bomb, Limits())


def test_output_is_bounded():
    result = TextExtractor().extract(b"word " * 10_000, Limits(max_chars=1_000))
    assert len(result.text) == 1_000 and "cut at 1,000 characters" in result.warnings[0]
