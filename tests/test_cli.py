"""The `docflow` command: happy paths and bad input (clear message, non-zero exit, nothing written)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from docflow.cli import cli
from docflow.db import open_database
from docflow.models import AuditEvent, Document, DocumentStatus, JobRun, Tenant, utcnow
from docflow.queues import get_queue
from docflow.schedule import register
from tests import factories


@pytest.fixture
def env(settings):
    return {k: v for k, v in settings.env().items()}


def invoke(env, *args, input=None):
    return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)


@pytest.fixture
def migrated(env):
    result = invoke(env, "migrate")
    assert result.exit_code == 0, result.output
    assert "to schema version" in result.output
    again = invoke(env, "migrate")
    assert "up to date" in again.output
    assert invoke(env, "tenants", "add", "acme", "--email", "ops@acme.example").exit_code == 0
    return env


def count_documents(settings):
    with open_database(settings):
        return Document.select().count()


def test_upload_creates_row_and_queues_one_classification(migrated, settings, tmp_path, redis_conn):
    files = []
    for i in range(3):
        path = tmp_path / f"invoice-{i}.txt"
        path.write_text(f"Invoice {i}: total due 10 EUR")
        files.append(str(path))
    result = invoke(migrated, "upload", "--tenant", "acme", *files)
    assert result.exit_code == 0, result.output
    assert result.output.count("uploaded invoice-") == 3
    assert "classification queued" in result.output
    again = invoke(migrated, "upload", "--tenant", "acme", files[0])
    assert "classification already queued" in again.output
    assert get_queue(redis_conn, settings, "high").count == 1
    assert count_documents(settings) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["upload", "--tenant", "nobody", "FILE"], "unknown tenant 'nobody'"),
        (["upload", "--tenant", "acme", "MISSING"], "no such file"),
        (["upload", "--tenant", "acme", "EMPTY"], "the file is empty"),
        (["upload", "--tenant", "acme", "BIG"], "over the upload limit"),
        (["upload", "--tenant", "acme", "BINARY"], "not a document DocFlow reads (binary data)"),
        (["enqueue", "classify_documents", "--batch-size", "0"], "from 1 to 10000"),
        (["enqueue", "classify_documents", "--batch-size", "10001"], "from 1 to 10000"),
        (["enqueue", "classify_documents", "--batch-size", "abc"], "whole number"),
        (["enqueue", "retry_failed_documents", "--max-retries", "-1"], "from 0 to 100"),
        (["enqueue", "no_such_job"], "unknown job 'no_such_job'"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    migrated, settings, tmp_path, redis_conn, args, message
):
    paths = {
        "FILE": tmp_path / "ok.txt",
        "MISSING": tmp_path / "missing.txt",
        "EMPTY": tmp_path / "empty.txt",
        "BIG": tmp_path / "big.txt",
        "BINARY": tmp_path / "program.pdf",
    }
    paths["FILE"].write_text("hello")
    paths["EMPTY"].write_bytes(b"")
    paths["BIG"].write_bytes(b"a" * (settings.max_upload_bytes + 1))
    paths["BINARY"].write_bytes(b"\x7fELF\x02\x01" + bytes(range(256)) * 8)
    argv = [str(paths.get(a, a)) for a in args]
    result = invoke(migrated, *argv)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert count_documents(settings) == 0
    assert factories.stored_files(settings) == []
    assert redis_conn.keys("rq:job:*") == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/db", "DOCFLOW_DATABASE_URL"),
        ("sqlite://no-third-slash.db", "three slashes"),
        ("postgresql://nobody@127.0.0.1:1/nowhere", "cannot open the database"),
    ],
)
def test_bad_database_url(env, url, message):
    env = {**env, "DOCFLOW_DATABASE_URL": url}
    result = invoke(env, "migrate")
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_password_never_shown(env):
    env = {**env, "DOCFLOW_DATABASE_URL": "postgresql://app:hunter2@127.0.0.1:1/x"}
    result = invoke(env, "migrate")
    assert result.exit_code == 1
    assert "hunter2" not in result.output
    assert "app:***@" in result.output


def test_commands_on_an_unmigrated_database_say_what_to_do(env):
    result = invoke(env, "tenants", "list")
    assert result.exit_code == 1
    assert "docflow migrate" in result.output


def test_settings_shows_the_values_of_the_environment(env):
    env = {**env, "DOCFLOW_LEASE_SECONDS": "600", "DOCFLOW_SCHEDULE_REPORT_USAGE": "off"}
    result = invoke(env, "settings")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "DOCFLOW_LEASE_SECONDS='600'  (set; default '300')" in lines
    assert (
        f"DOCFLOW_QUEUE_PREFIX={env['DOCFLOW_QUEUE_PREFIX']!r}  (set; default 'docflow')" in lines
    )
    assert "DOCFLOW_SCHEDULE_REPORT_USAGE='off'  (set; default '0 * * * *')" in lines
    assert "DOCFLOW_SCHEDULE_CHECK_QUOTAS='15 * * * *'  (default)" in lines
    assert "    How long a claimed row stays claimed before another worker may take it." in lines


def test_settings_hides_secrets(env):
    secrets = {
        "DOCFLOW_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "DOCFLOW_BILLING_TOKEN": "tok-s3cret",
        "DOCFLOW_SMTP_URL": "smtp://mailer:hunter2@127.0.0.1:2525",
    }
    env = {**env, **secrets, "DOCFLOW_DATABASE_URL": "postgresql://app:pgpass@db/docflow"}
    result = invoke(env, "settings")
    assert result.exit_code == 0, result.output
    for variable in secrets:
        assert f"{variable}=(value hidden)  (set; default '')" in result.output
    assert "DOCFLOW_DATABASE_URL='postgresql://app:***@db/docflow'" in result.output
    for value in ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "tok-s3cret", "hunter2", "pgpass"):
        assert value not in result.output


@pytest.mark.parametrize(
    ("variable", "value", "error"),
    [
        (
            "DOCFLOW_LEASE_SECONDS",
            "abc",
            "Error: invalid settings: DOCFLOW_LEASE_SECONDS='abc': "
            "expected a whole number from 1 to 86400",
        ),
        (
            "DOCFLOW_WEBHOOK_SECRET",
            "whsec_not-base64",
            "Error: invalid settings: DOCFLOW_WEBHOOK_SECRET=(value hidden): ",
        ),
        (
            "DOCFLOW_SCHEDULE_NO_SUCH_JOB",
            "off",
            "Error: DOCFLOW_SCHEDULE_NO_SUCH_JOB names no job; a schedule is set per job: ",
        ),
    ],
)
def test_settings_fails_on_a_bad_value_with_the_one_line_error(env, variable, value, error):
    result = invoke({**env, variable: value}, "settings")
    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith(error)
    assert "not-base64" not in line


@pytest.mark.parametrize("command", [["settings"], ["worker", "--burst"], ["scheduler", "--burst"]])
@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DOCFLOW_CLASSIFIER", "docflow.services.classifier:Classification"),
        ("DOCFLOW_SUSPENSION_TEMPLATE", "Dear {customer}"),
        ("DOCFLOW_EMAIL_SENDER", "not an email"),
        ("DOCFLOW_STORAGE_ROOT", " "),
    ],
)
def test_every_process_refuses_to_start_on_a_bad_setting(env, command, variable, value):
    result = invoke({**env, variable: value}, *command)
    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith(f"Error: invalid settings: {variable}={value!r}: ")


def test_enqueue_puts_a_validated_job_on_its_queue(migrated, settings, redis_conn):
    result = invoke(
        migrated, "enqueue", "retry_failed_documents", "--max-retries", "5", "--queue", "low"
    )
    assert result.exit_code == 0, result.output
    [job] = get_queue(redis_conn, settings, "low").jobs
    assert job.kwargs == {"max_retries": 5}


def test_tenant_names_are_validated(migrated, settings):
    assert "invalid tenant name" in invoke(migrated, "tenants", "add", "Bad Name").output
    assert "already exists" in invoke(migrated, "tenants", "add", "acme").output
    with open_database(settings):
        assert [t.name for t in Tenant.select()] == ["acme"]


def test_dlq_commands(migrated, settings, redis_conn):
    with open_database(settings):
        owner = Tenant.get(Tenant.name == "acme")
        docs = [
            factories.document(settings, owner, "x", status=DocumentStatus.DEAD_LETTERED,
                               dead_letter_reason="gave up after 3 retries")
            for _ in range(3)
        ]  # fmt: skip
    listing = invoke(migrated, "dlq", "list")
    assert (
        "gave up after 3 retries" in listing.output
        and "3 documents, 0 webhook events" in listing.output
    )
    assert invoke(migrated, "dlq", "requeue").exit_code == 2
    assert "requeued 1 document(s)" in invoke(migrated, "dlq", "requeue", str(docs[0].id)).output
    assert (
        "not in the dead-letter queue: 424242"
        in invoke(migrated, "dlq", "purge", "--yes", "424242").output
    )
    assert invoke(migrated, "dlq", "purge", str(docs[1].id), input="n\n").exit_code == 1
    assert (
        "purged 1 document(s)" in invoke(migrated, "dlq", "purge", "--yes", str(docs[1].id)).output
    )
    assert "requeued 1 document(s)" in invoke(migrated, "dlq", "requeue", "--all").output
    with open_database(settings):
        assert Document.select().where(Document.status == DocumentStatus.PENDING).count() == 2
        actions = sorted(a.action for a in AuditEvent.select() if a.action.startswith("document."))
    assert actions == ["document.dlq_purged", "document.dlq_requeued", "document.dlq_requeued"]


def test_status_shows_documents_queues_and_runs(migrated, settings, redis_conn):
    with open_database(settings):
        factories.document(settings, Tenant.get(Tenant.name == "acme"), "x")
    result = invoke(migrated, "status")
    assert result.exit_code == 0, result.output
    assert "acme" in result.output and "Pending" in result.output
    assert f"{settings.queue_prefix}-high" in result.output
    assert "(no runs yet)" in result.output
    assert "Periodic jobs" in result.output
    # Not registered yet: no next run.
    assert re.search(r"^deliver_webhooks +\* \* \* \* \* +- +-$", result.output, re.M)


def test_status_shows_next_periodic_runs_once_registered(migrated, settings, redis_conn):
    register(redis_conn, settings)
    result = invoke(migrated, "status")
    line = re.search(r"^classify_documents +\* \* \* \* \* +- +(\S+ \S+) UTC$", result.output, re.M)
    assert line, result.output
    next_run = datetime.strptime(line[1], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert timedelta(0) < next_run - datetime.now(UTC) <= timedelta(seconds=61)


def test_seed_creates_tenants_documents_and_files(migrated, settings):
    result = invoke(
        migrated,
        "seed",
        "--tenants",
        "4",
        "--documents",
        "300",
        "--unreadable-ratio",
        "0.1",
        "--random-seed",
        "3",
    )
    assert result.exit_code == 0, result.output
    assert "seeded 300 documents" in result.output
    with open_database(settings):
        assert Tenant.select().count() == 4  # acme is one of the demo tenants, reused
        assert Document.select().where(Document.status == DocumentStatus.PENDING).count() == 300
        corrupt_or_missing = 300 - len(factories.stored_files(settings))
    assert 0 < corrupt_or_missing < 300 * 0.1
    skipped = invoke(migrated, "seed", "--if-empty", "--documents", "10")
    assert "not seeding" in skipped.output
    with open_database(settings):
        assert Document.select().count() == 300


def test_seed_with_history_spreads_uploads_over_past_days(migrated, settings):
    result = invoke(migrated, "seed", "--tenants", "2", "--documents", "200", "--history-days", "3")
    assert result.exit_code == 0, result.output
    now = datetime.now(UTC)
    with open_database(settings):
        ages = [now - d.created_at for d in Document.select()]
        signed_up = {t.name: now - t.created_at for t in Tenant.select()}
    assert all(timedelta(0) <= age <= timedelta(days=3) for age in ages)
    assert max(ages) > timedelta(days=2)  # spread, not all at one moment
    assert signed_up["globex"] >= max(ages)  # a new demo tenant signed up before its uploads


def test_watch_until_idle_exits_when_nothing_is_pending(migrated, settings):
    with open_database(settings):
        factories.document(
            settings, Tenant.get(Tenant.name == "acme"), "x", status=DocumentStatus.CLASSIFIED
        )
    result = invoke(migrated, "watch", "--until-idle", "--interval", "0.1")
    assert result.exit_code == 0, result.output
    assert "Classified=1" in result.output


def test_watch_gives_up_after_its_timeout(migrated, settings):
    with open_database(settings):
        factories.document(settings, Tenant.get(Tenant.name == "acme"), "x")
    result = invoke(migrated, "watch", "--until-idle", "--interval", "0.1", "--timeout", "1")
    assert result.exit_code == 1
    assert "still 1 documents or events in progress" in result.output


def test_status_counts_abandoned_runs_against_the_success_rate(migrated, settings, redis_conn):
    now = utcnow()
    with open_database(settings):
        for outcome in ("succeeded", "succeeded", "succeeded", "abandoned"):
            JobRun.create(job="classify_documents", started_at=now, finished_at=now,
                          outcome=outcome)  # fmt: skip
        JobRun.create(job="classify_documents", started_at=now - timedelta(days=2),
                      finished_at=now, outcome="failed")  # fmt: skip
    result = invoke(migrated, "status")
    assert result.exit_code == 0, result.output
    assert re.search(r"^classify_documents +3 +0 +1 +0 +75\.0%$", result.output, re.M), (
        result.output
    )


def test_audit_list_shows_who_did_what_newest_first_and_filters(migrated, redis_conn):
    alice = {**migrated, "DOCFLOW_OPERATOR": "alice"}
    assert invoke(alice, "queues", "pause", "low").exit_code == 0
    assert invoke(alice, "queues", "resume", "low").exit_code == 0
    listed = invoke(alice, "audit", "list")
    assert listed.exit_code == 0, listed.output
    lines = [line for line in listed.output.splitlines() if "queue." in line]
    assert "queue.resumed" in lines[0] and "queue.paused" in lines[1]  # newest first
    assert "operator:alice" in lines[0]
    only = invoke(alice, "audit", "list", "--action", "queue.paused", "--json")
    rows = [json.loads(line) for line in only.output.splitlines()]
    assert [r["action"] for r in rows] == ["queue.paused"]
    assert rows[0]["actor"] == "operator:alice" and rows[0]["subject_type"] == "queue"
    tenant_rows = invoke(alice, "audit", "list", "--tenant", "acme", "--json").output.splitlines()
    assert all(json.loads(r)["tenant"] == "acme" for r in tenant_rows)
    assert "(no audit rows match)" in invoke(alice, "audit", "list", "--actor", "nobody").output
    recent = invoke(alice, "audit", "list", "--since", "1h", "--action", "queue.")
    assert recent.output.count("queue.") == 2


def test_audit_list_refuses_bad_filters_with_one_line(migrated):
    for args, message in ((("--tenant", "nope"), "unknown tenant 'nope'"),
                          (("--since", "5x"), "invalid date '5x'"),
                          (("--since", "-5m"), "--since '-5m'")):  # fmt: skip
        result = invoke(migrated, "audit", "list", *args)
        assert result.exit_code != 0 and message in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1
