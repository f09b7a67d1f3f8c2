"""Limited-memory BFGS in float32, for objectives with millions of parameters.

SciPy's L-BFGS-B keeps its vectors in float64 and ten correction pairs: for a model of
2**18 features by six categories that is some 300 MB of state, which alone breaks the
training memory budget. This one keeps ``memory`` pairs in float32 and reuses every buffer,
so its state is ``2 * memory + 4`` vectors of the parameters' size. The search direction
comes from the standard two-loop recursion, the step from a backtracking line search on
the Armijo condition; a pair that would break positive curvature is not kept.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]
Objective = Callable[[Vector, Vector], float]
"""``f(x, gradient)``: the value at ``x``, with the gradient written into ``gradient``."""

ARMIJO = 1e-4
BACKTRACKS = 30


@dataclass(frozen=True)
class Result:
    x: Vector
    value: float
    iterations: int
    converged: bool


def minimise(
    objective: Objective, x: Vector, *, gtol: float, max_iter: int, memory: int = 5,
    ftol: float = 1e-7,
) -> Result:  # fmt: skip
    """Minimise from ``x`` (its buffer is reused) until the largest gradient component is at
    most ``gtol``, the value stops falling by more than ``ftol`` relatively, or
    ``max_iter`` iterations."""
    gradient = np.empty_like(x)
    value = objective(x, gradient)
    direction, trial, trial_gradient = np.empty_like(x), np.empty_like(x), np.empty_like(x)
    pairs: deque[tuple[Vector, Vector, float]] = deque()
    spare: list[tuple[Vector, Vector]] = []
    for iteration in range(max_iter):
        if float(np.abs(gradient).max()) <= gtol:
            return Result(x, value, iteration, True)
        _direction(gradient, pairs, direction)
        slope = float(np.dot(gradient, direction))
        if slope >= 0:  # not a descent direction: start again from steepest descent
            pairs.clear()
            np.negative(gradient, out=direction)
            slope = -float(np.dot(gradient, gradient))
        step = 1.0 if pairs else min(1.0, 1.0 / float(np.linalg.norm(gradient)))
        for _ in range(BACKTRACKS):
            np.multiply(direction, np.float32(step), out=trial)
            trial += x
            trial_value = objective(trial, trial_gradient)
            if trial_value <= value + ARMIJO * step * slope:
                break
            step /= 2
        else:
            return Result(x, value, iteration, False)
        s, y = spare.pop() if spare else (np.empty_like(x), np.empty_like(x))
        np.subtract(trial, x, out=s)
        np.subtract(trial_gradient, gradient, out=y)
        curvature = float(np.dot(s, y))
        if curvature > 1e-10:
            if len(pairs) == memory:
                oldest_s, oldest_y, _ = pairs.popleft()
                spare.append((oldest_s, oldest_y))
            pairs.append((s, y, 1.0 / curvature))
        else:
            spare.append((s, y))
        fell = value - trial_value
        x, trial = trial, x
        gradient, trial_gradient = trial_gradient, gradient
        value = trial_value
        if fell <= ftol * max(abs(value), 1.0):
            return Result(x, value, iteration + 1, True)
    return Result(x, value, max_iter, False)


def _direction(gradient: Vector, pairs: deque[tuple[Vector, Vector, float]], out: Vector) -> None:
    """``-H gradient``, with H the inverse Hessian the kept pairs estimate."""
    out[:] = gradient
    alphas = []
    for s, y, rho in reversed(pairs):
        alpha = rho * float(np.dot(s, out))
        out -= np.float32(alpha) * y
        alphas.append(alpha)
    if pairs:
        s, y, _ = pairs[-1]
        out *= np.float32(float(np.dot(s, y)) / float(np.dot(y, y)))
    for (s, y, rho), alpha in zip(pairs, reversed(alphas), strict=True):
        beta = rho * float(np.dot(y, out))
        out += np.float32(alpha - beta) * s
    np.negative(out, out=out)
