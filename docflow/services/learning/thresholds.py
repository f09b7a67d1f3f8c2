"""Auto-routing by a precision target: per category, the lowest probability at which the
documents routed without review are right at least ``target`` of the time.

Estimated on held-out predictions (cross-validation), never on the documents a model
was fitted to: those it always gets right.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

NEVER = 1.01
"""A threshold no probability reaches: that category always waits for review."""
MIN_SUPPORT = 5
"""Fewer held-out predictions of a category than this, and it waits for review."""


def for_target(
    probabilities: npt.NDArray[np.float32],
    truth: Sequence[str],
    classes: Sequence[str],
    target: float,
) -> dict[str, float]:
    """Per category, the threshold meeting ``target`` precision (or NEVER)."""
    predicted = probabilities.argmax(axis=1)
    confidence = probabilities.max(axis=1)
    right = np.array([classes[p] == t for p, t in zip(predicted, truth, strict=True)])
    found: dict[str, float] = {}
    for index, category in enumerate(classes):
        mine = predicted == index
        found[category] = _lowest(confidence[mine], right[mine], target)
    return found


def _lowest(
    confidence: npt.NDArray[np.float32], right: npt.NDArray[np.bool_], target: float
) -> float:
    """Going down from the most confident, the last point where precision still holds."""
    if len(confidence) < MIN_SUPPORT:
        return NEVER
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(right[order])
    counted = np.arange(1, len(order) + 1)
    # Errors allowed at n predictions: as many as the target leaves, rounded down, so a
    # small sample cannot claim 98% from 10 lucky documents.
    allowed = np.floor((1 - target) * counted + 1e-9)
    holds = (counted - hits) <= allowed
    holds[: MIN_SUPPORT - 1] = False
    # A threshold admits every prediction at its value: cut only after the last of a tie.
    ranked = confidence[order]
    holds[:-1] &= ranked[:-1] > ranked[1:]
    ok = np.flatnonzero(holds)
    if not len(ok):
        return NEVER
    last = ok[-1]
    return float(confidence[order][last])


def automatic_share(
    probabilities: npt.NDArray[np.float32], classes: Sequence[str], thresholds: dict[str, float]
) -> float:
    """Share of documents that would be routed without review at these thresholds."""
    predicted = probabilities.argmax(axis=1)
    needed = np.array([thresholds.get(classes[p], NEVER) for p in predicted])
    return float((probabilities.max(axis=1) >= needed).mean()) if len(predicted) else 0.0
