"""How well the classifier routes: on a folder of labelled documents, or on the labels.

A corpus is a folder with a sub-folder per category (or a ``manifest.tsv`` with ``path``
and ``category`` columns, and optionally ``language`` and ``format``). Every file is read
as an upload would be (sniffed, extracted in the sandbox) and classified as the workers
would, then scored:

* accuracy, per-category precision and recall, the confusion matrix;
* automatic: routed without review; right: automatic and the right category;
* wrong desk: routed without review to another destination than the true category's.

:func:`feedback` replays what an office lives through: the documents arrive in chunks in
a random order, each one sent to review is decided with its true label, and the tenant's
model is retrained after every chunk.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docflow.classification import with_evidence
from docflow.errors import DocflowError, InvalidArgument
from docflow.parse import CATEGORIES
from docflow.services.classifier import Classification
from docflow.services.extract import Reader
from docflow.services.extract.sniff import sniff
from docflow.services.learning.classifier import Item, LearnedClassifier
from docflow.services.learning.corpus import Example
from docflow.services.learning.features import document_text
from docflow.services.learning.model import LinearModel
from docflow.settings import MANUAL_REVIEW_ROUTE, Settings
from docflow.texttable import text_table
from docflow.training import fit


@dataclass(frozen=True)
class Doc:
    path: str
    category: str
    language: str
    format: str
    text: str
    filename: str
    content_type: str
    einvoice: bool = False


@dataclass
class Scores:
    routes: dict[str, str]
    rows: list[tuple[Doc, Classification]] = field(default_factory=list)

    def add(self, doc: Doc, result: Classification) -> None:
        self.rows.append((doc, result))

    def report(self) -> dict[str, Any]:
        n = max(len(self.rows), 1)
        auto = [(d, r) for d, r in self.rows if r.automatic]
        right = sum(1 for d, r in auto if r.category == d.category)
        wrong = sum(1 for d, r in auto if self.routes[r.category] != self.routes[d.category])
        desk = sum(1 for d, r in self.rows if self._destination(r) == self.routes[d.category])
        return {
            "documents": len(self.rows),
            "accuracy": round(sum(r.category == d.category for d, r in self.rows) / n, 3),
            "automatic": round(len(auto) / n, 3),
            "automatic_right": round(right / n, 3),
            "wrong_desk": round(wrong / n, 3),
            "right_desk_any_way": round(desk / n, 3),
            "per_category": self._per_category(),
            "confusion": self._confusion(),
        }

    def _destination(self, result: Classification) -> str:
        return self.routes[result.category] if result.automatic else MANUAL_REVIEW_ROUTE

    def _per_category(self) -> dict[str, dict[str, float | None]]:
        found: dict[str, dict[str, float | None]] = {}
        for category in CATEGORIES:
            chosen = [d for d, r in self.rows if r.category == category]
            actual = [r for d, r in self.rows if d.category == category]
            found[category] = {
                "documents": len(actual),
                "precision": round(sum(d.category == category for d in chosen) / len(chosen), 3) if chosen else None,
                "recall": round(sum(r.category == category for r in actual) / len(actual), 3) if actual else None,
            }  # fmt: skip
        return found

    def _confusion(self) -> dict[str, dict[str, int]]:
        counts = Counter((d.category, r.category) for d, r in self.rows)
        return {t: {p: counts[(t, p)] for p in CATEGORIES if counts[(t, p)]} for t in CATEGORIES}


def corpus_entries(folder: Path) -> list[tuple[Path, str, str, str]]:
    """(path, category, language, format) of every document of a corpus folder."""
    manifest = folder / "manifest.tsv"
    if manifest.exists():
        with manifest.open() as file:
            rows = list(csv.DictReader(file, delimiter="\t"))
        for line, r in enumerate(rows, 2):
            if not r.get("path") or r.get("category") not in CATEGORIES:
                raise InvalidArgument(f"{manifest}:{line}: needs a path and a category (one of "
                                      f"{', '.join(CATEGORIES)}), got {r.get('path')!r}, {r.get('category')!r}")  # fmt: skip
        return [
            (folder / r["path"], r["category"], r.get("language", ""), r.get("format", ""))
            for r in rows
        ]
    entries = [(p, d.name, "", "") for d in sorted(folder.iterdir()) if d.is_dir() and d.name in CATEGORIES
               for p in sorted(d.rglob("*")) if p.is_file()]  # fmt: skip
    if not entries:
        raise InvalidArgument(f"{folder}: no manifest.tsv and no sub-folder named after a category")
    return entries


def read_corpus(
    folder: Path, settings: Settings, say: Callable[[str], object] = print
) -> list[Doc]:
    """Every readable document of ``folder``, extracted as the workers would."""
    docs = []
    entries = corpus_entries(folder)
    with Reader(settings) as reader:
        for number, (path, category, language, kind) in enumerate(entries, 1):
            try:
                found = sniff(path.read_bytes())
                read = reader.read(str(path), found.format)
            except (DocflowError, OSError) as exc:
                say(f"  skipped {path.name}: {exc}")
                continue
            docs.append(Doc(str(path), category, language, kind or found.format, read.text,
                            path.name, found.mime, read.einvoice))  # fmt: skip
            if number % 50 == 0:
                say(f"  read {number} of {len(entries)}")
    return docs


def classify_all(classifier: LearnedClassifier, docs: Sequence[Doc]) -> list[Classification]:
    """As the workers classify: the model, then the evidence (e-invoice, zone)."""
    return _evidenced(classifier.classify_batch(_items(docs)), docs)


def _items(docs: Sequence[Doc]) -> list[Item]:
    return [Item(d.text, d.filename, d.content_type) for d in docs]


def _evidenced(found: Sequence[Classification], docs: Sequence[Doc]) -> list[Classification]:
    return [with_evidence(r, d.text, d.einvoice) for r, d in zip(found, docs, strict=True)]


def evaluate(docs: Sequence[Doc], settings: Settings) -> dict[str, Any]:
    """The shared (shipped) model with the keyword rules, as a tenant without labels gets."""
    scores = Scores(settings.routes)
    for doc, result in zip(docs, classify_all(LearnedClassifier(settings), docs), strict=True):
        scores.add(doc, result)
    report = scores.report()
    report["by_language"] = _breakdown(scores, lambda d: d.language or "?")
    report["by_format"] = _breakdown(scores, lambda d: d.format or "?")
    return report


def _breakdown(scores: Scores, key: Callable[[Doc], str]) -> dict[str, dict[str, Any]]:
    groups: dict[str, Scores] = {}
    for doc, result in scores.rows:
        groups.setdefault(key(doc), Scores(scores.routes)).add(doc, result)
    return {name: {k: v for k, v in s.report().items() if k not in ("per_category", "confusion")}
            for name, s in sorted(groups.items())}  # fmt: skip


def feedback(
    docs: Sequence[Doc], settings: Settings, *, chunk: int = 10, seed: int = 1,
    say: Callable[[str], object] = print,
) -> list[dict[str, Any]]:  # fmt: skip
    """Chunk by chunk: how each chunk was routed, deciding the reviewed ones and retraining."""
    order = list(docs)
    random.Random(seed).shuffle(order)
    classifier = LearnedClassifier(settings)
    own: list[Example] = []
    model: LinearModel | None = None
    series = []
    for start in range(0, len(order), chunk):
        part = order[start : start + chunk]
        results = _with_model(classifier, model, part)
        scores = Scores(settings.routes)
        for doc, result in zip(part, results, strict=True):
            scores.add(doc, result)
            if not result.automatic:  # an operator decides it: a label
                own.append(
                    Example(
                        document_text(doc.text, doc.filename, doc.content_type),
                        doc.category,
                        5.0,
                        doc.path,
                    )
                )
        report = scores.report()
        series.append({"after_decisions": len(own), "documents": start + len(part),
                       **{k: report[k] for k in ("automatic_right", "wrong_desk", "automatic")}})  # fmt: skip
        if len(own) >= settings.tenant_model_min_labels and len({e.category for e in own}) >= 2:
            model = fit(own, settings.target_precision, blended=False).model
        say(f"  {start + len(part)} documents, {len(own)} decisions: {series[-1]}")
    return series


def _with_model(
    classifier: LearnedClassifier, model: LinearModel | None, docs: Sequence[Doc]
) -> list[Classification]:
    if model is None:
        return classify_all(classifier, docs)
    return _evidenced(classifier.decide(model, _items(docs), own=True), docs)


def render(report: dict[str, Any]) -> str:
    """The report as text tables for the terminal."""
    lines = [
        f"{report['documents']} documents: accuracy {report['accuracy']:.1%}, routed automatically "
        f"{report['automatic']:.1%} (right {report['automatic_right']:.1%}, to a wrong desk "
        f"{report['wrong_desk']:.1%}); at the right desk in the end, reviewed ones included: "
        f"{report['right_desk_any_way']:.1%}",
        "",
        text_table(["category", "documents", "precision", "recall"],
                   [(c, v["documents"], v["precision"], v["recall"]) for c, v in report["per_category"].items()]),
        "",
        "confusion (rows: true category, columns: chosen)",
        text_table(["", *CATEGORIES], [(t, *(row.get(p, 0) for p in CATEGORIES))
                                       for t, row in report["confusion"].items()]),
    ]  # fmt: skip
    for part in ("by_language", "by_format"):
        rows = [(k, v["documents"], v["accuracy"], v["automatic_right"], v["wrong_desk"])
                for k, v in report.get(part, {}).items()]  # fmt: skip
        lines += ["", text_table([part.replace("by_", ""), "documents", "accuracy", "automatic right",
                                  "wrong desk"], rows)]  # fmt: skip
    if "feedback" in report:
        loop = [(s["documents"], s["after_decisions"], s["automatic_right"], s["wrong_desk"])
                for s in report["feedback"]]  # fmt: skip
        lines += ["", "feedback loop, chunk by chunk",
                  text_table(["documents", "decisions", "automatic right", "wrong desk"], loop)]  # fmt: skip
    return "\n".join(lines)
