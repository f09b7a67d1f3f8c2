"""What the learning tests share: settings for the learned classifier, clearly-worded
documents, small models trained for real, models stored as rows, folders of real files."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from docflow import samples
from docflow.models import ClassifierModel, Document, DocumentStatus
from docflow.parse import CATEGORIES
from docflow.samples import render
from docflow.services.learning.corpus import Example
from docflow.services.learning.features import document_text
from docflow.services.learning.model import LinearModel
from docflow.services.learning.train import train
from docflow.settings import MANUAL_REVIEW_ROUTE, Settings
from tests import factories
from tests.conftest import make_settings
from tests.extract import documents

LEARNED = "docflow.services.learning.classifier:LearnedClassifier"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PDF, DOCX, TEXT = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/plain",
)

# Written for these tests (not by the sample generator the models train on): what any
# office would call clearly an invoice, a receipt, ...; (text, filename, content type).
CLEAR: dict[str, tuple[str, str, str]] = {
    "invoice": (
        "INVOICE No. INV-2026-0815\nInvoice date: 2026-11-30\nBill to: Globex Ltd, 12 High Street, "
        "Leeds\nConsulting services, November: 12 h x 95.00 EUR = 1,140.00 EUR\nVAT 20%: 228.00 EUR\n"
        "Total due: 1,368.00 EUR\nPayment terms: 30 days net. Please pay by bank transfer to IBAN "
        "GB29 NWBK 6016 1331 9268 19, quoting the invoice number.",
        "invoice-0815.pdf",
        PDF,
    ),
    "receipt": (
        "CORNER CAFE\n14 Market Square\nReceipt 004512   Till 2   Cashier: Sam\n2 x Flat white 6.40\n"
        "1 x Croissant 2.10\nTOTAL 8.50\nCARD CONTACTLESS 8.50\nVisa **** 4821  Auth 928311\n"
        "Thank you for shopping with us! Keep this receipt for returns and exchanges.",
        "receipt-004512.txt",
        TEXT,
    ),
    "contract": (
        "SERVICE AGREEMENT\nThis Agreement is made on 1 December 2026 between Acme Ltd (the Supplier) "
        "and Globex Ltd (the Customer), together the Parties.\nWHEREAS the Customer wishes to engage "
        "the Supplier, the Parties hereby agree as follows:\n1. Term. This Agreement commences on the "
        "Effective Date and continues for twelve months.\n2. Termination. Either party may terminate "
        "this Agreement on thirty days' written notice.\n3. Governing law. This Agreement is governed "
        "by the laws of England and Wales.\nSigned by the parties.",
        "service-agreement.pdf",
        PDF,
    ),
    "identity_document": (
        "PASSPORT\nType P  Code GBR  Passport No. 925076473\nSurname: MUSTER\nGiven names: ANNA MARIA\n"
        "Nationality: BRITISH CITIZEN\nDate of birth: 12 MAR 1985\nSex: F  Place of birth: LONDON\n"
        "Date of issue: 04 JAN 2021  Date of expiry: 04 JAN 2031\nAuthority: HMPO\n"
        "P<GBRMUSTER<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<<<<\n9250764733GBR8503122F3101046<<<<<<<<<<<<<<02",
        "passport-scan.txt",
        TEXT,
    ),
    "correspondence": (
        "Dear Ms Patel,\nThank you for your letter of 20 November regarding the move of our offices. "
        "I am pleased to confirm that we will be at the new address from January.\nPlease do not "
        "hesitate to contact me if you have any questions.\nI look forward to hearing from you.\n"
        "Yours sincerely,\nJohn Carter\nOffice Manager",
        "letter-patel.txt",
        TEXT,
    ),
}


def learned_settings(base: Settings, tmp_path: Path, **env: str) -> Settings:
    """``base``'s database and storage, classified by the learned classifier (conftest pins
    the keyword rules for the pipeline's own tests)."""
    return make_settings(tmp_path, DOCFLOW_DATABASE_URL=base.database_url,
                         DOCFLOW_STORAGE_ROOT=str(base.storage_root),
                         DOCFLOW_CLASSIFIER=LEARNED, **env)  # fmt: skip


