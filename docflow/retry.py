"""Retry policies: when to try a failed piece of work again, and when to give up.

Pure functions of their inputs (a random source and ``now`` are passed in), so jobs
stay free of retry arithmetic and tests need no waiting. Jobs do the work; a policy
decides when the next attempt is due.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from docflow.errors import InvalidArgument
from docflow.settings import Settings


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, a cap, a retry limit and a total deadline."""

    max_retries: int
    base_seconds: float
    cap_seconds: float
    deadline_seconds: float

    def __post_init__(self) -> None:
        if not 0 <= self.max_retries <= 100:
            raise InvalidArgument(f"max retries must be from 0 to 100, got {self.max_retries}")
        if self.base_seconds < 0 or self.cap_seconds < 0 or self.deadline_seconds < 0:
            raise InvalidArgument("retry delays and deadline must not be negative")

    def delay_seconds(self, retries_done: int, rng: random.Random | None = None) -> float:
        """Delay before retry number ``retries_done + 1``: uniform in [0, min(cap, base * 2**n)].

        Full jitter spreads a burst of failures over the whole window, so they do not
        come back as a burst.
        """
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** min(retries_done, 62))
        return (rng or random).uniform(0, ceiling)

    def next_attempt_at(
        self, retries_done: int, now: datetime, rng: random.Random | None = None
    ) -> datetime:
        return now + timedelta(seconds=self.delay_seconds(retries_done, rng))

    def gives_up(self, retries_done: int, first_attempt_at: datetime, now: datetime) -> bool:
        """True once the retries are used up or the work is older than the deadline."""
        if retries_done >= self.max_retries:
            return True
        return (now - first_attempt_at).total_seconds() > self.deadline_seconds

    def with_max_retries(self, max_retries: int) -> RetryPolicy:
        return RetryPolicy(max_retries, self.base_seconds, self.cap_seconds, self.deadline_seconds)


def document_policy(settings: Settings) -> RetryPolicy:
    """The policy for documents whose classification failed."""
    return RetryPolicy(
        max_retries=settings.max_retries,
        base_seconds=settings.retry_base_seconds,
        cap_seconds=settings.retry_cap_seconds,
        deadline_seconds=settings.retry_deadline_seconds,
    )
