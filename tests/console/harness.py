"""Driving the console in tests: a seeded real backend, pilot helpers that wait with
deadlines, and a backend wrapper that simulates outages and slow fetches."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import redis
from textual.pilot import Pilot
from textual.widgets import DataTable

from console.app import ConsoleApp
from console.backend import Backend
from console.screens.main import MainScreen
from console.snapshot import TABS, Snapshot
from console.widgets.tab_view import TabView
from console.widgets.table_view import KeyedTable
from docflow.db import database, open_database
from docflow.errors import QueueError
from docflow.fingerprint import fingerprint, short_hash
from docflow.migrations import migrate
from docflow.models import AuditEvent, Document
from tests.conftest import REDIS_URL, make_settings, require_service
from tests.console.dataset import MISSING, NOW, Seeded, seed

T = TypeVar("T")
ACTOR = "operator:console-test"
TIMEOUT = 15.0
# The DLQ group of the dataset's two documents whose stored file is missing.
MISSING_GROUP = f"group:{short_hash(fingerprint(MISSING.format(n=1)))}"


@contextmanager
def seeded_backend(
    tmp_path: Path, *, read_only: bool = False, **env: str
) -> Iterator[tuple[Backend, Seeded]]:
    """A real Backend on a fresh SQLite database holding tests.console.dataset, and on the
    test Redis database, flushed before and after."""
    require_service("Redis", REDIS_URL)
    conn = redis.Redis.from_url(REDIS_URL)
    conn.flushdb()
    settings = make_settings(tmp_path, **env)
    with open_database(settings) as db:
        migrate(db)
        seeded = seed(settings)
    backend = Backend(settings, actor=ACTOR, read_only=read_only, now=lambda: NOW)
    backend.open()
    try:
        yield backend, seeded
    finally:
        backend.close()
        conn.flushdb()
        conn.close()


def query(read: Callable[[], T]) -> T:
    """Run a model query on this (the test's) thread, on the backend's database."""
    with database.connection_context():
        return read()


def audited() -> list[str]:
    """The audit actions recorded under the test operator's name."""
    return query(lambda: [a.action for a in AuditEvent.select().where(AuditEvent.actor == ACTOR)])


def doc_statuses(ids: list[int]) -> list[str | None]:
    """Each document's status, None where it no longer exists."""
    found = {d.id: d.status for d in Document.select().where(Document.id.in_(ids))}
    return [found.get(i) for i in ids]


def drive(app: ConsoleApp, scenario: Callable[[Pilot], Awaitable[None]]) -> None:
    """Run ``scenario`` against ``app`` in an 80x24 terminal (pytest-asyncio is not used)."""

    async def main() -> None:
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await ready(pilot)
            await scenario(pilot)

    asyncio.run(main())


async def ready(pilot: Pilot) -> None:
    """Wait for the first tab's first table to take focus. A key pressed sooner could go
    to Textual's default screen, or have its tab switch undone when that focus lands (a
    focused widget activates its tab pane)."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
    await until(pilot, lambda: isinstance(app.focused, KeyedTable), "the first table")
    await pilot.pause()


async def until(pilot: Pilot, check: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


def main_screen(app: ConsoleApp) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


def view(app: ConsoleApp, tab: str) -> TabView:
    return main_screen(app).query_one(f"#view-{tab}", TabView)


def row_keys(widget: DataTable | TabView) -> list[str]:
    tables = [widget] if isinstance(widget, DataTable) else widget.query(DataTable)
    return [str(row.value) for table in tables for row in table.rows]


async def open_tab(pilot: Pilot, tab: str) -> TabView:
    """Press the tab's digit and wait for its first snapshot."""
    app = pilot.app
    await pilot.press(str(TABS.index(tab) + 1))
    await until(pilot, lambda: main_screen(app).tab == tab, f"tab {tab}")
    await until(pilot, lambda: view(app, tab).snapshot is not None, f"{tab} snapshot")
    return view(app, tab)


async def select(pilot: Pilot, key: str) -> None:
    """Put the cursor on row ``key`` of the current screen, with j/k like an operator."""
    app = pilot.app
    table = next(t for t in app.screen.query(DataTable) if key in row_keys(t))
    table.focus()
    await until(pilot, lambda: app.focused is table, "table focus")
    target = row_keys(table).index(key)
    while table.cursor_row != target:
        await pilot.press("j" if table.cursor_row < target else "k")


def notices(app: ConsoleApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


class Flaky:
    """A Backend wrapper for what a real one cannot do on cue: fail like Redis is down, or
    hold one snapshot back until released (a slow fetch overtaken by a newer one)."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.failing = False
        self.hold_next = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self.held: Snapshot | None = None
        self.calls = 0
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> object:
        return getattr(self.backend, name)

    def snapshot(self, tab: str, *, filter: str = "", limit: int = 200) -> Snapshot:
        with self._lock:
            self.calls += 1
            hold, self.hold_next = self.hold_next, False
        if self.failing:
            raise QueueError("Redis unavailable at redis://127.0.0.1:6379/14: connection refused")
        snapshot = self.backend.snapshot(tab, filter=filter, limit=limit)
        if hold:
            self.held = snapshot
            self.holding.set()
            self.release.wait(TIMEOUT)
        return snapshot
