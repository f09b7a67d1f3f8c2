import random
from datetime import UTC, datetime, timedelta

import pytest

from docflow.errors import InvalidArgument
from docflow.retry import RetryPolicy, document_policy
from docflow.settings import Settings

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_delay_grows_exponentially_within_full_jitter_and_cap():
    policy = RetryPolicy(max_retries=10, base_seconds=10, cap_seconds=100, deadline_seconds=1e6)
    rng = random.Random(1)
    for retries_done, ceiling in [(0, 10), (1, 20), (2, 40), (3, 80), (4, 100), (20, 100)]:
        delays = [policy.delay_seconds(retries_done, rng) for _ in range(300)]
        assert all(0 <= d <= ceiling for d in delays)
        # Full jitter spreads over the whole window, not just near its top.
        assert min(delays) < ceiling * 0.2 and max(delays) > ceiling * 0.8


def test_next_attempt_is_after_now():
    policy = RetryPolicy(3, 30, 3600, 86400)
    at = policy.next_attempt_at(2, NOW, random.Random(3))
    assert NOW <= at <= NOW + timedelta(seconds=120)


def test_gives_up_on_retry_count_or_deadline():
    policy = RetryPolicy(max_retries=3, base_seconds=1, cap_seconds=1, deadline_seconds=3600)
    assert not policy.gives_up(2, NOW, NOW)
    assert policy.gives_up(3, NOW, NOW)
    assert policy.gives_up(0, NOW - timedelta(hours=2), NOW)


def test_zero_retries_dead_letters_at_once():
    assert RetryPolicy(0, 1, 1, 10).gives_up(0, NOW, NOW)


@pytest.mark.parametrize("bad", [-1, 101])
def test_max_retries_is_bounded(bad):
    with pytest.raises(InvalidArgument, match="0 to 100"):
        RetryPolicy(bad, 1, 1, 1)


def test_document_policy_comes_from_settings():
    settings = Settings.from_env({"DOCFLOW_MAX_RETRIES": "5", "DOCFLOW_RETRY_BASE_SECONDS": "2"})
    policy = document_policy(settings)
    assert policy.max_retries == 5 and policy.base_seconds == 2
    assert policy.with_max_retries(1).max_retries == 1


def test_webhook_schedule_follows_the_table_with_jitter_then_gives_up():
    from docflow.retry import ScheduledRetries

    schedule = ScheduledRetries((5, 300, 1800))
    rng = random.Random(2)
    for attempts_done, delay in [(1, 5), (2, 300), (3, 1800)]:
        at = schedule.next_attempt_at(attempts_done, NOW, rng)
        assert NOW + timedelta(seconds=delay * 0.9) <= at <= NOW + timedelta(seconds=delay * 1.1)
    assert schedule.next_attempt_at(4, NOW, rng) is None
    assert schedule.max_attempts == 4


def test_webhook_schedule_honours_retry_after_within_the_longest_delay():
    from docflow.retry import ScheduledRetries

    schedule = ScheduledRetries((5, 300), jitter_ratio=0)
    assert schedule.next_attempt_at(1, NOW, retry_after_seconds=60) == NOW + timedelta(seconds=60)
    assert schedule.next_attempt_at(2, NOW, retry_after_seconds=1) == NOW + timedelta(seconds=300)
    assert schedule.next_attempt_at(1, NOW, retry_after_seconds=10**9) == NOW + timedelta(
        seconds=300
    )


def test_default_webhook_schedule_is_the_designed_one():
    from docflow.retry import webhook_schedule

    schedule = webhook_schedule(Settings.from_env({}))
    hours = 3600
    assert schedule.delays_seconds == (
        5,
        300,
        1800,
        2 * hours,
        5 * hours,
        10 * hours,
        14 * hours,
        20 * hours,
        24 * hours,
    )
