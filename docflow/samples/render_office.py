"""Word (.docx, python-docx) and OpenDocument text (.odt, written here: a zip of mimetype,
manifest, meta and content XML). Paragraphs keep their line breaks; aligned columns get a
monospaced font; an invoice's lines become a real table."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from xml.sax.saxutils import escape

from docflow.errors import MissingExtra
from docflow.samples.common import Sample
from docflow.samples.render_text import blocks, table_rows

_LANG = {"en": "en-GB", "de": "de-DE", "fr": "fr-FR"}


def docx(sample: Sample, when: datetime, author: str) -> bytes:
    try:
        import docx as python_docx
        from docx.shared import Pt
    except ImportError:
        raise MissingExtra(
            "rendering Word files needs python-docx: pip install 'docflow[documents]'"
        ) from None
    document = python_docx.Document()
    props = document.core_properties
    props.title, props.author, props.language = sample.heading, author, _LANG[sample.language]
    props.created = props.modified = when
    for i, block in enumerate(blocks(sample)):
        if block.kind == "table":
            assert sample.invoice is not None
            rows = [sample.invoice.columns, *table_rows(sample.invoice, sample.language)]
            table = document.add_table(rows=len(rows), cols=4)
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            continue
        paragraph = document.add_paragraph()
        run = paragraph.add_run(block.text)
        if block.kind == "pre":
            run.font.name, run.font.size = "Courier New", Pt(8)
        elif i == 0:
            run.bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_SPACES = re.compile(r"  +")
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_NS = (
    f'xmlns:office="{_OFFICE}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_STYLES = (
    '<office:automatic-styles><style:style style:name="Mono" style:family="paragraph">'
    '<style:text-properties style:font-name="Courier New" fo:font-size="8pt"/></style:style>'
    '<style:style style:name="Title" style:family="paragraph"><style:text-properties '
    'fo:font-weight="bold" fo:font-size="14pt"/></style:style></office:automatic-styles>'
)


def _odf_text(line: str) -> str:
    """A line as ODF text: runs of spaces as <text:s/>, which ODF does not collapse."""
    return _SPACES.sub(lambda m: f'<text:s text:c="{len(m.group())}"/>', escape(line))


def _odf_table(sample: Sample) -> str:
    assert sample.invoice is not None
    rows = [sample.invoice.columns, *table_rows(sample.invoice, sample.language)]
    cells = "".join(
        "<table:table-row>"
        + "".join(f"<table:table-cell><text:p>{escape(v)}</text:p></table:table-cell>" for v in row)
        + "</table:table-row>"
        for row in rows
    )
    return f'<table:table table:name="Positionen"><table:table-column table:number-columns-repeated="4"/>{cells}</table:table>'


def odt(sample: Sample, when: datetime, author: str) -> bytes:
    body = []
    for i, block in enumerate(blocks(sample)):
        if block.kind == "table":
            body.append(_odf_table(sample))
            continue
        style = ' text:style-name="Mono"' if block.kind == "pre" else ""
        if i == 0 and block.kind == "para":
            first, _, rest = block.text.partition("\n")
            body.append(
                f'<text:h text:outline-level="1" text:style-name="Title">{_odf_text(first)}</text:h>'
            )
            lines = rest.splitlines()
        else:
            lines = block.text.splitlines()
        body.extend(f"<text:p{style}>{_odf_text(line)}</text:p>" for line in lines)
        body.append("<text:p/>")
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NS} office:version="1.2">'
        f"{_STYLES}<office:body><office:text>{''.join(body)}</office:text></office:body></office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_NS} office:version="1.2"><office:meta>'
        f"<dc:title>{escape(sample.heading)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
        f"<dc:language>{_LANG[sample.language]}</dc:language>"
        f"<meta:creation-date>{when:%Y-%m-%dT%H:%M:%S}</meta:creation-date>"
        "<meta:generator>DocFlow</meta:generator></office:meta></office:document-meta>"
    )
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # The mimetype comes first and uncompressed, so tools can read it at a fixed offset.
        archive.writestr(
            zipfile.ZipInfo("mimetype", stamp), "application/vnd.oasis.opendocument.text"
        )
        for name, data in (
            ("META-INF/manifest.xml", _MANIFEST),
            ("meta.xml", meta),
            ("content.xml", content),
        ):
            archive.writestr(zipfile.ZipInfo(name, stamp), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
