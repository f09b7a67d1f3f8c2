"""Pilot tests of the console at 80x24 against the real backend (SQLite + Redis), except
the outage and stale-fetch tests, which wrap it to fail or stall on cue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from click.testing import CliRunner
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Label, Select

from console.app import ConsoleApp
from console.backend import Backend
from console.screens.confirm import ConfirmScreen
from console.screens.detail import DetailScreen
from console.screens.form import FormScreen
from console.screens.help import HelpScreen
from console.screens.main import TITLES, MainScreen
from console.snapshot import ACTIONS, TABS
from console.widgets.tab_view import TabView
from docflow import queues
from docflow.cli import cli
from docflow.fingerprint import fingerprint, short_hash
from docflow.models import (
    AuditEvent,
    BillingStatus,
    Document,
    DocumentStatus,
    TenantBilling,
    TenantQuota,
    WebhookEndpoint,
)
from tests.console.dataset import MISSING, NOW, Seeded
from tests.console.harness import (
    ACTOR,
    Flaky,
    drive,
    main_screen,
    notices,
    open_tab,
    query,
    row_keys,
    seeded_backend,
    select,
    until,
    view,
)

pytestmark = pytest.mark.redis

MISSING_GROUP = f"group:{short_hash(fingerprint(MISSING.format(n=1)))}"
# A row of every tab that the dataset guarantees.
EXPECTED_ROWS = {
    "queues": {"queue:high", "queue:default", "queue:low", "periodic:classify_documents"},
    "documents": {"tenant:acme", "tenant:globex"},
    "retries": {"doc:5"},
    "dlq": {MISSING_GROUP},
    "tenants": {"tenant:acme", "tenant:globex", "tenant:initech"},
    "webhooks": {"endpoint:1", "endpoint:2", "event:msg_console1"},
    "history": {"run:1", "run:2", "job:classify_documents"},
}


@pytest.fixture
def seeded(tmp_path: Path):
    with seeded_backend(tmp_path) as pair:
        yield pair


def audited() -> list[str]:
    return query(lambda: [a.action for a in AuditEvent.select().where(AuditEvent.actor == ACTOR)])


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


# --- actions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    action: str
    tab: str
    key: str | None  # None: invoked from the command palette, on no row
    palette: str | None  # what to type in the palette
    state: Callable[[Backend, Seeded], object]
    after: object


def _doc_statuses(ids: list[int]) -> list[str | None]:
    found = {d.id: d.status for d in Document.select().where(Document.id.in_(ids))}
    return [found.get(i) for i in ids]


def _dlq_state(backend: Backend, seeded: Seeded) -> tuple[int, int]:
    dead = Document.select().where(Document.status == DocumentStatus.DEAD_LETTERED).count()
    return dead, Document.select().count()


def _endpoint_enabled(endpoint_id: int) -> Callable[[Backend, Seeded], object]:
    return lambda backend, seeded: WebhookEndpoint.get_by_id(endpoint_id).enabled


def _paused(backend: Backend, seeded: Seeded) -> set[str]:
    conn = redis.Redis.from_url(backend.settings.redis_url)
    try:
        return queues.paused(conn, backend.settings)
    finally:
        conn.close()


CASES = [
    Case("dlq.requeue", "dlq", MISSING_GROUP, None,
         lambda b, s: _doc_statuses([s.dead[0].id, s.dead[1].id]), ["Pending", "Pending"]),
    Case("dlq.purge", "dlq", MISSING_GROUP, None,
         lambda b, s: _doc_statuses([s.dead[0].id, s.dead[1].id]), [None, None]),
    Case("dlq.requeue_all", "dlq", None, "Requeue the whole DLQ", _dlq_state, (0, 8)),
    Case("dlq.purge_all", "dlq", None, "Purge the whole DLQ", _dlq_state, (0, 5)),
    Case("retries.retry_now", "retries", "doc:5", None,
         lambda b, s: Document.get_by_id(s.failed.id).next_retry_at, NOW),
    Case("tenants.unblock", "tenants", "tenant:acme", None,
         lambda b, s: TenantQuota.get(TenantQuota.tenant == 1).is_blocked, False),
    Case("tenants.activate", "tenants", "tenant:globex", None,
         lambda b, s: TenantBilling.get(TenantBilling.tenant == 2).status, BillingStatus.ACTIVE),
    Case("webhooks.disable", "webhooks", "endpoint:1", None, _endpoint_enabled(1), False),
    Case("webhooks.enable", "webhooks", "endpoint:2", None, _endpoint_enabled(2), True),
    Case("queues.pause", "queues", "queue:default", None, _paused, {"high", "default"}),
    Case("queues.resume", "queues", "queue:high", None, _paused, set()),
]  # fmt: skip


async def invoke(pilot: Pilot, app: ConsoleApp, case: Case) -> None:
    """Start ``case``'s action the way an operator would: its key on the row, or the palette."""
    await open_tab(pilot, case.tab)
    if case.key is not None:
        await select(pilot, case.key)
        await pilot.press(app.actions_by_id[case.action].key)
        return
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    await pilot.press(*case.palette)
    commands = app.screen.query_one(CommandList)
    await until(
        pilot,
        lambda: (
            commands.highlighted is not None
            and case.palette in str(commands.get_option_at_index(commands.highlighted).prompt)
        ),
        "the palette to find the action",
    )
    await pilot.press("enter")


