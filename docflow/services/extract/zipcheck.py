"""Decompression bombs in ZIP-based documents (.docx, .odt), found before anything inflates."""

from __future__ import annotations

import io
import zipfile

from docflow.errors import CorruptDocument, LimitExceeded
from docflow.services.extract.result import Limits, describe

MAX_ENTRIES = 10_000


def open_checked(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The archive, once its declared sizes and ratios are within ``limits``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptDocument(f"damaged ZIP container ({describe(exc)})") from None
    if len(entries) > MAX_ENTRIES:
        raise LimitExceeded(f"{len(entries):,} entries in the ZIP container (most {MAX_ENTRIES:,})")
    total = sum(e.file_size for e in entries)
    if total > limits.max_unzipped_bytes:
        raise LimitExceeded(
            f"unpacks to {total:,} bytes, over the {limits.max_unzipped_bytes:,} allowed "
            "(DOCFLOW_EXTRACT_MAX_UNZIPPED_BYTES): a decompression bomb?"
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 1_000_000 and ratio > limits.max_zip_ratio:
            raise LimitExceeded(
                f"{entry.filename} inflates {ratio:,.0f} times (most {limits.max_zip_ratio}): "
                "a decompression bomb?"
            )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    """One entry's bytes, read no further than its declared size allows (sizes can lie)."""
    try:
        with archive.open(name) as member:
            data = member.read(limits.max_unzipped_bytes + 1)
    except KeyError:
        raise CorruptDocument(f"the container has no {name}") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocument(f"damaged {name} in the ZIP container ({describe(exc)})") from None
    if len(data) > limits.max_unzipped_bytes:
        raise LimitExceeded(
            f"{name} unpacks past {limits.max_unzipped_bytes:,} bytes: a decompression bomb?"
        )
    return data
