"""classify_documents on real files of every kind, on both backends: attachments become
documents, e-invoices are invoices, hostile files fail alone, texts are read once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from docflow import classification
from docflow.claim_size import PROBE, ClaimSize
from docflow.jobs import classify as classify_job
from docflow.jobs.classify import classify_documents
from docflow.models import AuditEvent, Document, DocumentContent, DocumentStatus, Label
from docflow.services.storage import Storage
from tests import factories
from tests.conftest import make_settings
from tests.extract import documents

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PDF = "application/pdf"


def run(settings, **args):
    return classify_documents.run(args, settings=settings, now=lambda: NOW)


def with_env(backend, tmp_path, **env):
    return make_settings(tmp_path, DOCFLOW_DATABASE_URL=backend.database_url,
                         DOCFLOW_STORAGE_ROOT=str(backend.storage_root), **env)  # fmt: skip


def test_an_emails_attachment_becomes_a_document_of_its_own(backend):
    owner = factories.tenant()
    invoice = documents.pdf(
        "INVOICE No. 2026-17\nTotal due 1,190.00 EUR\nIBAN DE89 3704 0044 0532 0130 00\nPayment terms: 30 days"
    )
    mail = factories.document(backend, owner, documents.email(
        "Invoice November", "Dear Sir,\nplease find our invoice attached.\nKind regards",
        attachments={"invoice-2026-17.pdf": (invoice, PDF)}), filename="mail.eml",
        content_type="message/rfc822", now=NOW)  # fmt: skip
    summary = run(backend)
    # The attachment is Pending once the email's batch is written; the run's next batch takes it.
    counts = summary["counts"]
    assert (counts["attachments"], counts["classified"], summary["batches"]) == (1, 2, 2)
    [child] = Document.select().where(Document.parent == mail.id)
    assert (child.tenant_id, child.filename, child.content_type) == (
        owner.id,
        "invoice-2026-17.pdf",
        PDF,
    )
    assert child.size_bytes == len(invoice)
    assert Storage(backend.storage_root).resolve(child.storage_path).read_bytes() == invoice
    assert (child.status, child.category, child.route) == (
        DocumentStatus.CLASSIFIED,
        "invoice",
        "accounts-payable",
    )
    texts = {c.document_id: c for c in DocumentContent.select()}
    assert (
        texts[mail.id].method == "mime"
        and "Attachments: invoice-2026-17.pdf" in texts[mail.id].text
    )
    assert texts[child.id].method == "text-layer" and "INVOICE No. 2026-17" in texts[child.id].text


def test_an_einvoice_is_an_invoice_in_any_language(backend):
    owner = factories.tenant()
    doc = factories.document(backend, owner, documents.CII_INVOICE, filename="facture.xml",
                             content_type="application/xml", now=NOW)  # fmt: skip
    run(backend)
    doc = Document.get_by_id(doc.id)
    assert (doc.category, doc.route) == ("invoice", "accounts-payable") and doc.confidence >= 0.99
    assert DocumentContent.get_by_id(doc.id).einvoice


def test_a_reader_that_crashes_costs_only_its_document(backend, tmp_path):
    settings = with_env(backend, tmp_path, DOCFLOW_EXTRACTORS="pdf=tests.extract.hostile:Crashes")
    owner = factories.tenant()
    good = factories.document(settings, owner, now=NOW)
    bad = factories.document(
        settings, owner, documents.pdf("x"), filename="x.pdf", content_type=PDF, now=NOW
    )
    summary = run(settings)
    assert summary["outcome"] == "succeeded"
    assert summary["counts"] == {"classified": 1, "dead_lettered": 1, "extracted": 1}
    assert Document.get_by_id(good.id).status == DocumentStatus.CLASSIFIED
    bad = Document.get_by_id(bad.id)
    assert (
        bad.status == DocumentStatus.DEAD_LETTERED
        and "crashed on this file (signal SIGSEGV)" in bad.dead_letter_reason
    )
    assert AuditEvent.select().where(AuditEvent.action == "document.dead_lettered").count() == 1


def test_a_missing_package_is_retried_and_says_what_to_install(backend, tmp_path):
    settings = with_env(
        backend, tmp_path, DOCFLOW_EXTRACTORS="pdf=tests.extract.hostile:NeedsAnExtra"
    )
    owner = factories.tenant()
    doc = factories.document(
        settings, owner, documents.pdf("x"), filename="x.pdf", content_type=PDF, now=NOW
    )
    assert run(settings)["counts"] == {"failed": 1}
    doc = Document.get_by_id(doc.id)
    assert (
        doc.status == DocumentStatus.FAILED and "pip install 'docflow[documents]'" in doc.last_error
    )


def test_a_text_is_extracted_once(backend):
    owner = factories.tenant()
    doc = factories.document(backend, owner, documents.pdf("INVOICE 42\nTotal due 100 EUR\nPayment terms 30 days"),
                             filename="x.pdf", content_type=PDF, now=NOW)  # fmt: skip
    assert run(backend)["counts"]["extracted"] == 1
    # The file changes under it (or OCR would cost again): the stored text is what counts.
    Storage(backend.storage_root).write(doc.storage_path, b"garbage")
    Document.update(status=DocumentStatus.PENDING).where(Document.id == doc.id).execute()
    again = run(backend)
    assert again["counts"]["classified"] == 1 and "extracted" not in again["counts"]
    assert Document.get_by_id(doc.id).category == "invoice"


def test_documents_not_started_in_the_batch_slice_go_back_to_pending(
    backend, tmp_path, monkeypatch
):
    settings = with_env(backend, tmp_path, DOCFLOW_EXTRACTORS="pdf=tests.extract.hostile:Slow",
                        DOCFLOW_CLASSIFY_BATCH_SECONDS="1", DOCFLOW_CLASSIFY_TIME_BUDGET_SECONDS="0")  # fmt: skip
    # One batch of all five, as a run that misjudged their pace would claim.
    monkeypatch.setattr(classify_job, "ClaimSize", lambda most: ClaimSize(most, current=most))
    owner = factories.tenant()
    docs = [factories.document(settings, owner, b"Invoice", filename=f"{i}.pdf", content_type=PDF, now=NOW)
            for i in range(5)]  # fmt: skip
    summary = run(settings, batch_size=5)
    released = summary["counts"]["released"]
    assert summary["counts"]["classified"] + released == 5 and released >= 2
    pending = Document.select().where(Document.status == DocumentStatus.PENDING)
    assert {d.id for d in pending} <= {d.id for d in docs} and pending.count() == released
    assert all(d.claimed_by is None for d in pending)


def test_slow_documents_are_claimed_a_few_at_a_time_so_every_worker_gets_some(
    backend, tmp_path, monkeypatch
):
    settings = with_env(backend, tmp_path, DOCFLOW_EXTRACTORS="pdf=tests.extract.hostile:Slow")
    owner = factories.tenant()
    for i in range(6):
        factories.document(
            settings, owner, b"Invoice", filename=f"{i}.pdf", content_type=PDF, now=NOW
        )
    sizes = []
    decide = classification.BatchClassifier.decide

    def counted(self, rows, at):
        sizes.append(len(rows))
        return decide(self, rows, at)

    monkeypatch.setattr(classification.BatchClassifier, "decide", counted)
    assert run(settings, batch_size=1000)["counts"]["classified"] == 6
    # A probe of one, then what 2 s holds at 0.6 s (or more) a document: never all 6 at once.
    assert sizes[0] == PROBE == 1 and sum(sizes) == 6 and max(sizes) <= 3, sizes


ID_CARD_TEXT = (
    "EESTI VABARIIK\nISIKUTUNNISTUS / IDENTITY CARD\nPERENIMI / SURNAME\nMÄNNIK\n"
    "EESNIMED / GIVEN NAMES\nMARI-LIIS\n\n"
    # ICAO Doc 9303's TD1 specimen zone.
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)


def test_a_machine_readable_zone_makes_an_identity_document_unless_an_operator_says_otherwise(
    backend,
):
    owner = factories.tenant()
    card = factories.document(backend, owner, documents.pdf(ID_CARD_TEXT), filename="scan-0001.pdf",
                              content_type=PDF, now=NOW)  # fmt: skip
    labelled = factories.document(backend, owner, documents.pdf(ID_CARD_TEXT),
                                  filename="mrz-spec-example.pdf", content_type=PDF, now=NOW)  # fmt: skip
    Label.create(document=labelled.id, tenant=owner.id, category="other", source="operator",
                 actor="operator:alice", at=NOW)  # fmt: skip
    run(backend)
    card, labelled = Document.get_by_id(card.id), Document.get_by_id(labelled.id)
    assert (card.category, card.route) == ("identity_document", "kyc") and card.confidence >= 0.99
    assert (labelled.category, labelled.route) == ("other", "manual-review")


@pytest.mark.slow
def test_a_scanned_id_card_is_an_identity_document_by_its_zone(backend):
    owner = factories.tenant()
    scan = documents.image_bytes(documents.scan(ID_CARD_TEXT))
    card = factories.document(backend, owner, scan, filename="IMG_2231.png",
                              content_type="image/png", now=NOW)  # fmt: skip
    run(backend)
    card = Document.get_by_id(card.id)
    assert (card.category, card.route) == ("identity_document", "kyc")
    assert "<<" in DocumentContent.get_by_id(card.id).text
