"""suspend_tenants and the SMTP notice, on both backends, against a real local SMTP server."""

from __future__ import annotations

import contextlib
import json
import logging
import smtplib
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from docflow import endpoints
from docflow.db import database
from docflow.errors import NotificationError
from docflow.jobs.suspend_tenants import ACTOR, suspend_tenants
from docflow.models import AuditEvent, BillingStatus, JobRun, Tenant, TenantBilling, WebhookEvent
from docflow.runs import RunRecorder
from docflow.services.notify import send_email, smtp_server
from docflow.settings import Settings
from tests import factories
from tests.conftest import make_settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ENDED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
USER, PASSWORD = "docflow", "hunter2-s3cret"


class Mailbox:
    """What a local SMTP server received: messages and the logins tried."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        login = (auth_data.login.decode(), auth_data.password.decode())
        self.logins.append(login)
        # handled=False: aiosmtpd then answers the refusal itself (535).
        return AuthResult(success=login == (USER, PASSWORD), handled=False)


def free_port() -> int:
    # Controller needs a fixed port (it connects to it to start up), so ask the OS for one.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def mail_server(*, auth: bool = False) -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    options = {"authenticator": box.authenticate, "auth_require_tls": False} if auth else {}
    controller = Controller(box, hostname="127.0.0.1", port=box.port, **options)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    with mail_server() as box:
        yield box


def configure(backend: Settings, tmp_path: Path, smtp_url: str = "", **env: str) -> Settings:
    ours = {"DOCFLOW_SMTP_URL": smtp_url, "DOCFLOW_SMTP_TIMEOUT_SECONDS": "2"}
    ours["DOCFLOW_WEBHOOK_ALLOW_PRIVATE"] = "true"  # endpoints on 127.0.0.1
    return make_settings(tmp_path, **{**backend.env(), **ours, **env})


def tenant(
    name: str, status: str = BillingStatus.GRACE_PERIOD, ends: datetime | None = ENDED
) -> Tenant:
    row = factories.tenant(name)
    TenantBilling.update(status=status, grace_period_ends_at=ends, updated_at=ENDED).where(
        TenantBilling.tenant == row
    ).execute()
    return row


def billing(row: Tenant) -> TenantBilling:
    return TenantBilling.get(TenantBilling.tenant == row)


def suspend(settings: Settings, at: datetime = NOW) -> dict:
    return suspend_tenants.run({}, settings=settings, now=lambda: at)


def audit(action: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))


def test_grace_over_makes_the_tenant_read_only_audited_with_an_event(backend, tmp_path):
    settings = configure(backend, tmp_path)
    acme = tenant("acme")
    endpoints.add("acme", "http://127.0.0.1:9/hook", settings=settings, actor="t", now=NOW)
    summary = suspend(settings)
    assert summary["counts"] == {"suspended": 1} and summary["email"] == "not configured"
    assert JobRun.get_by_id(summary["run_id"]).counts == {"suspended": 1}
    row = billing(acme)
    assert (row.status, row.suspended_at, row.updated_at) == (BillingStatus.READ_ONLY, NOW, NOW)
    [entry] = audit("tenant.suspended")
    assert (entry.actor, entry.subject_type, entry.subject_id) == (ACTOR, "tenant", str(acme.id))
    assert entry.tenant_id == acme.id and entry.at == NOW
    assert entry.details == {"grace_period_ends_at": "2026-03-01T09:30:00Z"}
    [event] = WebhookEvent.select()
    assert event.type == "tenant.suspended" and event.tenant_id == acme.id
    assert json.loads(event.payload)["data"] == {
        "tenant": "acme",
        "grace_period_ends_at": "2026-03-01T09:30:00Z",
        "suspended_at": "2026-03-01T12:00:00Z",
    }


def test_only_tenants_whose_grace_period_is_over_are_touched(backend, tmp_path):
    settings = configure(backend, tmp_path)
    due_now = tenant("due-now", ends=NOW)
    active = tenant("active", BillingStatus.ACTIVE, ends=None)
    old = tenant("old", BillingStatus.READ_ONLY, ends=ENDED - timedelta(days=30))
    running = tenant("running", ends=NOW + timedelta(seconds=1))
    assert suspend(settings)["counts"] == {"suspended": 1}
    assert billing(due_now).status == BillingStatus.READ_ONLY
    for row, status in ((active, "Active"), (old, "ReadOnly"), (running, "GracePeriod")):
        kept = billing(row)
        assert (kept.status, kept.suspended_at, kept.updated_at) == (status, None, ENDED)
    assert [a.subject_id for a in audit("tenant.suspended")] == [str(due_now.id)]


def test_a_second_run_finds_nothing_to_do(backend, tmp_path, smtp):
    settings = configure(backend, tmp_path, f"smtp://127.0.0.1:{smtp.port}")
    acme = tenant("acme")
    endpoints.add("acme", "http://127.0.0.1:9/hook", settings=settings, actor="t", now=NOW)
    assert suspend(settings)["counts"] == {"suspended": 1, "emailed": 1}
    assert suspend(settings, NOW + timedelta(hours=1))["counts"] == {}
    assert billing(acme).suspended_at == NOW
    assert len(audit("tenant.suspended")) == 1 and WebhookEvent.select().count() == 1
    assert len(smtp.messages) == 1


def test_concurrent_runs_suspend_each_tenant_once(backend, tmp_path):
    settings = configure(backend, tmp_path)
    names = [f"t{i:02d}" for i in range(20)]
    for name in names:
        tenant(name)
    start = threading.Barrier(4)

    def one_run(_: int) -> int:
        # peewee gives each thread its own connection: these are truly concurrent runs.
        try:
            run = RunRecorder("suspend_tenants", {}, NOW, settings)
            start.wait()
            suspend_tenants.body(run, settings, lambda: NOW)
            return run.counts["suspended"]
        finally:
            database.close()

    with ThreadPoolExecutor(4) as pool:
        assert sum(pool.map(one_run, range(4))) == len(names)
    assert len(audit("tenant.suspended")) == len(names)


def test_notice_reaches_the_smtp_server_only_for_suspended_tenants(backend, tmp_path, smtp):
    settings = configure(backend, tmp_path, f"smtp://127.0.0.1:{smtp.port}")
    tenant("acme")
    globex = tenant("globex", ends=NOW + timedelta(days=3))
    nomail = tenant("nomail")
    Tenant.update(contact_email=None).where(Tenant.id == nomail.id).execute()
    summary = suspend(settings)
    assert summary["counts"] == {"suspended": 2, "emailed": 1, "no_email_address": 1}
    assert "email" not in summary
    assert billing(globex).status == BillingStatus.GRACE_PERIOD
    assert billing(nomail).status == BillingStatus.READ_ONLY
    [message] = smtp.messages
    assert (message["To"], message["From"]) == ("ops@acme.example", settings.email_sender)
    assert message["Subject"] == "Your DocFlow account acme is now read-only"
    body = message.get_content()
    assert "Hello acme," in body and "ended on 2026-03-01 09:30:00 UTC." in body


def test_login_when_the_url_has_credentials(backend, tmp_path):
    with mail_server(auth=True) as box:
        settings = configure(backend, tmp_path, f"smtp://{USER}:{PASSWORD}@127.0.0.1:{box.port}")
        tenant("acme")
        assert suspend(settings)["counts"] == {"suspended": 1, "emailed": 1}
        assert box.logins == [(USER, PASSWORD)] and len(box.messages) == 1


def test_refused_login_is_a_notification_error_without_the_password(tmp_path):
    with mail_server(auth=True) as box:
        settings = make_settings(
            tmp_path, DOCFLOW_SMTP_URL=f"smtp://{USER}:wrong-{PASSWORD}@127.0.0.1:{box.port}"
        )
        with pytest.raises(NotificationError) as caught:
            send_email(settings, "ops@acme.example", "subject", "body")
        # smtplib tries each mechanism the server offers before giving up.
        assert set(box.logins) == {(USER, f"wrong-{PASSWORD}")} and box.messages == []
    error = str(caught.value)
    assert f"127.0.0.1:{box.port}" in error and "SMTPAuthenticationError" in error
    assert PASSWORD not in error
    assert isinstance(caught.value.__cause__, smtplib.SMTPAuthenticationError)


def test_smtp_down_still_suspends_counts_and_audits_without_secrets(backend, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    port = free_port()  # nothing listens there
    settings = configure(backend, tmp_path, f"smtp://{USER}:{PASSWORD}@127.0.0.1:{port}")
    acme, globex = tenant("acme"), tenant("globex")
    summary = suspend(settings)
    assert summary["outcome"] == "succeeded"
    assert summary["counts"] == {"suspended": 2, "email_failed": 2}
    assert billing(acme).status == billing(globex).status == BillingStatus.READ_ONLY
    failures = audit("tenant.suspension_email_failed")
    assert [f.tenant_id for f in failures] == [acme.id, globex.id]
    error = failures[0].details["error"]
    assert f"127.0.0.1:{port}" in error and "ConnectionRefusedError" in error
    assert failures[0].details["to"] == "ops@acme.example"
    assert "suspension notice to tenant acme not sent" in caplog.text
    for text in (caplog.text, json.dumps([f.details for f in failures]), json.dumps(summary)):
        assert PASSWORD not in text


def test_configured_templates_are_filled_as_loading_the_settings_checked(backend, tmp_path, smtp):
    settings = configure(
        backend,
        tmp_path,
        f"smtp://127.0.0.1:{smtp.port}",
        DOCFLOW_SUSPENSION_SUBJECT="[{tenant!r}] read-only since {grace_period_ends_at}",
        DOCFLOW_SUSPENSION_TEMPLATE="{{account}}: {tenant:>8}|\\nends {grace_period_ends_at}",
    )
    tenant("acme")
    assert suspend(settings)["counts"] == {"suspended": 1, "emailed": 1}
    [message] = smtp.messages
    assert message["Subject"] == "['acme'] read-only since 2026-03-01 09:30:00 UTC"
    assert message.get_content().splitlines() == [
        "{account}:     acme|",
        "ends 2026-03-01 09:30:00 UTC",
    ]


@pytest.mark.parametrize(
    ("url", "port"),
    [("smtp://h", 25), ("smtp+starttls://h", 587), ("smtps://h", 465), ("smtps://h:2465", 2465)],
)
def test_default_ports_by_scheme(url, port):
    assert smtp_server(url).port == port


def test_credentials_are_decoded_and_kept_out_of_the_repr():
    server = smtp_server("smtp://ops%40acme:p%3Ass@mail.example")
    assert (server.user, server.password) == ("ops@acme", "p:ss")
    assert "p:ss" not in repr(server)


@pytest.mark.parametrize(
    ("scheme", "subject", "error"),
    [
        ("smtp+starttls", "subject", "STARTTLS"),  # the plain test server offers no STARTTLS
        ("smtps", "subject", "SSL"),  # TLS from the first byte meets a plain-text greeting
        ("smtp", "hi\r\nBcc: victim@example.com", "invalid message"),  # header injection
    ],
)
def test_nothing_is_sent_when_security_or_the_message_is_wrong(
    tmp_path, smtp, scheme, subject, error
):
    settings = make_settings(tmp_path, DOCFLOW_SMTP_URL=f"{scheme}://127.0.0.1:{smtp.port}")
    with pytest.raises(NotificationError, match=error):
        send_email(settings, "ops@acme.example", subject, "body")
    assert smtp.messages == []
