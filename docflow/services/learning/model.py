"""A learned classifier as data: weights, classes and thresholds, never a pickle.

A model is a linear map from hashed features (:mod:`.features`) to one score per
category, turned into probabilities by a softmax. It is stored as one blob: a magic line,
a JSON header (format version, feature version, classes, thresholds, shapes, dtype, and
a SHA-256 of the rest of the header and the arrays) and the raw arrays. Loading checks every part, so a blob that is tampered
with, cut short, of another format (a pickle) or made for other features is refused with
the reason, and loading can never run code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from docflow.errors import ConfigError
from docflow.services.learning import features

MAGIC = b"DOCFLOW-LINEAR-MODEL\n"
FORMAT = 2
MAX_HEADER_BYTES = 1 << 20


class ModelRefused(ConfigError):
    """A stored model blob is not one DocFlow wrote for these features."""


@dataclass(frozen=True)
class LinearModel:
    classes: tuple[str, ...]
    weights: npt.NDArray[np.float32]
    """(2**bits, len(classes)): one row per feature bucket."""
    bias: npt.NDArray[np.float32]
    bits: int
    thresholds: dict[str, float] = field(default_factory=dict)
    """Per category, the probability at or above which it is routed without review."""

    def scores(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """Probabilities, one row per text, one column per class."""
        found = features.hashed(texts, self.bits)
        logits = np.zeros((found.count, len(self.classes)), dtype=np.float32)
        # A feature's weights are one row, read at once; within a run the features of a
        # text are neighbours, so reduceat sums them in one pass.
        for start, end in pairwise(found.runs):
            docs = found.docs[start:end]
            if not len(docs):
                continue
            first = np.flatnonzero(np.diff(docs, prepend=-1))
            logits[docs[first]] += np.add.reduceat(
                self.weights[found.indices[start:end]], first, axis=0
            )
        logits = logits * found.scale[:, None] + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probabilities: npt.NDArray[np.float32] = exp / exp.sum(axis=1, keepdims=True)
        return probabilities

    def to_blob(self) -> bytes:
        weights = np.ascontiguousarray(self.weights, dtype=np.float16)
        bias = np.ascontiguousarray(self.bias, dtype=np.float32)
        arrays = weights.tobytes() + bias.tobytes()
        header = {
            "format": FORMAT,
            "features": features.VERSION,
            "bits": self.bits,
            "classes": list(self.classes),
            "thresholds": self.thresholds,
            "weights": {"dtype": "float16", "shape": list(weights.shape)},
            "bias": {"dtype": "float32", "shape": list(bias.shape)},
        }
        header["sha256"] = _digest(header, arrays)
        encoded = json.dumps(header, sort_keys=True).encode()
        return MAGIC + len(encoded).to_bytes(4, "big") + encoded + arrays

    @classmethod
    def from_blob(cls, blob: bytes) -> LinearModel:
        if not blob.startswith(MAGIC):
            raise ModelRefused("not a DocFlow model (wrong magic bytes): refused, nothing loaded")
        size = int.from_bytes(blob[len(MAGIC) : len(MAGIC) + 4], "big")
        start = len(MAGIC) + 4
        if not 0 < size <= MAX_HEADER_BYTES:
            raise ModelRefused("model header has an impossible size: refused")
        try:
            header: dict[str, Any] = json.loads(blob[start : start + size])
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ModelRefused("model header is not JSON: refused") from None
        return _arrays(header, blob[start + size :])


def _digest(header: dict[str, Any], arrays: bytes) -> str:
    """The checksum covers the header too: edited thresholds or classes would route
    documents as surely as edited weights."""
    rest = {k: v for k, v in header.items() if k != "sha256"}
    return hashlib.sha256(json.dumps(rest, sort_keys=True).encode() + arrays).hexdigest()


def _arrays(header: dict[str, Any], data: bytes) -> LinearModel:
    if header.get("format") != FORMAT or header.get("features") != features.VERSION:
        raise ModelRefused(
            f"model of format {header.get('format')} / features {header.get('features')}, "
            f"this DocFlow reads {FORMAT} / {features.VERSION}: retrain (docflow classifier train)"
        )
    if _digest(header, data) != header.get("sha256"):
        raise ModelRefused(
            "model does not match its checksum (header or weights changed or cut short): refused"
        )
    try:
        classes = tuple(str(c) for c in header["classes"])
        bits = int(header["bits"])
        rows, columns = (int(n) for n in header["weights"]["shape"])
        if header["weights"]["dtype"] != "float16" or rows != 1 << bits or columns != len(classes):
            raise ValueError("weights of the wrong shape")
        split = rows * columns * 2
        if len(data) != split + 4 * columns:
            raise ValueError("arrays of the wrong size")
        weights = np.frombuffer(data[:split], dtype=np.float16).reshape(rows, columns)
        bias = np.frombuffer(data[split:], dtype=np.float32)
        thresholds = {str(k): float(v) for k, v in header.get("thresholds", {}).items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelRefused(f"model header is malformed ({exc}): refused") from None
    return LinearModel(classes, weights.astype(np.float32), bias.copy(), bits, thresholds)
