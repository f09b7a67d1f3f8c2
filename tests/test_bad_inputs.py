"""Every command with every kind of bad value: one line, a non-zero exit, nothing written.

The table runs each command of `docflow --help` (and of each group's --help) with the
values a fuzzer, a newcomer or a script typo produce: integers that overflow the columns,
negatives, other scripts' digits, ' 5' and '1_000' (which int() takes), empty strings,
far-future and past dates, unknown tenants, ids and categories, control characters in
names, and bad URLs. Each must print exactly one line, ``Error: ...`` naming the problem,
exit non-zero, raise no traceback, and leave the database (every row of every table), the
storage root and Redis as they were. It runs on SQLite and PostgreSQL.

Commands that would start a long-running process when a bad value slipped through
(worker, scheduler, console, metrics, watch, bench) get only values that both the old and
the new parsers refuse, so a regression fails here instead of hanging the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from click.testing import CliRunner, Result

from docflow import parse
from docflow.cli import cli
from docflow.db import open_database
from docflow.models import (
    ALL_MODELS,
    DocumentStatus,
    EventStatus,
    Tenant,
    WebhookEndpoint,
    WebhookEvent,
)
from docflow.settings import Settings
from docflow.when import parse_duration, run_at
from tests import factories

TOO_BIG = str(2**63)  # one past a BIGINT: SQLite's OverflowError, PostgreSQL's out of range
HUGE = "9" * 30
ARABIC_FIVE = "\u0665"  # ٥, which int() reads as 5
FAR_FUTURE = "9999-12-31"
PAST = "2001-01-01"
SOON = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
UNKNOWN_TENANT = "unknown tenant 'nobody'"
WHOLE = "is not a whole number"


class NotOneLine(AssertionError):
    """The refusal was right but printed more than one line."""


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    message: str
    env: dict[str, str] = field(default_factory=dict)
    hidden: str | None = None
    """A secret in the input that must not reach the output."""


def case(*args: str, message: str, env: dict[str, str] | None = None, hidden: str | None = None,
         marks=()) -> object:  # fmt: skip
    shown = " ".join([*args, *(f"{k}={v}" for k, v in (env or {}).items())])
    return pytest.param(Case(args, message, env or {}, hidden), marks=marks, id=shown[:80])


def usage(*args: str, message: str, marks=()) -> object:
    """A case refused by click's parser (shown as one line by DocflowGroup, exit 2)."""
    return case(*args, message=message, marks=marks)


