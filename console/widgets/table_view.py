"""One backend Table on screen: a title line and a DataTable keyed by row key."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from console.snapshot import Table
from console.widgets.cells import render_cell


def caption(table: Table) -> str:
    return f"{table.title} — showing {len(table.rows):,} of {table.total:,}"


class KeyedTable(DataTable[Text]):
    """A DataTable rebuilt from each snapshot that keeps its cursor on the same row key,
    so a refresh never moves the operator's selection to a different row."""

    def __init__(self, table: Table, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self._columns: tuple[str, ...] = ()
        self.labels: dict[str, str] = {}
        self.show(table)

    @property
    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def show(self, table: Table) -> None:
        selected, index = self.selected_key, self.cursor_row
        if table.columns != self._columns:
            self.clear(columns=True)
            self.add_columns(*table.columns)
            self._columns = table.columns
        else:
            self.clear()
        for row in table.rows:
            self.add_row(*(render_cell(cell) for cell in row.cells), key=row.key)
        self.labels = {row.key: str(row.cells[0]) for row in table.rows if row.cells}
        if not self.row_count:
            return
        keys = [row.key for row in table.rows]
        # The row may be gone (requeued, purged): stay at the same height instead.
        target = keys.index(selected) if selected in keys else min(index, self.row_count - 1)
        self.move_cursor(row=target, animate=False)


class TableView(Vertical):
    def __init__(self, table: Table) -> None:
        super().__init__(classes="table-view")
        self._initial = table

    def compose(self) -> ComposeResult:
        yield Label(caption(self._initial), classes="table-title", markup=False)
        yield KeyedTable(self._initial)

    @property
    def table(self) -> KeyedTable:
        return self.query_one(KeyedTable)

    def show(self, table: Table) -> None:
        self.query_one(".table-title", Label).update(caption(table))
        self.table.show(table)
