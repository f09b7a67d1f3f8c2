"""`docflow bench classifier`: how fast the learned classifier decides, against the keyword
rules, in this process, on plain-text documents: no database, no queue, no extraction.

The learned classifier runs as a worker runs it for a tenant without a model of its own:
the shipped model blended with the keyword rules, a batch at a time. The keyword rules
run as a worker runs them, one ``classify`` per document (they have no batch method).
Both warm up once, then alternate over ``rounds`` (keyword first in even rounds, learned
first in odd ones), and each is reported as its best round.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from docflow import samples
from docflow.bench.classify import Measurement
from docflow.bench.memory import peak_rss_mb
from docflow.bench.workload import in_turn
from docflow.errors import ConfigError
from docflow.services.classifier import Classification, KeywordClassifier
from docflow.services.learning.classifier import Item, LearnedClassifier
from docflow.services.learning.store import shipped_model
from docflow.settings import Settings

TARGET = 10_000
"""Learned docs/s one worker must reach (the issue's target)."""
KEYWORD, LEARNED = "keyword rules, one classify() per document", "learned, shipped model + keywords"

Decide = Callable[[Sequence[Item]], list[Classification]]


@dataclass
class Report:
    documents: int
    batch_size: int
    rounds: int
    measurements: list[Measurement] = field(default_factory=list)
    peak_rss_mb: float = 0.0

    def best(self, name: str) -> Measurement:
        return max((m for m in self.measurements if m.name == name), key=lambda m: m.per_second)


def documents(count: int, seed: int = 1) -> list[Item]:
    """Generated texts, every category in every language in turn, the same each run."""
    rng = random.Random(seed)
    made = (samples.sample(rng, category, language) for category, language in in_turn(count))
    return [Item(m.text, m.filename, m.content_type) for m in made]


def deciders(settings: Settings) -> dict[str, Decide]:
    model = shipped_model()
    if model is None:
        raise ConfigError("no shipped model (default_model.bin) to benchmark")
    keyword, learned = KeywordClassifier(settings), LearnedClassifier(settings)

    def by_keywords(batch: Sequence[Item]) -> list[Classification]:
        return [keyword.classify(i.text, filename=i.filename, content_type=i.content_type)
                for i in batch]  # fmt: skip

    def by_model(batch: Sequence[Item]) -> list[Classification]:
        return learned.decide(model, batch, own=False)

    return {KEYWORD: by_keywords, LEARNED: by_model}


def timed(name: str, decide: Decide, batches: list[list[Item]]) -> Measurement:
    started = time.perf_counter()
    done = sum(len(decide(batch)) for batch in batches)
    return Measurement(name, done, time.perf_counter() - started)


def run(*, count: int, batch_size: int, rounds: int, say: Callable[[str], Any] = print) -> Report:
    say(f"generating {count} plain-text documents ...")
    items = documents(count)
    batches = [items[i : i + batch_size] for i in range(0, count, batch_size)]
    runs = deciders(Settings.from_env({}))
    say("warming up (one batch each, untimed) ...")
    for decide in runs.values():
        decide(batches[0])
    report = Report(count, batch_size, rounds)
    for number in range(rounds):
        order = [KEYWORD, LEARNED] if number % 2 == 0 else [LEARNED, KEYWORD]
        for name in order:
            say(f"round {number + 1}/{rounds}: {name} ...")
            report.measurements.append(timed(name, runs[name], batches))
    report.peak_rss_mb = peak_rss_mb()
    return report


def render(report: Report) -> str:
    keyword, learned = report.best(KEYWORD), report.best(LEARNED)
    verdict = "meets" if learned.per_second >= TARGET else "misses"
    lines = [
        f"classification speed in one process, {report.documents} plain-text documents in "
        f"batches of {report.batch_size} (best of {report.rounds} alternating rounds)",
        f"{'run':<44} {'docs':>8} {'seconds':>9} {'docs/s':>10}",
    ]
    for m in (keyword, learned):
        lines.append(f"{m.name:<44} {m.documents:>8} {m.seconds:>9.2f} {m.per_second:>10.0f}")
    lines += [
        f"learned/keyword = {learned.per_second / keyword.per_second:.2f}   "
        f"peak RSS of this process {report.peak_rss_mb:.0f} MB",
        f"target: learned >= {TARGET:,} docs/s per worker: {verdict} "
        f"({learned.per_second:,.0f} docs/s)",
    ]
    return "\n".join(lines)
