"""report_usage against a scripted billing service on 127.0.0.1, on both backends."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from docflow.jobs.report_usage import Period, period_of, report_usage
from docflow.models import DocumentStatus, JobRun, ReportStatus, UsageReport
from tests import factories
from tests.conftest import make_settings
from tests.webhook_servers import Receiver, Response, unused_port

T = datetime(2026, 3, 1, 12, 5, tzinfo=UTC)  # reports the hour 11:00-12:00
EARLY = datetime(2026, 1, 1, tzinfo=UTC)
TOKEN = "bill_s3cr3t-token-value"


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


def configure(backend, tmp_path, receiver=None, **env):
    url = {"DOCFLOW_BILLING_URL": receiver.url_for("/usage")} if receiver else {}
    return make_settings(tmp_path, **{**backend.env(), **url, **env})


def report(settings, at=T):
    return report_usage.run({}, settings=settings, now=lambda: at)


def tenant(name, created_at=EARLY):
    owner = factories.tenant(name)
    owner.created_at = created_at
    owner.save()
    return owner


def document(settings, owner, size, status=DocumentStatus.CLASSIFIED, at=T - timedelta(hours=2)):
    return factories.document(settings, owner, "x" * size, status=status, now=at)


def reports():
    return list(UsageReport.select().order_by(UsageReport.id))


def test_a_report_is_posted_with_its_key_and_token(backend, tmp_path, receiver):
    settings = configure(backend, tmp_path, receiver, DOCFLOW_BILLING_TOKEN=TOKEN)
    owner = tenant("acme")
    document(settings, owner, 100)
    document(settings, owner, 20)
    assert report(settings)["counts"] == {"created": 1, "sent": 1}
    [request] = receiver.requests
    key = f"docflow-usage-{owner.id}-2026-03-01T11"
    assert request.method == "POST" and request.path == "/usage"
    assert request.headers["Idempotency-Key"] == key
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(request.body) == {
        "tenant": "acme",
        "tenant_id": owner.id,
        "period": "2026-03-01T11",
        "period_start": "2026-03-01T11:00:00Z",
        "period_end": "2026-03-01T12:00:00Z",
        "documents": 2,
        "bytes": 120,
        "idempotency_key": key,
    }
    [sent] = reports()
    assert (sent.status, sent.attempts, sent.last_error) == (ReportStatus.SENT, 1, None)
    assert sent.sent_at == T and sent.idempotency_key == key


def test_no_token_sends_no_authorization_header(backend, tmp_path, receiver):
    settings = configure(backend, tmp_path, receiver)
    tenant("acme")
    assert report(settings)["counts"] == {"created": 1, "sent": 1}
    assert "Authorization" not in receiver.requests[0].headers


def test_the_token_never_reaches_errors_logs_or_the_summary(backend, tmp_path, receiver, caplog):
    settings = configure(backend, tmp_path, receiver, DOCFLOW_BILLING_TOKEN=TOKEN)
    echo = f"invalid credentials: Bearer {TOKEN}".encode()
    receiver.respond("/usage", Response(status=401, body=echo))
    tenant("acme")
    with caplog.at_level(logging.DEBUG):
        summary = report(settings)
    assert summary["counts"] == {"created": 1, "failed": 1}
    [failed] = reports()
    assert failed.last_error == "billing service answered HTTP 401: invalid credentials: Bearer ***"
    assert caplog.records
    run = JobRun.get_by_id(summary["run_id"])
    for text in (failed.last_error, caplog.text, json.dumps(summary), json.dumps(run.counts)):
        assert TOKEN not in text


def test_a_server_error_is_retried_next_run_with_the_same_key_and_figures(
    backend, tmp_path, receiver
):
    settings = configure(backend, tmp_path, receiver)
    receiver.respond("/usage", Response(status=500, body=b"database\n down"), Response())
    owner = tenant("acme")
    document(settings, owner, 10)
    assert report(settings)["counts"] == {"created": 1, "failed": 1}
    [failed] = reports()
    assert failed.status == ReportStatus.FAILED and failed.attempts == 1
    assert failed.last_error == "billing service answered HTTP 500: database down"
    document(settings, owner, 99, at=T)  # after the period: its figures are frozen anyway
    assert report(settings, T + timedelta(minutes=10))["counts"] == {"sent": 1}
    [sent] = reports()
    assert (sent.status, sent.attempts, sent.last_error) == (ReportStatus.SENT, 2, None)
    first, second = receiver.requests
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert first.body == second.body and json.loads(second.body)["bytes"] == 10


def test_a_timeout_fails_clearly_and_is_retried(backend, tmp_path, receiver):
    settings = configure(backend, tmp_path, receiver, DOCFLOW_BILLING_TIMEOUT_SECONDS="0.2")
    receiver.respond("/usage", Response(hang=True), Response())
    tenant("acme")
    summary = report(settings)
    assert summary["counts"] == {"created": 1, "failed": 1}
    assert summary["duration_seconds"] < 3
    [failed] = reports()
    assert (
        failed.last_error == "usage report not sent: the billing service did not answer within 0.2s"
    )
    assert report(settings, T + timedelta(minutes=1))["counts"] == {"sent": 1}
    assert reports()[0].attempts == 2


def test_a_refused_connection_fails_clearly(backend, tmp_path):
    url = f"http://127.0.0.1:{unused_port()}/usage"
    settings = configure(backend, tmp_path, DOCFLOW_BILLING_URL=url)
    tenant("acme")
    assert report(settings)["counts"] == {"created": 1, "failed": 1}
    assert reports()[0].last_error == "usage report not sent: connection refused"


def test_redirects_are_failures_and_never_followed(backend, tmp_path, receiver):
    settings = configure(backend, tmp_path, receiver, DOCFLOW_BILLING_TOKEN=TOKEN)
    receiver.respond("/usage", Response(status=307, headers={"Location": "/elsewhere"}))
    tenant("acme")
    assert report(settings)["counts"] == {"created": 1, "failed": 1}
    assert [r.path for r in receiver.requests] == ["/usage"]
    assert reports()[0].last_error == "billing service answered HTTP 307: redirect not followed"


def test_conflict_means_already_received_and_counts_as_sent(backend, tmp_path, receiver):
    settings = configure(backend, tmp_path, receiver)
    receiver.respond("/usage", Response(status=409, body=b"key already used"))
    tenant("acme")
    assert report(settings)["counts"] == {"created": 1, "sent": 1}
    assert reports()[0].status == ReportStatus.SENT


def test_a_period_is_reported_once_and_the_next_one_anew(backend, tmp_path, receiver):
    settings = configure(backend, tmp_path, receiver)
    owner = tenant("acme")
    assert report(settings)["counts"] == {"created": 1, "sent": 1}
    assert report(settings, T + timedelta(minutes=50))["counts"] == {}
    assert len(receiver.requests) == 1
    assert report(settings, T + timedelta(hours=1))["counts"] == {"created": 1, "sent": 1}
    assert [(r.period, r.status) for r in reports()] == [
        ("2026-03-01T11", ReportStatus.SENT),
        ("2026-03-01T12", ReportStatus.SENT),
    ]
    keys = [r.headers["Idempotency-Key"] for r in receiver.requests]
    assert keys == [
        f"docflow-usage-{owner.id}-2026-03-01T11",
        f"docflow-usage-{owner.id}-2026-03-01T12",
    ]


def test_without_a_billing_service_reports_are_recorded_locally(backend, tmp_path):
    settings = configure(backend, tmp_path)
    owner = tenant("acme")
    document(settings, owner, 7)
    summary = report(settings)
    assert summary["counts"] == {"created": 1, "recorded": 1}
    assert summary["billing"] == "not configured: reports recorded locally"
    [recorded] = reports()
    assert (recorded.status, recorded.document_count, recorded.byte_count) == ("Recorded", 1, 7)
    assert report(settings)["counts"] == {}


def test_what_counts_live_documents_stored_by_the_end_of_the_period(backend, tmp_path):
    settings = configure(backend, tmp_path)
    busy = tenant("busy")
    tenant("idle")
    tenant("newcomer", created_at=T - timedelta(minutes=3))  # did not exist in the period
    document(settings, busy, 5)
    document(settings, busy, 6, status=DocumentStatus.FAILED)
    document(settings, busy, 1000, status=DocumentStatus.EXPIRED)
    document(settings, busy, 2000, at=T - timedelta(minutes=1))  # uploaded after the period
    report(settings)
    figures = {r.tenant.name: (r.document_count, r.byte_count) for r in reports()}
    assert figures == {"busy": (2, 11), "idle": (0, 0)}


def test_each_tenant_gets_only_its_own_figures(backend, tmp_path, receiver):
    settings = configure(backend, tmp_path, receiver)
    a, b = tenant("alpha"), tenant("beta")
    document(settings, a, 10)
    for size in (1, 2, 3):
        document(settings, b, size)
    assert report(settings)["counts"] == {"created": 2, "sent": 2}
    bodies = {}
    for request in receiver.requests:
        body = json.loads(request.body)
        assert request.headers["Idempotency-Key"] == body["idempotency_key"]
        bodies[body["tenant"]] = body
    figures = {name: (x["tenant_id"], x["documents"], x["bytes"]) for name, x in bodies.items()}
    assert figures == {"alpha": (a.id, 1, 10), "beta": (b.id, 3, 6)}
    assert bodies["alpha"]["idempotency_key"] == f"docflow-usage-{a.id}-2026-03-01T11"


@pytest.mark.parametrize(
    ("moment", "unit", "key", "start", "end"),
    [
        ("2026-03-01T12:05:00+00:00", "hour", "2026-03-01T11", "2026-03-01T11", "2026-03-01T12"),
        ("2026-03-01T12:00:00+00:00", "hour", "2026-03-01T11", "2026-03-01T11", "2026-03-01T12"),
        ("2026-03-01T00:05:00+00:00", "hour", "2026-02-28T23", "2026-02-28T23", "2026-03-01T00"),
        ("2026-03-01T13:05:00+01:00", "hour", "2026-03-01T11", "2026-03-01T11", "2026-03-01T12"),
        ("2026-03-01T00:05:00+00:00", "day", "2026-02-28", "2026-02-28T00", "2026-03-01T00"),
        ("2024-03-01T00:05:00+00:00", "day", "2024-02-29", "2024-02-29T00", "2024-03-01T00"),
        ("2026-03-01T00:05:00+00:00", "month", "2026-02", "2026-02-01T00", "2026-03-01T00"),
        ("2026-01-01T00:00:00+00:00", "month", "2025-12", "2025-12-01T00", "2026-01-01T00"),
        ("2026-03-31T23:59:59+00:00", "month", "2026-02", "2026-02-01T00", "2026-03-01T00"),
    ],
)
def test_period_of_is_the_last_complete_period(moment, unit, key, start, end):
    period = period_of(datetime.fromisoformat(moment), unit)
    expected = Period(
        key,
        datetime.fromisoformat(start + ":00+00:00"),
        datetime.fromisoformat(end + ":00+00:00"),
    )
    assert period == expected
    assert period.start.tzinfo == UTC and period.end.tzinfo == UTC
    assert Period.from_key(key) == expected


def test_from_key_refuses_what_is_no_period():
    with pytest.raises(ValueError, match="not a usage period key"):
        Period.from_key("2026-W09")
