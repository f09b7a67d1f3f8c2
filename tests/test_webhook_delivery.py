"""deliver_webhooks against real HTTP receivers on 127.0.0.1, on both backends."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from docflow import dlq, endpoints, shutdown
from docflow.events import emit
from docflow.jobs import deliver_webhooks as deliver_webhooks_module
from docflow.jobs.deliver_webhooks import deliver_webhooks
from docflow.models import AuditEvent, EventStatus, WebhookAttempt, WebhookEndpoint, WebhookEvent
from docflow.services.webhooks.signing import verify
from tests import factories
from tests.conftest import make_settings
from tests.webhook_servers import Receiver, Response

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


def deliver(settings, at=START):
    return deliver_webhooks.run({}, settings=settings, now=lambda: at)


def setup_endpoint(settings, receiver, path="/hook", tenant="acme"):
    owner = factories.tenant(tenant)
    endpoint, secret = endpoints.add(
        tenant, receiver.url_for(path), settings=settings, actor="t", now=START
    )
    return owner, endpoint, secret


def event(event_id):
    return WebhookEvent.get_by_id(event_id)


def test_success_sends_a_verifiable_signed_request(hooks, receiver):
    owner, endpoint, secret = setup_endpoint(hooks, receiver)
    [event_id] = emit(owner.id, "document.classified", {"document_id": 1}, START)
    summary = deliver(hooks)
    assert summary["counts"] == {"sent": 1}
    [request] = receiver.requests
    assert request.headers["webhook-id"] == event_id
    assert request.headers["webhook-signature"] == request.headers["X-Webhook-Signature"]
    verify(
        request.body, dict(request.headers), secret, now=int(request.headers["webhook-timestamp"])
    )
    sent = event(event_id)
    assert sent.status == EventStatus.SENT and sent.attempts == 1 and sent.last_status_code == 200
    [attempt] = WebhookAttempt.select().where(WebhookAttempt.event == event_id)
    assert attempt.status_code == 200 and attempt.number == 1 and attempt.latency_ms >= 0
    assert deliver(hooks)["counts"] == {}


def test_server_error_is_retried_on_schedule_with_the_same_id(hooks, receiver):
    owner, endpoint, secret = setup_endpoint(hooks, receiver)
    receiver.respond("/hook", Response(status=500, body=b"database down"), Response(status=200))
    [event_id] = emit(owner.id, "document.failed", {"document_id": 2}, START)
    assert deliver(hooks)["counts"] == {"retried": 1}
    failed = event(event_id)
    assert failed.status == EventStatus.FAILED and failed.last_status_code == 500
    assert (
        START + timedelta(seconds=4.5) <= failed.next_attempt_at <= START + timedelta(seconds=5.5)
    )
    assert deliver(hooks, START + timedelta(seconds=2))["counts"] == {}
    assert deliver(hooks, START + timedelta(seconds=6))["counts"] == {"sent": 1}
    ids = [r.headers["webhook-id"] for r in receiver.requests]
    assert ids == [event_id, event_id]
    for request in receiver.requests:
        verify(
            request.body,
            dict(request.headers),
            secret,
            now=int(request.headers["webhook-timestamp"]),
        )
    history = list(
        WebhookAttempt.select()
        .where(WebhookAttempt.event == event_id)
        .order_by(WebhookAttempt.number)
    )
    assert [(a.number, a.status_code) for a in history] == [(1, 500), (2, 200)]
    assert history[0].response_excerpt == "database down" and history[0].error == "HTTP 500"


def test_gone_disables_the_endpoint_and_dead_letters_the_event(hooks, receiver):
    owner, endpoint, _ = setup_endpoint(hooks, receiver)
    receiver.respond("/hook", Response(status=410))
    [first, second] = [emit(owner.id, "document.classified", {"n": n}, START)[0] for n in range(2)]
    summary = deliver(hooks)
    assert summary["counts"]["endpoints_disabled"] == 1
    endpoint = WebhookEndpoint.get_by_id(endpoint.id)
    assert not endpoint.enabled and "410" in endpoint.disabled_reason
    assert {event(first).status, event(second).status} == {EventStatus.DEAD_LETTERED}
    audit = AuditEvent.get(AuditEvent.action == "webhook_endpoint.disabled")
    assert audit.subject_id == str(endpoint.id) and audit.actor == "job:deliver_webhooks"
    later = emit(owner.id, "document.classified", {"n": 3}, START)
    assert later == []  # a disabled endpoint gets no new events


def test_retry_after_is_honoured(hooks, receiver):
    owner, _, _ = setup_endpoint(hooks, receiver)
    receiver.respond("/hook", Response(status=429, headers={"Retry-After": "120"}))
    [event_id] = emit(owner.id, "document.classified", {}, START)
    deliver(hooks)
    assert event(event_id).next_attempt_at >= START + timedelta(seconds=120)


def test_redirects_are_failures_and_never_followed(hooks, receiver):
    owner, _, _ = setup_endpoint(hooks, receiver)
    receiver.respond("/hook", Response(status=302, headers={"Location": "http://10.0.0.1/steal"}))
    [event_id] = emit(owner.id, "document.classified", {}, START)
    assert deliver(hooks)["counts"] == {"retried": 1}
    assert len(receiver.requests) == 1
    assert "not followed (302)" in event(event_id).last_error


@pytest.mark.parametrize(
    "response",
    [Response(hang=True), Response(trickle_bytes_per_second=1, body=b"x" * 100)],
    ids=["hang", "trickle"],
)
def test_slow_receivers_cannot_hold_the_worker(hooks, receiver, response):
    owner, _, _ = setup_endpoint(hooks, receiver)
    receiver.respond("/hook", response)
    [event_id] = emit(owner.id, "document.classified", {}, START)
    summary = deliver(hooks)
    assert summary["counts"] == {"retried": 1}
    assert summary["duration_seconds"] < 5
    assert "deadline" in event(event_id).last_error


def test_after_the_last_attempt_the_event_is_dead_lettered(hooks, receiver, tmp_path):
    settings = make_settings(tmp_path, **{**hooks.env(), "DOCFLOW_WEBHOOK_RETRY_SCHEDULE": "1s"})
    owner, _, _ = setup_endpoint(settings, receiver)
    receiver.respond("/hook", Response(status=503))
    [event_id] = emit(owner.id, "document.classified", {}, START)
    assert deliver(settings)["counts"] == {"retried": 1}
    assert deliver(settings, START + timedelta(seconds=2))["counts"] == {"dead_lettered": 1}
    dead = event(event_id)
    assert dead.status == EventStatus.DEAD_LETTERED and dead.attempts == 2 and dead.dead_lettered_at
    assert dead.error_fingerprint == "Error: HTTP 503"
    assert AuditEvent.get(AuditEvent.action == "webhook_event.dead_lettered").subject_id == event_id


def test_private_destination_is_refused_and_recorded_when_not_allowed(backend, receiver):
    owner = factories.tenant()
    endpoint = WebhookEndpoint.create(tenant=owner, url=receiver.url_for("/hook"), secret=None)
    settings = make_settings(
        backend.storage_root.parent,
        **{**backend.env(), "DOCFLOW_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
    )
    [event_id] = emit(owner.id, "document.classified", {}, START)
    deliver(settings)
    assert receiver.requests == []
    refused = event(event_id)
    assert refused.status == EventStatus.DEAD_LETTERED
    assert "refused" in refused.last_error and "loopback" in refused.last_error
    assert endpoint.id == refused.endpoint_id


def test_tenants_never_receive_or_sign_each_others_events(hooks, receiver):
    acme, _, acme_secret = setup_endpoint(hooks, receiver, "/acme", "acme")
    globex, _, globex_secret = setup_endpoint(hooks, receiver, "/globex", "globex")
    emit(acme.id, "document.classified", {"tenant": "acme"}, START)
    emit(globex.id, "document.classified", {"tenant": "globex"}, START)
    deliver(hooks)
    by_path = {r.path: r for r in receiver.requests}
    assert set(by_path) == {"/acme", "/globex"}
    assert b'"tenant":"acme"' in by_path["/acme"].body
    request = by_path["/acme"]
    verify(
        request.body,
        dict(request.headers),
        acme_secret,
        now=int(request.headers["webhook-timestamp"]),
    )
    with pytest.raises(Exception, match="no signature matches"):
        verify(
            request.body,
            dict(request.headers),
            globex_secret,
            now=int(request.headers["webhook-timestamp"]),
        )


def test_an_event_pointing_at_another_tenants_endpoint_is_not_sent(hooks, receiver):
    acme = factories.tenant("acme")
    _, globex_endpoint, _ = setup_endpoint(hooks, receiver, "/globex", "globex")
    forged = WebhookEvent.create(
        id="msg_forged",
        tenant=acme,
        endpoint=globex_endpoint,
        type="document.classified",
        payload="{}",
        next_attempt_at=START,
    )
    deliver(hooks)
    assert receiver.requests == []
    assert "another tenant" in event(forged.id).last_error


def test_no_secret_reaches_the_logs(hooks, receiver, caplog):
    owner, endpoint, secret = setup_endpoint(hooks, receiver)
    receiver.respond("/hook", Response(status=500), Response(status=200))
    emit(owner.id, "document.classified", {}, START)
    with caplog.at_level(logging.DEBUG):
        deliver(hooks)
        deliver(hooks, START + timedelta(minutes=1))
    key = secret.removeprefix("whsec_")
    assert caplog.records
    assert key not in caplog.text and secret not in caplog.text
    errors = " ".join(f"{a.error} {a.response_excerpt}" for a in WebhookAttempt.select())
    assert key not in errors


def test_disabled_endpoints_events_wait(hooks, receiver):
    owner, endpoint, _ = setup_endpoint(hooks, receiver)
    [event_id] = emit(owner.id, "document.classified", {}, START)
    endpoints.set_enabled(endpoint.id, False, actor="t", now=START)
    assert deliver(hooks)["counts"] == {}
    endpoints.set_enabled(endpoint.id, True, actor="t", now=START)
    assert deliver(hooks)["counts"] == {"sent": 1}
    assert event(event_id).status == EventStatus.SENT


def test_a_warm_shutdown_sends_what_started_and_gives_the_rest_back(tmp_path, hooks, receiver,
                                                                     monkeypatch):  # fmt: skip
    settings = make_settings(tmp_path, **{**hooks.env(), "DOCFLOW_WEBHOOK_CONCURRENCY": "1"})
    owner, _, _ = setup_endpoint(settings, receiver)
    ids = [emit(owner.id, "document.classified", {"document_id": n}, START)[0] for n in range(4)]
    post = deliver_webhooks_module.post

    def post_then_stop(*args, **kwargs):
        shutdown.request()  # SIGTERM arrives while the first attempt is on the wire
        return post(*args, **kwargs)

    monkeypatch.setattr(deliver_webhooks_module, "post", post_then_stop)
    try:
        summary = deliver(settings)
    finally:
        shutdown.reset()
    assert summary["counts"] == {"sent": 1, "released": 3} and summary["stopped"] == "shutdown"
    assert len(receiver.requests) == 1
    waiting = [event(i) for i in ids if event(i).status == EventStatus.PENDING]
    assert len(waiting) == 3 and all(e.claimed_by is None and e.attempts == 0 for e in waiting)
    monkeypatch.setattr(deliver_webhooks_module, "post", post)
    assert deliver(settings)["counts"] == {"sent": 3}


def test_attempt_numbers_go_on_across_dlq_requeues_with_a_fresh_schedule(hooks, receiver, tmp_path):
    settings = make_settings(tmp_path, **{**hooks.env(), "DOCFLOW_WEBHOOK_RETRY_SCHEDULE": "1s"})
    owner, _, _ = setup_endpoint(settings, receiver)
    receiver.respond("/hook", Response(status=503), Response(status=503), Response(status=500))
    [event_id] = emit(owner.id, "document.classified", {}, START)
    deliver(settings)
    assert deliver(settings, START + timedelta(seconds=2))["counts"] == {"dead_lettered": 1}
    later = START + timedelta(minutes=5)
    dlq.requeue(dlq.Selection.parse([event_id]), settings=settings, actor="t", now=later)
    # A fresh schedule: the first failure after the requeue is retried, not dead-lettered.
    assert deliver(settings, later)["counts"] == {"retried": 1}
    history = list(
        WebhookAttempt.select()
        .where(WebhookAttempt.event == event_id)
        .order_by(WebhookAttempt.attempted_at, WebhookAttempt.id)
    )
    assert [(a.number, a.status_code) for a in history] == [(1, 503), (2, 503), (3, 500)]


def test_delivery_deletes_rotated_out_secrets_whose_overlap_is_over(hooks, receiver):
    owner, endpoint, old = setup_endpoint(hooks, receiver)
    new = endpoints.rotate(endpoint.id, overlap_seconds=60, actor="t", now=START)
    assert deliver(hooks, START + timedelta(seconds=59))["counts"] == {}
    assert WebhookEndpoint.get_by_id(endpoint.id).previous_secret == old
    emit(owner.id, "document.classified", {}, START)
    summary = deliver(hooks, START + timedelta(seconds=60))
    assert summary["counts"] == {"previous_secrets_deleted": 1, "sent": 1}
    row = WebhookEndpoint.get_by_id(endpoint.id)
    assert (row.secret, row.previous_secret, row.previous_secret_expires_at) == (new, None, None)
    [request] = receiver.requests
    assert len(request.headers["webhook-signature"].split()) == 1
