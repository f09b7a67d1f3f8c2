"""Hostile and broken files never hurt the worker: each limit kills the child, names the
limit, and the next document reads in a fresh child."""

from __future__ import annotations

from pathlib import Path

import pytest

from docflow.errors import CorruptDocument, LimitExceeded
from docflow.services.extract import DEFAULT_EXTRACTORS
from docflow.services.extract.result import Limits
from docflow.services.extract.sandbox import Sandbox
from tests.extract import documents, hostile

HOSTILE = "tests.extract.hostile"


@pytest.fixture
def sandbox():
    with Sandbox(timeout_seconds=5, cpu_seconds=1, memory_mb=300) as box:
        yield box


@pytest.fixture
def good_pdf(tmp_path: Path) -> str:
    path = tmp_path / "good.pdf"
    path.write_bytes(documents.pdf("INVOICE 42\nTotal due 10 EUR"))
    return str(path)


def read(box: Sandbox, path: str, extractor: str, limits: Limits | None = None):
    return box.extract(path, extractor, limits or Limits(), max_bytes=10_000_000, what="test")


def assert_recovers(box: Sandbox, good_pdf: str, children: int) -> None:
    assert "INVOICE 42" in read(box, good_pdf, DEFAULT_EXTRACTORS["pdf"]).text
    assert box.started == children


@pytest.mark.parametrize(
    ("extractor", "error", "message"),
    [
        ("Spins", LimitExceeded, "used over 1 s of CPU (DOCFLOW_EXTRACT_CPU_SECONDS)"),
        ("Hoards", LimitExceeded, "needed over 300 MB of memory (DOCFLOW_EXTRACT_MEMORY_MB)"),
        ("Crashes", CorruptDocument, "the test reader crashed on this file (signal SIGSEGV)"),
    ],
)
def test_a_runaway_reader_fails_that_document_only(sandbox, good_pdf, extractor, error, message):
    assert "INVOICE 42" in read(sandbox, good_pdf, DEFAULT_EXTRACTORS["pdf"]).text
    with pytest.raises(error) as failed:
        read(sandbox, good_pdf, f"{HOSTILE}:{extractor}")
    assert message in str(failed.value)
    assert_recovers(sandbox, good_pdf, children=2)


def test_a_reader_that_hangs_is_killed_at_the_deadline(good_pdf):
    with Sandbox(timeout_seconds=1, cpu_seconds=60, memory_mb=300) as box:
        with pytest.raises(
            LimitExceeded, match=r"took over 1 s \(DOCFLOW_EXTRACT_TIMEOUT_SECONDS\)"
        ):
            read(box, good_pdf, f"{HOSTILE}:Sleeps")
        assert_recovers(box, good_pdf, children=2)


def test_a_cyclic_pdf_ends(sandbox, tmp_path, good_pdf):
    path = tmp_path / "cyclic.pdf"
    path.write_bytes(hostile.cyclic_pdf())
    try:
        result = read(sandbox, str(path), DEFAULT_EXTRACTORS["pdf"], Limits(ocr_max_pages=0))
        assert result.pages <= 2
    except CorruptDocument:
        pass  # refusing the loop is as good as reading around it
    assert_recovers(sandbox, good_pdf, children=1)


@pytest.mark.parametrize(
    ("name", "data", "extractor", "message"),
    [
        ("bomb.png", hostile.png_bomb(), "image", "the image is too large"),
        ("cut.pdf", documents.pdf("INVOICE 42")[:300], "pdf", "damaged PDF"),
        ("cut.docx", documents.docx("Vertrag")[:2000], "docx", "damaged ZIP container"),
    ],
)
def test_bombs_and_truncated_files_fail_with_their_reason(
    sandbox, tmp_path, good_pdf, name, data, extractor, message
):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises((LimitExceeded, CorruptDocument), match=message):
        read(sandbox, str(path), DEFAULT_EXTRACTORS[extractor])
    assert_recovers(sandbox, good_pdf, children=1)
