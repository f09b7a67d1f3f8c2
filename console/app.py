"""The operator console: a Textual app over console.backend (`docflow console`,
`docflow-console`).

The app holds no data of its own: screens render the immutable snapshots the backend
returns, fetched in thread workers. Screens never call the app: they post requests
(console.messages), which bubble up to it. Every action goes through `request_action`,
which refuses in read-only mode, asks for confirmation and runs the backend call off the
UI thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message_pump import MessagePump
from textual.screen import Screen

from console.backend import Backend
from console.messages import (
    ActionDone,
    ActionRequested,
    DetailLoaded,
    DetailRequested,
    PerformRequested,
)
from console.screens.base import READ_ONLY_NOTICE, DataScreen, applies_to
from console.screens.confirm import ConfirmScreen
from console.screens.detail import DetailScreen
from console.screens.form import FormScreen
from console.screens.help import HelpScreen
from console.screens.main import TITLES, MainScreen
from console.snapshot import Action
from docflow.errors import DocflowError


class ConsoleApp(App[None]):
    CSS_PATH = "console.tcss"
    TITLE = "DocFlow console"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(
        self, backend: Backend, *, refresh_seconds: float = 2.0, read_only: bool = False
    ) -> None:
        super().__init__()
        self.backend = backend
        self.refresh_seconds = refresh_seconds
        self.read_only = read_only
        self.actions_by_id: dict[str, Action] = {}

    def on_mount(self) -> None:
        # Asked once: the list (and the enqueue form's fields) does not change while running.
        # A read-only backend returns none, which hides every action everywhere.
        if not self.read_only:
            self.actions_by_id = {spec.id: spec for spec in self.backend.actions()}
        self.push_screen(
            MainScreen(
                self.backend,
                actions=self.actions_by_id,
                read_only=self.read_only,
                refresh_seconds=self.refresh_seconds,
            )
        )

    # -- actions -------------------------------------------------------------------------

    def refuse(self) -> None:
        self.notify(READ_ONLY_NOTICE, severity="warning")

    def on_action_requested(self, message: ActionRequested) -> None:
        self.request_action(message.spec, message.key)

    def request_action(self, spec: Action, key: str | None) -> None:
        if self.read_only:
            self.refuse()
            return
        if not applies_to(spec, key):
            kinds = ", ".join(spec.kinds)
            self.notify(
                f"{spec.label}: select a {kinds} row first", severity="warning", markup=False
            )
            return
        if spec.fields:
            self.push_screen(FormScreen(spec), partial(self._form_closed, spec))
            return
        target = self.screen.describe(key) if key and isinstance(self.screen, DataScreen) else key
        question = f"{spec.label} {target}?" if target else f"{spec.label}?"
        self.push_screen(
            ConfirmScreen(question, destructive=spec.destructive),
            partial(self._confirmed, spec, key),
        )

    def _confirmed(self, spec: Action, key: str | None, yes: bool | None) -> None:
        if yes:
            self.perform(spec, key, None, reply_to=self)
        else:
            self.notify(f"{spec.label}: cancelled")

    def on_perform_requested(self, message: PerformRequested) -> None:
        self.perform(message.spec, message.key, message.values, reply_to=message.reply_to)

    def _form_closed(self, spec: Action, result: str | None) -> None:
        if result is None:
            self.notify(f"{spec.label}: cancelled")
        else:
            self.report(spec, result, None)

    @work(thread=True, group="actions")
    def perform(
        self,
        spec: Action,
        key: str | None,
        values: Mapping[str, str] | None,
        *,
        reply_to: MessagePump,
    ) -> None:
        # Runs in a thread; only the posted message reaches the UI.
        try:
            result = self.backend.run(spec.id, key, values)
        except DocflowError as exc:
            reply_to.post_message(ActionDone(spec.id, None, str(exc)))
        else:
            reply_to.post_message(ActionDone(spec.id, result))

    def on_action_done(self, message: ActionDone) -> None:
        self.report(self.actions_by_id[message.action_id], message.result, message.error)

    def report(self, spec: Action, result: str | None, error: str | None) -> None:
        if error is not None:
            self.notify(error, title=spec.label, severity="error", markup=False)
        else:
            self.notify(result or "done", title=spec.label, markup=False)
        if isinstance(self.screen, DataScreen):
            self.screen.reload()

    # -- detail --------------------------------------------------------------------------

    def on_detail_requested(self, message: DetailRequested) -> None:
        self.load_detail(
            message.key,
            message.tab,
            reply_to=message.reply_to if message.reply_to is not None else self,
        )

    @work(thread=True, group="detail")
    def load_detail(self, key: str, tab: str | None, *, reply_to: MessagePump) -> None:
        try:
            detail = self.backend.detail(key)
        except DocflowError as exc:
            reply_to.post_message(DetailLoaded(key, tab, None, str(exc)))
        else:
            reply_to.post_message(DetailLoaded(key, tab, detail))

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        if message.detail is None:
            self.notify(
                message.error or "not found", title=message.key, severity="error", markup=False
            )
            return
        self.push_screen(
            DetailScreen(
                message.key,
                message.detail,
                tab=message.tab,
                actions=self.actions_by_id,
                read_only=self.read_only,
            )
        )

    # -- help and palette ----------------------------------------------------------------

    def action_help(self) -> None:
        tab = self.screen.action_tab if isinstance(self.screen, DataScreen) else None
        keys = [
            (spec.key, spec.label)
            for spec in self.actions_by_id.values()
            if spec.key and spec.tab in (None, tab)
        ]
        self.push_screen(HelpScreen(keys, read_only=self.read_only))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        key = screen.selected_key if isinstance(screen, DataScreen) else None
        for spec in self.actions_by_id.values():
            where = TITLES[spec.tab] if spec.tab else "Any tab"
            target = f"on the selected {'/'.join(spec.kinds)} row" if spec.kinds else ""
            yield SystemCommand(
                f"{where}: {spec.label}",
                f"{spec.label} {target}".strip(),
                partial(self.request_action, spec, key),
            )
