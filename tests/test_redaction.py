"""Credentials in connection URLs never reach output, also from values that do not parse."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from docflow.cli import cli
from docflow.db import connect, open_database
from docflow.errors import ConfigError, DatabaseError
from docflow.redaction import excerpt, hide_userinfo, redact, redact_url, without_userinfo
from docflow.settings import Settings, current
from tests.conftest import PG_ADMIN_URL, make_settings, require_service

PASSWORD = "hunter2"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("mysql://root:hunter2@127.0.0.1/ceo", "mysql://root:***@127.0.0.1/ceo"),
        ("postgres//bob:hunter2@h/db", "postgres//bob:***@h/db"),
        ("postgresql:/bob:hunter2@h/db", "postgresql:/bob:***@h/db"),
        ("sqlite://bob:hunter2@h/x", "sqlite://bob:***@h/x"),
        ("rediss//:hunter2@h:6379", "rediss//:***@h:6379"),
        ("http:\\\\bob:hunter2@h/", "http:\\\\bob:***@h/"),
        ("bob:hunter2@h/db", "bob:***@h/db"),  # no scheme at all
        ("postgresql://bob:hun@ter2@h/db", "postgresql://bob:***@h/db"),  # "@" in the password
        ("postgresql://bob:hun/ter2@h/db", "postgresql://bob:***@h/db"),  # "/" in the password
        ("bob:hun/t:er2@h", "bob:***@h"),
        ("postgresql://bob:hunter2@[::1]:5432/db", "postgresql://bob:***@[::1]:5432/db"),
        ('FATAL: database "bob:hunter2@h/db" does not exist', 'FATAL: database "bob:***@h/db" does not exist'),
        ("at x='redis://:hunter2@h:1/0': bad", "at x='redis://:***@h:1/0': bad"),
        ("http://bob@h/ and ops@acme.example", "http://bob@h/ and ops@acme.example"),
        ("DocFlow <noreply@docflow.invalid>", "DocFlow <noreply@docflow.invalid>"),
    ],
)  # fmt: skip
def test_redact_masks_passwords_in_urls_it_cannot_parse(text, shown):
    assert redact(text) == shown


def test_a_whole_url_is_masked_as_one_with_spaces_or_quotes_in_its_password():
    assert redact_url("postgresql://bob:hun ter'2@h/db") == "postgresql://bob:***@h/db"


def test_userinfo_is_dropped_or_hidden_whole():
    assert without_userinfo("https://tok3n@h/x") == "https://h/x"
    assert hide_userinfo("https://bob:hunter2@h/x") == "https://***@h/x"
    assert hide_userinfo("https://h/x") == "https://h/x"


def test_excerpt_is_one_line_with_control_characters_escaped():
    text = '{"error": "db\n\x1b[2Jdown\u202e", "dsn": "postgresql://u:hunter2@db/x"}\t'
    assert excerpt(text, 200) == (
        '{"error": "db\\n\\x1b[2Jdown\\u202e", "dsn": "postgresql://u:***@db/x"}\\t'
    )
    assert excerpt("é" * 50, 10) == "é" * 9 + "…"


MALFORMED = [
    ("DOCFLOW_DATABASE_URL", "mysql://root:hunter2@127.0.0.1/ceo"),
    ("DOCFLOW_DATABASE_URL", "postgres//bob:hunter2@127.0.0.1/db"),
    ("DOCFLOW_DATABASE_URL", "sqlite://bob:hunter2@127.0.0.1/x"),
    ("DOCFLOW_DATABASE_URL", "postgresql:/bob:hunter2@127.0.0.1/db"),
    ("DOCFLOW_DATABASE_URL", "postgresql://u:hunter2@host:notaport/db"),
    ("DOCFLOW_DATABASE_URL", "postgresql://u:hunter2@host:99999/db"),
    ("DOCFLOW_DATABASE_URL", "postgresql://u:hun#ter2@host/db"),
    ("DOCFLOW_DATABASE_URL", "postgresql://u:hunter2 @host/db"),
    ("DOCFLOW_DATABASE_URL", "postgresql://u:hunter2@[::1/db"),
    ("DOCFLOW_DATABASE_URL", "bob:hunter2@127.0.0.1/db"),
    ("DOCFLOW_REDIS_URL", "rediss//:hunter2@127.0.0.1:6379"),
    ("DOCFLOW_REDIS_URL", "redis:/:hunter2@127.0.0.1:6379/0"),
    ("DOCFLOW_REDIS_URL", "redis://:hunter2@127.0.0.1:port/0"),
    ("DOCFLOW_REDIS_URL", "redis://:hunter2@127.0.0.1:6379/zero"),
    ("DOCFLOW_BILLING_URL", "ftp://u:hunter2@billing.example/"),
    ("DOCFLOW_BILLING_URL", "https//u:hunter2@billing.example/"),
    ("DOCFLOW_BILLING_URL", "https://u:hunter2@billing.example:xx/"),
]


@pytest.mark.parametrize(("variable", "value"), MALFORMED)
def test_a_malformed_url_setting_is_one_line_naming_it_without_the_password(variable, value):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({variable: value})
    message = str(caught.value)
    assert PASSWORD not in message and "ter2" not in message
    assert "\n" not in message and message.startswith(f"invalid settings: {variable}=")
    assert "://" in message.rpartition("': ")[2]  # the fix: what a good URL looks like


@pytest.mark.parametrize(("variable", "value"), MALFORMED)
def test_commands_refuse_a_malformed_url_in_one_line_writing_nothing(
    tmp_path, monkeypatch, variable, value
):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["status"], env={variable: value})
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and PASSWORD not in result.output
    assert list(tmp_path.iterdir()) == []  # not even the default ./var/docflow.sqlite3


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:hunter2@host:notaport/db",
        "postgresql://u:hun#ter2@host/db",
        "postgresql://u:hunter2@[::1/db",
    ],
)
def test_connect_refuses_a_url_the_driver_cannot_read_in_one_line(url):
    with pytest.raises(ConfigError) as caught:
        connect(url)
    assert "\n" not in str(caught.value) and "port" in str(caught.value)
    assert "ter2" not in str(caught.value) and caught.value.__cause__ is None


def test_the_one_slash_form_is_refused_before_the_driver_repeats_it():
    with pytest.raises(ConfigError, match="postgresql://user:password@host:5432/dbname"):
        Settings.from_env({"DOCFLOW_DATABASE_URL": "postgresql:/postgres:hunter2@127.0.0.1/db"})


def test_a_driver_quoting_what_it_was_given_does_not_carry_the_password_out(tmp_path, monkeypatch):
    # Past the settings check (as a URL built in code would be): PostgreSQL takes the rest
    # of a one-slash URL for a database name, and its refusal quotes that name.
    require_service("PostgreSQL", PG_ADMIN_URL)
    admin = urlsplit(PG_ADMIN_URL)
    monkeypatch.setenv("PGHOST", admin.hostname or "127.0.0.1")
    monkeypatch.setenv("PGPORT", str(admin.port or 5432))
    monkeypatch.setenv("PGUSER", admin.username or "postgres")
    settings = dataclasses.replace(
        make_settings(tmp_path), database_url=f"postgresql:/bob:{PASSWORD}@127.0.0.1/db"
    )
    with pytest.raises(DatabaseError) as caught, open_database(settings):
        pass
    message = str(caught.value)
    assert "does not exist" in message and "bob:***@127.0.0.1/db" in message
    assert PASSWORD not in message and "\n" not in message


def test_docflow_settings_masks_a_url_password_typed_with_a_space():
    rows = {v: shown for v, shown, _, _ in current({"DOCFLOW_REDIS_URL": "redis://:hun ter2@h/0"})}
    assert rows["DOCFLOW_REDIS_URL"] == "'redis://:***@h/0'"
