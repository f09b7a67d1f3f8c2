"""How many documents a run claims next: few when documents are slow, so that every
worker gets some, many when they are fast, so that claims and commits stay rare.

A run starts with a small probe and then sizes each claim so that a batch takes about
``TARGET_SECONDS`` at the pace the last batch was read at, never more than the run's
batch size. A scan costs seconds, so two workers starting on a dozen scans share them
instead of one claiming all twelve while the other finds nothing; plain text costs a
fraction of a millisecond, so its claims go straight to the full batch size.
"""

from __future__ import annotations

from dataclasses import dataclass

PROBE = 1
"""One document: a scan can take seconds, and a warm shutdown waits for the batch in hand."""
TARGET_SECONDS = 2.0


@dataclass
class ClaimSize:
    most: int
    target_seconds: float = TARGET_SECONDS
    current: int = PROBE

    def __post_init__(self) -> None:
        self.current = min(self.current, self.most)

    def __call__(self) -> int:
        return self.current

    def measured(self, documents: int, seconds: float) -> None:
        """The last batch read ``documents`` in ``seconds``: size the next one by it."""
        if documents <= 0:
            return
        per_document = max(seconds / documents, 1e-6)
        self.current = max(1, min(self.most, int(self.target_seconds / per_document)))
