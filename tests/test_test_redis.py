"""The test Redis: the suite never flushes a database that held someone else's data."""

from __future__ import annotations

import redis

from tests.conftest import REDIS_URL, empty_redis_database


def test_a_database_holding_data_is_passed_over_for_an_empty_one(redis_conn):
    redis_conn.set("someone-elses-key", "their data")
    chosen = empty_redis_database(REDIS_URL)
    assert chosen != REDIS_URL
    with redis.Redis.from_url(chosen) as other:
        assert other.dbsize() == 0
    assert redis_conn.get("someone-elses-key") == b"their data"  # looked at, never flushed


def test_an_unreachable_redis_is_left_to_the_tests_that_need_it():
    assert empty_redis_database("redis://127.0.0.1:1/15") == "redis://127.0.0.1:1/15"
