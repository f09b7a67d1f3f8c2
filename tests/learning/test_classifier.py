"""The learned classifier: sure documents are routed, unsure ones wait for review with
suggestions; models come from the store (newest row of a scope, else the shipped one),
a new one is used once the check interval has passed, and each tenant gets its own."""

from __future__ import annotations

import logging
import random
from dataclasses import replace

import pytest

from docflow import review
from docflow.jobs.classify import classify_documents
from docflow.models import Document, DocumentStatus
from docflow.parse import CATEGORIES
from docflow.samples import render
from docflow.services.learning import store as store_module
from docflow.services.learning.classifier import (
    KEYWORD_SHARE,
    Item,
    LearnedClassifier,
)
from docflow.services.learning.features import document_text
from docflow.services.learning.model import LinearModel
from docflow.services.learning.store import SHARED, ModelStore, shipped_model, tenant_scope
from docflow.settings import MANUAL_REVIEW_ROUTE
from tests import factories
from tests.learning.common import (
    CLEAR,
    NOW,
    constant_model,
    generated,
    learned_settings,
    store,
)

UNSURE = Item("hello", "scan.txt", "text/plain")


class Clock:
    """The store's monotonic clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 10_000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(store_module, "time", moved)
    return moved


def clear_items(tenant: int | None = None) -> dict[str, Item]:
    return {c: Item(text, name, kind, tenant) for c, (text, name, kind) in CLEAR.items()}


def held_out_items(tenant: int | None) -> list[tuple[str, Item]]:
    """Generated documents none of the test models saw (another seed), two per category."""
    return [(s.category, Item(s.text, s.filename, s.content_type, tenant))
            for s in generated(2, seed=99)]  # fmt: skip


def test_confident_documents_are_automatic_and_unsure_ones_get_suggestions(learned, small):
    acme = factories.tenant("acme")
    store(tenant_scope(acme.id), small)
    classifier = LearnedClassifier(learned)
    labelled = held_out_items(acme.id)
    results = classifier.classify_batch(
        [item for _, item in labelled] + [replace(UNSURE, tenant=acme.id)]
    )
    *sure, unsure = results
    assert [r.category for r in sure] == [category for category, _ in labelled]
    for result in sure:
        assert result.automatic is True
        assert result.confidence >= small.thresholds[result.category]
    assert unsure.automatic is False
    assert unsure.confidence < small.thresholds[unsure.category]
    # Suggestions: the three likeliest categories, best first, the first being the answer.
    names = [c for c, _ in unsure.suggestions]
    scores = [s for _, s in unsure.suggestions]
    assert len(names) == len(set(names)) == 3 and names[0] == unsure.category
    assert scores == sorted(scores, reverse=True) and sum(scores) <= 1.0001
    assert scores[0] == pytest.approx(unsure.confidence, abs=1e-4)


def test_the_pipeline_routes_the_sure_and_queues_the_unsure_for_review(learned, small):
    acme = factories.tenant("acme")
    store(tenant_scope(acme.id), small)
    kinds = {"invoice": "pdf", "contract": "docx", "correspondence": "text"}
    made = [(s.category, render.render(random.Random(1), s, kinds[s.category]))
            for s in generated(1, seed=99) if s.category in kinds]  # fmt: skip
    docs = [factories.document(learned, acme, m.data, filename=m.filename,
                               content_type=m.content_type, now=NOW) for _, m in made]  # fmt: skip
    hello = factories.document(learned, acme, "hello", filename="scan.txt", now=NOW)
    summary = classify_documents.run(settings=learned, now=lambda: NOW)
    assert summary["counts"]["classified"] == len(made) + 1 == 4
    for (category, _), doc in zip(made, docs, strict=True):
        doc = Document.get_by_id(doc.id)
        assert (doc.status, doc.category, doc.route) == (
            DocumentStatus.CLASSIFIED,
            category,
            learned.routes[category],
        )
        assert doc.suggestions[0][0] == category
    hello = Document.get_by_id(hello.id)
    assert (hello.status, hello.route) == (DocumentStatus.CLASSIFIED, MANUAL_REVIEW_ROUTE)
    [waiting] = review.waiting(tenant="acme")
    assert waiting["id"] == hello.id and len(waiting["suggestions"]) == 3
    assert waiting["suggestions"][0] == {"category": hello.category, "score": hello.confidence}


def test_a_scope_without_a_model_of_its_own_blends_in_the_keyword_rules(learned):
    # A shared model leaning (0.35) to "contract" whatever it reads; the keywords know an invoice.
    leaning = constant_model("contract", strength=1.0)
    store(SHARED, leaning)
    acme = factories.tenant("acme")
    text, name, kind = CLEAR["invoice"]
    learned_part = leaning.scores([document_text(text, name, kind)])[0]
    [blended] = LearnedClassifier(learned).classify_batch([Item(text, name, kind, acme.id)])
    assert blended.category == "invoice" and blended.automatic is False
    assert dict(blended.suggestions)["contract"] < learned_part[CATEGORIES.index("contract")]
    assert blended.confidence > KEYWORD_SHARE * 0.5  # the keywords' share, most of it invoice
    # The same model as the tenant's own is not blended: it alone decides.
    store(tenant_scope(acme.id), leaning)
    [own] = LearnedClassifier(learned).classify_batch([Item(text, name, kind, acme.id)])
    assert own.category == "contract"
    assert own.confidence == pytest.approx(learned_part[CATEGORIES.index("contract")], abs=1e-6)


def test_without_any_model_the_keywords_decide_and_nothing_is_automatic(learned):
    classifier = LearnedClassifier(learned)
    results = classifier.decide(None, list(clear_items().values()), own=False)
    assert [r.category for r in results] == list(CLEAR)
    assert not any(r.automatic for r in results)


def test_the_shared_scope_uses_the_newest_row_else_the_shipped_model(learned, clock):
    shipped = shipped_model()
    assert shipped is not None, "default_model.bin is package data (setup.cfg): it must ship"
    fresh = ModelStore(learned.model_check_seconds)
    assert fresh.model(SHARED).to_blob() == shipped.to_blob()
    assert fresh.model(tenant_scope(1)) is None
    store(SHARED, constant_model("receipt"))
    store(SHARED, constant_model("contract"))
    store(tenant_scope(1), constant_model("other"))
    newest = ModelStore(learned.model_check_seconds)
    assert newest.model(SHARED).bias.argmax() == CATEGORIES.index("contract")
    assert newest.model(tenant_scope(1)).bias.argmax() == CATEGORIES.index("other")
    assert newest.model(tenant_scope(2)) is None


def test_a_new_model_is_used_once_the_check_interval_has_passed(learned, clock):
    acme = factories.tenant("acme")
    store(SHARED, constant_model("correspondence"))
    assert learned.model_check_seconds == 30
    classifier = LearnedClassifier(learned)
    invoice = clear_items(acme.id)["invoice"]
    assert classifier.classify_batch([invoice])[0].category == "correspondence"  # shared
    store(tenant_scope(acme.id), constant_model("contract"))
    clock.now += 29
    assert classifier.classify_batch([invoice])[0].category == "correspondence"  # not looked yet
    clock.now += 2
    assert classifier.classify_batch([invoice])[0].category == "contract"  # no restart
    store(tenant_scope(acme.id), constant_model("receipt"))
    clock.now += 31
    assert classifier.classify_batch([invoice])[0].category == "receipt"


def test_each_tenant_is_classified_by_its_own_model_and_never_another(learned, tmp_path, clock):
    acme, globex, initech = (factories.tenant(n) for n in ("acme", "globex", "initech"))
    store(SHARED, constant_model("correspondence"))
    store(tenant_scope(acme.id), constant_model("contract"))
    store(tenant_scope(globex.id), constant_model("receipt"))
    items = []
    for owner in (acme, globex, initech, globex, acme, initech):
        items.append(clear_items(owner.id)["invoice"])
    results = LearnedClassifier(learned).classify_batch(items)
    assert [r.category for r in results] == [
        "contract", "receipt", "correspondence", "receipt", "contract", "correspondence",
    ]  # fmt: skip
    assert [r.automatic for r in results[:2]] == [True, True]
    # With one shared model for everyone, no tenant's model is used at all.
    shared = learned_settings(learned, tmp_path / "shared", DOCFLOW_CLASSIFIER_SCOPE="shared")
    store(SHARED, constant_model("identity_document"))
    results = LearnedClassifier(shared).classify_batch(items[:3])
    assert {r.category for r in results} == {"identity_document"}


def test_a_refused_model_row_leaves_the_last_good_model_in_use(learned, clock, caplog):
    good = store(tenant_scope(7), constant_model("contract"))
    models = ModelStore(30)
    assert models.model(tenant_scope(7)).bias.argmax() == CATEGORIES.index("contract")
    blob = bytearray(constant_model("receipt").to_blob())
    blob[-1] ^= 0xFF
    bad = store(tenant_scope(7), constant_model("receipt"), blob=bytes(blob))
    clock.now += 31
    with caplog.at_level(logging.ERROR, logger=store_module.__name__):
        kept = models.model(tenant_scope(7))
    assert kept.bias.argmax() == CATEGORIES.index("contract")
    assert f"model {bad.id} of tenant:7 refused" in caplog.text and "checksum" in caplog.text
    # A process that never loaded the good one: no model for the tenant (the shared one is used).
    assert ModelStore(30).model(tenant_scope(7)) is None
    assert good.version == 1 and bad.version == 2
    assert isinstance(ModelStore(30).model(SHARED), LinearModel)
