import abc
import sys
import types
from datetime import UTC, datetime
from pathlib import Path

import pytest

from docflow.errors import ConfigError
from docflow.services.classifier import Classification, load_classifier
from docflow.settings import CATEGORIES, Settings, current, describe, suspension_values

DEFAULT_DB = "sqlite:///var/docflow.sqlite3"


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


def test_one_bad_value_is_one_line():
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"DOCFLOW_LEASE_SECONDS": "abc"})
    assert str(info.value) == (
        "invalid settings: DOCFLOW_LEASE_SECONDS='abc': expected a whole number from 1 to 86400"
    )


# --- DOCFLOW_CLASSIFIER: imported and checked when the settings are read ---------------------


class Good:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def classify(self, text: str, *, filename: str, content_type: str) -> Classification:
        return Classification("other", 1.0)


class StaticClassify:
    def __init__(self, settings: Settings) -> None:
        pass

    @staticmethod
    def classify(text: str, *, filename: str, content_type: str) -> Classification:
        return Classification("other", 1.0)


class NoClassify:
    def __init__(self, settings: Settings) -> None:
        pass


class NoSettings:
    def classify(self, text: str, *, filename: str, content_type: str) -> Classification:
        return Classification("other", 1.0)


class PositionalOnly(Good):
    def classify(self, text: str) -> Classification:  # type: ignore[override]
        return Classification("other", 1.0)


class Abstract(abc.ABC):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @abc.abstractmethod
    def classify(self, text: str, *, filename: str, content_type: str) -> Classification: ...


def function(settings: Settings) -> None:
    del settings


@pytest.fixture
def classifiers(monkeypatch) -> None:
    module = types.ModuleType("fake_classifiers")
    for value in (Good, StaticClassify, NoClassify, NoSettings, PositionalOnly, Abstract, function):
        setattr(module, value.__name__, value)
    monkeypatch.setitem(sys.modules, "fake_classifiers", module)


@pytest.mark.parametrize("name", ["Good", "StaticClassify"])
def test_a_classifier_class_with_the_protocol_loads(classifiers, name):
    settings = Settings.from_env({"DOCFLOW_CLASSIFIER": f"fake_classifiers:{name}"})
    assert type(load_classifier(settings)).__name__ == name


def test_the_default_classifier_is_checked_and_loads():
    assert type(load_classifier(Settings.from_env({}))).__name__ == "LearnedClassifier"


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("nonexistent.module:X", "cannot import nonexistent.module (ModuleNotFoundError"),
        ("fake_classifiers:Missing", "fake_classifiers has no class Missing"),
        ("fake_classifiers:function", "fake_classifiers has no class function"),
        ("fake_classifiers:NoClassify", "NoClassify has no classify() method"),
        ("fake_classifiers:NoSettings", "NoSettings cannot be built as NoSettings(settings)"),
        ("fake_classifiers:Abstract", "Abstract cannot be built as Abstract(settings)"),
        (
            "fake_classifiers:PositionalOnly",
            "PositionalOnly.classify does not take (text, *, filename, content_type)",
        ),
    ],
)
def test_a_classifier_that_cannot_classify_stops_start_up(classifiers, path, problem):
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"DOCFLOW_CLASSIFIER": path})
    message = str(info.value)
    assert message.startswith(f"invalid settings: DOCFLOW_CLASSIFIER={path!r}: {problem}")
    assert "e.g. docflow.services.classifier:KeywordClassifier" in message
    assert "\n" not in message


