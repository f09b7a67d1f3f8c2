"""`?`: every key in one place, including the current tab's actions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

GENERAL_KEYS = (
    ("1-7", "switch tab: Queues Documents Retries DLQ Tenants Webhooks History"),
    ("j / k, ↑ / ↓", "move the cursor"),
    ("tab", "next table on this tab"),
    ("enter", "open the selected row's detail"),
    ("/", "filter this tab (enter applies, esc clears)"),
    ("esc", "back / clear the filter"),
    ("r", "refresh now"),
    ("p", "pause or resume auto-refresh"),
    ("ctrl+p", "command palette: every action"),
    ("?", "this help"),
    ("q", "quit"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, actions: list[tuple[str, str]], *, read_only: bool) -> None:
        super().__init__(classes="dialog")
        self.actions = actions
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        lines = ["Keys", ""]
        lines += [f"  {key:<14} {meaning}" for key, meaning in GENERAL_KEYS]
        lines += ["", "Actions on this tab (each asks for confirmation)"]
        if self.read_only:
            lines.append("  none: the console is read-only")
        lines += [f"  {key:<14} {label}" for key, label in self.actions]
        with VerticalScroll(classes="dialog-box help-box"):
            yield Static("\n".join(lines), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
