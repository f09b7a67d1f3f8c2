"""Shared fixtures: settings, the two database backends, real Redis.

Real services (PostgreSQL, Redis) are skipped when absent on a developer's machine but
fail the run under CI=true, so a missing service can never turn into a green build.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from docflow import models
from docflow.db import open_database, scratch_postgres
from docflow.migrations import migrate
from docflow.settings import Settings

PG_ADMIN_URL = os.environ.get(
    "DOCFLOW_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def empty_redis_database(url: str) -> str:
    """``url``, or the same server's next lower database that is empty, as RQ's own tests
    pick theirs: the tests flush the database they use, so it must hold nothing of anyone
    else's. Unchanged when Redis is unreachable (the tests that need it skip, or fail in CI)."""
    parts = urlsplit(url)
    first = int(parts.path.strip("/") or 0)
    try:
        for db in range(first, -1, -1):
            candidate = parts._replace(path=f"/{db}").geturl()
            with redis.Redis.from_url(candidate, socket_connect_timeout=2) as conn:
                if conn.dbsize() == 0:
                    return candidate
    except redis.RedisError:
        return url
    raise pytest.UsageError(
        f"no empty Redis database at or below {url}: the tests flush the one they use, so they "
        "refuse to run on data; empty one or set DOCFLOW_TEST_REDIS_URL to an empty database"
    )


REDIS_URL = empty_redis_database(
    os.environ.get("DOCFLOW_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
)


def require_service(name: str, url: str) -> None:
    """Skip when ``url`` does not answer, unless in CI, where that is a failure."""
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    except OSError as exc:
        message = f"{name} is not reachable at {parts.hostname}:{parts.port}: {exc}"
        if IN_CI:
            pytest.fail(f"{message} (CI=true: real services are required)")
        pytest.skip(message)


def make_settings(tmp_path: Path, **env: str) -> Settings:
    base = {
        "DOCFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'docflow.sqlite3'}",
        "DOCFLOW_STORAGE_ROOT": str(tmp_path / "storage"),
        "DOCFLOW_REDIS_URL": REDIS_URL,
        "DOCFLOW_QUEUE_PREFIX": f"t{uuid.uuid4().hex[:10]}",
        # The pipeline's tests route by the keyword rules, which do not change when the
        # shipped model is retrained; the learned classifier has tests of its own.
        "DOCFLOW_CLASSIFIER": "docflow.services.classifier:KeywordClassifier",
    }
    base.update(env)
    return Settings.from_env(base)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A PostgreSQL database of its own for this test session, dropped at the end."""
    require_service("PostgreSQL", PG_ADMIN_URL)
    with scratch_postgres(PG_ADMIN_URL, prefix="docflow_test") as url:
        yield url


_pg_migrated: set[str] = set()


def _reset_postgres(url: str, tmp_path: Path) -> Settings:
    settings = make_settings(tmp_path, DOCFLOW_DATABASE_URL=url)
    with open_database(settings) as db:
        if url not in _pg_migrated:
            migrate(db)
            _pg_migrated.add(url)
        tables = ", ".join(
            f'"{m._meta.table_name}"' for m in models.ALL_MODELS if m is not models.SchemaVersion
        )
        db.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    return settings


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, tmp_path: Path) -> Iterator[Settings]:
    """Settings bound to a fresh, migrated database: the contract suite runs on both backends."""
    if request.param == "postgres":
        settings = _reset_postgres(request.getfixturevalue("pg_database_url"), tmp_path)
    else:
        settings = make_settings(tmp_path)
    with open_database(settings) as db:
        if request.param == "sqlite":
            migrate(db)
        yield settings


@pytest.fixture
def hooks(backend: Settings, tmp_path: Path) -> Settings:
    """``backend`` settings that allow loopback webhook URLs, for local test receivers."""
    return make_settings(
        tmp_path,
        DOCFLOW_DATABASE_URL=backend.database_url,
        DOCFLOW_STORAGE_ROOT=str(backend.storage_root),
        DOCFLOW_WEBHOOK_ALLOW_PRIVATE="true",
        DOCFLOW_WEBHOOK_DEADLINE_SECONDS="1",
        DOCFLOW_WEBHOOK_CONNECT_TIMEOUT_SECONDS="1",
    )


@pytest.fixture
def sqlite_db(settings: Settings) -> Iterator[Settings]:
    """A fresh migrated SQLite database for tests that need only one backend."""
    with open_database(settings) as db:
        migrate(db)
        yield settings


@pytest.fixture
def redis_conn() -> Iterator[redis.Redis]:
    """The test Redis database (empty when the session began, see empty_redis_database),
    flushed before and after the test."""
    require_service("Redis", REDIS_URL)
    conn = redis.Redis.from_url(REDIS_URL)
    conn.flushdb()
    yield conn
    conn.flushdb()
    conn.close()


@pytest.fixture(scope="session", autouse=True)
def _leave_the_test_redis_empty() -> Iterator[None]:
    """Uploads and other domain calls queue runs on the test Redis without the fixture;
    whatever the session wrote goes at its end."""
    yield
    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2) as conn:
            conn.flushdb()
    except redis.RedisError:
        pass
