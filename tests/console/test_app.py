"""Pilot tests of the console at 80x24 against the real backend (SQLite + Redis): tabs,
keys, filter, detail, refresh. Only the outage and stale-fetch tests wrap the backend, to
fail or stall on cue. Actions are in test_actions.py."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import Input, Label

from console.app import ConsoleApp
from console.launch import command
from console.messages import ActionRequested, DetailRequested
from console.screens.detail import DetailScreen
from console.screens.help import HelpScreen
from console.screens.main import TITLES, MainScreen
from console.snapshot import TABS
from console.widgets.tab_view import TabView
from docflow.cli import cli
from docflow.models import TenantQuota
from tests.console.harness import (
    MISSING_GROUP,
    Flaky,
    drive,
    main_screen,
    open_tab,
    query,
    row_keys,
    seeded_backend,
    select,
    until,
    view,
)

pytestmark = pytest.mark.redis

# A row of every tab that the dataset guarantees.
EXPECTED_ROWS = {
    "queues": {"queue:high", "queue:default", "queue:low", "periodic:classify_documents"},
    "documents": {"tenant:acme", "tenant:globex"},
    "retries": {"doc:5"},
    "dlq": {MISSING_GROUP},
    "tenants": {"tenant:acme", "tenant:globex", "tenant:initech"},
    "webhooks": {"endpoint:1", "endpoint:2", "event:msg_console1"},
    "history": {"run:1", "run:2", "job:classify_documents"},
    "review": {"doc:9", "doc:10", "doc:1"},
}


@pytest.fixture
def seeded(tmp_path: Path):
    with seeded_backend(tmp_path) as pair:
        yield pair


def test_every_tab_shows_its_tables(seeded):
    backend, _ = seeded
    app = ConsoleApp(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        for tab in TABS:
            shown = await open_tab(pilot, tab)
            assert EXPECTED_ROWS[tab] <= set(row_keys(shown)), tab
            assert main_screen(app).sub_title.startswith(TITLES[tab])
            titles = [str(label.render()) for label in shown.query(".table-title").results(Label)]
            assert titles and all("showing" in title for title in titles)

    drive(app, scenario)


def test_tenant_usage_is_drawn_as_bars(seeded):
    backend, _ = seeded
    app = ConsoleApp(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        tenants = await open_tab(pilot, "tenants")
        table = tenants.current_table
        acme = [str(cell) for cell in table.get_row("tenant:acme")]
        globex = [str(cell) for cell in table.get_row("tenant:globex")]
        assert "██████████ 100% 5/5" in acme
        assert any("4.0 KB/976.6 KB" in cell for cell in acme)
        assert "3 / ∞" in globex

    drive(app, scenario)


# --- interaction --------------------------------------------------------------------------


def test_filter_narrows_the_tab_and_esc_clears_it(seeded):
    backend, _ = seeded
    app = ConsoleApp(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        tenants = await open_tab(pilot, "tenants")
        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.focused, Input), "the filter input")
        await pilot.press(*"glob", "enter")
        await until(pilot, lambda: row_keys(tenants) == ["tenant:globex"], "the filtered rows")
        assert "filter: glob" in main_screen(app).sub_title
        await pilot.press("escape")
        await until(pilot, lambda: len(row_keys(tenants)) == 3, "every tenant again")
        assert "filter" not in main_screen(app).sub_title

    drive(app, scenario)


def test_detail_opens_on_enter_and_esc_goes_back(seeded):
    backend, _ = seeded
    app = ConsoleApp(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        await open_tab(pilot, "tenants")
        await select(pilot, "tenant:globex")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen), "the detail screen")
        assert app.screen.title == "Tenant globex"
        assert "GracePeriod" in str(app.screen.query_one("#fields").render())
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        assert main_screen(app).selected_key == "tenant:globex"

    drive(app, scenario)


def test_keys_switch_tabs_move_the_cursor_and_show_help(seeded):
    backend, _ = seeded
    app = ConsoleApp(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        tenants = await open_tab(pilot, "tenants")
        table = tenants.current_table
        await pilot.press("j", "j")
        await until(pilot, lambda: table.cursor_row == 2, "j to move down")
        await pilot.press("k")
        await until(pilot, lambda: table.cursor_row == 1, "k to move up")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
        assert "Unblock uploads" in str(app.screen.query_one("Static").render())
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "help to close")
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "q to quit")

    drive(app, scenario)


def test_cursor_stays_on_its_row_across_refreshes(seeded):
    backend, _ = seeded
    app = ConsoleApp(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        tenants = await open_tab(pilot, "tenants")
        await select(pilot, "tenant:initech")
        query(lambda: TenantQuota.update(document_count=9).execute())
        shown = tenants.snapshot
        await pilot.press("r")
        await until(pilot, lambda: tenants.snapshot is not shown, "the refresh")
        assert tenants.selected_key == "tenant:initech"

    drive(app, scenario)


def test_pause_shows_in_the_header_until_resumed(seeded):
    backend, _ = seeded
    flaky = Flaky(backend)
    app = ConsoleApp(flaky, refresh_seconds=0.05)

    async def scenario(pilot: Pilot) -> None:
        await open_tab(pilot, "queues")
        await until(pilot, lambda: flaky.calls > 3, "auto-refresh")
        await pilot.press("p")
        await until(pilot, lambda: "paused" in main_screen(app).sub_title, "paused subtitle")
        header = str(app.screen.query_one("HeaderTitle").render())
        assert "paused" in header
        await pilot.press("p")
        await until(pilot, lambda: "paused" not in main_screen(app).sub_title, "resumed")

    drive(app, scenario)


# --- refresh: stale fetches and outages (a wrapped backend) ---------------------------------


def test_a_stale_snapshot_never_overwrites_a_newer_one(seeded, monkeypatch):
    backend, _ = seeded
    flaky = Flaky(backend)
    app = ConsoleApp(flaky, refresh_seconds=60)
    shown = []
    original = TabView.show

    async def spy(self: TabView, snapshot) -> None:
        shown.append(snapshot)
        await original(self, snapshot)

    monkeypatch.setattr(TabView, "show", spy)

    async def scenario(pilot: Pilot) -> None:
        await open_tab(pilot, "queues")
        flaky.hold_next = True
        await pilot.press("r")  # this fetch stalls in the backend...
        await until(pilot, flaky.holding.is_set, "the slow fetch")
        count = len(shown)
        await pilot.press("r")  # ...and this newer one overtakes it
        await until(pilot, lambda: len(shown) > count, "the newer snapshot")
        newer = shown[-1]
        flaky.release.set()
        # Both results arrive through the same queue: once a later fetch is shown, the
        # stalled one has been handled, and dropped.
        await pilot.press("r")
        await until(pilot, lambda: len(shown) > count + 1, "a later snapshot")
        assert flaky.held is not None and all(s is not flaky.held for s in shown)
        assert newer is not flaky.held

    drive(app, scenario)


def test_outage_shows_a_banner_keeps_running_and_clears(seeded):
    backend, _ = seeded
    flaky = Flaky(backend)
    app = ConsoleApp(flaky, refresh_seconds=0.05)

    async def scenario(pilot: Pilot) -> None:
        screen = (await open_tab(pilot, "queues")).screen
        banner = screen.query_one("#banner")
        flaky.failing = True
        await until(pilot, lambda: banner.display, "the banner")
        text = str(banner.render())
        assert text.startswith("Redis unreachable:") and "retrying" in text
        assert row_keys(view(app, "queues"))  # the last good data stays on screen
        flaky.failing = False
        await until(pilot, lambda: not banner.display, "the banner to clear")

    drive(app, scenario)


# --- entry points -------------------------------------------------------------------------


def test_docflow_console_is_a_plugin_command():
    result = CliRunner().invoke(cli, ["console", "--help"])
    assert result.exit_code == 0, result.output
    assert "--read-only" in result.output and "--refresh-seconds" in result.output
    assert "console" in CliRunner().invoke(cli, ["--help"]).output


def test_console_on_an_unmigrated_database_says_what_to_do(tmp_path: Path):
    env = {"DOCFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    result = CliRunner().invoke(cli, ["console"], env=env)
    assert result.exit_code == 1
    assert "docflow migrate" in result.output


@pytest.mark.parametrize("standalone", [False, True], ids=["docflow console", "docflow-console"])
def test_a_bad_setting_is_one_clear_error(standalone: bool):
    env = {"DOCFLOW_JOB_TIMEOUT_SECONDS": "soon"}
    if standalone:
        result = CliRunner().invoke(command, [], env=env, prog_name="docflow-console")
    else:
        result = CliRunner().invoke(cli, ["console"], env=env)
    assert result.exit_code == 1
    assert result.output.startswith("Error: invalid settings")
    assert "DOCFLOW_JOB_TIMEOUT_SECONDS='soon'" in result.output
    assert "Traceback" not in result.output


def test_without_textual_the_console_says_which_extra_to_install():
    # A worker installed without docflow[console]: Textual cannot be imported.
    code = (
        "import sys; sys.modules['textual'] = None; from docflow.cli import main; "
        "sys.argv = ['docflow', 'console']; main()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr.strip() == "Error: the console needs Textual: pip install 'docflow[console]'"
    listed = subprocess.run(
        [sys.executable, "-c", code.replace("'console']", "'--help']")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert listed.returncode == 0 and "console" in listed.stdout


# --- structure ----------------------------------------------------------------------------

CONSOLE = Path(__file__).resolve().parents[2] / "console"


def test_the_console_never_imports_the_docflow_command():
    code = "import sys, console.app; print('docflow.cli' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "path",
    sorted(CONSOLE.glob("screens/*.py")) + sorted(CONSOLE.glob("widgets/*.py")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_screens_and_widgets_never_import_the_app(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        assert "console.app" not in names, f"{path.name}:{node.lineno}"


def test_screen_requests_bubble_to_the_app(seeded):
    """What a screen posts reaches the app's handlers: an action key, enter on a row."""
    backend, _ = seeded
    seen: list[object] = []

    class Recording(ConsoleApp):
        CSS_PATH = CONSOLE / "console.tcss"  # a relative one would be looked up next to this file

        # Record, and keep ConsoleApp's handlers from acting on the request.
        def on_action_requested(self, message: ActionRequested) -> None:
            seen.append(message)
            message.prevent_default()

        def on_detail_requested(self, message: DetailRequested) -> None:
            seen.append(message)
            message.prevent_default()

    app = Recording(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        await open_tab(pilot, "tenants")
        await select(pilot, "tenant:acme")
        await pilot.press("u")
        await pilot.press("enter")
        await until(pilot, lambda: len(seen) == 2, "both requests")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)  # nothing else opened: the app only recorded

    drive(app, scenario)
    action, detail = seen
    assert isinstance(action, ActionRequested) and action.spec.id == "tenants.unblock"
    assert action.key == "tenant:acme"
    assert isinstance(detail, DetailRequested) and detail.key == "tenant:acme"
    assert (detail.tab, detail.reply_to) == ("tenants", None)