CASES = [
    # tenants
    case("tenants", "add", "Bad Name", message="invalid tenant name 'Bad Name'"),
    case("tenants", "add", "", message="invalid tenant name ''"),
    case("tenants", "add", "new\nline", message="invalid tenant name 'new\\nline'"),
    case("tenants", "add", "acme", message="tenant 'acme' already exists"),
    case("tenants", "add", "newco", "--email", "not-an-email", message="invalid email address"),
    case("tenants", "add", "newco", "--email", "a@b.example\nBcc: c@d.example",
         message="invalid email address"),
    case("tenants", "show", "nobody", message=UNKNOWN_TENANT),
    case("tenants", "activate", "nobody", message=UNKNOWN_TENANT),
    case("tenants", "unblock", "nobody", message=UNKNOWN_TENANT),
    case("tenants", "set-limits", "nobody", "--max-documents", "5", message=UNKNOWN_TENANT),
    case("tenants", "set-limits", "acme", message="give --max-documents, --max-bytes, or --unlimited"),
    case("tenants", "set-limits", "acme", "--max-bytes", "5", "--unlimited", message="not both"),
    usage("tenants", "set-limits", "acme", "--max-documents", TOO_BIG,
          message="is not in the range 0<=x<=9223372036854775807"),
    usage("tenants", "set-limits", "acme", "--max-bytes", HUGE,
          message="is not in the range 0<=x<=9223372036854775807"),
    usage("tenants", "set-limits", "acme", "--max-documents", "-1", message=WHOLE),
    usage("tenants", "set-limits", "acme", "--max-documents", " 5", message=WHOLE),
    usage("tenants", "set-limits", "acme", "--max-documents", "1_000", message=WHOLE),
    usage("tenants", "set-limits", "acme", "--max-documents", ARABIC_FIVE, message=WHOLE),
    usage("tenants", "set-limits", "acme", "--max-documents", "", message=WHOLE),
    usage("tenants", "set-limits", "acme", "--max-bytes", "1e3", message=WHOLE),
    usage("tenants", "set-limits", "acme", "--max-bytes", "0x10", message=WHOLE),
    case("tenants", "set-grace", "acme", "--until", PAST, message="is in the past"),
    case("tenants", "set-grace", "acme", "--until", "", message="invalid date ''"),
    case("tenants", "set-grace", "acme", "--until", "\u0662\u0660\u0662\u0667-\u0660\u0661-\u0660\u0661",
         message="invalid date"),
    case("tenants", "set-grace", "acme", "--until", "9999-12-31T23:00-05:00", message="out of range"),
    case("tenants", "set-grace", "acme", "--until", "next tuesday", message="invalid date"),
    case("tenants", "set-grace", "acme", "--until", f"{SOON}T10:00", message="no zone"),
    case("tenants", "set-grace", "nobody", "--until", SOON, message=UNKNOWN_TENANT),
    usage("tenants", "set-grace", "acme", message="Missing option '--until'"),
    # documents, upload, seed
    case("documents", "list", "--tenant", "nobody", message=UNKNOWN_TENANT),
    usage("documents", "list", "--status", "lost", message="'lost' is not one of"),
    usage("documents", "list", "--category", "bill", message="'bill' is not one of"),
    usage("documents", "list", "--limit", "0", message="not in the range"),
    usage("documents", "list", "--limit", TOO_BIG, message="not in the range"),
    usage("documents", "list", "--limit", " 5", message=WHOLE),
    usage("documents", "list", "--limit", ARABIC_FIVE, message=WHOLE),
    usage("documents", "show", "0", message="not in the range"),
    usage("documents", "show", "-1", message="No such option '-1'"),
    usage("documents", "show", TOO_BIG, message="not in the range"),
    usage("documents", "show", ARABIC_FIVE, message=WHOLE),
    usage("documents", "show", "abc", message=WHOLE),
    case("documents", "show", "424242", message="no document 424242"),
    case("documents", "show", "1", "--tenant", "nobody", message=UNKNOWN_TENANT),
    case("upload", "--tenant", "nobody", "FILE", message=UNKNOWN_TENANT),
    case("upload", "--tenant", "", "FILE", message="unknown tenant ''"),
    case("upload", "--tenant", "acme", "MISSING", message="no such file"),
    case("upload", "--tenant", "acme", "EMPTY", message="the file is empty"),
    case("upload", "--tenant", "acme", "NEWLINE", message="forged\\nERROR.txt: the file is empty"),
    case("upload", "--tenant", "acme", "FOLDER", message="not a regular file"),
    case("upload", "--tenant", "acme", "BINARY", message="not a document DocFlow reads"),
    case("upload", "--tenant", "acme", "FILE", "EMPTY", message="the file is empty"),
    usage("upload", "--tenant", "acme", message="Missing argument 'FILES...'"),
    usage("seed", "--tenants", "0", message="not in the range"),
    usage("seed", "--tenants", " 5", message=WHOLE),
    usage("seed", "--documents", "-1", message=WHOLE),
    usage("seed", "--documents", "1_000", message=WHOLE),
    usage("seed", "--unreadable-ratio", "2", message="not in the range"),
    usage("seed", "--unreadable-ratio", "nan", message="is not a number"),
    usage("seed", "--expired-ratio", " 0.5", message="is not a number"),
    usage("seed", "--history-days", "3651", message="not in the range"),
    usage("seed", "--random-seed", "-1", message=WHOLE),
    usage("seed", "--random-seed", ARABIC_FIVE, message=WHOLE),
    usage("seed", "--mix", "nonsense", message="'nonsense' is not one of"),
    # dlq
    case("dlq", "list", "--tenant", "nobody", message=UNKNOWN_TENANT),
    usage("dlq", "list", "--limit", "0", message="not in the range"),
    usage("dlq", "list", "--limit", ARABIC_FIVE, message=WHOLE),
    usage("dlq", "list", "--kind", "mail", message="'mail' is not one of"),
    usage("dlq", "requeue", message="give ids, or --all"),
    usage("dlq", "requeue", "--all", "2", message="give ids or --all, not both"),
    case("dlq", "requeue", "abc", message="'abc' is neither a document number nor"),
    case("dlq", "requeue", ARABIC_FIVE, message="is neither a document number nor"),
    case("dlq", "requeue", TOO_BIG, message="is neither a document number nor"),
    case("dlq", "requeue", "msg_\nforged", message="'msg_\\nforged' is neither"),
    case("dlq", "requeue", "424242", message="not in the dead-letter queue: 424242"),
    case("dlq", "requeue", "1", message="not in the dead-letter queue: 1"),
    case("dlq", "requeue", "msg_nope", message="not in the dead-letter queue: msg_nope"),
    case("dlq", "requeue", "--all", "--tenant", "nobody", message=UNKNOWN_TENANT),
    case("dlq", "requeue", "2", "--tenant", "globex", message="not in globex's dead-letter queue"),
    case("dlq", "purge", "--yes", "abc", message="is neither a document number nor"),
    case("dlq", "purge", "--yes", "424242", message="not in the dead-letter queue"),
    case("dlq", "purge", "--all", "--tenant", "nobody", message=UNKNOWN_TENANT),
    case("dlq", "purge", "--all", "--yes", "--tenant", "nobody", message=UNKNOWN_TENANT),
    # enqueue and its times (docflow/when.py)
    case("enqueue", "no_such_job", message="unknown job 'no_such_job'"),
    case("enqueue", "classify_documents", "--batch-size", "0", message="from 1 to 10000"),
    case("enqueue", "classify_documents", "--batch-size", TOO_BIG, message="from 1 to 10000"),
    case("enqueue", "classify_documents", "--batch-size", " 5", message="whole number"),
    case("enqueue", "classify_documents", "--batch-size", "1_000", message="whole number"),
    case("enqueue", "classify_documents", "--batch-size", ARABIC_FIVE, message="whole number"),
    case("enqueue", "classify_documents", "--batch-size", "", message="whole number"),
    case("enqueue", "retry_failed_documents", "--max-retries", "-1", message="from 0 to 100"),
    case("enqueue", "check_quotas", "--at", FAR_FUTURE, message="more than 365 days ahead"),
    case("enqueue", "check_quotas", "--at", PAST, message="is in the past"),
    case("enqueue", "check_quotas", "--at", "", message="invalid date ''"),
    case("enqueue", "check_quotas", "--at", "9999-12-31T23:00-05:00", message="out of range"),
    case("enqueue", "check_quotas", "--in", " 5", message="invalid --in ' 5'"),
    case("enqueue", "check_quotas", "--in", "1_000", message="invalid --in '1_000'"),
    case("enqueue", "check_quotas", "--in", ARABIC_FIVE, message="invalid --in"),
    case("enqueue", "check_quotas", "--in", ARABIC_FIVE + "m", message="invalid --in"),
    case("enqueue", "check_quotas", "--in", "inf", message="invalid --in 'inf'"),
    case("enqueue", "check_quotas", "--in", "", message="invalid --in ''"),
    case("enqueue", "check_quotas", "--in", "0", message="positive delay up to 365d"),
    case("enqueue", "check_quotas", "--in", "400d", message="positive delay up to 365d"),
    case("enqueue", "check_quotas", "--in", HUGE, message="positive delay up to 365d"),
    case("enqueue", "check_quotas", "--at", SOON, "--in", "5m", message="not both"),
    usage("enqueue", "check_quotas", "--queue", "urgent", message="'urgent' is not one of"),
    # queues
    usage("queues", "pause", "urgent", message="'urgent' is not one of"),
    usage("queues", "resume", "", message="'' is not one of"),
    # review, labels, classifier (docflow/cli/learning.py)
    case("review", "list", "--tenant", "nobody", message=UNKNOWN_TENANT),
    usage("review", "list", "--limit", " 5", message=WHOLE),
    usage("review", "list", "--limit", "0", message="not in the range"),
    usage("review", "show", "0", message="not in the range"),
    usage("review", "show", TOO_BIG, message="not in the range"),
    case("review", "show", "424242", message="424242"),
    usage("review", "assign", "1", "--category", "bill", message="'bill' is not one of"),
    case("review", "assign", "424242", "--category", "invoice", message="424242"),
    case("review", "assign", "1", "--category", "invoice", "--tenant", "nobody",
         message=UNKNOWN_TENANT),
    case("labels", "import", "MISSING", "--tenant", "acme", message="not a folder"),
    case("labels", "import", "LABELLED", "--tenant", "nobody", message=UNKNOWN_TENANT),
    case("labels", "export", "--tenant", "nobody", message=UNKNOWN_TENANT),
    case("classifier", "train", "--tenant", "nobody", message=UNKNOWN_TENANT),
    usage("classifier", "evaluate", "--corpus", "MISSING", message="does not exist"),
    # webhooks
    case("webhooks", "add", "--tenant", "nobody", "--url", "https://hooks.example/x",
         message=UNKNOWN_TENANT),
    case("webhooks", "add", "--tenant", "acme", "--url", "", message="http"),
    case("webhooks", "add", "--tenant", "acme", "--url", "ftp://hooks.example/", message="http"),
    case("webhooks", "add", "--tenant", "acme", "--url", "https://", message="http"),
    case("webhooks", "add", "--tenant", "acme", "--url", "http://10.0.0.1/hook", message="private"),
    case("webhooks", "add", "--tenant", "acme", "--url", "http://127.0.0.1:18941\\@hooks.example/",
         message="refusing a webhook URL with a backslash"),
    case("webhooks", "add", "--tenant", "acme", "--url", "https://hooks.example/\nforged",
         message="control character"),
    case("webhooks", "add", "--tenant", "acme", "--url", "http://user:hunter2@10.0.0.1/",
         message="private", hidden="hunter2"),
    case("webhooks", "list", "--tenant", "nobody", message=UNKNOWN_TENANT),
    case("webhooks", "rotate", "424242", message="424242"),
    usage("webhooks", "rotate", TOO_BIG, message="not in the range"),
    usage("webhooks", "rotate", "1", "--overlap-seconds", "-1", message="'--overlap-seconds'"),
    usage("webhooks", "rotate", "1", "--overlap-seconds", " 5", message=WHOLE),
    case("webhooks", "disable", "424242", message="424242"),
    case("webhooks", "enable", "424242", message="424242"),
    usage("webhooks", "disable", ARABIC_FIVE, message=WHOLE),
    case("webhooks", "events", "--tenant", "nobody", message=UNKNOWN_TENANT),
    usage("webhooks", "events", "--limit", "0", message="not in the range"),
    case("webhooks", "attempts", "msg_nope", message="msg_nope"),
    # audit
    case("audit", "list", "--tenant", "nobody", message=UNKNOWN_TENANT),
    case("audit", "list", "--since", ARABIC_FIVE + "d", message="expected a duration"),
    case("audit", "list", "--since", "yesterday", message="invalid date 'yesterday'"),
    usage("audit", "list", "--limit", "0", message="not in the range"),
    usage("audit", "list", "--limit", " 5", message=WHOLE),
    # long-running commands: values every parser refuses (see the module's docstring)
    usage("watch", "--interval", "0", message="not in the range"),
    usage("watch", "--timeout", "-1", message="is not a number"),
    usage("watch", "--interval", "nan", "--timeout", "1", message="is not a number"),
    usage("console", "--refresh-seconds", "0", message="x>=0.1"),
    usage("bench", "classify", "--documents", "0", message="not in the range"),
    usage("bench", "tenants", "--tenants", "-5", message=WHOLE),
    usage("bench", "webhooks", "--events", "0", message="not in the range"),
    usage("bench", "classifier", "--documents", "0", message="not in the range"),
    usage("bench", "train", "--labels", "0", message="not in the range"),
    usage("metrics", "--port", "70000", message="not in the range"),
    case("worker", "--name", message="Option '--name' requires an argument"),
    usage("no-such-command", message="No such command 'no-such-command'"),
    # settings: every process reads them first (docflow/parse.py)
    case("settings", env={"DOCFLOW_MAX_RETRIES": ARABIC_FIVE}, message="DOCFLOW_MAX_RETRIES="),
    case("settings", env={"DOCFLOW_LEASE_SECONDS": "1_000"},
         message="DOCFLOW_LEASE_SECONDS='1_000': expected a whole number from 1 to 86400"),
    case("settings", env={"DOCFLOW_LEASE_SECONDS": TOO_BIG}, message="expected a whole number"),
    case("settings", env={"DOCFLOW_RETRY_BASE_SECONDS": "nan"}, message="expected a number from"),
    case("settings", env={"DOCFLOW_RETRY_BASE_SECONDS": "1e3"}, message="expected a number from"),
    case("settings", env={"DOCFLOW_RETRY_CAP_SECONDS": "inf"}, message="expected a number from"),
    case("settings", env={"DOCFLOW_WEBHOOK_RETRY_SCHEDULE": ARABIC_FIVE + "s"},
         message="expected durations like 5s"),
    case("settings", env={"DOCFLOW_WEBHOOK_RETRY_SCHEDULE": "5s,99999999999d"},
         message="each up to 30d"),
    case("settings", env={"DOCFLOW_MAX_UPLOAD_BYTES_BY_FORMAT": "pdf=" + "9" * 5000},
         message="expected a whole number of bytes from 1 to 17179869184 for pdf"),
    case("settings", env={"DOCFLOW_MAX_UPLOAD_BYTES_BY_FORMAT": "pdf=" + ARABIC_FIVE},
         message="expected a whole number of bytes"),
    case("settings", env={"DOCFLOW_SCHEDULE_CHECK_QUOTAS": ARABIC_FIVE + " * * * *"},
         message="ASCII digits"),
    case("tenants", "list", env={"DOCFLOW_DATABASE_URL": "postgresql://u:hunter2@host:notaport/db"},
         message="DOCFLOW_DATABASE_URL", hidden="hunter2"),
    case("tenants", "list", env={"DOCFLOW_DATABASE_URL": "mysql://root:hunter2@127.0.0.1/ceo"},
         message="DOCFLOW_DATABASE_URL", hidden="hunter2"),
]  # fmt: skip


