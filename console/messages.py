"""The messages the console's parts exchange; nothing calls across them.

Screens ask the app for what only the app does (confirm and run an action, load a
detail) by posting a request: a message posted to a screen bubbles to its parent, the app.
Thread workers never touch widgets: they post a reply, and its handler (on the UI thread)
updates the screen.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.message import Message
from textual.message_pump import MessagePump

from console.snapshot import Action, Detail, Snapshot

# -- requests: screen -> app -------------------------------------------------------------


class ActionRequested(Message):
    """The operator started ``spec`` on row ``key`` (None: on no row). The app refuses it
    in read-only mode or on the wrong kind of row, asks first (or opens its form), runs it
    and reports the ActionDone."""

    def __init__(self, spec: Action, key: str | None) -> None:
        super().__init__()
        self.spec = spec
        self.key = key


class PerformRequested(Message):
    """Run ``spec`` now, already confirmed, with a form's ``values``; the outcome comes
    back to ``reply_to`` as ActionDone."""

    def __init__(
        self,
        spec: Action,
        key: str | None,
        values: Mapping[str, str] | None,
        *,
        reply_to: MessagePump,
    ) -> None:
        super().__init__()
        self.spec = spec
        self.key = key
        self.values = values
        self.reply_to = reply_to


class DetailRequested(Message):
    """Load row ``key``'s detail, in which ``tab``'s actions apply. The DetailLoaded goes
    to ``reply_to`` (a detail screen refreshing itself); None: to the app, which opens a
    detail screen."""

    def __init__(self, key: str, tab: str | None, *, reply_to: MessagePump | None = None) -> None:
        super().__init__()
        self.key = key
        self.tab = tab
        self.reply_to = reply_to


# -- replies: worker -> UI -----------------------------------------------------------------


class SnapshotReady(Message):
    def __init__(self, tab: str, seq: int, snapshot: Snapshot) -> None:
        super().__init__()
        self.tab = tab
        self.seq = seq
        self.snapshot = snapshot


class FetchFailed(Message):
    def __init__(self, tab: str, seq: int, error: str) -> None:
        super().__init__()
        self.tab = tab
        self.seq = seq
        self.error = error


class DetailLoaded(Message):
    """``detail`` is None when it failed, with ``error`` saying why (NotFound: the row is gone)."""

    def __init__(
        self, key: str, tab: str | None, detail: Detail | None, error: str | None = None
    ) -> None:
        super().__init__()
        self.key = key
        self.tab = tab  # whose actions apply in the detail screen
        self.detail = detail
        self.error = error


class ActionDone(Message):
    """An action's outcome: ``result`` on success, else ``error`` (the DocflowError message)."""

    def __init__(self, action_id: str, result: str | None, error: str | None = None) -> None:
        super().__init__()
        self.action_id = action_id
        self.result = result
        self.error = error
