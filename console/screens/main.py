"""The tabbed main view: one keyed table view per tab, refreshed in thread workers."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import count

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Input, Static, TabbedContent, TabPane

from console.backend import Backend
from console.messages import DetailRequested, FetchFailed, SnapshotReady
from console.screens.base import DataScreen
from console.snapshot import TABS, Action
from console.widgets.tab_view import TabView
from docflow.errors import DatabaseError, DocflowError, QueueError

TITLES = {
    "queues": "Queues",
    "documents": "Documents",
    "retries": "Retries",
    "dlq": "DLQ",
    "tenants": "Tenants",
    "webhooks": "Webhooks",
    "history": "History",
    "review": "Review",
}


def outage(exc: DocflowError) -> str:
    if isinstance(exc, QueueError):
        return f"Redis unreachable: {exc}"
    if isinstance(exc, DatabaseError):
        return f"Database unreachable: {exc}"
    return f"Refresh failed: {exc}"


class MainScreen(DataScreen):
    BINDINGS = [
        *(
            Binding(str(n), f"show_tab('{tab}')", TITLES[tab], show=False)
            for n, tab in enumerate(TABS, start=1)
        ),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear", "Clear", show=False),
        Binding("r", "refresh", "Refresh"),
        Binding("p", "pause", "Pause"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]

    # Nothing to focus until the first snapshot arrives; then its first table takes focus.
    AUTO_FOCUS = "KeyedTable"

    def __init__(
        self,
        backend: Backend,
        *,
        actions: Mapping[str, Action],
        read_only: bool,
        refresh_seconds: float,
    ) -> None:
        super().__init__(actions=actions, read_only=read_only)
        self.backend = backend
        self.refresh_seconds = refresh_seconds
        self.paused = False
        self.filters: dict[str, str] = {}
        # Per tab: the number of the latest fetch started and of the newest result applied.
        # A fetch that comes back after a newer one was applied is stale and dropped.
        self._next_seq = count(1)
        self._applied: dict[str, int] = dict.fromkeys(TABS, 0)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="banner", markup=False)
        yield Input(id="filter", placeholder="filter this tab; enter applies, esc clears")
        with TabbedContent(initial=TABS[0], id="tabs"):
            for n, tab in enumerate(TABS, start=1):
                with TabPane(f"{n} {TITLES[tab]}", id=tab):
                    yield TabView(tab)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_interval(self.refresh_seconds, self._tick)
        self.view.focus_table()
        self.fetch_visible()
        self.update_subtitle()

    # -- what is on screen ---------------------------------------------------------------

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active

    @property
    def view(self) -> TabView:
        return self.query_one(f"#view-{self.tab}", TabView)

    @property
    def action_tab(self) -> str | None:
        return self.tab

    @property
    def selected_key(self) -> str | None:
        return self.view.selected_key

    def update_subtitle(self) -> None:
        parts = [TITLES[self.tab]]
        if self.filters.get(self.tab):
            parts.append(f"filter: {self.filters[self.tab]}")
        snapshot = self.view.snapshot
        if snapshot is not None:
            # The backend's clock, not the wall clock, so a frozen clock gives stable output.
            parts.append(f"updated {snapshot.taken_at:%H:%M:%S}")
        if self.paused:
            parts.append("paused")
        if self.read_only:
            parts.append("read-only")
        self.sub_title = " · ".join(parts)

    # -- refresh -------------------------------------------------------------------------

    def _tick(self) -> None:
        if not self.paused:
            self.fetch_visible()

    def reload(self) -> None:
        self.fetch_visible()

    def fetch_visible(self) -> None:
        tab = self.tab
        self._fetch(self.backend, tab, next(self._next_seq), self.filters.get(tab, ""))

    @work(thread=True, exclusive=True, group="fetch")
    def _fetch(self, backend: Backend, tab: str, seq: int, filter: str) -> None:
        # Runs in a thread: talks to the backend and posts the outcome, never a widget.
        try:
            snapshot = backend.snapshot(tab, filter=filter)
        except DocflowError as exc:
            self.post_message(FetchFailed(tab, seq, outage(exc)))
        else:
            self.post_message(SnapshotReady(tab, seq, snapshot))

    def _is_fresh(self, tab: str, seq: int) -> bool:
        if seq <= self._applied[tab]:
            return False
        self._applied[tab] = seq
        return True

    async def on_snapshot_ready(self, message: SnapshotReady) -> None:
        if not self._is_fresh(message.tab, message.seq):
            return
        self.show_error(None)
        view = self.query_one(f"#view-{message.tab}", TabView)
        await view.show(message.snapshot)
        if message.tab == self.tab and self.focused is None:
            view.focus_table()
        self.update_subtitle()

    def on_fetch_failed(self, message: FetchFailed) -> None:
        if self._is_fresh(message.tab, message.seq):
            self.show_error(message.error)

    def show_error(self, error: str | None) -> None:
        banner = self.query_one("#banner", Static)
        banner.display = error is not None
        if error is not None:
            banner.update(f"{error} — retrying every {self.refresh_seconds:g}s")

    # -- keys ----------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.value = self.filters.get(self.tab, "")
        filter_input.display = bool(filter_input.value)
        self.view.focus_table()
        self.update_subtitle()
        self.refresh_bindings()
        self.fetch_visible()

    def action_cursor(self, direction: str) -> None:
        table = self.view.current_table
        if table is not None:
            table.focus()
            table.action_cursor_down() if direction == "down" else table.action_cursor_up()

    def action_refresh(self) -> None:
        self.fetch_visible()

    def action_pause(self) -> None:
        self.paused = not self.paused
        self.update_subtitle()
        self.notify("auto-refresh paused" if self.paused else "auto-refresh resumed")

    def action_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.display = True
        filter_input.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.apply_filter(event.value.strip())

    def action_clear(self) -> None:
        if self.filters.get(self.tab) or self.query_one("#filter").display:
            self.apply_filter("")

    def apply_filter(self, text: str) -> None:
        self.filters[self.tab] = text
        filter_input = self.query_one("#filter", Input)
        filter_input.value = text
        filter_input.display = bool(text)
        self.view.focus_table()
        self.update_subtitle()
        self.fetch_visible()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(DetailRequested(event.row_key.value, self.tab))
