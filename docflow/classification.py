"""Reading and deciding a claimed batch of documents: the work of classify_documents.

Each document's text comes from its stored content when it was extracted before (a
retry, a re-classification), else from its file through the extractors; then the
classifier decides. Every document ends in exactly one outcome:

* classified: category, confidence and route (``manual-review`` below the threshold);
* failed: a transient problem (I/O, a missing optional package), retried on schedule;
* dead: a permanent one (unsupported, encrypted, corrupt, over a limit), to the DLQ at
  once, because the same file fails the same way every time;
* released: not started before the batch's time slice ran out, back to Pending for any
  worker (so a batch of slow scans never outlives its lease).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from docflow import labels
from docflow.db import dict_rows
from docflow.errors import DocflowError, PermanentError
from docflow.models import DocumentContent, DocumentStatus
from docflow.retry import RetryPolicy
from docflow.services.classifier import Classification, Classifier
from docflow.services.extract import Reader
from docflow.services.extract.result import Extraction
from docflow.services.extract.sniff import format_of
from docflow.services.learning.classifier import Item
from docflow.services.mrz import has_zone
from docflow.services.storage import Storage
from docflow.settings import MANUAL_REVIEW_ROUTE, Settings

Row = dict[str, Any]
# A valid e-invoice is an invoice, whatever its words say (they are field labels); a valid
# machine-readable zone, an identity document.
EVIDENCE_CONFIDENCE = 0.99


@dataclass
class Decided:
    classified: list[Row] = field(default_factory=list)
    failed: list[Row] = field(default_factory=list)
    dead: list[Row] = field(default_factory=list)
    released: list[Row] = field(default_factory=list)
    extracted: dict[int, Extraction] = field(default_factory=dict)
    """New extractions, by document id, to store with the outcome."""


def stored_contents(ids: list[int]) -> dict[int, Row]:
    C = DocumentContent
    query = C.select(C.document, C.text, C.einvoice).where(C.document.in_(ids))
    return {row["document"]: row for row in dict_rows(query)}


def with_evidence(result: Classification, text: str, einvoice: bool) -> Classification:
    """``result``, overruled by what the words cannot outweigh: a valid e-invoice is an
    invoice, a machine-readable zone with valid check digits an identity document."""
    if einvoice:
        category = "invoice"
    elif has_zone(text):
        category = "identity_document"
    else:
        return result
    agreed = result.confidence if result.category == category else 0.0
    return Classification(category, max(EVIDENCE_CONFIDENCE, agreed), result.suggestions, True)


class BatchClassifier:
    """Decides batches for one run; holds the run's extractors, classifier and storage."""

    def __init__(
        self,
        settings: Settings,
        classifier: Classifier,
        reader: Reader,
        storage: Storage,
        policy: RetryPolicy,
    ) -> None:
        self.settings = settings
        self.classifier = classifier
        self.reader = reader
        self.storage = storage
        self.policy = policy
        self.labelled: dict[int, str] = {}

    def decide(self, rows: list[Row], at: datetime) -> Decided:
        decided = Decided()
        stored = stored_contents([r["id"] for r in rows])
        # An imported back catalogue comes labelled: its label decides, the text is kept.
        self.labelled = labels.latest(documents=[r["id"] for r in rows])
        slice_ends = time.monotonic() + self.settings.classify_batch_seconds
        read: list[tuple[Row, str, bool]] = []
        for index, row in enumerate(rows):
            if index and time.monotonic() >= slice_ends:
                decided.released += [self._released(r, at) for r in rows[index:]]
                break
            try:
                text, einvoice = self._text(row, stored, decided)
            except PermanentError as exc:
                decided.dead.append(self._dead(row, str(exc)))
            except Exception as exc:  # noqa: BLE001 - any failure fails this document only
                decided.failed.append(self._failed(row, exc, at))
            else:
                read.append((row, text, einvoice))
        self._classify(read, decided, at)
        return decided

    def _classify(self, read: list[tuple[Row, str, bool]], decided: Decided, at: datetime) -> None:
        """Classify what was read, a batch at a time when the classifier can."""
        items = [
            Item(text, row["filename"], row["content_type"], row["tenant"]) for row, text, _ in read
        ]
        batch = getattr(self.classifier, "classify_batch", None)
        try:
            results = batch(items) if batch is not None else [
                self.classifier.classify(i.text, filename=i.filename, content_type=i.content_type)
                for i in items
            ]  # fmt: skip
        except Exception:  # noqa: BLE001 - one document's failure must not cost the others theirs
            results = [self._one(item) for item in items]
        for (row, text, einvoice), result in zip(read, results, strict=True):
            label = self.labelled.get(row["id"])
            if label is not None:  # an operator's decision outweighs any evidence
                chosen = Classification(label, 1.0, (), True)
            elif isinstance(result, Exception):
                decided.failed.append(self._failed(row, result, at))
                continue
            else:
                chosen = with_evidence(result, text, einvoice)
            decided.classified.append(self._classified(row, chosen, at))

    def _one(self, item: Item) -> Classification | Exception:
        try:
            return self.classifier.classify(
                item.text, filename=item.filename, content_type=item.content_type
            )
        except Exception as exc:  # noqa: BLE001 - recorded as this document's failure
            return exc

    def _text(self, row: Row, stored: dict[int, Row], decided: Decided) -> tuple[str, bool]:
        content = stored.get(row["id"])
        if content is not None:
            return str(content["text"]), bool(content["einvoice"])
        path = self.storage.real_path(row["storage_path"])
        extraction = self.reader.read(path, format_of(row["content_type"]))
        decided.extracted[row["id"]] = extraction
        return extraction.text, extraction.einvoice

    def _classified(self, row: Row, result: Classification, at: datetime) -> Row:
        confident = (
            result.automatic
            if result.automatic is not None
            else result.confidence >= self.settings.min_confidence_ratio
        )
        return {**_claimed(row), "status": DocumentStatus.CLASSIFIED, "category": result.category,
                "confidence": round(result.confidence, 4),
                "route": self.settings.routes[result.category] if confident else MANUAL_REVIEW_ROUTE,
                "suggestions": [list(s) for s in result.suggestions] or None,
                "last_error": None, "next_retry_at": None, "first_failed_at": None,
                "classified_at": at, "updated_at": at}  # fmt: skip

    def _failed(self, row: Row, exc: Exception, at: datetime) -> Row:
        reason = str(exc) if isinstance(exc, DocflowError) else f"{type(exc).__name__}: {exc}"
        return {**_claimed(row), "status": DocumentStatus.FAILED, "last_error": reason[:2000],
                "next_retry_at": self.policy.next_attempt_at(row["retry_count"], at),
                "first_failed_at": row["first_failed_at"] or at, "updated_at": at}  # fmt: skip

    @staticmethod
    def _dead(row: Row, reason: str) -> Row:
        return {**_claimed(row), "reason": reason[:2000], "last_error": reason[:2000]}

    @staticmethod
    def _released(row: Row, at: datetime) -> Row:
        return {**_claimed(row), "status": DocumentStatus.PENDING, "updated_at": at}


def _claimed(row: Row) -> Row:
    """What the outcomes' audit rows, events and attachments need of the claimed row."""
    keys = ("id", "tenant", "filename", "retry_count", "storage_path", "retention_until", "parent")
    return {k: row[k] for k in keys}
