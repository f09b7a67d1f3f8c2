"""A tab's content: every Table of its latest Snapshot, then the snapshot's notes."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from console.snapshot import Snapshot
from console.widgets.table_view import KeyedTable, TableView


class TabView(VerticalScroll):
    def __init__(self, tab: str) -> None:
        super().__init__(id=f"view-{tab}", classes="tab-view")
        self.snapshot: Snapshot | None = None
        self._last_table: KeyedTable | None = None

    def compose(self) -> ComposeResult:
        yield Static("loading…", classes="notes", markup=False)

    async def show(self, snapshot: Snapshot) -> None:
        names = tuple(table.name for table in snapshot.tables)
        previous = self.snapshot
        self.snapshot = snapshot
        if previous is None or names != tuple(t.name for t in previous.tables):
            # A different set of tables (first fetch, or the backend changed shape):
            # rebuild; otherwise update in place so cursors and focus survive.
            focused = self.has_focus_within
            await self.remove_children(TableView)
            await self.mount_all(
                [TableView(table) for table in snapshot.tables], before=self.query_one(".notes")
            )
            self._last_table = None
            if focused:
                self.focus_table()
        else:
            for view, table in zip(self.query(TableView), snapshot.tables, strict=True):
                view.show(table)
        notes = self.query_one(".notes", Static)
        notes.update("\n".join(snapshot.notes))
        notes.display = bool(snapshot.notes)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, KeyedTable):
            self._last_table = event.widget

    @property
    def current_table(self) -> KeyedTable | None:
        """The table actions and `enter` apply to: the last one focused, else the first."""
        if self._last_table is not None and self._last_table.is_attached:
            return self._last_table
        return next(iter(self.query(KeyedTable)), None)

    def focus_table(self) -> None:
        table = self.current_table
        if table is not None:
            table.focus()

    @property
    def selected_key(self) -> str | None:
        table = self.current_table
        return table.selected_key if table is not None else None
