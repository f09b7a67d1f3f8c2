"""`docflow bench train`: how long a tenant's training takes and how much memory it needs,
on ``labels`` labelled documents, against the limits of 30 s and 300 MB.

Scratch data only: a temporary folder with a SQLite database, one tenant, and documents
with their read text and a label each. Real documents are longer than the generated
samples, so each text is several samples of one category and language, at least as long
as what the model reads. Training runs in a child process (``train_child``), so that its
peak memory is training's own and not the seeding's; each round is one child.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docflow import samples, seed
from docflow.bench.workload import bench_settings, in_turn
from docflow.db import insert_rows, open_database, write_transaction
from docflow.errors import ClassificationError
from docflow.migrations import migrate
from docflow.models import (
    Document,
    DocumentContent,
    DocumentStatus,
    Label,
    LabelSource,
    to_db_time,
    utcnow,
)
from docflow.services.extract.result import DECODED
from docflow.services.learning.features import MAX_CHARS
from docflow.settings import Settings

LIMIT_SECONDS = 30.0
LIMIT_MB = 300.0
CHUNK = 2_000


@dataclass(frozen=True)
class Training:
    seconds: float
    """train_scope alone, timed in the child."""
    wall_seconds: float
    """The child from start to exit: Python, imports, training."""
    peak_mb: float
    accuracy: float | None
    status: str


@dataclass
class Report:
    labels: int
    rounds: int
    seed_seconds: float = 0.0
    runs: list[Training] = field(default_factory=list)

    def fastest(self) -> Training:
        return min(self.runs, key=lambda t: t.seconds)

    def peak_mb(self) -> float:
        """The highest of the rounds: a limit on memory must hold every time."""
        return max(t.peak_mb for t in self.runs)


def texts(count: int, seed: int = 1) -> Iterator[tuple[samples.Sample, str]]:
    """Each document's first sample (its category, language, file name) and its text,
    every category in every language in turn."""
    rng = random.Random(seed)
    for category, language in in_turn(count):
        first = samples.sample(rng, category, language)
        parts, length = [first.text], len(first.text)
        while length < MAX_CHARS:
            parts.append(samples.sample(rng, category, language).text)
            length += len(parts[-1]) + 2
        yield first, "\n\n".join(parts)


def seed_labelled(count: int, say: Callable[[str], Any]) -> int:
    """One tenant with ``count`` read and labelled documents; its id."""
    now = utcnow()
    stamp = to_db_time(now)
    tenant = seed.ensure_tenants(1, now)[0]
    D, C, L = Document, DocumentContent, Label
    made = texts(count)
    for start in range(0, count, CHUNK):
        documents, contents, labels = [], [], []
        for doc_id in range(start + 1, min(start + CHUNK, count) + 1):
            sample, text = next(made)
            documents.append((doc_id, tenant.id, sample.filename, sample.content_type,
                              len(text.encode()), f"{tenant.name}/bench/{doc_id}.txt",
                              DocumentStatus.CLASSIFIED, sample.category, 0, stamp, stamp))  # fmt: skip
            contents.append((doc_id, text, "text", DECODED, 1, sample.language, False, stamp))
            labels.append((doc_id, tenant.id, sample.category, LabelSource.IMPORT, "bench", stamp))
        # Ids given, not generated: the database is new, and the three tables share them.
        with write_transaction():
            insert_rows(D, [D.id, D.tenant, D.filename, D.content_type, D.size_bytes,
                            D.storage_path, D.status, D.category, D.retry_count, D.created_at,
                            D.updated_at], documents)  # fmt: skip
            insert_rows(C, [C.document, C.text, C.format, C.method, C.pages, C.language,
                            C.einvoice, C.extracted_at], contents)  # fmt: skip
            insert_rows(L, [L.document, L.tenant, L.category, L.source, L.actor, L.at], labels)
        say(f"seeded {start + len(documents)}/{count} labelled documents")
    return int(tenant.id)


def train_in_child(settings: Settings, tenant_id: int) -> Training:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env.update(settings.env())
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "docflow.bench.train_child", str(tenant_id)],
                          env=env, capture_output=True, text=True, check=False)  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode != 0:
        # The child's last line is its error (a traceback ends with it); the rest is noise here.
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ClassificationError(
            f"training failed in its child process (exit {done.returncode}): {last}"
        )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return Training(found["seconds"], wall, found["peak_mb"], found["accuracy"], found["status"])


def run(*, labels: int, rounds: int, say: Callable[[str], Any] = print) -> Report:
    workdir = Path(tempfile.mkdtemp(prefix="docflow-bench-"))
    try:
        base = bench_settings(workdir, f"sqlite:///{workdir / 'bench.sqlite3'}",
                              Settings.from_env({}).redis_url)  # fmt: skip
        settings = Settings.from_env({**base.env(), "DOCFLOW_CLASSIFIER_SCOPE": "tenant",
                                      "DOCFLOW_TENANT_MODEL_MIN_LABELS": "1"})  # fmt: skip
        report = Report(labels, rounds)
        started = time.perf_counter()
        # Closed before training: the child is the only one using the database then.
        with open_database(settings) as db:
            migrate(db)
            say(f"seeding {labels} labelled documents in {workdir} ...")
            tenant_id = seed_labelled(labels, say)
        report.seed_seconds = time.perf_counter() - started
        for number in range(1, rounds + 1):
            say(f"round {number}/{rounds}: training in a child process ...")
            report.runs.append(train_in_child(settings, tenant_id))
        return report
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def render(report: Report) -> str:
    best, peak = report.fastest(), report.peak_mb()
    accuracy = f"{best.accuracy:.3f}" if best.accuracy is not None else "none"

    def verdict(value: float, limit: float) -> str:
        return "meets" if value <= limit else "misses"

    return "\n".join([
        f"training on {report.labels} labelled documents of one tenant (best of "
        f"{report.rounds} round(s); seeding took {report.seed_seconds:.1f} s)",
        f"{'measure':<40} {'value':>10} {'limit':>10}  verdict",
        f"{'training seconds (train_scope)':<40} {best.seconds:>10.1f} {LIMIT_SECONDS:>10.0f}  "
        f"{verdict(best.seconds, LIMIT_SECONDS)}",
        f"{'peak memory of the child, MB':<40} {peak:>10.0f} {LIMIT_MB:>10.0f}  "
        f"{verdict(peak, LIMIT_MB)}",
        f"child wall time, imports included: {best.wall_seconds:.1f} s   status: {best.status}   "
        f"cross-validated accuracy: {accuracy}",
    ])  # fmt: skip
