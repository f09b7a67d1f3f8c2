"""The trainer's own parts: L-BFGS, the logistic regression it fits, the folds and the
feature matrix built without the texts."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from docflow.services.learning import corpus, features, folds, lbfgs, softmax
from docflow.services.learning.corpus import Example


def test_lbfgs_finds_the_minimum_of_a_badly_scaled_quadratic():
    scale = np.array([1.0, 10.0, 100.0, 1000.0], dtype=np.float32)
    centre = np.array([3.0, -2.0, 0.5, 1.0], dtype=np.float32)

    def objective(x, gradient):
        gradient[:] = scale * (x - centre)
        return float(0.5 * np.sum(scale * (x - centre) ** 2))

    result = lbfgs.minimise(objective, np.zeros(4, dtype=np.float32), gtol=1e-4, max_iter=200,
                            ftol=0.0)  # fmt: skip
    assert result.converged
    np.testing.assert_allclose(result.x, centre, atol=1e-3)


def test_lbfgs_stops_at_max_iter_without_claiming_convergence():
    def objective(x, gradient):
        gradient[:] = 2 * x
        return float(x @ x)

    result = lbfgs.minimise(objective, np.full(3, 100.0, dtype=np.float32), gtol=0.0,
                            max_iter=1, ftol=0.0)  # fmt: skip
    assert (result.iterations, result.converged) == (1, False)


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    dense = (rng.random((60, 8)) < 0.4) * rng.random((60, 8))
    labels = (dense[:, :3].argmax(axis=1)).astype(np.intp)
    return sparse.csr_matrix(dense.astype(np.float32)), labels


def test_softmax_gradient_is_zero_where_it_stops():
    """At the returned weights the objective (weighted log loss plus the L2 term) cannot
    be lowered along any coordinate: a central difference of it is ~0 everywhere."""
    matrix, labels = _problem()
    weights = np.linspace(0.5, 2.0, len(labels))
    coef, bias = softmax.fit(matrix, labels, weights, 3, regularisation=5.0, tol=1e-6,
                             max_iter=2000)  # fmt: skip

    def objective(c, b):
        p = softmax.probabilities(matrix, c, b).astype(np.float64)
        loss = -np.log(p[np.arange(len(labels)), labels])
        return weights @ loss / weights.sum() + (c.astype(np.float64) ** 2).sum() / (
            2 * 5.0 * weights.sum()
        )

    h = np.float32(1e-2)
    for row, column in [(0, 0), (3, 1), (7, 2)]:
        up, down = coef.copy(), coef.copy()
        up[row, column] += h
        down[row, column] -= h
        assert abs(objective(up, bias) - objective(down, bias)) / (2 * h) < 1e-3
    assert (softmax.probabilities(matrix, coef, bias).argmax(axis=1) == labels).mean() > 0.9


def test_a_row_of_weight_zero_is_as_if_it_were_not_there():
    matrix, labels = _problem(1)
    weights = np.ones(len(labels))
    weights[::4] = 0.0
    kept = weights > 0
    with_zeros = softmax.fit(matrix, labels, weights, 3, regularisation=5.0)
    without = softmax.fit(matrix[kept], labels[kept], weights[kept], 3, regularisation=5.0)
    np.testing.assert_allclose(with_zeros[0], without[0], atol=1e-4)
    np.testing.assert_allclose(with_zeros[1], without[1], atol=1e-4)


def test_a_class_without_weighted_rows_is_never_chosen():
    matrix, labels = _problem(2)
    weights = np.where(labels == 2, 0.0, 1.0)
    coef, bias = softmax.fit(matrix, labels, weights, 4, regularisation=5.0)
    assert bias[2] == bias[3] == softmax.ABSENT_BIAS
    assert not coef[:, [2, 3]].any()
    assert set(softmax.probabilities(matrix, coef, bias).argmax(axis=1)) <= {0, 1}


def test_group_folds_keep_a_group_together_and_balance_sizes():
    groups = ["a"] * 5 + ["b"] * 3 + ["c"] * 3 + ["d"] * 2 + ["e"]
    fold = folds.by_group(groups, 3)
    for group in set(groups):
        assert len({int(f) for f, g in zip(fold, groups, strict=True) if g == group}) == 1
    assert sorted(np.bincount(fold, minlength=3)) == [4, 5, 5]


def test_category_folds_spread_every_category_over_the_folds():
    labels = ["x"] * 8 + ["y"] * 4
    fold = folds.by_category(labels, 4)
    for category in "xy":
        counts = np.bincount(fold[np.array(labels) == category], minlength=4)
        assert counts.max() - counts.min() == 0
    assert np.array_equal(fold, folds.by_category(labels, 4))


@pytest.mark.parametrize("chunk", [1, 3, 250])
def test_corpus_matrix_is_the_hashed_features_whatever_the_chunking(monkeypatch, chunk):
    monkeypatch.setattr(corpus, "CHUNK", chunk)
    monkeypatch.setattr(corpus, "RENUMBER_STEP", 7)
    monkeypatch.setattr(corpus, "INITIAL_CAPACITY", 5)  # grown several times
    texts = ["Invoice 42 total due", "Rechnung Nr. 7, Betrag fällig", "", "Dear Ms Smith,"] * 2
    found = corpus.of((Example(t, "invoice", group=f"g{i}") for i, t in enumerate(texts)), 10)
    expected = features.hashed(texts, 10)
    full = sparse.csr_matrix(
        (expected.scale[expected.docs], (expected.docs, expected.indices)), shape=(8, 1 << 10)
    ).toarray()
    rebuilt = np.zeros_like(full)
    rebuilt[:, found.columns] = found.matrix.toarray()
    np.testing.assert_allclose(rebuilt, full, rtol=1e-6)
    assert not full[:, np.setdiff1d(np.arange(1 << 10), found.columns)].any()
    assert found.groups == [f"g{i}" for i in range(8)] and found.labels == ["invoice"] * 8
