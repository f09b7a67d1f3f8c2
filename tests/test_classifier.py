"""KeywordClassifier on generated and hand-written documents, load_classifier."""

from __future__ import annotations

import random
import statistics
import sys
import types

import pytest

from docflow import samples
from docflow.services.classifier import (
    Classification,
    KeywordClassifier,
    load_classifier,
)
from docflow.settings import CATEGORIES, Settings

BACK_OFFICE = [c for c in CATEGORIES if c != "other"]

AMBIGUOUS = """
Invoice INV-2024-0042. Please remit payment of the invoice total to IBAN GB29 NWBK 6016 1331.
The invoice is payable by bank transfer; overdue invoices are billed interest.

This Agreement is made between the parties. WHEREAS the parties hereby agree that the
governing law applies, termination requires notice and confidentiality survives.
"""
NEUTRAL = "Please find the scan attached. The photo was taken this morning."


@pytest.fixture(scope="module")
def classifier() -> KeywordClassifier:
    return KeywordClassifier(Settings.from_env({}))


def classify(
    classifier: KeywordClassifier,
    text: str,
    filename: str = "document.txt",
    content_type: str = "text/plain",
) -> Classification:
    return classifier.classify(text, filename=filename, content_type=content_type)


# --- generated documents --------------------------------------------------------------------


@pytest.mark.parametrize("category", BACK_OFFICE)
def test_generated_documents_classify_to_their_category(classifier, category):
    rng = random.Random(f"classify-{category}")
    results = [
        classify(classifier, text, name, ctype)
        for name, ctype, text in (samples.generate(rng, category) for _ in range(200))
    ]
    right = [r for r in results if r.category == category]
    assert len(right) >= 190, f"{len(right)}/200 classified as {category}"
    assert statistics.mean(r.confidence for r in right) >= 0.7


def test_other_documents_are_other_or_low_confidence(classifier):
    rng = random.Random("classify-other")
    for _ in range(200):
        name, ctype, text = samples.generate(rng, "other")
        result = classify(classifier, text, name, ctype)
        assert result.category == "other" or result.confidence < 0.5, (name, result)


def test_every_result_is_a_known_category_with_confidence_in_range(classifier):
    rng = random.Random("classify-mix")
    for _ in range(300):
        name, ctype, text = samples.generate(rng, samples.pick_category(rng))
        result = classify(classifier, text, name, ctype)
        assert result.category in CATEGORIES
        assert 0.0 <= result.confidence <= 1.0


# --- hand-written edge cases ----------------------------------------------------------------


def test_clear_single_category_text_gets_high_confidence(classifier):
    text = (
        "Dear Ms Jones,\n\nThank you for your letter. I am writing to confirm our meeting; "
        "please do not hesitate to contact me. I look forward to hearing from you.\n\n"
        "Yours sincerely,\nAnna Weber\n\nP.S. Kind regards to your team, and best wishes.\n"
    ) * 2
    result = classify(classifier, text)
    assert result.category == "correspondence"
    assert result.confidence >= 0.8


def test_half_invoice_half_contract_text_is_ambiguous(classifier):
    result = classify(classifier, AMBIGUOUS)
    assert result.category in ("invoice", "contract")
    assert result.confidence < 0.5


@pytest.mark.parametrize("text", ["", "   \n\t ", "1234 5678 -- ##"])
def test_empty_text_is_other_with_low_confidence(classifier, text):
    result = classify(classifier, text)
    assert result.category == "other"
    assert result.confidence < 0.5


def test_a_single_stray_keyword_does_not_name_a_category(classifier):
    result = classify(classifier, "Notes from the workshop: bring a letter opener.")
    assert result.category == "other" or result.confidence < 0.5


def test_matching_ignores_case_and_punctuation(classifier):
    upper = classify(classifier, "INVOICE!!! IBAN: ... REMITTANCE; PAYABLE, OVERDUE?")
    lower = classify(classifier, "invoice iban remittance payable overdue")
    assert upper == lower
    assert upper.category == "invoice"


def test_filename_alone_tips_neutral_text(classifier):
    assert classify(classifier, NEUTRAL, "scan.txt").category == "other"
    hinted = classify(classifier, NEUTRAL, "passport.txt")
    assert hinted.category == "identity_document"
    # A filename is a hint, not proof: neutral text keeps the document under review.
    assert hinted.confidence < 0.5


@pytest.mark.parametrize(
    ("filename", "category"),
    [
        ("invoice_2024.txt", "invoice"),
        ("passport-scan.txt", "identity_document"),
        ("kyc_0042_id_card.txt", "identity_document"),
        ("signed-NDA-acme.txt", "contract"),
        ("letter-to-acme.txt", "correspondence"),
        ("receipt_20240312.txt", "receipt"),
    ],
)
def test_filename_tokens_are_recognised(classifier, filename, category):
    assert classify(classifier, NEUTRAL, filename).category == category


def test_text_outweighs_a_misleading_filename(classifier):
    rng = random.Random("misleading")
    _, _, text = samples.generate(rng, "contract")
    assert classify(classifier, text, "invoice-2024-0042.txt").category == "contract"


def test_content_type_is_a_small_hint(classifier):
    neutral = classify(classifier, NEUTRAL, "upload", "application/octet-stream")
    email = classify(classifier, NEUTRAL, "upload", "message/rfc822; charset=utf-8")
    assert neutral.category == "other"
    assert email.category == "correspondence"
    assert email.confidence < 0.5
    rng = random.Random("content-type")
    _, _, text = samples.generate(rng, "receipt")
    assert classify(classifier, text, "upload", "message/rfc822").category == "receipt"


def test_classification_is_immutable(classifier):
    result = classify(classifier, "invoice")
    with pytest.raises(AttributeError):
        result.category = "other"  # type: ignore[misc]


# --- load_classifier ------------------------------------------------------------------------


def test_load_classifier_default_path():
    keywords = "docflow.services.classifier:KeywordClassifier"
    loaded = load_classifier(Settings.from_env({"DOCFLOW_CLASSIFIER": keywords}))
    assert isinstance(loaded, KeywordClassifier)
    assert (
        loaded.classify(
            "Dear Sir, yours faithfully", filename="a.txt", content_type="text/plain"
        ).category
        == "correspondence"
    )


class Fixed:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def classify(self, text: str, *, filename: str, content_type: str) -> Classification:
        return Classification("other", 1.0)


@pytest.fixture
def fake_module(monkeypatch) -> None:
    module = types.ModuleType("fake_classifiers")
    module.Fixed = Fixed
    monkeypatch.setitem(sys.modules, "fake_classifiers", module)


def test_load_classifier_instantiates_the_named_class_with_settings(fake_module):
    settings = Settings.from_env({"DOCFLOW_CLASSIFIER": "fake_classifiers:Fixed"})
    loaded = load_classifier(settings)
    assert isinstance(loaded, Fixed)
    assert loaded.settings is settings
