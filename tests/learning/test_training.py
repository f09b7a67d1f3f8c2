"""Training: the linear model itself (fast, small features), and training a scope from its
labels on both backends: a version per scope, shared fallback below the label minimum,
nothing retrained when the labels did not change, clear documents classified right."""

from __future__ import annotations

import numpy as np
import pytest

from docflow import labels, training
from docflow.errors import InvalidArgument
from docflow.jobs.classify import classify_documents
from docflow.models import ClassifierModel, JobRun
from docflow.parse import CATEGORIES
from docflow.registry import get_job
from docflow.services.learning.classifier import Item, LearnedClassifier
from docflow.services.learning.corpus import Example
from docflow.services.learning.model import LinearModel
from docflow.services.learning.store import SHARED, tenant_scope
from docflow.services.learning.thresholds import NEVER
from docflow.services.learning.train import summary, train
from tests import factories
from tests.learning.common import (
    CLEAR,
    NOW,
    constant_model,
    corpus,
    examples,
    generated,
    learned_settings,
    store,
)


def test_training_is_deterministic_and_learns_what_it_is_shown():
    found = examples(generated(12, seed=3))
    first = train(found, CATEGORIES, target_precision=0.9, bits=10)
    again = train(found, CATEGORIES, target_precision=0.9, bits=10)
    assert first.model.to_blob() == again.model.to_blob()
    assert first.metrics["examples"] == dict.fromkeys(CATEGORIES, 12)
    assert set(first.metrics) >= {"accuracy", "automatic_share", "automatic_right",
                                  "automatic_wrong", "per_category", "seconds"}  # fmt: skip
    assert first.held_out.shape == (len(found), len(CATEGORIES))
    held = generated(2, seed=99)
    scores = first.model.scores([e.text for e in examples(held)])
    assert [first.model.classes[i] for i in scores.argmax(axis=1)] == [s.category for s in held]


def test_two_categories_are_the_least_training_needs():
    with pytest.raises(InvalidArgument, match="at least two categories"):
        train([Example("invoice 1", "invoice"), Example("invoice 2", "invoice")], CATEGORIES,
              target_precision=0.9, bits=6)  # fmt: skip
    two = [Example(f"invoice total due {n}", "invoice", group=str(n)) for n in range(6)]
    two += [
        Example(f"dear madam yours sincerely {n}", "correspondence", group=f"l{n}")
        for n in range(6)
    ]
    model = train(two, CATEGORIES, target_precision=0.9, bits=8).model
    probabilities = model.scores(["invoice total due 99", "dear madam yours sincerely 99"])
    assert [model.classes[i] for i in probabilities.argmax(axis=1)] == ["invoice", "correspondence"]
    assert probabilities[:, [1, 2, 3, 5]].max() < 0.01  # never seen: never chosen


def test_generated_examples_never_make_a_category_automatic():
    # A model is always right on generated documents: only real ones (calibrate=True) may
    # earn a threshold, and one real document per category is too little support.
    made = [Example(e.text, e.category, group=e.group, calibrate=False)
            for e in examples(generated(12, seed=3))]  # fmt: skip
    real = examples(generated(1, seed=4))
    trained = train(made + real, CATEGORIES, target_precision=0.9, bits=10)
    assert trained.model.thresholds == dict.fromkeys(CATEGORIES, NEVER)
    assert trained.metrics["automatic_share"] == 0.0
    assert sum(trained.metrics["per_category"][c]["recall"] is not None for c in CATEGORIES) == 6


def test_summary_metrics_of_held_out_predictions():
    probabilities = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]], dtype=np.float32)
    truth = ["invoice", "receipt", "receipt", "invoice"]
    found = summary(probabilities, truth, ("invoice", "receipt"), {"invoice": 0.85, "receipt": 0.5})
    assert found == {
        "accuracy": 0.75, "automatic_share": 0.5, "automatic_right": 0.5, "automatic_wrong": 0.0,
        "per_category": {
            "invoice": {"precision": 0.667, "recall": 1.0, "threshold": 0.85},
            "receipt": {"precision": 1.0, "recall": 0.5, "threshold": 0.5},
        },
    }  # fmt: skip


def test_scopes_follow_the_scope_setting(learned, tmp_path):
    acme, globex = factories.tenant("acme"), factories.tenant("globex")
    assert training.scopes(learned) == [
        (f"tenant:{acme.id}", acme.id),
        (f"tenant:{globex.id}", globex.id),
    ]
    shared = learned_settings(learned, tmp_path, DOCFLOW_CLASSIFIER_SCOPE="shared")
    assert training.scopes(shared) == [(SHARED, None)]


def import_and_read(settings, tmp_path, tenant: str, per_category: int = 1, seed: int = 11):
    folder = corpus(tmp_path / f"labels-{tenant}", per_category, seed=seed)
    labels.import_folder(settings, tenant, folder, actor="operator:ops", now=NOW)
    classify_documents.run(settings=settings, now=lambda: NOW)


