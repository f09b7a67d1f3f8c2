import re
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
from tests.extract import documents

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


def encrypted_pdf() -> bytes:
    import io

    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * 300_000_000)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("locked.pdf", encrypted_pdf, "the PDF is encrypted (it needs a password to open)"),
        ("cut.pdf", lambda: documents.pdf("Invoice 42")[:400], "damaged PDF"),
        ("bomb.docx", zip_bomb, "a decompression bomb?"),
        (
            "program.exe",
            lambda: b"MZ\x90\x00" + bytes(range(256)) * 20,
            "it reads PDF (text or scanned), PNG",
        ),
    ],
)
def test_unreadable_files_are_refused_at_upload_with_their_reason(
    sqlite_db, tmp_path, name, make, message
):
    factories.tenant()
    good, bad = tmp_path / "note.txt", tmp_path / name
    good.write_text("Dear Sir, thank you for your letter.")
    bad.write_bytes(make())
    with pytest.raises(UploadRejected, match=re.escape(message)) as refused:
        upload(sqlite_db, "acme", [good, bad], NOW)
    assert str(refused.value).startswith(str(bad))
    assert Document.select().count() == 0 and factories.stored_files(sqlite_db) == []


def test_the_format_comes_from_the_content_and_limits_apply_per_format(sqlite_db, tmp_path):
    factories.tenant()
    disguised = tmp_path / "invoice.txt"
    disguised.write_bytes(documents.pdf("INVOICE 42"))
    [doc] = upload(sqlite_db, "acme", [disguised], NOW).documents
    assert doc.content_type == "application/pdf"
    small = make_settings(tmp_path, DOCFLOW_DATABASE_URL=sqlite_db.database_url,
                          DOCFLOW_MAX_UPLOAD_BYTES_BY_FORMAT="pdf=100")  # fmt: skip
    with pytest.raises(UploadRejected, match="over the limit of 100 bytes for PDF files"):
        upload(small, "acme", [disguised], NOW)


def test_a_control_character_in_a_file_name_is_not_stored(sqlite_db, tmp_path):
    factories.tenant()
    src = tmp_path / "forged\nERROR line.txt"
    src.write_text("Meeting notes")
    [doc] = upload(sqlite_db, "acme", [src], NOW).documents
    assert doc.filename == "forged ERROR line.txt"


def test_a_refusal_names_a_file_with_a_control_character_on_one_line(sqlite_db, tmp_path):
    factories.tenant()
    empty = tmp_path / "forged\nERROR line.txt"
    empty.write_bytes(b"")
    with pytest.raises(UploadRejected) as refused:
        upload(sqlite_db, "acme", [empty], NOW)
    assert str(refused.value) == f"{tmp_path}/forged\\nERROR line.txt: the file is empty"


def test_an_email_attachment_named_with_a_control_character_is_stored_on_one_line(
    sqlite_db, tmp_path
):
    factories.tenant()
    mail = documents.email(
        "Rechnung", "Hallo", attachments={"NAME.txt": (b"Invoice 42", "text/plain")}
    )
    # RFC 2231 lets a sender put any character in the name, a line break included.
    mail = mail.replace(b'filename="NAME.txt"', b"filename*=utf-8''forged%0AERROR%20line.txt")
    src = tmp_path / "mail.eml"
    src.write_bytes(mail)
    upload(sqlite_db, "acme", [src], NOW)
    classify_documents.run(settings=sqlite_db)
    names = sorted(d.filename for d in Document.select())
    assert names == ["forged ERROR line.txt", "mail.eml"]
