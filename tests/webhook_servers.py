"""A scripted HTTP receiver on 127.0.0.1 for webhook tests.

Each path answers with a script of responses (the last one repeats), including the
misbehaviours a webhook sender must survive: slow, trickling and silent receivers.
Every request received is recorded. Hung and trickling handlers stop when the receiver
is closed, so a test never waits on them.

    with Receiver() as receiver:
        receiver.respond("/hook", Response(status=500), Response(status=200))
        ...post to receiver.url_for("/hook")...
        assert [r.path for r in receiver.requests] == ["/hook"]
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from requests.structures import CaseInsensitiveDict

_HANG_LIMIT_SECONDS = 60.0  # a hung handler gives up by itself, should a test forget to close


@dataclass(frozen=True)
class Response:
    status: int = 200
    body: bytes = b"ok"
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0  # before anything is sent
    trickle_bytes_per_second: float | None = None  # send the body a byte at a time
    trickle_headers: bool = False  # the status line and headers too (default 1 byte/s)
    hang: bool = False  # read the request, then never answer


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str  # with the query string
    headers: CaseInsensitiveDict[str]
    body: bytes
    client_port: int  # tells kept-alive connections from new ones


class Receiver:
    """A threaded HTTP/1.1 (keep-alive) server whose answers each test scripts."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._scripts: dict[str, list[Response]] = {}
        self._received: list[Recorded] = []
        self._connections: set[socket.socket] = set()
        self._closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        # A short poll interval: closing waits for the serving loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url_for(self, path: str) -> str:
        return self.url + path

    def respond(self, path: str, *responses: Response) -> None:
        """Answer requests to ``path`` (query ignored) with ``responses`` in turn."""
        if not responses:
            raise ValueError("respond() needs at least one Response")
        with self._lock:
            self._scripts[path] = list(responses)

    @property
    def requests(self) -> list[Recorded]:
        """A snapshot of the requests received so far, oldest first."""
        with self._lock:
            return list(self._received)

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[Recorded]:
        """The requests received, once there are at least ``count``; fails after ``timeout``."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._received) >= count, timeout):
                raise AssertionError(
                    f"expected {count} requests within {timeout}s, got {len(self._received)}"
                )
            return list(self._received)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._closing.set()
        if self._thread.is_alive():  # shutdown() would wait forever for a loop never started
            self._server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:  # wakes handlers waiting for a kept-alive request
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                continue  # the client already went away
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next_response(self, path: str) -> Response:
        with self._lock:
            script = self._scripts.get(path.split("?", 1)[0])
            if not script:
                return Response()
            return script.pop(0) if len(script) > 1 else script[0]

    def _record(self, request: Recorded) -> None:
        with self._lock:
            self._received.append(request)
            self._lock.notify_all()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # senders under test open many connections at once


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connecting is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real receivers do

        def setup(self) -> None:
            super().setup()
            with receiver._lock:
                receiver._connections.add(self.connection)

        def handle(self) -> None:
            try:
                super().handle()
            except ConnectionError:
                return  # a client that gave up (deadline, size cap) may reset the connection

        def finish(self) -> None:
            with receiver._lock:
                receiver._connections.discard(self.connection)
            try:
                super().finish()
            except OSError:
                return  # the client dropped the connection: nothing to flush to

        def do_GET(self) -> None:
            self._answer()

        do_POST = do_PUT = do_DELETE = do_GET

        def log_message(self, format: str, *args: object) -> None:
            return  # keep test output clean

        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            receiver._record(
                Recorded(
                    self.command,
                    self.path,
                    CaseInsensitiveDict(self.headers.items()),
                    body,
                    self.client_address[1],
                )
            )
            response = receiver._next_response(self.path)
            try:
                self._send(response)
            except OSError:  # the client gave up (deadline, size cap): expected
                self.close_connection = True

        def _send(self, response: Response) -> None:
            if response.hang:
                receiver._closing.wait(_HANG_LIMIT_SECONDS)
                self.close_connection = True
                return
            if response.delay_seconds and receiver._closing.wait(response.delay_seconds):
                self.close_connection = True
                return
            head = [f"HTTP/1.1 {response.status} {_reason(response.status)}"]
            headers = {"Content-Length": str(len(response.body)), **response.headers}
            head += [f"{name}: {value}" for name, value in headers.items()]
            head_bytes = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
            rate = response.trickle_bytes_per_second or 1.0
            if not (response.trickle_headers or response.trickle_bytes_per_second):
                # One write: a second small one would wait out the client's delayed ACK.
                self.wfile.write(head_bytes + response.body)
                return
            self.close_connection = True  # the client has likely given up on it
            if response.trickle_headers:
                self._trickle(head_bytes, rate)
            else:
                self.wfile.write(head_bytes)
            if response.trickle_bytes_per_second:
                self._trickle(response.body, rate)
            else:
                self.wfile.write(response.body)

        def _trickle(self, data: bytes, rate: float) -> None:
            for index in range(len(data)):
                self.wfile.write(data[index : index + 1])
                if receiver._closing.wait(1 / rate):
                    raise ConnectionAbortedError("receiver closing")

    return Handler


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
