"""Error fingerprints, and the schema version that stores them for dead items."""

from __future__ import annotations

import pytest

from docflow.fingerprint import MAX_LENGTH, fingerprint, normalise, short_hash


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("stored file is missing: t/acme/2026/03/17.txt", "Error: stored file is missing: <path>"),
        ("ValueError: bad value 42 at offset 0x1f", "ValueError: bad value <n> at offset <hex>"),
        ("KeyError: 'doc-1234'", "KeyError: <str>"),
        ("HTTP 503", "Error: HTTP 503"),
        ("timeout after 10.5 s calling https://x.example/a?b=1", "Error: timeout after <n> s calling <url>"),
        ("job 7f3e2a9c1b4d5e6f uuid 123e4567-e89b-12d3-a456-426614174000", "Error: job <hex> uuid <uuid>"),
        ("event msg_2abcDEF9 failed", "Error: event msg_<id> failed"),
        ("gave up after 3 retries (max 3); last error: OSError: [Errno 5] block 9", "OSError: [Errno <n>] block <n>"),
        ("gave up: past the retry deadline", "Error: gave up: past the retry deadline"),
        ("", "Error: (no error recorded)"),
        (None, "Error: (no error recorded)"),
    ],
)  # fmt: skip
def test_fingerprint_collapses_what_varies(message, expected):
    assert fingerprint(message) == expected


def test_same_failure_different_ids_same_fingerprint():
    a = fingerprint("UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 17")
    b = fingerprint("UnicodeDecodeError: 'utf-8' codec can't decode byte 0x9c in position 4031")
    assert a == b and short_hash(a) == short_hash(b) and len(short_hash(a)) == 12
    assert fingerprint("HTTP 503") != fingerprint("HTTP 404")


def test_long_messages_fit_the_column():
    assert len(fingerprint("x " * 1000)) == MAX_LENGTH
    assert normalise("  many   spaces\n") == "many spaces"
