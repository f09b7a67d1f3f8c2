"""`docflow webhooks` and the demo receiver script, as a user runs them."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from docflow.cli import cli
from docflow.db import open_database
from docflow.events import emit
from docflow.jobs.deliver_webhooks import deliver_webhooks
from docflow.models import Tenant, WebhookEndpoint
from docflow.services.webhooks.signing import build_headers
from docflow.whsec import generate_secret
from tests.conftest import make_settings
from tests.integration.helpers import wait_for
from tests.webhook_servers import Receiver, Response, unused_port

ROOT = Path(__file__).resolve().parents[1]


def invoke(env, *args):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def env(settings):
    env = {**settings.env(), "DOCFLOW_WEBHOOK_ALLOW_PRIVATE": "true"}
    assert invoke(env, "migrate").exit_code == 0
    assert invoke(env, "tenants", "add", "acme").exit_code == 0
    return env


def test_secret_is_shown_once_and_masked_after(env):
    added = invoke(env, "webhooks", "add", "--tenant", "acme", "--url", "http://127.0.0.1:9/hook")
    assert added.exit_code == 0, added.output
    secret = re.search(r"(whsec_\S+)", added.output).group(1)
    listing = invoke(env, "webhooks", "list").output
    assert secret not in listing and secret[-4:] in listing and "enabled" in listing
    rotated = invoke(env, "webhooks", "rotate", "1")
    new = re.search(r"(whsec_\S+)", rotated.output).group(1)
    assert new != secret
    listing = invoke(env, "webhooks", "list").output
    assert new not in listing and secret not in listing and "rotating" in listing
    assert "DISABLED (receiver down)" in (
        invoke(env, "webhooks", "disable", "1", "--reason", "receiver down").output
        + invoke(env, "webhooks", "list").output
    )
    invoke(env, "webhooks", "enable", "1")
    assert "enabled" in invoke(env, "webhooks", "list").output
    assert "0 shown" in invoke(env, "webhooks", "events").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "--tenant", "nobody", "--url", "http://127.0.0.1/x"], "unknown tenant"),
        (["add", "--tenant", "acme", "--url", "ftp://example.com/x"], "http"),
        (["rotate", "99"], "no webhook endpoint 99"),
        (["attempts", "msg_nope"], "no webhook event"),
    ],
)
def test_bad_input(env, args, message):
    result = invoke(env, "webhooks", *args)
    assert result.exit_code == 1 and message in result.output


def test_private_url_refused_without_the_setting(env):
    strict = {**env, "DOCFLOW_WEBHOOK_ALLOW_PRIVATE": "false"}
    result = invoke(strict, "webhooks", "add", "--tenant", "acme", "--url", "http://10.0.0.1/hook")
    assert result.exit_code == 1 and "private" in result.output


def accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def test_receiver_script_accepts_signed_and_rejects_forged(tmp_path):
    secret = generate_secret()
    secrets = tmp_path / "secrets.json"
    secrets.write_text(json.dumps({"/acme": [secret]}))
    port = unused_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "scripts" / "webhook_receiver.py"),
            "--port",
            str(port),
            "--secrets",
            str(secrets),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(lambda: accepts(port), 15, "the receiver to start")
        body = b'{"type":"document.classified","timestamp":"2026-01-01T00:00:00Z","data":{"document_id":1}}'
        headers = build_headers("msg_demo", int(time.time()), body, [secret])
        url = f"http://127.0.0.1:{port}/acme"
        assert requests.post(url, data=body, headers=headers, timeout=5).status_code == 204
        forged = build_headers("msg_demo", int(time.time()), body, [generate_secret()])
        assert requests.post(url, data=body, headers=forged, timeout=5).status_code == 400
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert "verified msg_demo document.classified /acme" in out
    assert "REJECTED /acme: no signature matches" in out
    assert secret not in out


def test_url_credentials_are_masked_in_every_output(env):
    url = "http://bob:hunter2@127.0.0.1:9/hook"
    added = invoke(env, "webhooks", "add", "--tenant", "acme", "--url", url)
    assert added.exit_code == 0 and "http://***@127.0.0.1:9/hook" in added.output
    listing = invoke(env, "webhooks", "list").output
    assert "http://***@127.0.0.1:9/hook" in listing
    assert "hunter2" not in added.output + listing and "bob" not in added.output + listing


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:18941\\@hooks.example/",
        "http://a@b@127.0.0.1/",
        "http://hooks.example\t@127.0.0.1/",
        "http:/127.0.0.1/hook",
    ],
)
def test_ambiguous_urls_are_refused_at_add_in_one_line_writing_nothing(env, url):
    result = invoke(env, "webhooks", "add", "--tenant", "acme", "--url", url)
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith("Error: refusing ")
    assert invoke(env, "webhooks", "list").output == "no webhook endpoints\n"


def test_listing_shows_rotation_only_during_the_overlap_then_deletes_the_old_secret(env, settings):
    invoke(env, "webhooks", "add", "--tenant", "acme", "--url", "http://127.0.0.1:9/hook")
    invoke(env, "webhooks", "rotate", "1", "--overlap-seconds", "1")
    assert "+previous (rotating)" in invoke(env, "webhooks", "list").output
    time.sleep(1.1)
    assert "rotating" not in invoke(env, "webhooks", "list").output
    with open_database(settings):
        assert WebhookEndpoint.get_by_id(1).previous_secret is None


@pytest.mark.parametrize("command", ["list", "events"])
def test_an_unknown_tenant_is_an_error_not_an_empty_listing(env, command):
    result = invoke(env, "webhooks", command, "--tenant", "nobody")
    assert result.exit_code == 1 and "unknown tenant 'nobody'" in result.output


def test_attempts_show_the_receivers_answer_and_numbers_go_on_across_requeues(env, settings):
    body = b'{"error": "database down\\n\\x1b[31mretry later"}'
    with Receiver() as receiver:
        receiver.respond("/hook", Response(status=500, body=body))
        url = receiver.url_for("/hook")
        assert invoke(env, "webhooks", "add", "--tenant", "acme", "--url", url).exit_code == 0
        strict = make_settings(
            settings.storage_root.parent, **{**env, "DOCFLOW_WEBHOOK_RETRY_SCHEDULE": "1s"}
        )
        start = datetime.now(UTC)
        with open_database(strict):
            [event_id] = emit(Tenant.get().id, "document.classified", {}, start)
            for seconds in (0, 2):
                deliver_webhooks.run(
                    {}, settings=strict, now=lambda s=seconds: start + timedelta(seconds=s)
                )
        assert invoke(env, "dlq", "requeue", event_id).exit_code == 0
        with open_database(strict):
            deliver_webhooks.run({}, settings=strict, now=lambda: datetime.now(UTC))
    shown = invoke(env, "webhooks", "attempts", event_id).output
    rows = [line.split()[0] for line in shown.splitlines()[2:]]
    assert rows == ["1", "2", "3"]
    assert '{"error": "database down\\n\\x1b[31mretry later"}' in shown
    assert "\x1b" not in shown and "HTTP 500" in shown
    events = invoke(env, "webhooks", "events").output.splitlines()
    assert events[1].split()[:5] == [event_id, "acme", "document.classified", "Failed", "3"]


@pytest.mark.parametrize(
    "args",
    [
        ["rotate", "9223372036854775808"],
        ["disable", "99999999999999999999"],
        ["enable", "٥"],
        ["rotate", "1", "--overlap-seconds", "1_0"],
        ["events", "--limit", " 5"],
    ],
)
def test_out_of_range_or_oddly_written_numbers_are_usage_errors(env, args):
    result = CliRunner().invoke(cli, ["webhooks", *args], env=env)
    assert result.exit_code == 2 and result.exception.__class__ is SystemExit
    assert "Error: Invalid value" in result.output


def test_event_status_is_matched_in_any_case(env):
    assert invoke(env, "webhooks", "events", "--status", "failed").exit_code == 0
