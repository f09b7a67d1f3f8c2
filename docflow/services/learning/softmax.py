"""Multinomial logistic regression with L2 regularisation, fitted by :mod:`.lbfgs`.

The objective is scikit-learn's ``LogisticRegression`` (which trained DocFlow's models
before): the weighted mean log loss plus ``||W||² / (2 C Σw)``, the bias unregularised. It
is computed in float32 over the sparse matrix, two sparse products per evaluation. Rows of
weight zero take no part, so a cross-validation fold is the one matrix with its held-out
rows weighted zero rather than a copy of it; a category no weighted row has is left out
and gets a bias that keeps it from ever being chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from docflow.services.learning import lbfgs

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

ABSENT_BIAS = -20.0
F32 = npt.NDArray[np.float32]


def fit(
    matrix: csr_matrix, labels: npt.NDArray[np.intp], weights: npt.NDArray[np.float64],
    classes: int, *, regularisation: float, tol: float = 1e-4, max_iter: int = 300,
) -> tuple[F32, F32]:  # fmt: skip
    """Weights (one column per class) and biases of the model of ``labels``, class
    indices below ``classes``."""
    present = np.unique(labels[weights > 0])
    position = np.full(classes, -1, dtype=np.intp)
    position[present] = np.arange(len(present))
    total = float(weights.sum())
    share = weights / total
    share32 = share.astype(np.float32)
    rows = np.arange(matrix.shape[0])
    mine = position[labels].clip(min=0)  # a row of an absent class has weight zero
    width, kinds = matrix.shape[1], len(present)
    size = width * kinds
    penalty = 1.0 / (regularisation * total)

    def objective(x: F32, gradient: F32) -> float:
        coef, bias = x[:size].reshape(width, kinds), x[size:]
        z = matrix @ coef
        z += bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        sums = p.sum(axis=1)
        loss = np.log(sums) - z[rows, mine]
        flat = x[:size]
        value = float(share @ loss.astype(np.float64)) + penalty / 2 * float(flat @ flat)
        p /= sums[:, None]
        p[rows, mine] -= 1
        p *= share32[:, None]
        gradient[:size].reshape(width, kinds)[...] = matrix.T @ p
        gradient[:size] += np.float32(penalty) * flat
        gradient[size:] = p.sum(axis=0)
        return value

    found = lbfgs.minimise(objective, np.zeros(size + kinds, dtype=np.float32), gtol=tol,
                           max_iter=max_iter).x  # fmt: skip
    coef = np.zeros((width, classes), dtype=np.float32)
    bias = np.full(classes, ABSENT_BIAS, dtype=np.float32)
    coef[:, present] = found[:size].reshape(width, kinds)
    bias[present] = found[size:]
    return coef, bias


def probabilities(matrix: csr_matrix, coef: F32, bias: F32) -> F32:
    z = matrix @ coef
    z += bias
    z -= z.max(axis=1, keepdims=True)
    p: F32 = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return p
