"""What the renderers share: a sample's text cut into blocks (paragraphs, aligned
columns, the invoice table), folding to Latin-1 for PDF core fonts and cp1252, and the
mail headers an e-mail printout starts with."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docflow.samples.common import Invoice, Sample, money, number

# Characters outside Latin-1 that documents use, and what a Latin-1 font prints instead.
_LATIN1 = str.maketrans({"€": "EUR", "„": '"', "“": '"', "”": '"', "‘": "'", "’": "'",
                         "‚": "'", "–": "-", "—": "-", "…": "...", "œ": "oe", "Œ": "OE",
                         "\u202f": " ", "\u2009": " ", "•": "-", "→": "->", "ı": "i", "ş": "s",
                         "Ł": "L", "ł": "l", "ć": "c", "č": "c", "š": "s", "ž": "z"})  # fmt: skip
# cp1252 has the euro sign, typographic quotes and dashes; only the rest is replaced.
_CP1252 = str.maketrans({"\u202f": " ", "\u2009": " ", "→": "->", "ı": "i", "ş": "s",
                         "Ł": "L", "ł": "l", "ć": "c", "č": "c"})  # fmt: skip


def latin1(text: str) -> str:
    """`text` with the few characters outside Latin-1 replaced (fpdf2's core fonts)."""
    folded = text.translate(_LATIN1)
    return folded.encode("latin-1", "replace").decode("latin-1")


def cp1252(text: str) -> bytes:
    return text.translate(_CP1252).encode("cp1252", "replace")


@dataclass(frozen=True)
class Block:
    """A run of the text: 'para' (lines of prose), 'pre' (aligned columns) or 'table'."""

    kind: str
    text: str = ""


_COLUMNS = re.compile(r"\S {3,}\S|^-{8,}|^={8,}|^ {2,}\S", re.M)


def blocks(sample: Sample) -> list[Block]:
    """The sample's text as blocks, the invoice's line table as a 'table' block."""
    start, end = sample.table
    if sample.invoice is None or start == end:
        return _split(sample.text)
    return [*_split(sample.text[:start]), Block("table"), *_split(sample.text[end:])]


def _split(text: str) -> list[Block]:
    out = []
    for chunk in text.split("\n\n"):
        chunk = chunk.strip("\n")
        if chunk.strip():
            out.append(Block("pre" if _COLUMNS.search(chunk) else "para", chunk))
    return out


def table_rows(invoice: Invoice, language: str) -> list[tuple[str, str, str, str]]:
    """The invoice's lines as (description, quantity, unit price, amount) strings."""
    return [
        (line.description, number(line.quantity, language), money(line.unit_price, language),
         money(line.net, language))
        for line in invoice.lines
    ]  # fmt: skip


_HEADER = re.compile(r"^(From|To|Subject|Date|Von|An|Betreff|Datum|De|À|Objet|Cc) ?: ?(.*)$")
_FIELDS = {"From": "From", "Von": "From", "De": "From", "To": "To", "An": "To", "À": "To",
           "Subject": "Subject", "Betreff": "Subject", "Objet": "Subject", "Cc": "Cc"}  # fmt: skip


def mail_headers(text: str) -> tuple[dict[str, str], str]:
    """The From/To/Subject of an e-mail printout (any of our languages) and its body; no
    headers and the whole text when it does not start like one."""
    head, sep, body = text.partition("\n\n")
    found: dict[str, str] = {}
    for line in head.splitlines():
        match = _HEADER.match(line)
        if not match:
            return {}, text
        if match.group(1) in _FIELDS:
            found[_FIELDS[match.group(1)]] = match.group(2)
    return (found, body) if sep and "From" in found else ({}, text)
