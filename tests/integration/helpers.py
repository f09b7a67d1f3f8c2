"""Real worker processes for integration tests: start, wait, kill, and count what they did."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import peewee

from docflow.db import open_database
from docflow.models import Document, DocumentStatus, JobRun
from docflow.settings import Settings


def worker_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env.update(settings.env())
    env.update(extra)
    return env


def start_docflow(settings: Settings, log: Path, *args: str, **extra: str) -> subprocess.Popen:
    """A `docflow` command as its own process, its output appended to ``log``."""
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "docflow", *args],
            env=worker_env(settings, **extra),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def start_worker(settings: Settings, log: Path, *args: str, **extra: str) -> subprocess.Popen:
    return start_docflow(settings, log, "worker", *args, **extra)


def start_scheduler(settings: Settings, log: Path) -> subprocess.Popen:
    return start_docflow(settings, log, "scheduler")


def wait_for(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.05):
    """Poll ``condition`` until it is truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (RQ's work-horses), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def kill_hard(proc: subprocess.Popen) -> None:
    """SIGKILL a worker and its work-horses, as a crash or an OOM kill would."""
    for child in children(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
    proc.kill()
    proc.wait(timeout=10)


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            kill_hard(proc)


def kill_mid_batch(
    start: Callable[[], subprocess.Popen],
    in_batch: Callable[[], bool],
    stranded: Callable[[], int],
    attempts: int = 5,
) -> int:
    """Start a worker and SIGKILL it while ``in_batch()``; return the rows it stranded.

    A batch can commit between seeing it in flight and the kill landing; then nothing is
    stranded and another worker is started and killed, up to ``attempts`` times.
    """
    for _ in range(attempts):
        victim = start()
        wait_for(in_batch, 60, "a worker in the middle of a batch", interval=0.01)
        kill_hard(victim)
        left = stranded()
        if left:
            return left
    raise AssertionError(f"no kill landed mid-batch in {attempts} attempts")


def document_statuses(settings: Settings) -> Counter[str]:
    """Documents by status, counted in the database."""
    with open_database(settings):
        query = Document.select(Document.status, peewee.fn.COUNT(Document.id)).group_by(
            Document.status
        )
        return Counter(dict(query.tuples()))


def mid_batch(settings: Settings) -> bool:
    """Some documents classified and some still claimed: a batch job is under way."""
    counts = document_statuses(settings)
    return counts[DocumentStatus.PROCESSING] > 0 and counts[DocumentStatus.CLASSIFIED] > 0


def classified_writes(settings: Settings) -> int:
    """Classifications committed, summed over the runs' counts (each batch adds its own)."""
    with open_database(settings):
        return sum((r.counts or {}).get("classified", 0) for r in JobRun.select(JobRun.counts))
