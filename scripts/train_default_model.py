"""Train the model DocFlow ships, for tenants without labels of their own.

    python scripts/train_default_model.py

From the generated samples (English, German, French; docflow/samples) and the real public
documents in docflow/services/learning/training.jsonl.gz (sources and licences in
training_manifest.tsv; scripts/split_corpus.py makes both). Thresholds for the precision
target come from cross-validated predictions on the real documents only, grouped by
source, so a model never calibrates on what it was fitted to. Writes
docflow/services/learning/default_model.bin and prints the held-out metrics; the real
evaluation is `docflow classifier evaluate --corpus data/eval`.
"""

from __future__ import annotations

import json
from pathlib import Path

from docflow.settings import Settings
from docflow.training import fit

TARGET = (
    Path(__file__).resolve().parent.parent
    / "docflow"
    / "services"
    / "learning"
    / "default_model.bin"
)


def main() -> None:
    settings = Settings.from_env()
    trained = fit([], settings.target_precision, blended=True)
    TARGET.write_bytes(trained.model.to_blob())
    print(json.dumps(trained.metrics, indent=2, default=float))
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
