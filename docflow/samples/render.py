"""Generated samples as real files, in the formats DocFlow reads.

``render(rng, sample, kind)`` gives a :class:`Rendered` (file name, the MIME type DocFlow
sniffs it as, bytes) for one of :data:`KINDS`:

=========== =====================================================================
text        UTF-8 text (the generated text as it is)
latin1      the text in cp1252, as older German and French mail and letters are
html        a simple HTML page; an invoice's lines as a table
pdf         fpdf2, with a text layer (receipts on an 80 mm roll)
scan-pdf    the text drawn on 200 dpi A4 pages, tilted, grainy, blurred: image-only PDF
scan-image  the first page of such a scan as JPEG or PNG, or all pages as a fax TIFF
docx        python-docx; an invoice's lines as a table
odt         OpenDocument text
email       MIME e-mail, the text as body in a charset; ``attachment=`` attaches a file
ubl         UBL 2.1 Invoice XML (XRechnung for German sellers); invoices only
cii         UN/CEFACT CII CrossIndustryInvoice XML; invoices only
facturx     the invoice PDF with its CII XML embedded as factur-x.xml; invoices only
=========== =====================================================================

fpdf2, python-docx and Pillow are imported when a kind needs them; without them that
kind raises MissingExtra, naming the extra to install.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape

from docflow.errors import InvalidArgument
from docflow.samples import render_einvoice, render_mail, render_office, render_pdf, render_scan
from docflow.samples.common import EPOCH, Sample, below, pick, to_ascii
from docflow.samples.render_text import blocks, cp1252, table_rows
from docflow.services.extract import sniff

KINDS = ("text", "latin1", "html", "pdf", "scan-pdf", "scan-image", "docx", "odt", "email",
         "ubl", "cii", "facturx")  # fmt: skip
INVOICE_KINDS = ("ubl", "cii", "facturx")


@dataclass(frozen=True)
class Rendered:
    filename: str
    content_type: str  # as docflow.services.extract.sniff names it
    data: bytes


def kinds_for(sample: Sample) -> tuple[str, ...]:
    """The kinds `sample` renders as: the e-invoice ones only for invoices."""
    return KINDS if sample.invoice is not None else KINDS[: -len(INVOICE_KINDS)]


# How an inbox receives each category, roughly: weights per kind.
_MIX = {
    "invoice": {"pdf": 30, "scan-pdf": 12, "facturx": 10, "ubl": 8, "cii": 6, "text": 8, "docx": 5,
                "scan-image": 6, "html": 5, "email": 5, "odt": 2, "latin1": 3},
    "receipt": {"scan-image": 40, "scan-pdf": 15, "pdf": 15, "text": 10, "email": 10, "html": 10},
    "contract": {"pdf": 30, "scan-pdf": 25, "docx": 20, "odt": 5, "text": 10, "html": 5, "email": 5},
    "identity_document": {"scan-image": 55, "scan-pdf": 30, "pdf": 10, "text": 5},
    "correspondence": {"email": 35, "pdf": 20, "docx": 12, "text": 10, "latin1": 8, "scan-pdf": 8,
                       "html": 4, "odt": 3},
    "other": {"text": 25, "html": 20, "pdf": 20, "docx": 15, "odt": 10, "email": 5, "scan-image": 5},
}  # fmt: skip


def pick_kind(rng: random.Random, sample: Sample) -> str:
    """A kind to render `sample` as, in the proportions an inbox receives them."""
    mix = {k: w for k, w in _MIX[sample.category].items() if k in kinds_for(sample)}
    if sample.language == "en":
        mix.pop("latin1", None)
    return rng.choices(tuple(mix), weights=tuple(mix.values()))[0]


def _slug(text: str) -> str:
    """`text` as a file name: lowercase ASCII words joined by '-', at most 40 characters."""
    words = "".join(c if c.isalnum() else " " for c in to_ascii(text).lower()).split()
    return "-".join(words)[:40].rstrip("-") or "mail"


def _when(rng: random.Random, sample: Sample) -> datetime:
    base = sample.invoice.issued.toordinal() if sample.invoice else EPOCH + below(rng, 1500)
    start = datetime.fromordinal(base).replace(tzinfo=UTC)
    return start + timedelta(seconds=8 * 3600 + below(rng, 10 * 3600))


def _scan_name(rng: random.Random, sample: Sample, ext: str, when: datetime) -> str:
    n = below(rng, 10000)
    return pick(rng, (f"scan_{n:04d}{ext}", f"SCN_{when:%Y%m%d}_{n:04d}{ext}", f"{sample.stem}{ext}",
                      f"Scan_{when:%Y-%m-%d_%H%M%S}{ext}", f"IMG_{n:04d}{ext}", f"doc{n:05d}{ext}"))  # fmt: skip


def _invoice_name(rng: random.Random, sample: Sample, flavour: str) -> str:
    assert sample.invoice is not None
    number = sample.invoice.number.replace("/", "-")
    names = {
        "de": (f"xrechnung_{number}.xml", f"Rechnung_{number}_{flavour}.xml", f"{sample.stem}.xml"),
        "fr": (f"facture-{number}.xml", f"facture_{number}_{flavour}.xml", f"{sample.stem}.xml"),
        "en": (f"invoice-{number}-{flavour}.xml", f"{number}.xml", f"{sample.stem}.xml"),
    }[sample.language]
    if flavour == "cii" and sample.language == "de":
        names = (f"zugferd_{number}.xml", *names[1:])
    return pick(rng, names)


def html_page(sample: Sample) -> str:
    parts = []
    for i, block in enumerate(blocks(sample)):
        if block.kind == "table":
            assert sample.invoice is not None
            rows = [sample.invoice.columns, *table_rows(sample.invoice, sample.language)]
            cells = ["<tr>" + "".join(f"<th>{escape(c)}</th>" for c in rows[0]) + "</tr>"]
            cells += [
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:]
            ]
            parts.append("<table>\n" + "\n".join(cells) + "\n</table>")
        elif block.kind == "pre":
            parts.append(f"<pre>{escape(block.text)}</pre>")
        else:
            tag = "h1" if i == 0 and block.text.strip("# ") == sample.heading else "p"
            parts.append(
                f"<{tag}>" + "<br>\n".join(map(escape, block.text.splitlines())) + f"</{tag}>"
            )
    return (
        f'<!DOCTYPE html>\n<html lang="{sample.language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(sample.heading)}</title>\n<style>body{{font-family:Arial,sans-serif;max-width:50em;margin:2em auto}}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}</style>\n</head>\n<body>\n"
        + "\n".join(parts) + "\n</body>\n</html>\n"
    )  # fmt: skip


def _scan(rng: random.Random, sample: Sample, kind: str, when: datetime) -> Rendered:
    if kind == "scan-pdf":
        pages = render_scan.pages(rng, sample.text)
        quality = 70 + below(rng, 16)
        data = render_pdf.image_pdf([render_scan.jpeg(p, quality) for p in pages])
        return Rendered(_scan_name(rng, sample, ".pdf", when), sniff.PDF.mime, data)
    r = rng.random()
    if r < 0.2:
        data = render_scan.fax_tiff(render_scan.pages(rng, sample.text))
        return Rendered(_scan_name(rng, sample, ".tif", when), sniff.TIFF.mime, data)
    [first] = render_scan.pages(rng, sample.text, 1)
    if r < 0.4:
        return Rendered(
            _scan_name(rng, sample, ".png", when), sniff.PNG.mime, render_scan.png(first)
        )
    data = render_scan.jpeg(first, 70 + below(rng, 16))
    return Rendered(_scan_name(rng, sample, ".jpg", when), sniff.JPEG.mime, data)


def _text(sample: Sample, kind: str) -> Rendered:
    data = sample.text.encode("utf-8") if kind == "text" else cp1252(sample.text)
    return Rendered(sample.filename, sniff.sniff(data).mime, data)


def render(
    rng: random.Random, sample: Sample, kind: str, *, attachment: Rendered | None = None
) -> Rendered:
    """`sample` as a file of `kind`; for "email", `attachment` is attached to it."""
    if kind not in KINDS:
        raise InvalidArgument(f"unknown render kind {kind!r}; expected one of {', '.join(KINDS)}")
    if kind in INVOICE_KINDS and sample.invoice is None:
        raise InvalidArgument(f"{kind} renders invoices only, not {sample.category}")
    when = _when(rng, sample)
    author = render_mail.person(rng, sample.language)[0]  # of office files
    if kind in ("text", "latin1"):
        return _text(sample, kind)
    if kind == "html":
        return Rendered(
            f"{sample.stem}{pick(rng, ('.html', '.htm'))}",
            sniff.HTML.mime,
            html_page(sample).encode(),
        )
    if kind == "pdf":
        return Rendered(f"{sample.stem}.pdf", sniff.PDF.mime, render_pdf.text_pdf(sample, when))
    if kind in ("scan-pdf", "scan-image"):
        return _scan(rng, sample, kind, when)
    if kind == "docx":
        return Rendered(
            f"{sample.stem}.docx", sniff.DOCX.mime, render_office.docx(sample, when, author)
        )
    if kind == "odt":
        return Rendered(
            f"{sample.stem}.odt", sniff.ODT.mime, render_office.odt(sample, when, author)
        )
    if kind == "email":
        return _email(rng, sample, when, attachment)
    return _einvoice(rng, sample, kind, when)


def _email(
    rng: random.Random, sample: Sample, when: datetime, attachment: Rendered | None
) -> Rendered:
    html = html_page(sample) if rng.random() < 0.25 else None
    attached = (
        (attachment.filename, attachment.content_type, attachment.data) if attachment else None
    )
    data = render_mail.email(rng, sample, when, attached, html)
    return Rendered(f"{_slug(sample.heading)}_{below(rng, 10000):04d}.eml", sniff.EMAIL.mime, data)


def _einvoice(rng: random.Random, sample: Sample, kind: str, when: datetime) -> Rendered:
    invoice = sample.invoice
    assert invoice is not None
    if kind == "ubl":
        xml = render_einvoice.ubl(invoice, _leitweg(rng, sample))
        return Rendered(_invoice_name(rng, sample, "ubl"), sniff.XML.mime, xml)
    xml = render_einvoice.cii(invoice, _leitweg(rng, sample))
    if kind == "cii":
        return Rendered(_invoice_name(rng, sample, "cii"), sniff.XML.mime, xml)
    names = (
        f"{sample.stem}.pdf",
        f"factur-x_{invoice.number}.pdf",
        f"ZUGFeRD_{invoice.number}.pdf",
    )
    data = render_pdf.facturx_pdf(sample, xml, when)
    return Rendered(pick(rng, names).replace("/", "-"), sniff.PDF.mime, data)


def _leitweg(rng: random.Random, sample: Sample) -> str:
    """A buyer reference; German public buyers use a Leitweg-ID."""
    if sample.language == "de" and rng.random() < 0.4:
        return f"{below(rng, 10**8):08d}-{below(rng, 10**10):010d}-{below(rng, 100):02d}"
    return ""


def cover_email(rng: random.Random, attached_sample: Sample, attached: Rendered) -> Rendered:
    """A short e-mail in the attached sample's language sending `attached` (an invoice PDF,
    a signed contract ...): what arrives in a back-office mailbox most often."""
    text = render_mail.cover_text(rng, attached_sample)
    subject = text.split("\nSubject: ", 1)[1].split("\n", 1)[0]
    cover = Sample("correspondence", attached_sample.language, _slug(subject), text, title=subject)
    return render(rng, cover, "email", attachment=attached)