def test_a_classifier_module_that_fails_to_import_is_one_line_without_secrets(
    tmp_path, monkeypatch
):
    (tmp_path / "broken_classifier.py").write_text(
        "raise RuntimeError('no database at\\npostgresql://bob:hunter2@db/x')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"DOCFLOW_CLASSIFIER": "broken_classifier:Anything"})
    message = str(info.value)
    assert "cannot import broken_classifier (RuntimeError: no database at postgresql://" in message
    assert "hunter2" not in message and "\n" not in message


# --- the suspension notice: filled with sample values when the settings are read -------------


@pytest.mark.parametrize(
    ("env", "value", "problem"),
    [
        ("DOCFLOW_SUSPENSION_SUBJECT", "{tenant} is {state}", "unknown placeholder {state}"),
        ("DOCFLOW_SUSPENSION_TEMPLATE", "Dear {name},", "unknown placeholder {name}"),
        ("DOCFLOW_SUSPENSION_TEMPLATE", "{0} and {}", "unknown placeholder {0}"),
        ("DOCFLOW_SUSPENSION_TEMPLATE", "{tenant.upper}", "unknown placeholder {tenant.upper}"),
        ("DOCFLOW_SUSPENSION_TEMPLATE", "{tenant[0]}", "unknown placeholder {tenant[0]}"),
        (
            "DOCFLOW_SUSPENSION_TEMPLATE",
            "{tenant:{tenant}}",
            "unknown placeholder {tenant:{tenant}}",
        ),
        ("DOCFLOW_SUSPENSION_TEMPLATE", "Hello {tenant", "not a valid template (expected '}'"),
        ("DOCFLOW_SUSPENSION_SUBJECT", "{tenant} }", "not a valid template (Single '}'"),
        ("DOCFLOW_SUSPENSION_TEMPLATE", "{tenant:d}", "cannot be filled (Unknown format code 'd'"),
        ("DOCFLOW_SUSPENSION_TEMPLATE", "{tenant!x}", "cannot be filled (Unknown conversion"),
    ],
)
def test_a_notice_template_that_cannot_be_filled_stops_start_up(env, value, problem):
    with pytest.raises(ConfigError) as info:
        Settings.from_env({env: value})
    message = str(info.value)
    assert message.startswith(f"invalid settings: {env}={value!r}: {problem}")
    assert "the placeholders are {tenant} and {grace_period_ends_at}" in message
    assert "\n" not in message


def test_a_notice_subject_of_two_lines_stops_start_up():
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"DOCFLOW_SUSPENSION_SUBJECT": "read-only\\n{tenant}"})
    assert str(info.value) == (
        "invalid settings: DOCFLOW_SUSPENSION_SUBJECT='read-only\\\\n{tenant}': must be one "
        "line, without \\n: an e-mail header cannot hold a line break"
    )


def test_notice_templates_with_the_known_placeholders_load():
    settings = Settings.from_env(
        {
            "DOCFLOW_SUSPENSION_SUBJECT": "{{DocFlow}} {tenant!r:>10} read-only",
            "DOCFLOW_SUSPENSION_TEMPLATE": "{tenant}\\nended {grace_period_ends_at}",
        }
    )
    values = suspension_values("acme", datetime(2026, 3, 1, 9, 30, tzinfo=UTC))
    assert settings.suspension_subject.format(**values) == "{DocFlow}     'acme' read-only"
    assert settings.suspension_template.format(**values) == "acme\nended 2026-03-01 09:30:00 UTC"


# --- e-mail addresses and the storage root ---------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "noreply@docflow.example",
        "DocFlow <noreply@docflow.example>",
        '"DocFlow, billing" <billing@docflow.example>',
    ],
)
def test_an_email_sender_address_loads(value):
    assert Settings.from_env({"DOCFLOW_EMAIL_SENDER": value}).email_sender == value


@pytest.mark.parametrize(
    "value",
    [
        "not an email",
        "noreply",
        "@docflow.example",
        "noreply@",
        "no reply@docflow.example",
        "DocFlow <no reply@docflow.example>",
        "a@b@docflow.example",
        "a@docflow.example, b@docflow.example",
        "DocFlow\n<noreply@docflow.example>",
    ],
)
def test_a_bad_email_sender_stops_start_up(value):
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"DOCFLOW_EMAIL_SENDER": value})
    message = str(info.value)
    assert message.startswith(f"invalid settings: DOCFLOW_EMAIL_SENDER={value!r}: expected one")
    assert "e.g. DocFlow <noreply@docflow.example>" in message and "\n" not in message


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_storage_root_stops_start_up(value):
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"DOCFLOW_STORAGE_ROOT": value})
    message = str(info.value)
    assert message.startswith(f"invalid settings: DOCFLOW_STORAGE_ROOT={value!r}: must not be")
    assert "current directory" in message and "var/storage" in message


# --- what `docflow settings` shows ------------------------------------------------------------


def test_current_shows_set_values_with_their_default_and_hides_secrets():
    rows = {
        variable: (value, default)
        for variable, value, default, _ in current(
            {
                "DOCFLOW_LEASE_SECONDS": " 600 ",
                "DOCFLOW_DATABASE_URL": "postgresql://bob:hunter2@db/docflow",
                "DOCFLOW_BILLING_TOKEN": "tok-s3cret",
                "DOCFLOW_SMTP_URL": "",
            }
        )
    }
    assert rows["DOCFLOW_LEASE_SECONDS"] == ("'600'", "'300'")
    assert rows["DOCFLOW_MAX_RETRIES"] == ("'3'", None)
    assert rows["DOCFLOW_DATABASE_URL"] == ("'postgresql://bob:***@db/docflow'", repr(DEFAULT_DB))
    assert rows["DOCFLOW_BILLING_TOKEN"] == ("(value hidden)", "''")
    assert rows["DOCFLOW_SMTP_URL"] == ("''", "''")
    assert set(rows) == {variable for variable, _, _ in describe()}