@pytest.mark.parametrize("confirm", [True, False], ids=["confirmed", "cancelled"])
@pytest.mark.parametrize("case", CASES, ids=[c.action for c in CASES])
def test_action_asks_then_acts(seeded, case: Case, confirm: bool):
    backend, data = seeded
    conn = redis.Redis.from_url(backend.settings.redis_url)
    queues.pause(conn, backend.settings, "high")  # so that resume has something to do
    conn.close()
    before = query(lambda: case.state(backend, data))
    app = ConsoleApp(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        await invoke(pilot, app, case)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y" if confirm else "n")
        if confirm:
            await until(pilot, lambda: query(lambda: case.state(backend, data)) == case.after,
                        f"{case.action} to change the data")  # fmt: skip
            await until(pilot, lambda: any(n for n in notices(app) if "cancelled" not in n),
                        "the result notice")  # fmt: skip
        else:
            await until(pilot, lambda: isinstance(app.screen, MainScreen), "the dialog to close")
            assert any("cancelled" in n for n in notices(app))

    drive(app, scenario)
    if confirm:
        assert audited(), "the action left no audit row with the operator's name"
    else:
        assert query(lambda: case.state(backend, data)) == before
        assert audited() == []


def test_enqueue_form_shows_backend_errors_then_enqueues(seeded):
    backend, _ = seeded
    app = ConsoleApp(backend, refresh_seconds=60)
    conn = redis.Redis.from_url(backend.settings.redis_url)

    def queued() -> int:
        return sum(conn.llen(f"rq:queue:{name}") for name in queues.queue_names(backend.settings))

    async def scenario(pilot: Pilot) -> None:
        await open_tab(pilot, "documents")
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the enqueue form")
        form = app.screen
        assert form.query_one("#field-job", Select).value == "classify_documents"
        form.query_one("#field-batch_size", Input).value = "0"
        form.query_one("#field-batch_size", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")
        error = form.query_one("#form-error", Label)
        await until(pilot, lambda: error.display, "the validation error")
        assert "batch" in str(error.render()).lower()
        assert app.screen is form and queued() == 0  # still open, nothing enqueued

        form.query_one("#field-batch_size", Input).value = "50"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the form to close")
        await until(pilot, lambda: queued() == 1, "the job on its queue")

    drive(app, scenario)
    conn.close()
    assert audited() == ["job.enqueued"]


def test_enqueue_form_cancel_enqueues_nothing(seeded):
    backend, _ = seeded
    app = ConsoleApp(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        await open_tab(pilot, "queues")
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the enqueue form")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the form to close")

    drive(app, scenario)
    assert audited() == []


def test_action_on_the_wrong_row_kind_is_refused_with_a_notice(seeded):
    backend, _ = seeded
    app = ConsoleApp(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        await open_tab(pilot, "queues")
        await select(pilot, "periodic:classify_documents")
        await pilot.press("P")
        await until(pilot, lambda: any("select a queue row" in n for n in notices(app)), "notice")
        assert isinstance(app.screen, MainScreen)

    drive(app, scenario)


def test_the_palette_offers_every_action(seeded):
    backend, _ = seeded
    app = ConsoleApp(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for spec in ACTIONS:
            assert any(title.endswith(f": {spec.label}") for title in titles), spec.id

    drive(app, scenario)


# --- read-only ----------------------------------------------------------------------------


def test_read_only_hides_and_refuses_every_action(tmp_path: Path):
    with seeded_backend(tmp_path, read_only=True) as (backend, _):
        app = ConsoleApp(backend, refresh_seconds=60, read_only=True)

        async def scenario(pilot: Pilot) -> None:
            for tab in ("tenants", "dlq", "queues"):
                await open_tab(pilot, tab)
                shown = {b.binding.action for b in app.screen.active_bindings.values()}
                assert not any(action.startswith("act(") for action in shown), tab
            await open_tab(pilot, "tenants")
            await select(pilot, "tenant:acme")
            await pilot.press("u")
            await until(pilot, lambda: any("read-only" in n for n in notices(app)), "refusal")
            assert isinstance(app.screen, MainScreen)
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert not any(title.startswith(("Tenants:", "DLQ:", "Any tab:")) for title in titles)
            assert "read-only" in main_screen(app).sub_title

        drive(app, scenario)
        assert query(lambda: TenantQuota.get(TenantQuota.tenant == 1).is_blocked)
        assert audited() == []


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


def test_dlq_group_detail_acts_on_the_selected_item(seeded):
    backend, data = seeded
    first, second = data.dead[0].id, data.dead[1].id
    app = ConsoleApp(backend, refresh_seconds=60)

    async def scenario(pilot: Pilot) -> None:
        await open_tab(pilot, "dlq")
        await select(pilot, MISSING_GROUP)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen), "the group detail")
        detail = app.screen
        assert {f"doc:{first}", f"doc:{second}"} <= set(row_keys(detail.current_table))
        await select(pilot, f"doc:{second}")
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        assert f"doc:{second}" in app.screen.question
        await pilot.press("y")
        await until(pilot, lambda: query(lambda: _doc_statuses([second])) == ["Pending"],
                    "the item requeued")  # fmt: skip
        # The detail reloads without the requeued item, and the group's other item stays.
        await until(pilot, lambda: row_keys(detail.current_table) == [f"doc:{first}"], "reload")

    drive(app, scenario)
    assert query(lambda: _doc_statuses([first])) == [DocumentStatus.DEAD_LETTERED]


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


def test_pause_shows_in_the_header_and_stops_auto_refresh(seeded):
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
