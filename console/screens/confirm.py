"""Every action asks first: y or enter confirms, n or esc cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, *, destructive: bool = False) -> None:
        super().__init__(classes="dialog")
        self.question = question
        self.destructive = destructive

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box" + (" destructive" if self.destructive else "")):
            yield Label(self.question, markup=False, classes="dialog-question")
            yield Label("y / enter: yes    n / esc: no", classes="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
