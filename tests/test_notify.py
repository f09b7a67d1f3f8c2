"""The SMTP login's secrets never leave send_email, whatever the server quotes back.

The server here is a real local SMTP server (aiosmtpd on 127.0.0.1) that refuses every
login with a 535 reply quoting what the client sent, as some servers do: the AUTH PLAIN
line, or each line of an AUTH LOGIN exchange.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from docflow.errors import NotificationError
from docflow.services.notify import send_email
from tests.conftest import make_settings
from tests.test_suspend_tenants import audit, configure, free_port, suspend, tenant

USER, PASSWORD = "ops@acme.example", "hunter2-s3cret"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


SECRETS = (PASSWORD, b64(f"\0{USER}\0{PASSWORD}"), b64(PASSWORD), b64(USER))


class QuotingServer:
    """Refuses every login, quoting the client's AUTH line (and, for LOGIN, its answer)."""

    def __init__(self) -> None:
        self.quoted: list[str] = []

    async def handle_AUTH(self, server, session, envelope, args) -> str:
        sent = " ".join(args)
        if args[0] == "LOGIN":
            password = await server.challenge_auth("Password:")
            sent += " " + base64.b64encode(password).decode()
        self.quoted.append(sent)
        return f"535 5.7.8 Authentication failed for AUTH {sent}"


@contextlib.contextmanager
def quoting_server(mechanism: str) -> Iterator[tuple[QuotingServer, int]]:
    handler, port = QuotingServer(), free_port()
    others = [m for m in ("LOGIN", "PLAIN") if m != mechanism]
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        auth_require_tls=False,
        auth_exclude_mechanism=others,  # one mechanism each, so each is tried alone
    )
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def url(port: int) -> str:
    return f"smtp://ops%40acme.example:{PASSWORD}@127.0.0.1:{port}"


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_a_server_quoting_the_auth_exchange_never_gets_it_into_the_error(tmp_path, mechanism):
    with quoting_server(mechanism) as (server, port):
        settings = make_settings(tmp_path, DOCFLOW_SMTP_URL=url(port))
        with pytest.raises(NotificationError) as caught:
            send_email(settings, "ops@acme.example", "subject", "body")
    # The server did quote the encoded credentials: the test would prove nothing otherwise.
    [quoted] = server.quoted
    expected = {"PLAIN": SECRETS[1], "LOGIN": f"{SECRETS[3]} {SECRETS[2]}"}[mechanism]
    assert quoted == f"{mechanism} {expected}"
    error = str(caught.value)
    for secret in SECRETS:
        assert secret.rstrip("=") not in error
    assert (
        f"SMTPAuthenticationError: 535 5.7.8 Authentication failed for AUTH {mechanism} ***"
        in error
    )


def test_suspension_log_and_audit_never_carry_the_encoded_login(backend, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    with quoting_server("PLAIN") as (server, port):
        settings = configure(backend, tmp_path, url(port))
        tenant("acme")
        summary = suspend(settings)
    assert summary["counts"] == {"suspended": 1, "email_failed": 1} and server.quoted
    [failure] = audit("tenant.suspension_email_failed")
    # Everything this process logged but the test server's own log ("mail.log").
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail"))
    for text in (logged, json.dumps(failure.details), json.dumps(summary)):
        for secret in SECRETS:
            assert secret.rstrip("=") not in text
    assert "SMTPAuthenticationError: 535 5.7.8" in failure.details["error"]
    assert "SMTPAuthenticationError: 535 5.7.8" in logged
