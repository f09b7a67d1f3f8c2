"""Labels, on both backends: a back catalogue of real files, one sub-folder per category,
is uploaded labelled in one go and routed by its labels; the newest label of a document
wins; export lists them so they can be imported again; a bad folder writes nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from docflow import labels, review
from docflow.errors import InvalidArgument, NotFound, UploadRejected
from docflow.jobs.classify import classify_documents
from docflow.models import Document, DocumentContent, DocumentStatus, Label, LabelSource
from docflow.services.storage import Storage
from tests import factories
from tests.extract import documents
from tests.learning.common import NOW, labelled_folder, write_files

OPS = "operator:ops"


def imported(settings, tmp_path: Path, tenant: str = "acme"):
    return labels.import_folder(settings, tenant, labelled_folder(tmp_path / "catalogue"),
                                actor=OPS, now=NOW)  # fmt: skip


def test_a_back_catalogue_is_uploaded_labelled_and_routed_by_its_labels(learned, tmp_path):
    acme = factories.tenant("acme")
    uploaded, counted = imported(learned, tmp_path)
    assert counted == {"contract": 1, "correspondence": 1, "invoice": 1, "receipt": 1}
    by_name = {d.filename: d for d in uploaded.documents}
    assert set(by_name) == {"invoice-0815.pdf", "service-agreement.docx", "letter-patel.txt",
                            "receipt-004512.txt"}  # fmt: skip
    expected = {"invoice-0815.pdf": "invoice", "service-agreement.docx": "contract",
                "letter-patel.txt": "correspondence", "receipt-004512.txt": "receipt"}  # fmt: skip
    rows = {
        (r.document_id, r.tenant_id, r.category, r.source, r.actor, r.at) for r in Label.select()
    }
    assert rows == {(by_name[name].id, acme.id, category, LabelSource.IMPORT, OPS, NOW)
                    for name, category in expected.items()}  # fmt: skip
    assert {d.status for d in Document.select()} == {DocumentStatus.PENDING}
    # Classification reads each file (the text is what training needs); the label routes it.
    summary = classify_documents.run(settings=learned, now=lambda: NOW)
    assert summary["counts"]["classified"] == 4
    for name, category in expected.items():
        doc = Document.get_by_id(by_name[name].id)
        assert (doc.status, doc.category, doc.route, doc.confidence) == (
            DocumentStatus.CLASSIFIED, category, learned.routes[category], 1.0,
        )  # fmt: skip
    texts = {c.document_id: c.text for c in DocumentContent.select()}
    assert texts[by_name["invoice-0815.pdf"].id].startswith("INVOICE No. INV-2026-0815")
    assert "WHEREAS the Customer" in texts[by_name["service-agreement.docx"].id]
    assert review.count_waiting() == 0


def test_the_newest_label_wins_and_its_fingerprint_says_when_labels_changed(learned, tmp_path):
    acme, globex = factories.tenant("acme"), factories.tenant("globex")
    uploaded, _ = imported(learned, tmp_path)
    other = factories.document(learned, globex, status=DocumentStatus.CLASSIFIED, category="other")
    Label.create(document=other.id, tenant=globex.id, category="invoice", source="import",
                 actor=OPS, at=NOW)  # fmt: skip
    before = labels.latest(tenant_id=acme.id)
    assert len(before) == 4 and other.id not in before
    assert labels.latest() == {**before, other.id: "invoice"}
    assert labels.fingerprint(before) == labels.fingerprint(dict(reversed(before.items())))
    letter = next(d for d in uploaded.documents if d.filename == "letter-patel.txt")
    Document.update(status=DocumentStatus.CLASSIFIED).where(Document.id == letter.id).execute()
    review.assign(letter.id, "other", settings=learned, actor="operator:alice",
                  now=NOW + timedelta(hours=1))  # fmt: skip
    after = labels.latest(tenant_id=acme.id)
    assert after == {**before, letter.id: "other"}
    assert labels.fingerprint(after) != labels.fingerprint(before)
    assert labels.counts(after) == {"contract": 1, "invoice": 1, "other": 1, "receipt": 1}
    assert labels.latest(documents=[letter.id, other.id]) == {
        letter.id: "other",
        other.id: "invoice",
    }


def test_an_export_lists_the_newest_labels_and_imports_again(learned, tmp_path):
    factories.tenant("acme"), factories.tenant("globex")
    uploaded, _ = imported(learned, tmp_path)
    invoice = next(d for d in uploaded.documents if d.filename == "invoice-0815.pdf")
    Document.update(status=DocumentStatus.CLASSIFIED).where(Document.id == invoice.id).execute()
    review.assign(invoice.id, "receipt", settings=learned, actor="operator:alice",
                  now=NOW + timedelta(hours=1))  # fmt: skip
    rows = labels.export(tenant="acme")
    assert [r["document_id"] for r in rows] == sorted(d.id for d in uploaded.documents)
    assert {(r["filename"], r["category"], r["source"], r["actor"]) for r in rows} == {
        ("invoice-0815.pdf", "receipt", "operator", "operator:alice"),
        ("service-agreement.docx", "contract", "import", OPS),
        ("letter-patel.txt", "correspondence", "import", OPS),
        ("receipt-004512.txt", "receipt", "import", OPS),
    }
    assert {r["tenant"] for r in rows} == {"acme"} and rows[0]["at"] == NOW.isoformat()
    assert labels.export(tenant="globex") == []
    # A script rebuilds the folder from the export and the stored files, for another tenant.
    storage, folder = Storage(learned.storage_root), tmp_path / "again"
    for row in rows:
        stored = Document.get_by_id(row["document_id"]).storage_path
        write_files(
            folder, {f"{row['category']}/{row['filename']}": storage.resolve(stored).read_bytes()}
        )
    again, counted = labels.import_folder(learned, "globex", folder, actor=OPS, now=NOW)
    assert counted == {"contract": 1, "correspondence": 1, "receipt": 2}
    exported = {(r["filename"], r["category"]) for r in labels.export(tenant="globex")}
    assert exported == {(r["filename"], r["category"]) for r in rows}
    assert len(labels.export()) == 8


def test_a_bad_folder_is_one_clear_error_and_nothing_is_written(learned, tmp_path):
    factories.tenant("acme")
    good = documents.pdf("INVOICE No. 1\nTotal due 10.00 EUR")
    cases = {
        "missing": (None, InvalidArgument, "not a folder; give one with a sub-folder per category"),
        "misnamed": ({"invoice/a.pdf": good, "invoices/b.pdf": good}, InvalidArgument,
                     "'invoices' is no category; sub-folders are named after categories: invoice, "),
        "empty": ({"invoice/.keep/": b""}, UploadRejected, "no files in category sub-folders"),
        "loose": ({"a.pdf": good}, UploadRejected, "no files in category sub-folders"),
        "corrupt": ({"invoice/a.pdf": good, "contract/b.pdf": good[: len(good) // 3]},
                    UploadRejected, "b.pdf: damaged PDF"),
        "hollow": ({"invoice/a.pdf": good, "receipt/z.txt": b""}, UploadRejected,
                   "z.txt: the file is empty"),
    }  # fmt: skip
    for name, (files, error, message) in cases.items():
        folder = tmp_path / name
        if files is not None:
            folder.mkdir()
            for relative, data in files.items():
                if relative.endswith("/"):
                    (folder / relative).mkdir(parents=True)
                else:
                    write_files(folder, {relative: data})
        with pytest.raises(error) as raised:
            labels.import_folder(learned, "acme", folder, actor=OPS, now=NOW)
        assert message in str(raised.value), name
        assert "\n" not in str(raised.value)
        assert Document.select().count() == Label.select().count() == 0, name
        assert factories.stored_files(learned) == [], name
    with pytest.raises(NotFound, match="unknown tenant 'initech'"):
        labels.import_folder(
            learned, "initech", labelled_folder(tmp_path / "c"), actor=OPS, now=NOW
        )
    assert Document.select().count() == 0
