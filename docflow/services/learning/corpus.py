"""Training examples, and the sparse matrix of their features that training works on.

Examples are taken from an iterable a chunk at a time and their texts dropped once
hashed, so a training holds the texts of one chunk, never of the whole set. The matrix
grows in buffers that double when full: a large numpy buffer is its own memory mapping,
so the one it replaces goes back to the system at once, and pages not yet written take
no memory. Building from a list of per-chunk parts instead left the freed parts in the
heap (about twice the matrix in resident memory that the process never gave back).
Only the features that occur get a column (``columns``): a weight that no example
touches stays zero in training, so optimising it is memory spent for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from docflow.errors import MissingExtra
from docflow.services.learning import features

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

CHUNK = 100
"""Examples hashed at a time (hashing briefly needs some 40 bytes per byte of text)."""
RENUMBER_STEP = 1 << 20
INITIAL_CAPACITY = 1 << 20


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
class Corpus:
    """The examples without their texts: a row of hashed features each, in ``matrix``
    whose column j is feature ``columns[j]``, and what else training needs of them."""

    matrix: csr_matrix
    columns: npt.NDArray[np.intp]
    labels: list[str]
    weights: npt.NDArray[np.float64]
    groups: list[str]
    calibrate: npt.NDArray[np.bool_]
    priors: list[tuple[float, ...] | None]


class _Growing:
    def __init__(self, dtype: type) -> None:
        self.buffer: npt.NDArray[Any] = np.empty(INITIAL_CAPACITY, dtype=dtype)
        self.size = 0

    def extend(self, values: npt.NDArray[Any]) -> None:
        end = self.size + len(values)
        if end > len(self.buffer):
            grown = np.empty(max(end, 2 * len(self.buffer)), dtype=self.buffer.dtype)
            grown[: self.size] = self.buffer[: self.size]
            self.buffer = grown
        self.buffer[self.size : end] = values
        self.size = end

    def values(self) -> npt.NDArray[Any]:
        return self.buffer[: self.size]


def of(examples: Iterable[Example], bits: int) -> Corpus:
    try:
        from scipy import sparse
    except ImportError:  # using a model needs numpy alone; training needs SciPy too
        raise MissingExtra("training needs SciPy: pip install 'docflow[learn]'") from None
    data, indices = _Growing(np.float32), _Growing(np.int32)
    lengths = [np.zeros(1, dtype=np.int64)]
    occurs = np.zeros(1 << bits, dtype=bool)
    labels, weights, groups, calibrate = [], [], [], []
    priors: list[tuple[float, ...] | None] = []
    taken = iter(examples)
    while chunk := list(islice(taken, CHUNK)):
        found = features.hashed([e.text for e in chunk], bits)
        part = sparse.csr_matrix((found.scale[found.docs].astype(np.float32),
                                  (found.docs, found.indices)),
                                 shape=(found.count, 1 << bits), dtype=np.float32)  # fmt: skip
        data.extend(part.data)
        indices.extend(part.indices)
        occurs[part.indices] = True
        lengths.append(np.diff(part.indptr))
        for e in chunk:
            labels.append(e.category)
            weights.append(e.weight)
            groups.append(e.group)
            calibrate.append(e.calibrate)
            priors.append(e.prior)
    columns = np.flatnonzero(occurs)
    renumbered = np.zeros(1 << bits, dtype=np.int32)
    renumbered[columns] = np.arange(len(columns), dtype=np.int32)
    found_indices = indices.values()
    for start in range(0, len(found_indices), RENUMBER_STEP):  # in place, a slice at a time
        step = found_indices[start : start + RENUMBER_STEP]
        step[:] = renumbered[step]
    matrix = sparse.csr_matrix((data.values(), found_indices, np.cumsum(np.concatenate(lengths))),
                               shape=(len(labels), len(columns)))  # fmt: skip
    return Corpus(matrix, columns, labels, np.array(weights, dtype=np.float64), groups,
                  np.array(calibrate, dtype=bool), priors)  # fmt: skip
