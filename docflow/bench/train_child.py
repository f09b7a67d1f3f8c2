"""The child process of `docflow bench train`: one training, measured, as JSON on stdout.

``python -m docflow.bench.train_child TENANT_ID``, with the scratch database in the
environment. It imports only what training needs, so its peak memory is training's.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime

from docflow.bench.memory import peak_rss_mb
from docflow.db import open_database
from docflow.services.learning.store import tenant_scope
from docflow.settings import Settings
from docflow.training import train_scope


def main(tenant_id: int) -> None:
    settings = Settings.from_env()
    with open_database(settings):
        started = time.perf_counter()
        outcome = train_scope(settings, tenant_scope(tenant_id), tenant_id,
                              now=datetime.now(UTC), force=True)  # fmt: skip
        seconds = time.perf_counter() - started
    metrics = outcome.metrics or {}
    print(json.dumps({"status": outcome.status, "labels": outcome.labels, "seconds": seconds,
                      "peak_mb": peak_rss_mb(), "accuracy": metrics.get("accuracy")}))  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]))
