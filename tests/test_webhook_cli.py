"""`docflow webhooks` and the demo receiver script, as a user runs them."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from docflow.cli import cli
from docflow.services.webhooks.signing import build_headers
from docflow.whsec import generate_secret
from tests.integration.helpers import wait_for
from tests.webhook_servers import unused_port

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
