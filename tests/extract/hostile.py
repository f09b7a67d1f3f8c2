"""Extractors that misbehave the ways parsers do on hostile files: spin, sleep, hoard
memory, crash. Loaded by the sandbox's child by name, like any configured extractor."""

from __future__ import annotations

import os
import signal
import time

from docflow.services.extract.result import Extraction, Limits


class _Hostile:
    isolated = True

    def extract(self, data: bytes, limits: Limits) -> Extraction:
        self.misbehave()
        return Extraction("unreachable", "text", "decoded")

    def misbehave(self) -> None:
        raise NotImplementedError


class Spins(_Hostile):
    def misbehave(self) -> None:
        while True:
            pass


class Sleeps(_Hostile):
    def misbehave(self) -> None:
        time.sleep(3600)


class Hoards(_Hostile):
    def misbehave(self) -> None:
        hoard = []
        while True:
            hoard.append(bytearray(50 * 1024 * 1024))  # touched: resident, not just reserved
            time.sleep(0.01)


class Crashes(_Hostile):
    def misbehave(self) -> None:
        os.kill(os.getpid(), signal.SIGSEGV)


def cyclic_pdf() -> bytes:
    """A PDF whose page tree contains itself: a parser that follows it naively never ends."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A tiny PNG that claims to be 1.6 gigapixels."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


class NeedsAnExtra(_Hostile):
    def misbehave(self) -> None:
        from docflow.errors import MissingExtra

        raise MissingExtra("reading this needs somepackage: pip install 'docflow[documents]'")


class Slow(_Hostile):
    """Reads, but takes its time: 0.6 s a document."""

    def extract(self, data: bytes, limits: Limits) -> Extraction:
        time.sleep(0.6)
        return Extraction(data.decode("latin-1"), "pdf", "text-layer")
