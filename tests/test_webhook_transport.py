"""One webhook attempt against real local receivers: outcomes, deadline, caps, safety.

Timing assertions are upper bounds with generous margins: they prove post() cannot be
held by a slow receiver, not that it is fast.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.utils import formatdate

import pytest
import requests
import urllib3.util.connection

from docflow import shutdown
from docflow.services.webhooks import transport
from docflow.services.webhooks.transport import EXCERPT_CHARS, AttemptResult, new_session
from tests.webhook_servers import Receiver, Response, unused_port

LIMITS = {"connect_timeout_seconds": 2.0, "deadline_seconds": 5.0, "max_response_bytes": 65536}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with new_session(pool_size=8) as shared:
        yield shared


def post(session: requests.Session, url: str, **options: object) -> AttemptResult:
    kwargs = {**LIMITS, "allow_private": True, **options}
    return transport.post(session, url, b'{"type":"ping"}', {"webhook-id": "msg_1"}, **kwargs)


def timed_post(
    session: requests.Session, url: str, **options: object
) -> tuple[AttemptResult, float]:
    started = time.monotonic()
    result = post(session, url, **options)
    return result, time.monotonic() - started


def test_success_reports_status_latency_and_excerpt(receiver, session):
    receiver.respond("/hook", Response(body=b'{"received": true}'))
    result = post(session, receiver.url_for("/hook"))
    assert (result.ok, result.status_code, result.error) == (True, 200, None)
    assert result.excerpt == '{"received": true}'
    assert 0 <= result.latency_ms < 5000
    assert not result.retryable and not result.gone and result.retry_after_seconds is None


def test_body_and_headers_arrive_intact(receiver, session):
    body = bytes(range(256)) * 4
    headers = {"webhook-id": "msg_2", "webhook-signature": "v1,abc=", "Content-Type": "x/y"}
    result = transport.post(
        session, receiver.url_for("/in?x=1"), body, headers, allow_private=True, **LIMITS
    )
    assert result.ok
    [seen] = receiver.requests
    assert (seen.method, seen.path, seen.body) == ("POST", "/in?x=1", body)
    assert {name: seen.headers[name] for name in headers} == headers


def test_cookies_are_not_sent_back(receiver, session):
    receiver.respond("/hook", Response(headers={"Set-Cookie": "session=abc; Path=/"}))
    assert post(session, receiver.url_for("/hook")).ok
    assert post(session, receiver.url_for("/hook")).ok
    assert [r.headers.get("Cookie") for r in receiver.requests] == [None, None]


def test_server_error_is_retryable(receiver, session):
    receiver.respond("/hook", Response(status=500, body=b"boom"))
    result = post(session, receiver.url_for("/hook"))
    assert (result.ok, result.retryable, result.error, result.excerpt) == (
        False, True, "HTTP 500", "boom",
    )  # fmt: skip
    assert result.retry_after_seconds is None


def test_gone_is_not_retried(receiver, session):
    receiver.respond("/hook", Response(status=410))
    result = post(session, receiver.url_for("/hook"))
    assert (result.gone, result.ok, result.retryable, result.error) == (
        True,
        False,
        False,
        "HTTP 410",
    )


def test_retry_after_seconds_on_429(receiver, session):
    receiver.respond("/hook", Response(status=429, headers={"Retry-After": "7"}))
    result = post(session, receiver.url_for("/hook"))
    assert result.retryable and result.retry_after_seconds == 7.0


def test_retry_after_http_date_on_503(receiver, session):
    later = formatdate(time.time() + 120, usegmt=True)
    receiver.respond("/later", Response(status=503, headers={"Retry-After": later}))
    receiver.respond(
        "/past", Response(status=503, headers={"Retry-After": formatdate(0, usegmt=True)})
    )
    assert 100 < post(session, receiver.url_for("/later")).retry_after_seconds <= 121
    assert post(session, receiver.url_for("/past")).retry_after_seconds == 0.0


def test_retry_after_ignored_on_success_and_unparsable(receiver, session):
    receiver.respond("/ok", Response(headers={"Retry-After": "7"}))
    receiver.respond("/bad", Response(status=503, headers={"Retry-After": "soon"}))
    assert post(session, receiver.url_for("/ok")).retry_after_seconds is None
    assert post(session, receiver.url_for("/bad")).retry_after_seconds is None


def test_redirect_is_a_failure_and_not_followed(receiver, session, monkeypatch):
    connected_to = []
    real_connect = urllib3.util.connection.create_connection

    def connect(address, *args, **kwargs):
        connected_to.append(address[0])
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", connect)
    location = "http://user:secret@10.0.0.1/in?a=1"
    receiver.respond("/moved", Response(status=302, headers={"Location": location}))
    result = post(session, receiver.url_for("/moved"))
    assert result.error == "redirect to http://10.0.0.1/in?a=1 not followed (302)"
    assert (result.ok, result.retryable, result.status_code) == (False, True, 302)
    assert len(receiver.requests) == 1
    assert connected_to == ["127.0.0.1"]


def test_redirect_is_not_followed_by_the_session_either(receiver, session):
    receiver.respond("/moved", Response(status=307, headers={"Location": "/elsewhere"}))
    response = session.post(receiver.url_for("/moved"), timeout=5)
    assert response.status_code == 307
    assert [r.path for r in receiver.requests] == ["/moved"]


def test_redirect_body_is_capped_too(receiver, session):
    # 200 bytes at 20 bytes/s: reading them all (as requests does for redirects) takes 10 s.
    slow = {"body": b"x" * 200, "trickle_bytes_per_second": 20}
    receiver.respond("/moved", Response(302, headers={"Location": "/next"}, **slow))
    result, took = timed_post(
        session, receiver.url_for("/moved"), max_response_bytes=10, deadline_seconds=3.0
    )
    assert result.error == f"redirect to {receiver.url}/next not followed (302)"
    assert result.excerpt == "x" * 10 + "…" and took < 2.5


def test_receiver_that_never_answers_times_out(receiver, session):
    receiver.respond("/hook", Response(hang=True))
    result, took = timed_post(session, receiver.url_for("/hook"), deadline_seconds=1.0)
    assert took < 2.0
    assert result.error == "timed out after 1.0s (deadline)"
    assert result.status_code is None and result.retryable
    assert [r.path for r in receiver.wait_for_requests(1)] == ["/hook"]


def test_trickled_body_is_cut_at_the_deadline(receiver, session):
    receiver.respond("/hook", Response(body=b"x" * 100, trickle_bytes_per_second=1))
    result, took = timed_post(session, receiver.url_for("/hook"), deadline_seconds=1.5)
    assert took < 2.5
    assert result.error == "timed out after 1.5s (deadline) reading the body of HTTP 200"
    assert result.status_code is None and not result.ok and result.retryable


def test_trickled_headers_are_cut_at_the_deadline(receiver, session):
    receiver.respond("/hook", Response(trickle_headers=True))
    result, took = timed_post(session, receiver.url_for("/hook"), deadline_seconds=1.5)
    assert took < 2.5
    assert result.error == "timed out after 1.5s (deadline)"


def test_large_response_is_capped(receiver, session):
    receiver.respond("/hook", Response(body=b"a" * 10_000_000))
    result, took = timed_post(session, receiver.url_for("/hook"), max_response_bytes=1000)
    assert result.ok and took < 3
    assert result.excerpt == "a" * 1000 + "…"


def test_long_excerpt_is_truncated_to_excerpt_chars(receiver, session):
    receiver.respond("/hook", Response(status=400, body="é".encode() * 5000))
    result = post(session, receiver.url_for("/hook"))
    assert result.excerpt == "é" * (EXCERPT_CHARS - 1) + "…"


def test_connection_refused_is_a_result(session):
    result = post(session, f"http://127.0.0.1:{unused_port()}/hook")
    assert (result.status_code, result.error, result.retryable) == (
        None,
        "connection refused",
        True,
    )


def test_private_destination_is_refused_without_a_request(receiver, session):
    result = post(session, receiver.url_for("/hook"), allow_private=False)
    assert result.error.startswith("refused: ")
    assert result.refused and not result.retryable and result.status_code is None
    assert receiver.requests == []


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A bare listening port: a TCP handshake with it leaves a connection to accept."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        yield server


def handshakes(listener: socket.socket) -> int:
    count = 0
    with contextlib.suppress(BlockingIOError):
        while True:
            listener.accept()[0].close()
            count += 1
    return count


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[str]]:
    """Names the test answers for: each lookup takes the next address, the last repeats."""
    real = socket.getaddrinfo
    answers: dict[str, list[str]] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        queue = answers[host]
        return real(queue.pop(0) if len(queue) > 1 else queue[0], port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def test_address_connected_to_is_checked_before_connecting(session, listener, dns):
    # DNS rebinding: the name passed the guard, but then resolves to loopback.
    dns["rebind.example"] = ["93.184.216.34", "127.0.0.1"]
    port = listener.getsockname()[1]
    result = post(session, f"http://rebind.example:{port}/hook", allow_private=False)
    assert result.refused and not result.retryable and result.status_code is None
    assert result.error == (
        f"refused: refusing http://rebind.example:{port}/: rebind.example resolves to 127.0.0.1 "
        "(loopback address); set DOCFLOW_WEBHOOK_ALLOW_PRIVATE=true only for tests and local demos"
    )
    assert handshakes(listener) == 0


def test_a_refused_internal_port_reads_the_same_open_or_closed(session, listener, dns):
    errors = []
    for port in (listener.getsockname()[1], unused_port()):
        dns["rebind.example"] = ["93.184.216.34", "127.0.0.1"]
        result = post(session, f"http://rebind.example:{port}/hook", allow_private=False)
        assert result.refused and f":{port}/" in result.error
        errors.append(result.error.replace(str(port), "PORT"))
    assert errors[0] == errors[1] and handshakes(listener) == 0


def test_a_backslash_before_the_host_is_refused_before_any_connection(session, listener, dns):
    # urllib.parse reads the host "public.example"; urllib3 reads 127.0.0.1:<port>.
    dns["public.example"] = ["93.184.216.34"]
    errors = []
    for port in (listener.getsockname()[1], unused_port()):
        result = post(session, f"http://127.0.0.1:{port}\\@public.example/", allow_private=False)
        assert result.refused and "backslash" in result.error
        errors.append(result.error)
    assert errors[0] == errors[1] and handshakes(listener) == 0


def test_connections_are_kept_alive(receiver, session):
    for _ in range(20):
        assert post(session, receiver.url_for("/hook")).ok
    assert len({r.client_port for r in receiver.requests}) <= 2


def test_concurrent_attempts_do_not_disturb_each_other(receiver, session):
    receiver.respond("/slow", Response(hang=True))
    paths = ["/slow", "/fast", "/fast", "/fast"] * 4
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda p: post(session, receiver.url_for(p), deadline_seconds=1.0), paths)
        )
    assert time.monotonic() - started < 4
    for path, result in zip(paths, results, strict=True):
        assert result.ok == (path == "/fast"), (path, result)


def test_dns_failure_is_a_retryable_failure_not_a_refusal(monkeypatch):
    import socket

    def no_dns(*args, **kwargs):
        raise socket.gaierror("Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    session = transport.new_session(1)
    result = transport.post(session, "http://receiver.invalid/hook", b"{}", {}, connect_timeout_seconds=1,
                  deadline_seconds=1, max_response_bytes=100, allow_private=False)  # fmt: skip
    assert not result.refused and result.retryable
    assert "cannot resolve receiver.invalid" in result.error


def test_a_warm_shutdown_cuts_a_hanging_attempt_short_after_the_grace(
    receiver, session, monkeypatch
):
    """A receiver that never answers must not hold a stopping worker for the whole
    deadline: the attempt ends STOP_GRACE_SECONDS after the stop request, as a failure to
    retry that says why."""
    monkeypatch.setattr(transport, "STOP_GRACE_SECONDS", 0.5)
    receiver.respond("/hang", Response(hang=True))
    shutdown.request()
    try:
        result, took = timed_post(session, receiver.url_for("/hang"), deadline_seconds=20.0)
    finally:
        shutdown.reset()
    assert took < 5, took
    assert not result.ok and result.retryable
    assert result.error == "stopped: the worker shut down before the receiver answered"
    assert post(session, receiver.url_for("/hook")).ok  # no stop asked: unaffected
