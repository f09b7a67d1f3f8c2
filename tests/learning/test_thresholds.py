"""Per category, the lowest probability at which what is routed without review is right at
least as often as the target asks, on held-out predictions; too little evidence: NEVER."""

from __future__ import annotations

import numpy as np
import pytest

from docflow.services.learning.thresholds import MIN_SUPPORT, NEVER, automatic_share, for_target

CLASSES = ("invoice", "receipt")


def held_out(rows: list[tuple[str, float, str]]) -> tuple[np.ndarray, list[str]]:
    """(predicted, its probability, truth) rows as a probability matrix and the truth."""
    matrix = np.zeros((len(rows), 2), dtype=np.float32)
    for n, (predicted, p, _) in enumerate(rows):
        mine = CLASSES.index(predicted)
        matrix[n, mine], matrix[n, 1 - mine] = p, 1 - p
    return matrix, [truth for _, _, truth in rows]


def precision_at(matrix, truth, category, threshold):
    chosen = [t for row, t in zip(matrix, truth, strict=True)
              if CLASSES[row.argmax()] == category and row.max() >= threshold]  # fmt: skip
    return sum(t == category for t in chosen) / len(chosen), len(chosen)


def test_the_threshold_is_the_lowest_that_keeps_the_target_precision():
    # 20 invoice predictions, best first: right down to 0.82, then wrong at 0.80 and 0.62.
    confident = [("invoice", 0.99 - n * 0.01, "invoice") for n in range(18)]
    rows = confident + [("invoice", 0.80, "receipt"), ("invoice", 0.62, "receipt")]
    matrix, truth = held_out(rows)
    found = for_target(matrix, truth, CLASSES, 0.95)
    # At 0.80, 19 routed with 1 wrong is 94.7%: short of 95%, so 0.82 (18 of 18) it is.
    assert found["invoice"] == pytest.approx(0.82)
    assert precision_at(matrix, truth, "invoice", found["invoice"]) == (1.0, 18)
    # A looser target takes the next document in, and its error, but not the last one.
    looser = for_target(matrix, truth, CLASSES, 0.92)["invoice"]
    assert looser == pytest.approx(0.80)
    assert precision_at(matrix, truth, "invoice", looser) == (18 / 19, 19)
    assert found["receipt"] == NEVER  # never predicted: never automatic


def test_a_category_with_too_little_support_is_never_automatic():
    few = [("receipt", 0.99, "receipt")] * (MIN_SUPPORT - 1)
    enough = [("invoice", 0.97, "invoice")] * MIN_SUPPORT
    matrix, truth = held_out(few + enough)
    found = for_target(matrix, truth, CLASSES, 0.9)
    assert found == {"receipt": NEVER, "invoice": pytest.approx(0.97)}
    assert NEVER > 1.0  # no probability reaches it
    assert automatic_share(matrix, CLASSES, found) == pytest.approx(MIN_SUPPORT / len(truth))


def test_ten_lucky_documents_cannot_claim_a_precision_of_98_percent():
    # One error in the top 10 is 90%; at 98% no number of documents up to 49 allows one.
    rows = [("invoice", 0.99, "receipt")] + [("invoice", 0.98, "invoice")] * 30
    matrix, truth = held_out(rows)
    assert for_target(matrix, truth, CLASSES, 0.98)["invoice"] == NEVER
    assert for_target(matrix, truth, CLASSES, 0.95)["invoice"] == pytest.approx(0.98)


@pytest.mark.parametrize("wrong_first", [True, False])
def test_documents_of_equal_probability_are_routed_together_so_counted_together(wrong_first):
    # Saturated probabilities tie (float32 softmax gives 1.0 to many sure documents): a
    # threshold admits all documents at its value or none, whatever their order.
    tied = [("invoice", 1.0, "invoice")] * 9
    wrong = [("invoice", 1.0, "receipt")]
    rows = [*(wrong if wrong_first else []), *tied, *([] if wrong_first else wrong)]
    matrix, truth = held_out(rows)
    threshold = for_target(matrix, truth, CLASSES, 0.95)["invoice"]
    assert threshold == NEVER  # 9 of 10 at 1.0 is 90%, whichever comes first


def test_the_target_is_met_on_every_category_of_a_realistic_held_out_set():
    rng = np.random.default_rng(12)
    rows = []
    for _ in range(2_000):
        p = float(np.round(rng.uniform(0.5, 1.0), 2))  # rounded: many ties
        right = rng.random() < p  # calibrated: right as often as it is sure
        predicted = CLASSES[rng.integers(2)]
        rows.append((predicted, p, predicted if right else CLASSES[1 - CLASSES.index(predicted)]))
    matrix, truth = held_out(rows)
    for target in (0.9, 0.95, 0.98):
        found = for_target(matrix, truth, CLASSES, target)
        for category in CLASSES:
            assert found[category] < NEVER
            precision, routed = precision_at(matrix, truth, category, found[category])
            assert precision >= target, (target, category, found[category], routed)
        assert 0 < automatic_share(matrix, CLASSES, found) < 1
