"""Training the classifier of a scope from its labels, and deciding when not to.

A scope is ``shared`` or ``tenant:<id>``. With DOCFLOW_CLASSIFIER_SCOPE=tenant (the
default) a tenant with DOCFLOW_TENANT_MODEL_MIN_LABELS labels gets its own model, trained
on its own labelled documents and DocFlow's shipped training data (public documents and
generated samples: nobody's tenant data), so no tenant's text reaches another's model;
the others use the shipped model. With ``shared``, one model learns from every label.
A scope whose labels did not change since its last model (same hash) is skipped, as
Paperless-ngx does.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from itertools import chain
from typing import Any

from docflow import labels, samples
from docflow.db import tuple_rows
from docflow.models import ClassifierModel, Document, DocumentContent, Tenant
from docflow.parse import CATEGORIES
from docflow.services.learning.classifier import KEYWORD_SHARE, keyword_distributions
from docflow.services.learning.corpus import Example
from docflow.services.learning.features import MAX_CHARS, document_text
from docflow.services.learning.store import SHARED, tenant_scope
from docflow.services.learning.train import Trained, train
from docflow.settings import Settings

SHIPPED_DATA = "training.jsonl.gz"
GENERATED_PER_LANGUAGE = 150
"""Generated samples per category and language in every training: the vocabulary of the
three languages for what real documents the shipped set lacks."""
REAL_WEIGHT = 5.0
LABEL_WEIGHT = 5.0
LOAD_CHUNK = 500


@dataclass(frozen=True)
class Outcome:
    scope: str
    status: str  # trained, unchanged, too-few-labels
    labels: int
    version: int | None = None
    metrics: dict[str, Any] | None = None


def generated_examples(
    per_language: int = GENERATED_PER_LANGUAGE, seed: int = 2026
) -> list[Example]:
    rng = random.Random(seed)
    found = []
    for language in samples.LANGUAGES:
        for category in CATEGORIES:
            for n in range(per_language):
                made = samples.sample(rng, category, language)
                text = document_text(made.text, made.filename, made.content_type)
                found.append(
                    Example(text, category, group=f"generated-{language}-{n % 8}", calibrate=False)
                )
    return found


def shipped_examples() -> list[Example]:
    """The real public documents shipped for training (listed in training_manifest.tsv)."""
    try:
        raw = resources.files("docflow.services.learning").joinpath(SHIPPED_DATA).read_bytes()
    except FileNotFoundError:
        return []
    rows = [json.loads(line) for line in gzip.decompress(raw).decode().split("\n") if line]
    return [_example(r["text"], r["filename"], r["content_type"], r["category"], REAL_WEIGHT,
                     r["group"]) for r in rows]  # fmt: skip


def _example(
    text: str, filename: str, content_type: str, category: str, weight: float, group: str
) -> Example:
    """A real document as an example, with what the keyword rules make of it. Only the
    start of its text is kept (the model reads no more), so memory does not grow with the
    length of the documents."""
    [prior] = keyword_distributions([(text, filename, content_type)])
    return Example(document_text(text[:MAX_CHARS], filename, content_type), category, weight,
                   group, prior=tuple(float(p) for p in prior))  # fmt: skip


def labelled_examples(found: dict[int, str]) -> Iterator[Example]:
    """The labelled documents as examples: their stored text, with file name and type,
    read a few hundred at a time, so that training holds the texts of one chunk only."""
    C, D = DocumentContent, Document
    query = D.select(D.id, D.filename, D.content_type, C.text).join(C, on=C.document == D.id)
    ids = sorted(found)
    for start in range(0, len(ids), LOAD_CHUNK):
        rows = tuple_rows(query.where(D.id.in_(ids[start : start + LOAD_CHUNK])))
        for doc, filename, kind, text in rows:
            yield _example(text, filename, kind, found[doc], LABEL_WEIGHT, f"doc-{doc}")


def read_labels(found: dict[int, str], tenant_id: int | None) -> dict[int, str]:
    """The labels of documents whose text was read: the others teach nothing yet, and
    counting them in the hash would keep the next training from taking them in."""
    C, D = DocumentContent, Document
    query = C.select(C.document)
    if tenant_id is not None:
        query = query.join(D, on=C.document == D.id).where(D.tenant == tenant_id)
    read = {doc for (doc,) in tuple_rows(query)}
    return {doc: category for doc, category in found.items() if doc in read}


def scopes(settings: Settings) -> list[tuple[str, int | None]]:
    if settings.classifier_scope == "shared":
        return [(SHARED, None)]
    return [(tenant_scope(t.id), t.id) for t in Tenant.select(Tenant.id).order_by(Tenant.id)]


def train_scope(
    settings: Settings, scope: str, tenant_id: int | None, *, now: datetime, force: bool = False
) -> Outcome:
    found = read_labels(labels.latest(tenant_id=tenant_id), tenant_id)
    if tenant_id is not None and len(found) < settings.tenant_model_min_labels:
        return Outcome(scope, "too-few-labels", len(found))
    digest = labels.fingerprint(found)
    last = ClassifierModel.select().where(ClassifierModel.scope == scope).order_by(
        ClassifierModel.version.desc()).first()  # fmt: skip
    if last is not None and last.labels_hash == digest and not force:
        return Outcome(scope, "unchanged", len(found), last.version)
    trained = fit(labelled_examples(found), settings.target_precision, blended=scope == SHARED)
    version = (last.version if last else 0) + 1
    ClassifierModel.create(scope=scope, version=version, created_at=now, labels_hash=digest,
                           label_counts=labels.counts(found), metrics=trained.metrics,
                           thresholds=trained.model.thresholds, blob=trained.model.to_blob())  # fmt: skip
    return Outcome(scope, "trained", len(found), version, trained.metrics)


def fit(own: Iterable[Example], target_precision: float, *, blended: bool) -> Trained:
    """A model from ``own`` examples and the shipped training data. The shared model is
    ``blended`` with the keyword rules when it classifies (a tenant's own model is not),
    so its thresholds are chosen on the blend."""
    return train(chain(generated_examples(), shipped_examples(), own), CATEGORIES,
                 target_precision=target_precision,
                 prior_share=KEYWORD_SHARE if blended else 0.0)  # fmt: skip
