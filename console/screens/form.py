"""The enqueue form, built from the FormFields the backend sends: a Select where the field
has choices, an Input otherwise. The backend validates; its message shows in the form,
which stays open so the operator can fix the value."""

from __future__ import annotations

from typing import cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from console.messages import ActionDone, PerformRequested
from console.screens.confirm import ConfirmScreen
from console.snapshot import Action, FormField


def field_widget(field: FormField) -> Input | Select[str]:
    widget_id = f"field-{field.name}"
    if field.choices is None:
        return Input(value=field.default, placeholder=field.help, id=widget_id)
    options = [(choice, choice) for choice in field.choices]
    if field.default in field.choices:
        return Select(options, value=field.default, allow_blank=False, id=widget_id)
    return Select(options, prompt=field.help or "(default)", id=widget_id)


class FormScreen(ModalScreen[str | None]):
    """Dismisses with the backend's result message, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, spec: Action) -> None:
        super().__init__(classes="dialog")
        self.spec = spec

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box form-box"):
            yield Label(self.spec.label, classes="dialog-question")
            for field in self.spec.fields:
                yield Label(field.label, classes="form-label")
                yield field_widget(field)
            yield Label("", id="form-error", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button(self.spec.label.split()[0], variant="primary", id="submit")
                yield Button("Cancel", id="cancel")

    def values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for field in self.spec.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                values[field.name] = "" if widget.value is Select.NULL else str(widget.value)
            else:
                values[field.name] = cast(Input, widget).value.strip()
        return values

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            self.submit()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        values = self.values()
        shown = ", ".join(f"{name}={value}" for name, value in values.items() if value)
        question = f"{self.spec.label}: {shown or 'defaults'}?"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.post_message(PerformRequested(self.spec, None, values, reply_to=self))

        self.app.push_screen(ConfirmScreen(question), confirmed)

    def on_action_done(self, message: ActionDone) -> None:
        message.stop()
        if message.error is None:
            self.dismiss(message.result)
            return
        error = self.query_one("#form-error", Label)
        error.update(message.error)
        error.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)
