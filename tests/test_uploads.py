from datetime import UTC, datetime

import pytest

from docflow.errors import NotFound, StorageError, UploadRejected
from docflow.jobs.classify import classify_documents
from docflow.models import Document, DocumentStatus
from docflow.queues import get_queue
from docflow.services.storage import Storage, sanitize_filename
from docflow.uploads import upload
from tests import factories
from tests.conftest import make_settings

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_upload_stores_file_and_pending_row_and_asks_for_classification(
    backend, tmp_path, redis_conn
):
    factories.tenant()
    src = tmp_path / "My Invoice (final).txt"
    src.write_text("Invoice number 7, total due 10 EUR")
    uploaded = upload(backend, "acme", [src], NOW)
    [queued] = get_queue(redis_conn, backend, "high").jobs
    assert queued.func_name == classify_documents.path and uploaded.classification.queued == 1
    second = upload(backend, "acme", [src], NOW)
    assert second.classification.queued == 0 and second.classification.problem is None
    [doc] = uploaded.documents
    doc = Document.get_by_id(doc.id)
    assert doc.status == DocumentStatus.PENDING and doc.size_bytes == src.stat().st_size
    assert doc.filename == "My Invoice (final).txt"
    assert doc.storage_path.startswith("acme/2026/03/")
    assert doc.storage_path.endswith("My_Invoice_final_.txt")
    stored = Storage(backend.storage_root).resolve(doc.storage_path)
    assert stored.read_bytes() == src.read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"x" * 2048, "over the upload limit of 1024 bytes"),
        (b"\x00\x01\x02binary" * 100, "not a document DocFlow reads (binary data)"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(sqlite_db, tmp_path, content, message):
    settings = make_settings(tmp_path, DOCFLOW_MAX_UPLOAD_BYTES="1024")
    factories.tenant()
    good = tmp_path / "good.txt"
    good.write_text("fine")
    bad = tmp_path / "bad.txt"
    if content is not None:
        bad.write_bytes(content)
    with pytest.raises(UploadRejected, match=message.replace("(", r"\(").replace(")", r"\)")):
        upload(settings, "acme", [good, bad], NOW)
    assert Document.select().count() == 0
    assert factories.stored_files(settings) == []


def test_unknown_tenant(sqlite_db, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("hi")
    with pytest.raises(NotFound, match="unknown tenant 'nobody'"):
        upload(sqlite_db, "nobody", [src], NOW)
    assert factories.stored_files(sqlite_db) == []


def test_failed_insert_removes_stored_files(sqlite_db, tmp_path, monkeypatch):
    factories.tenant()
    src = tmp_path / "a.txt"
    src.write_text("hi")

    def explode(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Document, "save", explode)
    with pytest.raises(RuntimeError):
        upload(sqlite_db, "acme", [src], NOW)
    assert factories.stored_files(sqlite_db) == []


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..", "document"),
        ("a b/c?.txt", "c_.txt"),
        (".hidden", "hidden"),
    ],
)
def test_sanitize_filename(name, safe):
    assert sanitize_filename(name) == safe


def test_storage_refuses_paths_outside_root(tmp_path):
    storage = Storage(tmp_path / "root")
    for bad in ("../outside.txt", "/etc/passwd", "a/../../x"):
        with pytest.raises(StorageError, match="outside the storage root"):
            storage.resolve(bad)
    (tmp_path / "root").mkdir()
    (tmp_path / "secret.txt").write_text("s")
    (tmp_path / "root" / "link").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(StorageError):
        storage.delete("link")
    assert (tmp_path / "secret.txt").exists()


def test_upload_with_redis_down_commits_and_says_the_next_run_classifies(sqlite_db, tmp_path):
    settings = make_settings(
        tmp_path,
        DOCFLOW_DATABASE_URL=sqlite_db.database_url,
        DOCFLOW_REDIS_URL="redis://127.0.0.1:1/0",
    )
    factories.tenant()
    src = tmp_path / "note.txt"
    src.write_text("Dear Sir, thank you for your letter.")
    uploaded = upload(settings, "acme", [src], NOW)
    assert Document.select().count() == 1
    assert uploaded.classification.queued == 0
    assert "cannot reach Redis" in uploaded.classification.problem
    assert "next scheduled run" in uploaded.classification.describe("classification")
