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

    def gives_up(self, retries_done: int, first_failed_at: datetime, now: datetime) -> bool:
        """True once the retries are used up or the first failure is older than the deadline.

        The deadline counts from the first failure, not from when the work was created:
        work that waited (workers down over a weekend) still gets its retries.
        """
        if retries_done >= self.max_retries:
            return True
        return (now - first_failed_at).total_seconds() > self.deadline_seconds

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


@dataclass(frozen=True)
class ScheduledRetries:
    """A fixed schedule of delays (the webhook one), with proportional jitter.

    ``delays[n]`` is the wait after failed attempt ``n + 1``; once the schedule is used
    up the work is given up. A receiver's Retry-After is honoured by never coming back
    sooner than it asked, capped at the schedule's longest delay so a hostile or buggy
    value cannot park an event for ever.
    """

    delays_seconds: tuple[float, ...]
    jitter_ratio: float = 0.1

    @property
    def max_attempts(self) -> int:
        return len(self.delays_seconds) + 1

    def next_attempt_at(
        self,
        attempts_done: int,
        now: datetime,
        rng: random.Random | None = None,
        retry_after_seconds: float | None = None,
    ) -> datetime | None:
        """When to try again after ``attempts_done`` attempts, or None to give up."""
        if attempts_done < 1 or attempts_done > len(self.delays_seconds):
            return None
        delay = self.delays_seconds[attempts_done - 1]
        delay *= 1 + (rng or random).uniform(-self.jitter_ratio, self.jitter_ratio)
        if retry_after_seconds is not None:
            delay = max(delay, min(retry_after_seconds, max(self.delays_seconds)))
        return now + timedelta(seconds=delay)


def webhook_schedule(settings: Settings) -> ScheduledRetries:
    return ScheduledRetries(settings.webhook_retry_schedule)
