"""Real documents made with real libraries, for the extraction tests: fpdf2 for PDF,
python-docx for Word, Pillow for scans, the stdlib for email, zip and XML."""

from __future__ import annotations

import io
import random
import zipfile
from email.message import EmailMessage

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)


def pdf(*pages: str, attachments: dict[str, bytes] | None = None) -> bytes:
    """A PDF with a text layer, one page per string (Latin-1 text: fpdf2's core fonts)."""
    doc = FPDF()
    doc.set_font("helvetica", size=11)
    for text in pages:
        doc.add_page()
        doc.multi_cell(0, 6, text)
    for name, data in (attachments or {}).items():
        doc.embed_file(basename=name, bytes=data, desc="e-invoice")
    return bytes(doc.output())


def pdf_of_images(*images: Image.Image) -> bytes:
    """A scanned PDF: each page only an image, no text layer."""
    doc = FPDF(unit="pt")
    for image in images:
        doc.add_page(format=(image.width * 72 / 200, image.height * 72 / 200))
        doc.image(image, x=0, y=0, w=image.width * 72 / 200)
    return bytes(doc.output())


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def scan(text: str, *, rotate: float = 0.8, noise: int = 12, seed: int = 1) -> Image.Image:
    """``text`` as a page scanned at 200 dpi: slightly rotated, a little noisy and blurred."""
    image = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(image)
    y = 120
    for line in text.splitlines():
        draw.text((140, y), line, fill=20, font=font(34))
        y += 52
    rng = random.Random(seed)
    pixels = image.load()
    for _ in range(image.width * image.height // 200):
        x, yy = rng.randrange(image.width), rng.randrange(image.height)
        pixels[x, yy] = max(0, min(255, pixels[x, yy] + rng.randint(-noise * 8, noise * 8)))
    image = image.rotate(rotate, fillcolor=255, resample=Image.Resampling.BICUBIC)
    return image.filter(ImageFilter.GaussianBlur(0.6))


def image_bytes(image: Image.Image, kind: str = "PNG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def tiff(*images: Image.Image) -> bytes:
    out = io.BytesIO()
    images[0].save(
        out, "TIFF", save_all=True, append_images=list(images[1:]), compression="tiff_deflate"
    )
    return out.getvalue()


def docx(
    *paragraphs: str, table: list[list[str]] | None = None, pictures: tuple[bytes, ...] = ()
) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for picture in pictures:
        document.add_picture(io.BytesIO(picture))
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                grid.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt(*paragraphs: str, mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def email(subject: str, body: str, *, charset: str = "utf-8", html: str | None = None,
          attachments: dict[str, tuple[bytes, str]] | None = None) -> bytes:  # fmt: skip
    message = EmailMessage()
    message["From"] = "Anna Muster <anna@example.de>"
    message["To"] = "buchhaltung@example.com"
    message["Subject"] = subject
    message["Date"] = "Tue, 01 Dec 2026 09:00:00 +0100"
    message.set_content(body, charset=charset, cte="quoted-printable")
    if html is not None:
        message.add_alternative(html, subtype="html")
    for name, (data, mime) in (attachments or {}).items():
        main, _, sub = mime.partition("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return message.as_bytes()


UBL_INVOICE = b"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>RE-2026-0815</cbc:ID><cbc:IssueDate>2026-11-30</cbc:IssueDate>
 <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
 <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>M\xc3\xbcller Werkzeuge GmbH</cbc:Name></cac:PartyName></cac:Party></cac:AccountingSupplierParty>
 <cac:AccountingCustomerParty><cac:Party><cac:PartyName><cbc:Name>Acme SARL</cbc:Name></cac:PartyName></cac:Party></cac:AccountingCustomerParty>
 <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">1190.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
 <cac:InvoiceLine><cbc:ID>1</cbc:ID><cac:Item><cbc:Name>Drehmomentschl\xc3\xbcssel</cbc:Name></cac:Item></cac:InvoiceLine>
</Invoice>"""

CII_INVOICE = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocument><ram:ID>FA-2026-77</ram:ID><ram:TypeCode>380</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20261130</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty><ram:Name>Boulangerie Dupont</ram:Name></ram:SellerTradeParty>
   <ram:BuyerTradeParty><ram:Name>Mairie de Lyon</ram:Name></ram:BuyerTradeParty></ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:GrandTotalAmount>84.40</ram:GrandTotalAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation></ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""

FATTURAPA_INVOICE = b"""<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica versione="FPR12" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2">
 <FatturaElettronicaHeader><CedentePrestatore><DatiAnagrafici>
  <IdFiscaleIVA><IdPaese>IT</IdPaese><IdCodice>01234567890</IdCodice></IdFiscaleIVA>
  <Anagrafica><Denominazione>Officine Rossi S.r.l.</Denominazione></Anagrafica></DatiAnagrafici></CedentePrestatore>
  <CessionarioCommittente><DatiAnagrafici><Anagrafica><Denominazione>Bianchi SpA</Denominazione></Anagrafica>
  </DatiAnagrafici></CessionarioCommittente></FatturaElettronicaHeader>
 <FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento>
  <Divisa>EUR</Divisa><Data>2026-11-30</Data><Numero>FT/2026/0042</Numero>
  <ImportoTotaleDocumento>1220.00</ImportoTotaleDocumento></DatiGeneraliDocumento></DatiGenerali>
  <DatiBeniServizi><DettaglioLinee><Descrizione>Manutenzione impianto</Descrizione></DettaglioLinee>
  </DatiBeniServizi></FatturaElettronicaBody>
</p:FatturaElettronica>"""


def nfe(model: str) -> bytes:
    """A Brazilian NF-e (model 55, an invoice) or NFC-e (65, a consumer receipt)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe"><NFe><infNFe versao="4.00">
 <ide><mod>{model}</mod><nNF>4711</nNF><dhEmi>2026-11-30T10:00:00-03:00</dhEmi></ide>
 <emit><CNPJ>12345678000195</CNPJ><xNome>Padaria Sao Jorge Ltda</xNome></emit>
 <det nItem="1"><prod><xProd>Pao de queijo</xProd></prod></det>
 <total><ICMSTot><vNF>18.50</vNF></ICMSTot></total>
</infNFe></NFe></nfeProc>""".encode()
