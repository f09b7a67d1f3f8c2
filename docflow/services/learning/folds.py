"""Cross-validation folds: by group where examples come in groups, else by category.

An example of a group (one source, one template) must be held out with its whole group,
or the model is judged on near-copies of what it learnt from. Groups go to folds largest
first, each into the fold that holds the fewest examples so far (scikit-learn's
``GroupKFold``). Without groups, each category's examples are shuffled and dealt round the
folds, so every fold sees every category in proportion.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Fold = npt.NDArray[np.intp]
"""Which fold each example is held out in."""


def by_group(groups: Sequence[str], folds: int) -> Fold:
    names, group_of = np.unique(np.asarray(groups), return_inverse=True)
    sizes = np.bincount(group_of)
    # scikit-learn's order, ties included: the same examples make the same folds as there
    order = np.argsort(sizes, kind="stable")[::-1]
    held = np.zeros(folds, dtype=np.int64)
    fold_of = np.zeros(len(names), dtype=np.intp)
    for group in order:
        fold_of[group] = held.argmin()
        held[fold_of[group]] += sizes[group]
    return fold_of[group_of]


def by_category(labels: Sequence[str], folds: int, seed: int = 0) -> Fold:
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(labels), dtype=np.intp)
    start = 0
    for category in sorted(set(labels)):
        members = np.flatnonzero(np.asarray(labels) == category)
        rng.shuffle(members)
        fold[members] = (start + np.arange(len(members))) % folds
        start += len(members)
    return fold
