"""One HTTP attempt of a webhook, bounded in time and size, never following redirects.

requests' read timeout bounds each socket read, so a receiver trickling a byte a second
could hold a worker for hours. Each attempt registers its deadline with a shared watchdog
thread that, at the deadline, shuts down the attempt's socket through a descriptor of its
own (the connection may close or TLS-wrap its socket object at any moment); the blocked
read returns at once. The connection and pool classes below tell the watchdog which socket
the current thread's attempt uses, and take it back when the connection returns to the
pool, so a late expiry never hits another attempt.

Only 2xx succeeds; 410 means the receiver is gone. A 3xx is a failure that is retried (the
receiver may fix its URL): redirects are never followed, their target was never checked.
A refused destination is never retried.

The connection resolves the host itself and checks every address before connecting to
one, so no packet reaches an address the guard refuses, and a refusal reads the same
whether anything listens on the port or not.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import re
import socket
import ssl
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from http.client import HTTPException, RemoteDisconnected
from http.cookiejar import DefaultCookiePolicy
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection
from urllib3.util.connection import allowed_gai_family

from docflow import shutdown
from docflow.errors import UnresolvableHost, UnsafeDestination
from docflow.redaction import without_userinfo
from docflow.services.webhooks.guard import Target, check_addresses, check_url
from docflow.useragent import USER_AGENT

EXCERPT_CHARS = 1024
STOP_GRACE_SECONDS = 5.0
"""How long attempts on the wire may go on after a warm shutdown was asked for: a hanging
receiver must not hold a stopping worker for the whole deadline. Cut short, an attempt
is a failure like a timeout, and retried on schedule by another worker."""
_NETWORK_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, HTTPException, OSError)


@dataclass(frozen=True)
class AttemptResult:
    status_code: int | None  # None when there was no response
    latency_ms: int
    excerpt: str | None
    error: str | None
    retry_after_seconds: float | None
    refused: bool = False  # the guard refused the destination; nothing was sent

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410

    @property
    def retryable(self) -> bool:
        # A refused URL will not become safe by waiting.
        return not (self.ok or self.gone or self.refused)


class _Attempt:
    """The attempt running on a thread: its destination policy and deadline watchdog."""

    def __init__(self, seconds: float, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.expired = False
        self.stopped = False
        """Expired early because this process is stopping (see ``STOP_GRACE_SECONDS``)."""
        self.done = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        _watchdog.watch(self, time.monotonic() + seconds)

    def track(self, sock: socket.socket | None) -> None:
        """Watch ``sock`` from now on; None to watch nothing."""
        dup = None if sock is None else socket.fromfd(sock.fileno(), sock.family, sock.type)
        with self._lock:
            if self._sock is not None:
                self._sock.close()
            self._sock = dup
            if dup is not None and self.expired:
                _shutdown(dup)

    def stop(self) -> None:
        self.done = True
        self.track(None)  # a watchdog already expiring this attempt then finds nothing to shut

    def expire(self, *, stopping: bool = False) -> None:
        with self._lock:
            self.stopped = self.stopped or stopping
            self.expired = True
            if self._sock is not None:
                _shutdown(self._sock)


class _Watchdog:
    """One thread that expires every attempt at its deadline, or ``STOP_GRACE_SECONDS``
    after a warm shutdown was asked for, whichever comes first.

    A timer thread per attempt cost more than the HTTP request itself (a thread start
    and two context switches each), so all attempts share this one, kept in a heap
    ordered by deadline. Finished attempts are dropped when they reach the top.
    """

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._heap: list[tuple[float, int, _Attempt]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, attempt: _Attempt, deadline: float) -> None:
        with self._wake:
            heapq.heappush(self._heap, (deadline, next(self._order), attempt))
            # Checked on every call: a forked work-horse inherits the object, not the thread.
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="webhook-deadlines", daemon=True
                )
                self._thread.start()
            if self._heap[0][2] is attempt:
                self._wake.notify()

    def _run(self) -> None:
        with self._wake:
            while True:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._wake.wait()
                    continue
                stopping = shutdown.seconds_since_request()
                if stopping is not None and stopping >= STOP_GRACE_SECONDS:
                    for _, _, attempt in self._heap:
                        attempt.expire(stopping=True)
                    self._heap.clear()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    # At most a second: a stop request is a flag, not a notification.
                    self._wake.wait(min(wait, 1.0))
                    continue
                heapq.heappop(self._heap)[2].expire()


_watchdog = _Watchdog()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # the peer already closed it: nothing to interrupt
        sock.shutdown(socket.SHUT_RDWR)


class _Local(threading.local):
    attempt: _Attempt | None = None


_local = _Local()


if TYPE_CHECKING:
    # What the two mixins below are mixed into, so their calls into urllib3 are checked.
    from urllib3._base_connection import BaseHTTPConnection  # a Protocol, for typing only

    _Connection = HTTPConnection
    _Pool = HTTPConnectionPool
else:
    _Connection = _Pool = object


class _WatchedConnection(_Connection):
    def _new_conn(self) -> socket.socket:
        attempt = _local.attempt
        if attempt is None:
            return super()._new_conn()
        # DNS may answer differently than when the guard resolved the name (rebinding), so
        # the name is resolved once more here, every address checked, and only those very
        # addresses connected to. Checking after connecting would let the TCP handshake
        # reach an internal port, and the error tell an open port from a closed one.
        host = self._dns_host.strip("[]")
        try:
            found = socket.getaddrinfo(host, self.port, allowed_gai_family(), socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
        # An IPv6 zone ("%eth0") is no part of the address checked, only of where to connect.
        checked = [address.split("%", 1)[0] for address in addresses]
        check_addresses(self._target(host), checked, allow_private=attempt.allow_private)
        try:
            sock = self._connect(addresses)
        except TimeoutError as exc:  # what urllib3's own _new_conn raises, for requests
            raise ConnectTimeoutError(
                self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
            ) from exc
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to establish a new connection: {exc}") from exc
        sys.audit("http.client.connect", self, self.host, self.port)
        attempt.track(sock)
        return sock

    def _target(self, host: str) -> Target:
        scheme = "https" if isinstance(self, HTTPSConnection) else "http"
        netloc = f"[{host}]" if ":" in host else host
        if self.port != {"http": 80, "https": 443}[scheme]:
            netloc += f":{self.port}"
        return Target(scheme, host, self.port, f"{scheme}://{netloc}/")

    def _connect(self, addresses: list[str]) -> socket.socket:
        """A socket connected to the first of ``addresses`` that accepts, as urllib3 would
        connect to the name; an address is a literal, so nothing is resolved again."""
        *others, last = addresses
        for address in others:
            with contextlib.suppress(OSError):  # the next address may answer
                return self._connect_to(address)
        return self._connect_to(last)

    def _connect_to(self, address: str) -> socket.socket:
        return connection.create_connection(
            (address, self.port),
            self.timeout,
            source_address=self.source_address,
            socket_options=self.socket_options,
        )

    def request(self, *args: Any, **kwargs: Any) -> None:
        attempt = _local.attempt
        if attempt is not None and self.sock is not None:  # kept alive, or connected for TLS
            attempt.track(self.sock)
        super().request(*args, **kwargs)


class _WatchedPool(_Pool):
    def _put_conn(self, conn: BaseHTTPConnection | None) -> None:
        attempt = _local.attempt
        if attempt is not None:  # the connection is no longer this attempt's
            attempt.track(None)
        super()._put_conn(conn)


class _HTTPPool(_WatchedPool, HTTPConnectionPool):
    ConnectionCls = type("_HTTPConnection", (_WatchedConnection, HTTPConnection), {})


class _HTTPSPool(_WatchedPool, HTTPSConnectionPool):
    ConnectionCls = type("_HTTPSConnection", (_WatchedConnection, HTTPSConnection), {})


class _NoRedirectSession(requests.Session):
    def get_redirect_target(self, resp: requests.Response) -> None:
        # Even with allow_redirects=False, requests reads a redirect's whole body,
        # uncapped, to prepare the next hop; with no target there is no next hop.
        return None


def new_session(pool_size: int) -> requests.Session:
    """A keep-alive session for :func:`post`, safe to share between threads."""
    session = _NoRedirectSession()
    session.trust_env = False  # no proxies or .netrc credentials from the environment
    # Deliveries, possibly of different tenants to one host, must not share cookies.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    # The body is read raw and capped: a compressed excerpt would be unreadable.
    session.headers["Accept-Encoding"] = "identity"
    session.headers["User-Agent"] = USER_AGENT
    adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
    adapter.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def post(
    session: requests.Session,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    connect_timeout_seconds: float,
    deadline_seconds: float,
    max_response_bytes: int,
    allow_private: bool,
) -> AttemptResult:
    """POST ``body`` to ``url`` once; network problems become the result, never raise."""
    started = time.monotonic()
    try:
        check_url(url, allow_private=allow_private)
    except UnsafeDestination as exc:
        return _refused(exc, started)
    except UnresolvableHost as exc:
        # DNS trouble may pass: a failure to retry, unlike a refused destination.
        return AttemptResult(None, _elapsed_ms(started), None, str(exc), None)
    remaining = max(deadline_seconds - (time.monotonic() - started), 0.001)
    _local.attempt = attempt = _Attempt(remaining, allow_private)
    response: requests.Response | None = None
    complete = False
    try:
        # The read timeout only backs the watchdog up: it bounds each read, not the sum.
        timeout = (min(connect_timeout_seconds, remaining), remaining)
        response = session.post(
            url, body, headers=dict(headers), timeout=timeout, stream=True, allow_redirects=False
        )
        # Blocks until cap + 1 bytes or the end: one byte past the cap tells a cut body.
        data = response.raw.read(max_response_bytes + 1, decode_content=False)
        complete = len(data) <= max_response_bytes and not attempt.expired
        if attempt.expired:  # the watchdog's shutdown can read as the end of the body
            raise TimeoutError
    except UnsafeDestination as exc:
        return _refused(exc, started)
    except _NETWORK_ERRORS as exc:
        # Past the deadline, whichever fired first (watchdog or read timeout) says the same.
        if attempt.stopped:
            error = "stopped: the worker shut down before the receiver answered"
        elif attempt.expired or time.monotonic() - started >= deadline_seconds:
            error = f"timed out after {float(deadline_seconds)}s (deadline)"
            if response is not None:
                error += f" reading the body of HTTP {response.status_code}"
        else:
            error = _describe(exc, connect_timeout_seconds)
        return AttemptResult(None, _elapsed_ms(started), None, error, None)
    finally:
        attempt.stop()
        _local.attempt = None
        if response is not None and not complete:
            response.close()  # drops the connection: not worth draining
    text = data[:max_response_bytes].decode("utf-8", "replace")
    excerpt = _clip(text, EXCERPT_CHARS, cut=not complete)
    return _answered(url, response, _elapsed_ms(started), excerpt)


def _answered(
    url: str, response: requests.Response, elapsed_ms: int, excerpt: str
) -> AttemptResult:
    """The result of an attempt the receiver answered, whatever it answered."""
    status = response.status_code
    error = None if 200 <= status < 300 else f"HTTP {status}"
    if 300 <= status < 400:
        error = _redirect_error(url, status, response.headers.get("Location"))
    retry_after = None
    if status == 429 or status >= 500:
        retry_after = _parse_retry_after(response.headers.get("Retry-After"))
    return AttemptResult(status, elapsed_ms, excerpt, error, retry_after)


def _clip(text: str, limit: int, cut: bool = False) -> str:
    """``text`` within ``limit`` characters, marked with "…" if anything is missing."""
    return text[: limit - 1] + "…" if cut or len(text) > limit else text


def _redirect_error(url: str, status: int, location: str | None) -> str:
    if not location:
        return f"redirect without a Location not followed ({status})"
    try:
        parts = urlsplit(urljoin(url, location.strip()))
    except ValueError:
        return f"redirect to an invalid Location not followed ({status})"
    target = _clip(without_userinfo(urlunsplit(parts)), 300)  # credentials must not reach logs
    return f"redirect to {target} not followed ({status})"


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a delta-seconds or HTTP-date ``Retry-After``; None if unusable."""
    value = (value or "").strip()
    if re.fullmatch(r"\d+", value, re.ASCII):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC, with no claim about the sender's zone
        when = when.replace(tzinfo=UTC)
    return max(when.timestamp() - time.time(), 0.0)


