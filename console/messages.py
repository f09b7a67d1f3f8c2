"""What thread workers hand back to the UI thread. Workers never touch widgets: they post
one of these, and the handler (on the UI thread) updates the screen."""

from __future__ import annotations

from textual.message import Message

from console.snapshot import Detail, Snapshot


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
