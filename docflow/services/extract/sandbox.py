"""Extraction in isolation: a child process per worker, with limits per document.

Parsers of PDF, images and Office files are C libraries fed untrusted bytes. A crash
(a segfault), a hang or a runaway allocation there must cost that one document, never
the batch, the job or the worker, so they run in a child process
(:mod:`docflow.services.extract.child`) that is watched while it works:

* wall time: the parent waits ``timeout_seconds`` per document, then kills the child;
* CPU time: the child lowers its own ``RLIMIT_CPU`` before each document (SIGXCPU);
* memory: the parent reads the child's resident size every 50 ms and kills it past
  ``memory_mb`` (the resident size is what matters on a shared machine; RLIMIT_AS would
  also count the address space numerical libraries reserve but never touch);
* output and pages: the extractors' own limits (:class:`Limits`).

A killed or crashed child is replaced when the next document comes. One child per worker
process: DocFlow scales by running more workers (one per core), so each core OCRs.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from typing import Any

from docflow.errors import (
    CorruptDocument,
    EncryptedDocument,
    LimitExceeded,
    MissingExtra,
    StorageError,
    UnreadableDocument,
    UnsupportedDocument,
)
from docflow.services.extract.result import Extraction, Limits

_ERRORS: dict[str, type[Exception]] = {
    cls.__name__: cls
    for cls in (
        CorruptDocument,
        EncryptedDocument,
        LimitExceeded,
        MissingExtra,
        UnsupportedDocument,
        UnreadableDocument,
        StorageError,
    )  # fmt: skip
}
_POLL_SECONDS = 0.05
_PAGE = os.sysconf("SC_PAGE_SIZE")
# One thread per numerical library: the worker count, not threads, uses the cores.
_ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                       "MKL_NUM_THREADS", "OMP_THREAD_LIMIT")}  # fmt: skip


class Sandbox:
    """Run isolated extractors in a watched child; use as a context manager."""

    def __init__(self, *, timeout_seconds: float, cpu_seconds: float, memory_mb: int) -> None:
        self.timeout_seconds = timeout_seconds
        self.cpu_seconds = cpu_seconds
        self.memory_bytes = memory_mb * 1024 * 1024
        self._child: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self.started = 0  # children started: one, unless documents killed some

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._child is not None:
            self._stop(self._child)
            self._child = None

    def extract(
        self, path: str, extractor: str, limits: Limits, *, max_bytes: int, what: str
    ) -> Extraction:
        """Extract the file at ``path`` with ``extractor`` ("module:Class"); ``what`` names
        the format in errors. Raises an UnreadableDocument (or StorageError) on failure."""
        child = self._ensure()
        request = {"path": path, "extractor": extractor, "limits": limits.to_json(),
                   "cpu_seconds": self.cpu_seconds, "max_bytes": max_bytes}  # fmt: skip
        assert child.stdin is not None
        try:
            child.stdin.write(json.dumps(request).encode() + b"\n")
            child.stdin.flush()
        except BrokenPipeError:
            self._child = None
            raise CorruptDocument(f"the {what} reader had stopped; try again") from None
        answer = self._wait(child, what)
        if "ok" in answer:
            return Extraction.from_json(answer["ok"])
        error = answer["error"]
        raise _ERRORS.get(error["type"], CorruptDocument)(error["message"])

    def _ensure(self) -> subprocess.Popen[bytes]:
        if self._child is None or self._child.poll() is not None:
            env = {**os.environ, **_ONE_THREAD, "PYTHONWARNINGS": "ignore"}
            self._child = subprocess.Popen(
                [sys.executable, "-m", "docflow.services.extract.child"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env=env, close_fds=True,
            )  # fmt: skip
            self._buffer = b""
            self.started += 1
        return self._child

    def _wait(self, child: subprocess.Popen[bytes], what: str) -> dict[str, Any]:
        """The child's answer line, or the error that stopped it (the child is then gone)."""
        assert child.stdout is not None
        deadline = time.monotonic() + self.timeout_seconds
        with selectors.DefaultSelector() as selector:
            selector.register(child.stdout, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._kill(child)
                    raise LimitExceeded(
                        f"reading it took over {self.timeout_seconds:g} s "
                        "(DOCFLOW_EXTRACT_TIMEOUT_SECONDS)"
                    )
                if _resident_bytes(child.pid) > self.memory_bytes:
                    self._kill(child)
                    raise LimitExceeded(
                        f"reading it needed over {self.memory_bytes // 1048576:,} MB of memory "
                        "(DOCFLOW_EXTRACT_MEMORY_MB)"
                    )
                if selector.select(min(left, _POLL_SECONDS)):
                    chunk = os.read(child.stdout.fileno(), 1 << 20)
                    if not chunk:
                        raise self._died(child, what)
                    self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _died(self, child: subprocess.Popen[bytes], what: str) -> UnreadableDocument:
        code = child.wait()
        self._child = None
        if code == -signal.SIGXCPU:
            return LimitExceeded(
                f"reading it used over {self.cpu_seconds:g} s of CPU (DOCFLOW_EXTRACT_CPU_SECONDS)"
            )
        if code == -signal.SIGKILL:
            return LimitExceeded("the reader was killed, most likely out of memory")
        how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        return CorruptDocument(f"the {what} reader crashed on this file ({how})")

    def _kill(self, child: subprocess.Popen[bytes]) -> None:
        child.kill()
        child.wait()
        self._child = None

    @staticmethod
    def _stop(child: subprocess.Popen[bytes]) -> None:
        if child.poll() is None:
            assert child.stdin is not None
            child.stdin.close()
            try:
                child.wait(timeout=2)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _resident_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0  # gone, or no /proc: the wall-time and CPU limits still hold
