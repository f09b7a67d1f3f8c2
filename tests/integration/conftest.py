"""Fixtures for the tests that run real processes."""

from __future__ import annotations

import pytest

from docflow.db import open_database
from docflow.migrations import migrate
from tests.conftest import _reset_postgres, make_settings


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path) -> str:
    """The URL of a fresh, migrated database on each backend, for processes to share."""
    if request.param == "postgres":
        return _reset_postgres(request.getfixturevalue("pg_database_url"), tmp_path).database_url
    settings = make_settings(tmp_path)
    with open_database(settings) as db:
        migrate(db)
    return settings.database_url
