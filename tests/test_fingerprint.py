"""Error fingerprints, and the schema version that stores them for dead items."""

from __future__ import annotations

import pytest
from playhouse.migrate import SchemaMigrator

from docflow.db import open_database
from docflow.fingerprint import MAX_LENGTH, fingerprint, normalise, short_hash
from docflow.migrations import LATEST_VERSION, current_version, migrate
from docflow.models import Document, DocumentStatus, SchemaVersion, WebhookEvent
from tests import factories


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


def test_version_2_adds_and_backfills_fingerprints_on_an_older_database(settings):
    with open_database(settings) as db:
        migrate(db)
        owner = factories.tenant()
        doc = factories.document(settings, owner, "x", status=DocumentStatus.DEAD_LETTERED,
                                 last_error="stored file is missing: t/a/1.txt")  # fmt: skip
        # Back to what a version-1 database looked like: no column, no version-2 row.
        for table in (Document._meta.table_name, WebhookEvent._meta.table_name):
            for index in [i.name for i in db.get_indexes(table) if "error_fingerprint" in i.name]:
                db.execute_sql(f'DROP INDEX "{index}"')
            SchemaMigrator.from_database(db).drop_column(table, "error_fingerprint").run()
        SchemaVersion.delete().where(SchemaVersion.version == 2).execute()
        assert current_version(db) == 1
        assert migrate(db) == [2]
        assert current_version(db) == LATEST_VERSION
        assert (
            Document.get_by_id(doc.id).error_fingerprint == "Error: stored file is missing: <path>"
        )
        assert migrate(db) == []
