"""What each tab looks like, pinned as SVG snapshots (pytest-textual-snapshot).

The data is fixed (tests.console.dataset), the backend's clock is frozen and the queue
prefix is fixed, so the only thing that can change a snapshot is the rendering itself.
Regenerate after an intended change: scripts/test tests/console/test_snapshots.py
--snapshot-update, then look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from console.app import ConsoleApp
from console.snapshot import TABS
from tests.console.harness import open_tab, ready, seeded_backend, until

pytestmark = pytest.mark.redis


@pytest.mark.parametrize("tab", TABS)
def test_tab(snap_compare, tmp_path: Path, tab: str):
    with seeded_backend(tmp_path, DOCFLOW_QUEUE_PREFIX="snap") as (backend, _):
        # No auto-refresh during the shot: the picture is of one known snapshot.
        app = ConsoleApp(backend, refresh_seconds=3600)

        async def run_before(pilot: Pilot) -> None:
            await ready(pilot)
            shown = await open_tab(pilot, tab)
            # The cursor row is drawn only on a focused table; wait for it, or the picture
            # depends on how fast this machine is.
            await until(pilot, lambda: pilot.app.focused is shown.current_table, "table focus")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
