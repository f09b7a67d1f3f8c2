"""The learned classifier: the tenant's own model, else the shared one, with thresholds
that route automatically only at the precision DOCFLOW_TARGET_PRECISION asks for.

While a scope has no model of its own (no labels yet), the shared model's probabilities
are blended with the keyword rules (:class:`~docflow.services.classifier.KeywordClassifier`),
which know a few strong words in English. Documents are scored a batch at a time
(:meth:`LearnedClassifier.classify_batch`), which is what keeps it fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from docflow.parse import CATEGORIES
from docflow.services.classifier import Classification, keyword_scores
from docflow.services.learning import thresholds
from docflow.services.learning.features import document_text
from docflow.services.learning.model import LinearModel
from docflow.services.learning.store import SHARED, ModelStore, tenant_scope
from docflow.settings import Settings

KEYWORD_SHARE = 0.3
"""How much the keyword rules count against the shared model, while no labels exist."""
_KEYWORD_SHARPNESS = 0.25


@dataclass(frozen=True)
class Item:
    text: str
    filename: str
    content_type: str
    tenant: int | None = None


def keyword_distributions(documents: Iterable[tuple[str, str, str]]) -> np.ndarray:
    """The keyword rules' scores as probabilities over CATEGORIES (a softmax), one row per
    (text, filename, content type), computed for the whole batch at once."""
    rows = [
        keyword_scores(text, filename=name, content_type=kind) for text, name, kind in documents
    ]
    values = np.array([[row[c] for c in CATEGORIES] for row in rows], dtype=np.float64)
    values = values.reshape(-1, len(CATEGORIES)) * _KEYWORD_SHARPNESS
    values = np.exp(values - values.max(axis=1, keepdims=True))
    distributions: np.ndarray = values / values.sum(axis=1, keepdims=True)
    return distributions


class LearnedClassifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = ModelStore(settings.model_check_seconds)

    def classify(self, text: str, *, filename: str, content_type: str) -> Classification:
        return self.classify_batch([Item(text, filename, content_type)])[0]

    def classify_batch(self, items: Sequence[Item]) -> list[Classification]:
        results: list[Classification | None] = [None] * len(items)
        by_scope: dict[str, list[int]] = {}
        for index, item in enumerate(items):
            by_scope.setdefault(self._scope(item.tenant), []).append(index)
        for scope, indexes in by_scope.items():
            model = self.store.model(scope)
            chosen = [items[i] for i in indexes]
            decided = self.decide(model, chosen, own=scope != SHARED)
            for index, result in zip(indexes, decided, strict=True):
                results[index] = result
        return [r for r in results if r is not None]

    def _scope(self, tenant: int | None) -> str:
        if tenant is None or self.settings.classifier_scope != "tenant":
            return SHARED
        scope = tenant_scope(tenant)
        return scope if self.store.model(scope) is not None else SHARED

    def decide(
        self, model: LinearModel | None, items: Sequence[Item], *, own: bool
    ) -> list[Classification]:
        """Classify with ``model``; a scope's ``own`` model is not blended with keywords."""
        keyword = keyword_distributions((i.text, i.filename, i.content_type) for i in items)
        if model is None:
            probabilities, limits = keyword, {}
        else:
            texts = [document_text(i.text, i.filename, i.content_type) for i in items]
            learned = _in_category_order(model, model.scores(texts))
            probabilities = (
                learned if own else (1 - KEYWORD_SHARE) * learned + KEYWORD_SHARE * keyword
            )
            limits = model.thresholds
        return _classifications(probabilities, limits)


def _in_category_order(model: LinearModel, scores: np.ndarray) -> np.ndarray:
    columns = [model.classes.index(c) if c in model.classes else -1 for c in CATEGORIES]
    ordered = np.zeros((len(scores), len(CATEGORIES)), dtype=np.float32)
    for target, source in enumerate(columns):
        if source >= 0:
            ordered[:, target] = scores[:, source]
    return ordered


def _classifications(probabilities: np.ndarray, limits: dict[str, float]) -> list[Classification]:
    """One classification per row, its three best categories as suggestions; numpy ranks
    the whole batch at once, as ranking row by row cost a tenth of the batch's time."""
    order = np.argsort(-probabilities, axis=1)[:, :3]
    top = np.take_along_axis(probabilities, order, axis=1).astype(np.float64).tolist()
    found = []
    for ranked, scores in zip(order.tolist(), top, strict=True):
        names = [CATEGORIES[i] for i in ranked]
        best, confidence = names[0], scores[0]
        suggestions = tuple((c, round(p, 4)) for c, p in zip(names, scores, strict=True))
        automatic = confidence >= limits.get(best, thresholds.NEVER)
        found.append(Classification(best, confidence, suggestions, automatic))
    return found
