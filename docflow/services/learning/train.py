"""Training a linear model on labelled texts, with thresholds for a precision target.

Multinomial logistic regression (:mod:`.softmax`, scikit-learn's objective, what
Paperless-ngx uses) over the hashed features of :mod:`.features`. Cross-validated
predictions give the model's metrics and, per category, the probability at which automatic
routing meets the precision target; the final model is then fitted on every example.

Memory stays flat in the number of examples beyond the sparse matrix itself: examples are
taken from an iterable a chunk at a time and their texts dropped once hashed, folds are
the one matrix with held-out rows weighted zero, and only the features that occur are
optimised (a weight no example touches stays zero).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from docflow.errors import InvalidArgument
from docflow.services.learning import corpus, folds, softmax, thresholds
from docflow.services.learning.corpus import Example
from docflow.services.learning.model import LinearModel

DEFAULT_BITS = 18
REGULARISATION = 20.0
"""C of the objective (as scikit-learn names it): less regularised than its default of 1, as
the features are many and sparse."""


@dataclass(frozen=True)
class Trained:
    model: LinearModel
    metrics: dict[str, Any]
    held_out: npt.NDArray[np.float32]
    """The cross-validated probabilities the metrics and thresholds come from."""


def train(
    examples: Iterable[Example],
    classes: Sequence[str],
    *,
    target_precision: float,
    bits: int = DEFAULT_BITS,
    folds: int = 4,
    prior_share: float = 0.0,
) -> Trained:
    """A model of ``classes`` with thresholds for ``target_precision`` and its metrics.

    With ``prior_share``, the model will be used blended with the keyword rules, that share
    theirs; held-out predictions are blended the same way (with each example's ``prior``)
    before thresholds and metrics are computed from them."""
    started = time.monotonic()
    data = corpus.of(examples, bits)
    present = Counter(data.labels)
    if len(present) < 2:
        raise InvalidArgument("training needs labelled documents of at least two categories")
    unknown = set(present) - set(classes)
    if unknown:
        raise InvalidArgument(f"unknown categories in the labels: {', '.join(sorted(unknown))}")
    index = {name: i for i, name in enumerate(classes)}
    labels = np.array([index[c] for c in data.labels], dtype=np.intp)
    held_out = _cross_validate(data, labels, len(classes), folds)
    weights, biases = softmax.fit(data.matrix, labels, data.weights, len(classes),
                                  regularisation=REGULARISATION)  # fmt: skip
    coef = np.zeros((1 << bits, len(classes)), dtype=np.float32)
    coef[data.columns] = weights
    real = data.calibrate.copy()
    if not real.any():
        real[:] = True
    truth = [c for c, r in zip(data.labels, real, strict=True) if r]
    if prior_share:
        held_out = _blended(held_out, data.priors, prior_share)
    limits = thresholds.for_target(held_out[real], truth, classes, target_precision)
    model = LinearModel(tuple(classes), coef, biases, bits, limits)
    metrics = summary(held_out[real], truth, classes, limits)
    metrics["seconds"] = round(time.monotonic() - started, 2)
    metrics["examples"] = dict(present)
    return Trained(model, metrics, held_out)


def _blended(
    held_out: npt.NDArray[np.float32], priors: list[tuple[float, ...] | None], share: float
) -> npt.NDArray[np.float32]:
    blended = held_out.copy()
    for row, prior in enumerate(priors):
        if prior is not None:
            blended[row] = (1 - share) * held_out[row] + share * np.asarray(prior)
    return blended


def _cross_validate(
    data: corpus.Corpus, labels: npt.NDArray[np.intp], classes: int, count: int
) -> npt.NDArray[np.float32]:
    """Probabilities of each example from a model that never saw it (or its group)."""
    held_out = np.zeros((len(labels), classes), dtype=np.float32)
    smallest = min(Counter(data.labels).values())
    if len(set(data.groups)) >= count and all(data.groups):
        fold = folds.by_group(data.groups, count)
    elif smallest >= 2:
        count = min(count, smallest)
        fold = folds.by_category(data.labels, count)
    else:
        return np.full((len(labels), classes), 1 / classes, dtype=np.float32)
    for number in range(count):
        out = fold == number
        weights = np.where(out, 0.0, data.weights)
        if len(np.unique(labels[weights > 0])) < 2:
            continue
        coef, bias = softmax.fit(data.matrix, labels, weights, classes,
                                 regularisation=REGULARISATION)  # fmt: skip
        held_out[out] = softmax.probabilities(data.matrix, coef, bias)[out]
    return held_out


def summary(
    probabilities: npt.NDArray[np.float32], truth: list[str], classes: Sequence[str],
    limits: dict[str, float],
) -> dict[str, Any]:  # fmt: skip
    """Accuracy, per-category precision and recall, and the automatic share at ``limits``."""
    predicted = [classes[i] for i in probabilities.argmax(axis=1)]
    confident = probabilities.max(axis=1)
    automatic = [
        c >= limits.get(p, thresholds.NEVER) for p, c in zip(predicted, confident, strict=True)
    ]
    per_category = {}
    for category in classes:
        chosen = [t for p, t in zip(predicted, truth, strict=True) if p == category]
        actual = [p for p, t in zip(predicted, truth, strict=True) if t == category]
        per_category[category] = {
            "precision": round(sum(t == category for t in chosen) / len(chosen), 3)
            if chosen
            else None,
            "recall": round(sum(p == category for p in actual) / len(actual), 3)
            if actual
            else None,
            "threshold": round(limits.get(category, thresholds.NEVER), 3),
        }
    auto_right = sum(a and p == t for a, p, t in zip(automatic, predicted, truth, strict=True))
    auto_wrong = sum(a and p != t for a, p, t in zip(automatic, predicted, truth, strict=True))
    n = max(len(truth), 1)
    return {
        "accuracy": round(sum(p == t for p, t in zip(predicted, truth, strict=True)) / n, 3),
        "automatic_share": round(sum(automatic) / n, 3),
        "automatic_right": round(auto_right / n, 3),
        "automatic_wrong": round(auto_wrong / n, 3),
        "per_category": per_category,
    }
