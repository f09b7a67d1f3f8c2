"""What the main and detail screens share: action shortcuts on the selected row, and a
`reload` that runs after every action.

A screen knows the actions on offer and whether the console is read-only (given when it
is made); to act it posts an ActionRequested, which bubbles to the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from console.messages import ActionRequested
from console.snapshot import ACTIONS, Action, row_kind
from console.widgets.table_view import KeyedTable

READ_ONLY_NOTICE = "read-only console: actions are disabled"

# One binding per action; several actions may share a key on different tabs ("R" requeues
# on DLQ and retries on Retries) and check_action lets only the current tab's one run.
ACTION_BINDINGS = [
    Binding(spec.key, f"act('{spec.id}')", spec.label) for spec in ACTIONS if spec.key
]
# In read-only mode the action bindings are hidden and disabled; these catch the same keys
# so the operator hears why nothing happened instead of pressing a dead key.
REFUSAL_BINDINGS = [
    Binding(key, "refuse", show=False) for key in dict.fromkeys(s.key for s in ACTIONS if s.key)
]


class DataScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [*ACTION_BINDINGS, *REFUSAL_BINDINGS]

    def __init__(self, *, actions: Mapping[str, Action], read_only: bool) -> None:
        super().__init__()
        self.actions_by_id = actions  # none when read-only: every action is hidden
        self.read_only = read_only

    @property
    def action_tab(self) -> str | None:
        """The tab whose action shortcuts apply here."""
        raise NotImplementedError

    @property
    def selected_key(self) -> str | None:
        raise NotImplementedError

    def reload(self) -> None:
        """Fetch this screen's data again (after an action changed it)."""
        raise NotImplementedError

    def target_key(self, spec: Action) -> str | None:
        return self.selected_key

    def describe(self, key: str) -> str:
        """A row as the operator sees it, for confirmations: its kind and first cell."""
        kind = KIND_NAMES.get(row_kind(key), row_kind(key))
        for table in self.query(KeyedTable):
            if key in table.labels:
                label = table.labels[key]
                return label if label.startswith(kind) else f"{kind} “{label}”"
        return key

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act":
            spec = self.actions_by_id.get(str(parameters[0]))
            return spec is not None and spec.tab in (None, self.action_tab)
        if action == "refuse":
            return self.read_only
        return True

    def action_act(self, action_id: str) -> None:
        spec = self.actions_by_id[action_id]
        self.post_message(ActionRequested(spec, self.target_key(spec)))

    def action_refuse(self) -> None:
        self.notify(READ_ONLY_NOTICE, severity="warning")


KIND_NAMES = {"doc": "document", "event": "webhook event", "rq": "failed RQ job",
              "endpoint": "webhook endpoint"}  # fmt: skip


def applies_to(spec: Action, key: str | None) -> bool:
    return not spec.kinds or (key is not None and row_kind(key) in spec.kinds)
