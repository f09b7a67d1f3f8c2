"""`enter` on a row: its fields and tables (items of a DLQ group, attempts, ...).

Rows in the detail's tables are selectable: action keys act on the selected item when the
action applies to it (R on a DLQ group's item requeues that item), else on the row this
detail is about; `enter` opens an item's own detail.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from console.messages import DetailLoaded, DetailRequested
from console.screens.base import DataScreen, applies_to
from console.snapshot import Action, Detail
from console.widgets.table_view import KeyedTable, TableView


def field_lines(detail: Detail) -> str:
    width = max((len(label) for label, _ in detail.fields), default=0)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in detail.fields)


class DetailScreen(DataScreen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "refresh", "Refresh"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]

    def __init__(
        self,
        key: str,
        detail: Detail,
        *,
        tab: str | None,
        actions: Mapping[str, Action],
        read_only: bool,
    ) -> None:
        super().__init__(actions=actions, read_only=read_only)
        self.key = key
        self.detail = detail
        self.tab = tab
        self._last_table: KeyedTable | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail"):
            yield Static(field_lines(self.detail), id="fields", markup=False)
            for table in self.detail.tables:
                yield TableView(table)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = self.detail.title
        self.sub_title = self.key
        table = self.current_table
        if table is not None:
            table.focus()

    @property
    def action_tab(self) -> str | None:
        return self.tab

    @property
    def current_table(self) -> KeyedTable | None:
        if self._last_table is not None and self._last_table.is_attached:
            return self._last_table
        return next(iter(self.query(KeyedTable)), None)

    @property
    def selected_key(self) -> str | None:
        table = self.current_table
        return table.selected_key if table is not None else None

    def target_key(self, spec: Action) -> str | None:
        item = self.selected_key
        return item if item is not None and applies_to(spec, item) else self.key

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, KeyedTable):
            self._last_table = event.widget

    def reload(self) -> None:
        self.post_message(DetailRequested(self.key, self.tab, reply_to=self))

    async def on_detail_loaded(self, message: DetailLoaded) -> None:
        message.stop()
        if message.detail is None:
            # Gone (its last item was requeued or purged): nothing left to show here.
            self.notify(message.error or "gone", title=self.key, severity="warning", markup=False)
            self.dismiss()
            return
        self.detail = message.detail
        self.title = message.detail.title
        self.query_one("#fields", Static).update(field_lines(message.detail))
        views = list(self.query(TableView))
        if len(views) == len(message.detail.tables):
            # Same shape: update in place so the cursor stays on its item.
            for view, table in zip(views, message.detail.tables, strict=True):
                view.show(table)
        else:
            await self.query(TableView).remove()
            await self.query_one("#detail").mount_all(TableView(t) for t in message.detail.tables)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(DetailRequested(event.row_key.value, self.tab))

    def action_back(self) -> None:
        self.dismiss()

    def action_refresh(self) -> None:
        self.reload()

    def action_cursor(self, direction: str) -> None:
        table = self.current_table
        if table is not None:
            table.action_cursor_down() if direction == "down" else table.action_cursor_up()