_CAUSES = (  # the first that is among the causes names the problem
    (ConnectionRefusedError, "connection refused"),
    (ConnectionResetError, "connection reset by the receiver"),
    ((socket.gaierror, urllib3.exceptions.NameResolutionError), "could not resolve the host"),
    (RemoteDisconnected, "connection closed by the receiver without a response"),
    (ssl.SSLCertVerificationError, "TLS certificate rejected"),
    (ssl.SSLError, "TLS error"),
    ((TimeoutError, urllib3.exceptions.TimeoutError), "timed out waiting for the receiver"),
)


def _describe(exc: BaseException, connect_timeout_seconds: float) -> str:
    # Built from exception types, not messages: some messages quote request header values.
    if isinstance(exc, requests.ConnectTimeout):
        return f"connect timed out after {float(connect_timeout_seconds)}s"
    causes: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(causes) < 10:  # bounded: a cycle of causes is possible
        causes.append(cause)
        reason = getattr(cause, "reason", None)  # urllib3 keeps the cause there
        cause = (
            reason if isinstance(reason, BaseException) else cause.__cause__ or cause.__context__
        )
    for types, message in _CAUSES:
        for cause in (cause for cause in causes if isinstance(cause, types)):
            detail = getattr(cause, "verify_message", None)  # why a certificate was rejected
            return f"{message}: {detail}" if detail else message
    return f"request failed ({type(causes[-1]).__name__})"


def _refused(exc: UnsafeDestination, started: float) -> AttemptResult:
    return AttemptResult(None, _elapsed_ms(started), None, f"refused: {exc}", None, refused=True)


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