def test_a_tenant_below_the_label_minimum_is_not_trained_and_uses_the_shared_model(
    learned, tmp_path, small
):
    acme = factories.tenant("acme")
    shared = store(SHARED, small)
    import_and_read(learned, tmp_path, "acme")  # 6 labels; the minimum is 20
    assert learned.tenant_model_min_labels == 20
    outcome = training.train_scope(learned, tenant_scope(acme.id), acme.id, now=NOW)
    assert (outcome.scope, outcome.status, outcome.labels, outcome.version) == (
        tenant_scope(acme.id), "too-few-labels", 6, None,
    )  # fmt: skip
    assert list(ClassifierModel.select()) == [shared]
    classifier = LearnedClassifier(learned)
    items = [Item(*doc) for doc in CLEAR.values()]
    theirs = classifier.classify_batch([Item(*doc, tenant=acme.id) for doc in CLEAR.values()])
    assert theirs == classifier.classify_batch(items)  # what the shared model says


def test_labels_whose_text_was_not_read_yet_do_not_count(learned, tmp_path):
    # Imported, still Pending: the label is there, the text training needs is not. Counting
    # it would train without it and record its hash, so the model would stay without it.
    acme = factories.tenant("acme")
    settings = learned_settings(learned, tmp_path, DOCFLOW_TENANT_MODEL_MIN_LABELS="6")
    labels.import_folder(settings, "acme", corpus(tmp_path / "c", 1, seed=11), actor="o", now=NOW)
    assert len(labels.latest(tenant_id=acme.id)) == 6
    outcome = training.train_scope(settings, tenant_scope(acme.id), acme.id, now=NOW)
    assert (outcome.status, outcome.labels) == ("too-few-labels", 0)
    assert ClassifierModel.select().count() == 0


def test_unchanged_labels_keep_the_model(learned, tmp_path):
    acme = factories.tenant("acme")
    settings = learned_settings(learned, tmp_path, DOCFLOW_TENANT_MODEL_MIN_LABELS="6")
    import_and_read(settings, tmp_path, "acme")
    found = labels.latest(tenant_id=acme.id)
    kept = store(
        tenant_scope(acme.id), constant_model("other"), labels_hash=labels.fingerprint(found)
    )
    outcome = training.train_scope(settings, tenant_scope(acme.id), acme.id, now=NOW)
    assert (outcome.status, outcome.labels, outcome.version) == ("unchanged", 6, kept.version)
    assert ClassifierModel.select().count() == 1


@pytest.mark.slow
def test_each_scope_gets_a_new_version_that_classifies_clear_documents_right(learned, tmp_path):
    """Two real trainings (~10 s each): a tenant's through the job, then the shared scope."""
    acme, globex = factories.tenant("acme"), factories.tenant("globex")
    settings = learned_settings(learned, tmp_path, DOCFLOW_TENANT_MODEL_MIN_LABELS="6")
    import_and_read(settings, tmp_path, "acme")
    job = get_job("train_classifier")
    summary = job.run(settings=settings, now=lambda: NOW)
    assert summary["counts"] == {"trained": 1, "too_few_labels": 1}  # globex has no labels
    [row] = ClassifierModel.select()
    assert (row.scope, row.version, row.created_at) == (tenant_scope(acme.id), 1, NOW)
    assert row.label_counts == dict.fromkeys(sorted(CATEGORIES), 1)
    assert row.labels_hash == labels.fingerprint(labels.latest(tenant_id=acme.id))
    model = LinearModel.from_blob(bytes(row.blob))
    assert row.thresholds == model.thresholds and set(model.thresholds) == set(CATEGORIES)
    assert 0.5 < row.metrics["accuracy"] <= 1 and set(row.metrics["per_category"]) == set(
        CATEGORIES
    )
    run = JobRun.get_by_id(summary["run_id"])
    assert run.outcome == "succeeded" and run.counts == summary["counts"]
    # The tenant's own model reads the clearly-worded documents right; globex's go to shared.
    classifier = LearnedClassifier(settings)
    mine = classifier.classify_batch([Item(*doc, tenant=acme.id) for doc in CLEAR.values()])
    assert [r.category for r in mine] == list(CLEAR)
    # Nothing changed: nothing trained again.
    again = job.run(settings=settings, now=lambda: NOW)
    assert again["counts"] == {"unchanged": 1, "too_few_labels": 1}
    assert ClassifierModel.select().count() == 1
    # The shared scope learns from every tenant's labels, into a scope of its own.
    shared = learned_settings(learned, tmp_path, DOCFLOW_CLASSIFIER_SCOPE="shared")
    outcome = training.train_scope(shared, SHARED, None, now=NOW)
    assert (outcome.scope, outcome.status, outcome.labels, outcome.version) == (
        SHARED,
        "trained",
        6,
        1,
    )
    assert outcome.metrics["examples"]["invoice"] > 1
    newest = ClassifierModel.select().where(ClassifierModel.scope == SHARED).get()
    assert newest.version == 1 and newest.label_counts == row.label_counts
    everyone = LearnedClassifier(shared).classify_batch(
        [Item(*doc, tenant=globex.id) for doc in CLEAR.values()]
    )
    assert [r.category for r in everyone] == list(CLEAR)
    assert training.train_scope(shared, SHARED, None, now=NOW).status == "unchanged"
