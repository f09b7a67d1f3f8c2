"""Split collected real documents into the evaluation set and the shipped training texts.

    python scripts/split_corpus.py CORPUS_DIR [CORPUS_DIR ...]

Each CORPUS_DIR holds files and a manifest.tsv (path, category, language, format, source,
licence, label_confidence, note, sha256), as collected from package registries' test
fixtures. Documents are grouped by (source package, category), so near-copies (a PDF
and its PNG) stay together, and the groups are dealt out to evaluation and training in
turn, per category, in a fixed pseudo-random order. GPL documents go to evaluation only:
their text is not shipped inside DocFlow. Non-free documents are left out altogether.

Writes data/eval/ (the files and their manifest: documents never trained on) and
docflow/services/learning/training.jsonl.gz with training_manifest.tsv (the extracted
texts DocFlow trains its shipped model and every tenant model on, with source and licence).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

from docflow.errors import DocflowError
from docflow.services.extract import Reader
from docflow.services.extract.sniff import sniff
from docflow.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "data" / "eval"
LEARNING = ROOT / "docflow" / "services" / "learning"
MAX_FILE_BYTES = 3_000_000
"""Larger files stay out of the repository (one would be a third of the set's bytes)."""
FIELDS = (
    "path",
    "category",
    "language",
    "format",
    "source",
    "licence",
    "label_confidence",
    "note",
    "sha256",
)


def package(row: dict[str, str]) -> str:
    parts = row["source"].split(":")
    return parts[1].split("==")[0] if len(parts) > 1 else row["source"]


def rows_of(folders: list[Path]) -> list[tuple[Path, dict[str, str]]]:
    found, seen = [], set()
    for folder in folders:
        with (folder / "manifest.tsv").open() as file:
            for row in csv.DictReader(file, delimiter="\t"):
                too_big = (folder / row["path"]).stat().st_size > MAX_FILE_BYTES
                # Non-free files may be used here but not redistributed with DocFlow.
                non_free = "non-free" in row["licence"]
                if row["sha256"] not in seen and not too_big and not non_free:
                    seen.add(row["sha256"])
                    found.append((folder, row))
    return found


def split(rows: list[tuple[Path, dict[str, str]]]) -> tuple[list, list]:
    groups: dict[tuple[str, str], list] = {}
    for folder, row in rows:
        groups.setdefault((package(row), row["category"]), []).append((folder, row))
    evaluation, training = [], []
    counts: dict[str, dict[str, int]] = {"eval": {}, "train": {}}
    order = sorted(groups, key=lambda g: hashlib.sha256(repr(g).encode()).hexdigest())
    for key in order:
        members = groups[key]
        category = key[1]
        gpl = any("GPL" in r["licence"] and "LGPL" not in r["licence"] for _, r in members)
        side = "eval" if gpl else min(("eval", "train"), key=lambda s: counts[s].get(category, 0))
        counts[side][category] = counts[side].get(category, 0) + len(members)
        (evaluation if side == "eval" else training).extend(members)
    return evaluation, training


def write_eval(rows: list) -> None:
    if EVAL.exists():
        shutil.rmtree(EVAL)
    EVAL.mkdir(parents=True)
    with (EVAL / "manifest.tsv").open("w") as out:
        writer = csv.DictWriter(out, FIELDS, delimiter="\t", extrasaction="ignore")
        writer.writeheader()
        for folder, row in rows:
            target = EVAL / row["path"].removeprefix("docs/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / row["path"], target)
            writer.writerow({**row, "path": str(target.relative_to(EVAL))})


def write_training(rows: list, settings: Settings) -> None:
    lines, kept = [], []
    with tempfile.TemporaryDirectory() as scratch, Reader(settings, scratch) as reader:
        for folder, row in rows:
            path = folder / row["path"]
            try:
                kind = sniff(path.read_bytes())
                text = reader.read(str(path), kind.format).text
            except (DocflowError, OSError) as exc:
                print(f"training: skipped {path.name}: {exc}", file=sys.stderr)
                continue
            lines.append(json.dumps({"text": text, "category": row["category"], "filename": path.name,
                                     "content_type": kind.mime, "group": package(row),
                                     "language": row["language"]}, ensure_ascii=False))  # fmt: skip
            kept.append(row)
    (LEARNING / "training.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode(), mtime=0))
    with (LEARNING / "training_manifest.tsv").open("w") as out:
        writer = csv.DictWriter(out, FIELDS, delimiter="\t", extrasaction="ignore")
        writer.writeheader()
        writer.writerows({**r, "path": Path(r["path"]).name} for r in kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    args = parser.parse_args()
    evaluation, training = split(rows_of(args.corpora))
    write_eval(evaluation)
    write_training(training, Settings.from_env({}))
    print(f"evaluation: {len(evaluation)} documents in {EVAL}; training: {len(training)} texts")


if __name__ == "__main__":
    main()
