"""Training a linear model on labelled texts, with thresholds for a precision target.

Multinomial logistic regression (scikit-learn, the field's standard and what Paperless-ngx
uses) over the hashed features of :mod:`.features`. Cross-validated predictions give the
model's metrics and, per category, the probability at which automatic routing meets the
precision target; the final model is then fitted on every example. scikit-learn is
needed here only: using a model needs numpy alone.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from docflow.errors import InvalidArgument, MissingExtra

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
from docflow.services.learning import features, thresholds
from docflow.services.learning.model import LinearModel

DEFAULT_BITS = 18
REGULARISATION = 20.0
"""scikit-learn's C: less regularised than its default, as the features are many and sparse."""


@dataclass(frozen=True)
class Example:
    text: str
    category: str
    weight: float = 1.0
    group: str = ""
    """Examples of one group (one source, one template) stay in one fold together."""
    calibrate: bool = True
    """Whether its held-out prediction counts for thresholds and metrics: real documents
    do, generated ones (which a model always gets right) do not."""
    prior: tuple[float, ...] | None = None
    """The keyword rules' probabilities for it, when the model will be blended with them
    (see ``prior_share``): thresholds must be chosen on what routing will compare."""


@dataclass(frozen=True)
class Trained:
    model: LinearModel
    metrics: dict[str, Any]
    held_out: npt.NDArray[np.float32]
    """The cross-validated probabilities the metrics and thresholds come from."""


def design(texts: list[str], bits: int, chunk: int = 250) -> csr_matrix:
    """The sparse feature matrix of ``texts``, built a chunk at a time to bound memory
    (hashing briefly needs some 40 bytes per byte of text)."""
    from scipy import sparse

    parts = []
    for start in range(0, len(texts), chunk):
        found = features.hashed(texts[start : start + chunk], bits)
        data = found.scale[found.docs].astype(np.float32)
        shape = (found.count, 1 << bits)
        parts.append(
            sparse.csr_matrix((data, (found.docs, found.indices)), shape=shape, dtype=np.float32)
        )
    return (
        sparse.vstack(parts, format="csr")
        if parts
        else sparse.csr_matrix((0, 1 << bits), dtype=np.float32)
    )


def _fit(
    matrix: csr_matrix, labels: npt.NDArray[Any], weights: npt.NDArray[np.float64]
) -> LogisticRegression:
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise MissingExtra("training needs scikit-learn: pip install 'docflow[learn]'") from None
    model = LogisticRegression(C=REGULARISATION, max_iter=300, tol=1e-3)
    return model.fit(matrix, labels, sample_weight=weights)


def train(
    examples: Sequence[Example],
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
    present = Counter(e.category for e in examples)
    if len(present) < 2:
        raise InvalidArgument("training needs labelled documents of at least two categories")
    started = time.monotonic()
    matrix = design([e.text for e in examples], bits)
    labels = np.array([e.category for e in examples])
    weights = np.array([e.weight for e in examples], dtype=np.float64)
    held_out = _cross_validate(matrix, labels, weights, [e.group for e in examples], classes, folds)
    fitted = _fit(matrix, labels, weights)
    coef = np.zeros((1 << bits, len(classes)), dtype=np.float32)
    bias = np.full(len(classes), -20.0, dtype=np.float32)  # a class never seen: never chosen
    rows, intercepts = fitted.coef_, fitted.intercept_
    if len(fitted.classes_) == 2:  # one logit z for the second class: softmax of (-z/2, z/2)
        rows, intercepts = np.vstack([-rows[0], rows[0]]) / 2, np.array([-1, 1]) * intercepts[0] / 2
    for row, name in enumerate(fitted.classes_):
        column = list(classes).index(name)
        coef[:, column], bias[column] = rows[row], intercepts[row]
    real = np.array([e.calibrate for e in examples])
    if not real.any():
        real[:] = True
    truth = list(labels[real])
    if prior_share:
        held_out = _blended(held_out, examples, prior_share)
    limits = thresholds.for_target(held_out[real], truth, classes, target_precision)
    model = LinearModel(tuple(classes), coef, bias, bits, limits)
    metrics = summary(held_out[real], truth, classes, limits)
    metrics["seconds"] = round(time.monotonic() - started, 2)
    metrics["examples"] = dict(present)
    return Trained(model, metrics, held_out)


def _blended(
    held_out: npt.NDArray[np.float32], examples: Sequence[Example], share: float
) -> npt.NDArray[np.float32]:
    blended = held_out.copy()
    for row, example in enumerate(examples):
        if example.prior is not None:
            blended[row] = (1 - share) * held_out[row] + share * np.asarray(example.prior)
    return blended


def _cross_validate(
    matrix: csr_matrix, labels: npt.NDArray[Any], weights: npt.NDArray[np.float64], groups: list[str],
    classes: Sequence[str], folds: int,
) -> npt.NDArray[np.float32]:  # fmt: skip
    """Probabilities of each example from a model that never saw it (or its group)."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    held_out = np.zeros((len(labels), len(classes)), dtype=np.float32)
    smallest = min(Counter(labels).values())
    if len(set(groups)) >= folds and all(groups):
        splits = GroupKFold(folds).split(matrix, labels, groups)
    elif smallest >= 2:
        splits = StratifiedKFold(min(folds, smallest), shuffle=True, random_state=0).split(
            matrix, labels
        )
    else:
        return np.full((len(labels), len(classes)), 1 / len(classes), dtype=np.float32)
    for train_rows, test_rows in splits:
        if len(set(labels[train_rows])) < 2:
            continue
        fitted = _fit(matrix[train_rows], labels[train_rows], weights[train_rows])
        probabilities = fitted.predict_proba(matrix[test_rows])
        for column, name in enumerate(fitted.classes_):
            held_out[test_rows, list(classes).index(name)] = probabilities[:, column]
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
