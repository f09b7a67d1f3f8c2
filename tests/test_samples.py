"""Generated sample documents: shape, realism markers, variety, determinism, the category mix."""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter

import pytest

from docflow import samples
from docflow.errors import InvalidArgument
from docflow.settings import CATEGORIES

CONTENT_TYPES = {"text/plain", "text/markdown", "text/csv"}
EXTENSIONS = {"text/plain": ".txt", "text/markdown": ".md", "text/csv": ".csv"}
# Phrases each kind of document carries, checked case-insensitively.
MARKERS = {
    "invoice": ("invoice", "iban", "total due", "vat"),
    "receipt": ("receipt", "total", "thank you for shopping", "items"),
    "contract": ("agreement", "whereas", "governing law", "terminat", "parties", "signed for"),
    "identity_document": ("surname", "given names", "date of birth", "nationality", "expiry"),
    "correspondence": ("re: ",),
}
MRZ_LINE = re.compile(r"^[PDIR]<[A-Z]{3}\S+<<\S+$", re.MULTILINE)


def batch(category: str, n: int = 200, seed: str = "samples") -> list[tuple[str, str, str]]:
    rng = random.Random(f"{seed}-{category}")
    return [samples.generate(rng, category) for _ in range(n)]


def test_weights_cover_every_category_and_sum_to_one():
    assert tuple(samples.CATEGORY_WEIGHTS) == CATEGORIES
    assert sum(samples.CATEGORY_WEIGHTS.values()) == pytest.approx(1.0)
    assert all(w > 0 for w in samples.CATEGORY_WEIGHTS.values())


@pytest.mark.parametrize("category", CATEGORIES)
def test_generated_documents_have_a_realistic_shape(category):
    docs = batch(category)
    for filename, content_type, text in docs:
        assert content_type in CONTENT_TYPES
        assert filename.endswith(EXTENSIONS[content_type])
        assert re.fullmatch(r"[\w.-]+", filename), filename
        assert 800 <= len(text.encode()) <= 3_500, (filename, len(text.encode()))
        assert text.endswith("\n")
    # A random part in the name: uploads of one kind rarely share a filename.
    assert len({filename for filename, _, _ in docs}) >= 150


def test_average_size_is_about_two_kilobytes():
    rng = random.Random("sizes")
    sizes = [
        len(samples.generate(rng, samples.pick_category(rng))[2].encode()) for _ in range(3000)
    ]
    assert 1_600 <= statistics.mean(sizes) <= 2_200


@pytest.mark.parametrize("category", list(MARKERS))
def test_each_category_carries_its_typical_content(category):
    for filename, _, text in batch(category, 50):
        lowered = text.lower()
        missing = [m for m in MARKERS[category] if m not in lowered]
        assert not missing, (filename, missing)


def test_invoices_itemise_and_total():
    for _, content_type, text in batch("invoice", 50):
        if content_type == "text/csv":
            assert text.startswith("invoice_number,")
            assert "Subtotal" in text and "Total due" in text
        else:
            for label in ("Bill to:", "Description", "Subtotal:", "Payment terms:", "Due date:"):
                assert label in text


def test_receipts_are_paid_by_card_or_cash():
    texts = [text for _, _, text in batch("receipt", 100)]
    assert all("Card ending" in t or "CHANGE DUE" in t for t in texts)
    assert any("Card ending" in t for t in texts) and any("CHANGE DUE" in t for t in texts)


def test_identity_documents_carry_a_machine_readable_zone():
    kinds = Counter()
    for _, _, text in batch("identity_document", 100):
        assert MRZ_LINE.search(text), text
        kinds[text.splitlines()[2]] += 1
    assert len(kinds) >= 3, kinds  # passports, licences, ID cards, permits


def test_correspondence_is_letters_and_emails():
    texts = [text for _, _, text in batch("correspondence", 100)]
    letters = [t for t in texts if "Dear " in t]
    emails = [t for t in texts if t.startswith("From: ")]
    assert letters and emails and len(letters) + len(emails) == len(texts)
    closings = ("Yours sincerely,", "Yours faithfully,", "Kind regards,", "Best regards,")
    assert all(any(c in t for c in (*closings, "Best wishes,")) for t in texts)


def test_other_documents_avoid_back_office_vocabulary():
    words = ("invoice", "receipt", "agreement", "whereas", "passport", "surname", "dear ", "iban")
    for filename, _, text in batch("other", 100):
        lowered = text.lower()
        assert not [w for w in words if w in lowered], filename


def test_generation_is_deterministic_for_a_seed():
    assert batch("contract", 20, seed="same") == batch("contract", 20, seed="same")
    assert batch("contract", 20, seed="same") != batch("contract", 20, seed="other")


def test_text_is_valid_unicode_with_some_non_ascii():
    texts = [t for c in CATEGORIES for _, _, t in batch(c, 30)]
    assert all(t.encode("utf-8").decode("utf-8") == t for t in texts)
    assert any(not t.isascii() for t in texts)


def test_unknown_category_is_rejected():
    with pytest.raises(InvalidArgument, match="unknown category 'memo'"):
        samples.generate(random.Random(1), "memo")


def test_pick_category_follows_the_weights():
    rng = random.Random("mix")
    counts = Counter(samples.pick_category(rng) for _ in range(20_000))
    assert set(counts) == set(CATEGORIES)
    for category, weight in samples.CATEGORY_WEIGHTS.items():
        assert counts[category] / 20_000 == pytest.approx(weight, abs=0.015)
