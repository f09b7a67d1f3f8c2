"""What a file is, from its content alone: magic bytes and structure, never its name.

:func:`sniff` returns the format and the MIME type it is stored under, or raises
:class:`~docflow.errors.UnsupportedDocument` naming the formats DocFlow reads. It reads
bytes only (no parser of the format runs here), so it is safe on any input and fast
enough for every upload.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass

from docflow.errors import UnsupportedDocument
from docflow.services.extract.result import describe

SUPPORTED = (
    "PDF (text or scanned), PNG, JPEG, TIFF, WebP, Word .docx, OpenDocument .odt, "
    "email (.eml), HTML, XML e-invoices (UBL, UN/CEFACT CII) and plain text in any encoding"
)


@dataclass(frozen=True)
class Kind:
    format: str
    mime: str


PDF = Kind("pdf", "application/pdf")
PNG = Kind("image", "image/png")
JPEG = Kind("image", "image/jpeg")
TIFF = Kind("image", "image/tiff")
WEBP = Kind("image", "image/webp")
DOCX = Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
ODT = Kind("odt", "application/vnd.oasis.opendocument.text")
EMAIL = Kind("email", "message/rfc822")
HTML = Kind("html", "text/html")
XML = Kind("xml", "application/xml")
TEXT = Kind("text", "text/plain")

KINDS = (PDF, PNG, JPEG, TIFF, WEBP, DOCX, ODT, EMAIL, HTML, XML, TEXT)
_FORMAT_OF_MIME = {kind.mime: kind.format for kind in KINDS}


def format_of(content_type: str) -> str:
    """The format of a stored document, from the MIME type its upload was sniffed as.

    Documents stored before formats were sniffed carry a type guessed from their name;
    they were all UTF-8 text.
    """
    return _FORMAT_OF_MIME.get(content_type, "text")


_ODF_TEXT_TYPES = (ODT.mime.encode(), b"application/vnd.oasis.opendocument.text-template")
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)
# Headers an RFC 5322 message starts with; a text file rarely opens with two of them.
_MAIL_HEADER = re.compile(
    rb"^(received|return-path|from|to|cc|subject|date|message-id|mime-version|content-type|"
    rb"delivered-to|reply-to|x-[a-z0-9-]+|dkim-signature|authentication-results|"
    rb"arc-[a-z-]+|thread-topic|thread-index|sender|in-reply-to|references)[ \t]*:",
    re.I | re.M,
)
_HTML = re.compile(
    rb"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|title>|div[\s>]|p>|table[\s>])", re.I
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
         codecs.BOM_UTF16_BE)  # fmt: skip


def sniff(data: bytes) -> Kind:
    """The format of ``data``; UnsupportedDocument when DocFlow reads no such thing."""
    if not data:
        raise UnsupportedDocument("the file is empty")
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return PDF
    for magic, kind in _IMAGES:
        if head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zipped(data)
    text = _as_text_head(head)
    if text is None:
        raise UnsupportedDocument(
            f"not a document DocFlow reads (binary data); it reads {SUPPORTED}"
        )
    if _is_mail(text):
        return EMAIL
    stripped = text.lstrip()
    if _HTML.search(stripped[:1024]):
        return HTML
    if stripped.startswith(b"<"):
        return XML
    return TEXT


def _zipped(data: bytes) -> Kind:
    """A ZIP container: Word or OpenDocument text, told apart by the entries inside."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            # OpenDocument text, or a text template (.ott): the same content.xml.
            if "mimetype" in names and archive.read("mimetype").strip() in _ODF_TEXT_TYPES:
                return ODT
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError) as exc:
        raise UnsupportedDocument(
            f"a damaged ZIP file ({describe(exc)}); DocFlow reads {SUPPORTED}"
        ) from None
    raise UnsupportedDocument(
        f"a ZIP archive that is neither a Word .docx nor an OpenDocument .odt; DocFlow reads {SUPPORTED}"
    )


def _as_text_head(head: bytes) -> bytes | None:
    """The head as ASCII-compatible bytes if it looks like text (any encoding), else None.

    UTF-16 and UTF-32 (told by their byte order mark) are recoded to UTF-8 so the markup
    and header checks see the characters; other text has few control characters.
    """
    for bom in _BOMS:
        if head.startswith(bom):
            encoding = {codecs.BOM_UTF8: "utf-8-sig", codecs.BOM_UTF32_LE: "utf-32",
                        codecs.BOM_UTF32_BE: "utf-32", codecs.BOM_UTF16_LE: "utf-16",
                        codecs.BOM_UTF16_BE: "utf-16"}[bom]  # fmt: skip
            return head.decode(encoding, "ignore").encode("utf-8")
    # A stray NUL or two happens in real pages; binary data has them everywhere.
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return head if controls <= len(head) // 100 else None


def _is_mail(text: bytes) -> bool:
    """Two or more header lines before the first blank line, the first at the very top."""
    block = text.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    first = block.split(b"\n", 1)[0]
    return bool(_MAIL_HEADER.match(first)) and len(_MAIL_HEADER.findall(block)) >= 2
