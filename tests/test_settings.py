from pathlib import Path

import pytest

from docflow.errors import ConfigError
from docflow.settings import CATEGORIES, Settings, describe


def test_defaults_are_valid():
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///var/docflow.sqlite3"
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.storage_root == Path("var/storage")
    assert set(settings.routes) == set(CATEGORIES)


def test_every_setting_is_documented_with_a_docflow_variable():
    rows = describe()
    assert rows
    for env, _default, doc in rows:
        assert env.startswith("DOCFLOW_") and doc.strip()


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [
        ("DOCFLOW_LEASE_SECONDS", "abc", "whole number from 1 to 86400"),
        ("DOCFLOW_LEASE_SECONDS", "0", "whole number from 1 to 86400"),
        ("DOCFLOW_DATABASE_URL", "mysql://x/y", "postgresql://"),
        ("DOCFLOW_DATABASE_URL", "sqlite://relative.db", "three slashes"),
        ("DOCFLOW_REDIS_URL", "http://localhost", "redis://"),
        ("DOCFLOW_MIN_CONFIDENCE_RATIO", "1.5", "from 0 to 1"),
        ("DOCFLOW_ROUTES", "invoice=ap", "no route for receipt"),
        ("DOCFLOW_ROUTES", "invoice", "category=destination"),
        ("DOCFLOW_CLASSIFIER", "not a path", "module.path:ClassName"),
        ("DOCFLOW_LOG_LEVEL", "loud", "DEBUG, INFO"),
    ],
)
def test_bad_values_name_the_variable_and_what_is_accepted(env, value, message):
    with pytest.raises(ConfigError) as info:
        Settings.from_env({env: value})
    assert env in str(info.value)
    assert message in str(info.value)


def test_all_problems_are_reported_at_once():
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"DOCFLOW_LEASE_SECONDS": "x", "DOCFLOW_MAX_RETRIES": "101"})
    assert "DOCFLOW_LEASE_SECONDS" in str(info.value)
    assert "DOCFLOW_MAX_RETRIES" in str(info.value)


def test_env_round_trips():
    settings = Settings.from_env({"DOCFLOW_MAX_RETRIES": "7", "DOCFLOW_STORAGE_ROOT": "/srv/files"})
    assert Settings.from_env(settings.env()) == settings


def test_time_budget_must_fit_in_the_job_timeout():
    with pytest.raises(ConfigError, match="below DOCFLOW_JOB_TIMEOUT_SECONDS"):
        Settings.from_env(
            {"DOCFLOW_CLASSIFY_TIME_BUDGET_SECONDS": "900", "DOCFLOW_JOB_TIMEOUT_SECONDS": "900"}
        )


def test_a_malformed_webhook_secret_is_a_startup_error_that_hides_the_value():
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"DOCFLOW_WEBHOOK_SECRET": "whsec_abc"})
    assert "DOCFLOW_WEBHOOK_SECRET" in str(info.value)
    assert "abc" not in str(info.value)
    good = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    assert Settings.from_env({"DOCFLOW_WEBHOOK_SECRET": good}).webhook_secret == good