@pytest.fixture
def world(backend: Settings, redis_conn: redis.Redis, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A database with something in every table a command touches, and the files to upload."""
    env = backend.env()
    acme = factories.tenant("acme")
    factories.tenant("globex")
    factories.document(backend, acme, "x", status=DocumentStatus.CLASSIFIED, category="invoice")
    factories.document(backend, acme, "y", status=DocumentStatus.DEAD_LETTERED,
                       dead_letter_reason="gave up", retry_count=3)  # fmt: skip
    endpoint = WebhookEndpoint.create(tenant=acme, url="https://hooks.acme.example/docflow",
                                      secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")  # fmt: skip
    WebhookEvent.create(id="msg_dead1", tenant=acme, endpoint=endpoint, type="document.classified",
                        payload="{}", status=EventStatus.DEAD_LETTERED, attempts=10)  # fmt: skip
    files = tmp_path / "files"
    files.mkdir()
    (files / "ok.txt").write_text("Invoice 42: total due 10 EUR")
    (files / "empty.txt").write_bytes(b"")
    (files / "forged\nERROR.txt").write_bytes(b"")
    (files / "program.pdf").write_bytes(b"\x7fELF\x02\x01" + bytes(range(256)) * 8)
    (files / "labelled" / "invoice").mkdir(parents=True)
    (files / "labelled" / "invoice" / "a.txt").write_text("Invoice 7")
    yield {
        "env": env,
        "FILE": str(files / "ok.txt"),
        "EMPTY": str(files / "empty.txt"),
        "NEWLINE": str(files / "forged\nERROR.txt"),
        "BINARY": str(files / "program.pdf"),
        "FOLDER": str(files),
        "LABELLED": str(files / "labelled"),
        "MISSING": str(files / "missing"),
    }


def snapshot(settings: Settings, conn: redis.Redis) -> tuple[object, ...]:
    with open_database(settings):
        rows = {m._meta.table_name: sorted(map(repr, m.select().tuples())) for m in ALL_MODELS}
    return rows, factories.stored_files(settings), sorted(conn.keys("*"))


def check_refused(result: Result, message: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert result.exit_code != 0, result.output
    assert message in result.output, result.output
    lines = result.output.splitlines()
    assert lines and lines[-1].startswith("Error: "), result.output
    if len(lines) != 1:
        raise NotOneLine(result.output)


@pytest.mark.parametrize("bad", CASES)
def test_a_bad_input_is_one_line_a_failure_and_writes_nothing(
    bad: Case, world: dict, backend: Settings, redis_conn: redis.Redis
) -> None:
    env = {**world["env"], **bad.env}
    args = [world.get(a, a) for a in bad.args]
    before = snapshot(backend, redis_conn)
    result = CliRunner().invoke(cli, args, env=env, input="n\n")
    assert snapshot(backend, redis_conn) == before, result.output
    if bad.hidden is not None:
        assert bad.hidden not in result.output
    check_refused(result, bad.message)


def test_the_table_has_a_case_for_every_command() -> None:
    commands = set()
    for name, command in cli.commands.items():
        sub = getattr(command, "commands", None)
        commands |= {f"{name} {s}" for s in sub} if sub else {name}
    covered = {" ".join(p.values[0].args[:2]) for p in CASES} | {p.values[0].args[0] for p in CASES}
    # Nothing to give a bad value to: no option or argument but --help (and the env, above).
    no_input = {"migrate", "status", "schedule list", "tenants list", "scheduler", "health",
                "classifier status", "queues list"}  # fmt: skip
    assert sorted(commands - covered - no_input) == []


@pytest.mark.parametrize(
    ("parser", "raw"),
    [
        (parse.int_in(0, 100), raw)
        for raw in (" 5", "5 ", "1_0", ARABIC_FIVE, "+5", "-0", "", "5\n", "0x5", "9" * 5000)
    ]
    + [
        (parse.float_in(0, 100), raw)
        for raw in (" 5", "1_0", ARABIC_FIVE, "nan", "inf", "1e3", "", "5.", "-1", "5\n")
    ],
    ids=lambda value: repr(value)[:20],
)
def test_setting_parsers_take_ascii_digits_only(parser, raw):
    if raw == "5.":  # a point without decimals is still a plain number
        assert parser(raw) == 5.0
        return
    with pytest.raises(ValueError, match="expected a (whole )?number from"):
        parser(raw)


@pytest.mark.parametrize("raw", ["5s", "1.5m", "2h", "1d", ".5h"])
def test_durations_in_ascii_digits_are_read(raw):
    assert parse_duration(raw) > 0


@pytest.mark.parametrize(
    "raw",
    [" 5s", "5 s", ARABIC_FIVE + "s", "1_0s", "-5s", "infs", "9" * 400 + "d"],
    ids=lambda value: repr(value)[:20],
)
def test_other_durations_are_refused(raw):
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(raw)


def test_at_and_in_share_their_365_day_limit():
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert run_at("2027-12-01", None, now) == run_at(None, "365d", now)
    with pytest.raises(Exception, match="more than 365 days ahead"):
        run_at("2027-12-01T00:00:01Z", None, now)


def test_the_world_has_the_rows_the_table_refers_to(world, backend):
    with open_database(backend):
        assert [t.name for t in Tenant.select().order_by(Tenant.id)] == ["acme", "globex"]