def generated(per_category: int, *, seed: int, language: str = "en") -> list[samples.Sample]:
    rng = random.Random(seed)
    return [samples.sample(rng, c, language) for c in CATEGORIES for _ in range(per_category)]


def examples(found: list[samples.Sample]) -> list[Example]:
    return [Example(document_text(s.text, s.filename, s.content_type), s.category,
                    group=f"{s.category}-{n}") for n, s in enumerate(found)]  # fmt: skip


def small_model(*, target_precision: float = 0.95, bits: int = 12, seed: int = 7) -> LinearModel:
    """A model trained for real, on 30 generated English documents per category: small
    features (2**12 buckets) keep it to a fraction of a second."""
    found = examples(generated(30, seed=seed))
    return train(found, CATEGORIES, target_precision=target_precision, bits=bits).model


def constant_model(
    category: str, *, strength: float = 8.0, threshold: float = 0.5, bits: int = 6
) -> LinearModel:
    """A model that calls everything ``category`` (probability ~0.998 at the default
    strength), whatever it reads: which model classified a document is plain from the answer."""
    bias = np.zeros(len(CATEGORIES), dtype=np.float32)
    bias[CATEGORIES.index(category)] = strength
    weights = np.zeros((1 << bits, len(CATEGORIES)), dtype=np.float32)
    return LinearModel(tuple(CATEGORIES), weights, bias, bits, dict.fromkeys(CATEGORIES, threshold))


def store(scope: str, model: LinearModel, *, labels_hash: str = "-", at: datetime = NOW,
          blob: bytes | None = None) -> ClassifierModel:  # fmt: skip
    """``model`` stored as the newest version of ``scope``, as training stores one."""
    last = ClassifierModel.select().where(ClassifierModel.scope == scope).count()
    return ClassifierModel.create(scope=scope, version=last + 1, created_at=at,
                                  labels_hash=labels_hash, label_counts={}, metrics={},
                                  thresholds=model.thresholds,
                                  blob=model.to_blob() if blob is None else blob)  # fmt: skip


def waiting_document(settings: Settings, owner, suggestions, *, filename: str = "scan-0007.pdf",
                     now: datetime = NOW, **fields) -> Document:  # fmt: skip
    """A document the classifier sent to manual-review with ``suggestions``."""
    fields.setdefault("status", DocumentStatus.CLASSIFIED)
    fields.setdefault("route", MANUAL_REVIEW_ROUTE)
    return factories.document(settings, owner, "Scan 0007", filename=filename, now=now,
                              category=suggestions[0][0] if suggestions else "other",
                              confidence=suggestions[0][1] if suggestions else 0.3,
                              suggestions=suggestions or None, classified_at=NOW, **fields)  # fmt: skip


def write_files(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def labelled_folder(folder: Path) -> Path:
    """A back catalogue with a sub-folder per category, of real files: a PDF (fpdf2), a
    Word file (python-docx), plain text, and a nested folder."""
    invoice, _, _ = CLEAR["invoice"]
    contract, _, _ = CLEAR["contract"]
    letter, _, _ = CLEAR["correspondence"]
    receipt, _, _ = CLEAR["receipt"]
    return write_files(folder, {
        "invoice/invoice-0815.pdf": documents.pdf(invoice),
        "contract/service-agreement.docx": documents.docx(*contract.splitlines()),
        "correspondence/letter-patel.txt": letter.encode(),
        "receipt/2026/november/receipt-004512.txt": receipt.encode(),
    })  # fmt: skip


def corpus(folder: Path, per_category: int, *, seed: int, kinds=("text", "pdf", "docx")) -> Path:
    """An evaluation corpus of generated documents rendered as real files, a sub-folder
    per category, kinds taken in turn."""
    rng = random.Random(seed)
    files = {}
    for n, sample in enumerate(generated(per_category, seed=seed)):
        made = render.render(rng, sample, kinds[n % len(kinds)])
        files[f"{sample.category}/{n:03d}-{made.filename}"] = made.data
    return write_files(folder, files)
