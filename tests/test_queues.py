"""Queues and enqueue helpers, on fakeredis (fast unit tests)."""

import json
import time
import zlib

import fakeredis
import pytest
from rq.job import JobStatus

from docflow.errors import InvalidArgument, QueueError
from docflow.queues import (
    get_queue,
    queue_name,
    queue_names,
    run_request_key,
)
from docflow.registry import get_job


@pytest.fixture
def conn():
    return fakeredis.FakeRedis()


def test_queue_names_are_namespaced_and_ordered(settings):
    prefix = settings.queue_prefix
    assert queue_names(settings) == [f"{prefix}-high", f"{prefix}-default", f"{prefix}-low"]
    with pytest.raises(QueueError, match="high, default, low"):
        queue_name(settings, "urgent")


def test_enqueue_validates_and_uses_json(conn, settings):
    job = get_job("retry_failed_documents").enqueue(
        conn, settings, {"max_retries": "5", "batch_size": 10}
    )
    assert job.kwargs == {"max_retries": 5, "batch_size": 10}
    assert job.func_name == get_job("retry_failed_documents").path
    queue = get_queue(conn, settings, "default")
    assert queue.job_ids == [job.id]
    # The stored payload (zlib-compressed by RQ) is JSON, not a pickle.
    payload = json.loads(zlib.decompress(conn.hget(job.key, "data")))
    assert payload[0] == get_job("retry_failed_documents").path
    assert {"max_retries": 5, "batch_size": 10} in payload


@pytest.mark.parametrize(
    ("job", "args", "message"),
    [
        ("classify_documents", {"batch_size": 0}, "from 1 to 10000"),
        ("classify_documents", {"batch_size": 10001}, "from 1 to 10000"),
        ("classify_documents", {"batch_size": "abc"}, "whole number"),
        ("classify_documents", {"batch_size": True}, "whole number"),
        ("retry_failed_documents", {"max_retries": 101}, "from 0 to 100"),
        ("classify_documents", {"max_retries": 3}, "does not take max_retries"),
        ("no_such_job", {}, "unknown job"),
    ],
)
def test_bad_arguments_are_refused_before_redis(conn, settings, job, args, message):
    with pytest.raises(InvalidArgument, match=message):
        get_job(job).enqueue(conn, settings, args)
    assert conn.keys("rq:job:*") == []


def test_priority_override(conn, settings):
    job = get_job("classify_documents").enqueue(conn, settings, {}, priority="low")
    assert job.origin == f"{settings.queue_prefix}-low"


def test_request_classification_enqueues_at_most_one_waiting_job(conn, settings):
    first = get_job("classify_documents").request(conn, settings)
    assert first is not None
    assert all(get_job("classify_documents").request(conn, settings) is None for _ in range(50))
    assert get_queue(conn, settings, "high").count == 1


def test_a_run_that_never_started_does_not_block_requests(conn, settings):
    lost = get_job("retry_failed_documents").request(conn, settings)
    # A worker took the job and was killed before the run began: the marker stays behind.
    get_queue(conn, settings, "high").remove(lost)
    lost.set_status(JobStatus.STARTED)
    again = get_job("retry_failed_documents").request(conn, settings)
    assert again is not None and again.id != lost.id
    assert get_job("retry_failed_documents").request(conn, settings) is None
    assert conn.get(run_request_key(settings, "retry_failed_documents")) == again.id.encode()


def test_a_marker_whose_job_vanished_is_taken_over(conn, settings):
    get_job("deliver_webhooks").request(conn, settings)
    conn.delete(*conn.keys("rq:job:*"))
    assert get_job("deliver_webhooks").request(conn, settings) is not None
    assert get_queue(conn, settings, "high").count == 2  # the lost id is still listed; RQ skips it


def test_a_request_that_died_while_enqueueing_blocks_only_briefly(conn, settings):
    key = run_request_key(settings, "check_quotas")
    conn.set(key, f"enqueueing:{time.time() - 5}")
    assert get_job("check_quotas").request(conn, settings) is None  # still being enqueued
    conn.set(key, f"enqueueing:{time.time() - 120}")
    assert get_job("check_quotas").request(conn, settings) is not None


def test_scheduler_requests_use_the_job_queue(conn, settings):
    job = get_job("report_usage").request(conn, settings, priority=None)
    assert job.origin == f"{settings.queue_prefix}-low"


def test_validate_args_passes_through_good_values():
    assert get_job("classify_documents").validate({"batch_size": "250"}) == {"batch_size": 250}


def test_unreachable_redis_error_hides_the_password():
    from docflow.queues import connect_redis

    with pytest.raises(QueueError) as info:
        connect_redis("redis://:hunter2@127.0.0.1:1/0")
    assert "hunter2" not in str(info.value)
    assert "DOCFLOW_REDIS_URL" in str(info.value)


def test_pause_and_resume_are_a_set_per_prefix(conn, settings):
    from docflow.queues import pause, paused, resume

    assert paused(conn, settings) == set()
    assert pause(conn, settings, "low") is True
    assert pause(conn, settings, "low") is False
    assert paused(conn, settings) == {"low"}
    assert resume(conn, settings, "low") is True and resume(conn, settings, "low") is False
    with pytest.raises(QueueError, match="high, default, low"):
        pause(conn, settings, "urgent")
