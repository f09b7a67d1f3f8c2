"""Every console action through the UI, on the real backend: its key on the selected row
or the command palette, then confirmed (the data changes, audited under the operator's
name) or cancelled (nothing changes); the enqueue form; read-only refusal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Label, Select

from console.app import ConsoleApp
from console.backend import Backend
from console.screens.confirm import ConfirmScreen
from console.screens.detail import DetailScreen
from console.screens.form import FormScreen
from console.screens.main import MainScreen
from console.snapshot import ACTIONS
from docflow import queues
from docflow.models import (
    BillingStatus,
    Document,
    DocumentStatus,
    TenantBilling,
    TenantQuota,
    WebhookEndpoint,
)
from docflow.models import Label as LabelRow
from docflow.registry import all_jobs
from tests.console.dataset import NOW, Seeded
from tests.console.harness import (
    MISSING_GROUP,
    audited,
    doc_statuses,
    drive,
    main_screen,
    notices,
    open_tab,
    query,
    row_keys,
    seeded_backend,
    select,
    until,
)

pytestmark = pytest.mark.redis


@pytest.fixture
def seeded(tmp_path: Path):
    with seeded_backend(tmp_path) as pair:
        yield pair


@dataclass(frozen=True)
class Case:
    action: str
    tab: str
    key: str | None  # None: invoked from the command palette, on no row
    palette: str | None  # what to type in the palette
    state: Callable[[Backend, Seeded], object]
    after: object


def _dlq_state(backend: Backend, seeded: Seeded) -> tuple[int, int]:
    dead = Document.select().where(Document.status == DocumentStatus.DEAD_LETTERED).count()
    return dead, Document.select().count()


def _endpoint_enabled(endpoint_id: int) -> Callable[[Backend, Seeded], object]:
    return lambda backend, seeded: WebhookEndpoint.get_by_id(endpoint_id).enabled


def _decided(doc_id: int) -> Callable[[Backend, Seeded], object]:
    def state(backend: Backend, seeded: Seeded) -> object:
        doc = Document.get_by_id(doc_id)
        label = LabelRow.select().where(LabelRow.document == doc_id).first()
        return doc.category, doc.route, label.source if label else None

    return state


def _paused(backend: Backend, seeded: Seeded) -> set[str]:
    conn = redis.Redis.from_url(backend.settings.redis_url)
    try:
        return queues.paused(conn, backend.settings)
    finally:
        conn.close()


CASES = [
    Case("dlq.requeue", "dlq", MISSING_GROUP, None,
         lambda b, s: doc_statuses([s.dead[0].id, s.dead[1].id]), ["Pending", "Pending"]),
    Case("dlq.purge", "dlq", MISSING_GROUP, None,
         lambda b, s: doc_statuses([s.dead[0].id, s.dead[1].id]), [None, None]),
    Case("dlq.requeue_all", "dlq", None, "Requeue the whole DLQ", _dlq_state, (0, 10)),
    Case("dlq.purge_all", "dlq", None, "Purge the whole DLQ", _dlq_state, (0, 7)),
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
    Case("review.accept", "review", "doc:9", None, _decided(9),
         ("invoice", "accounts-payable", "operator")),
    Case("review.receipt", "review", "doc:10", None, _decided(10),
         ("receipt", "expenses", "operator")),
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
        if case.key is not None:  # the row as the operator sees it, not its internal key
            question = app.screen.question
            assert question.startswith(app.actions_by_id[case.action].label)
            assert case.key not in question and "“" in question
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
        jobs = form.query_one("#field-job", Select)
        assert jobs.value == next(iter(all_jobs()))  # the first job listed
        jobs.value = "classify_documents"
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
            for tab in ("tenants", "dlq", "queues", "review"):
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
        assert app.screen.question == f"Requeue document {second}?"
        await pilot.press("y")
        await until(pilot, lambda: query(lambda: doc_statuses([second])) == ["Pending"],
                    "the item requeued")  # fmt: skip
        # The detail reloads without the requeued item, and the group's other item stays.
        await until(pilot, lambda: row_keys(detail.current_table) == [f"doc:{first}"], "reload")

    drive(app, scenario)
    assert query(lambda: doc_statuses([first])) == [DocumentStatus.DEAD_LETTERED]
