"""The scratch workload of `docflow bench classify`: settings, seeding, resetting between
rounds, worker processes and their memory."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import redis

from docflow.models import Document, DocumentContent, DocumentStatus, JobRun
from docflow.parse import CATEGORIES
from docflow.queues import PRIORITIES, get_queue, queue_names
from docflow.samples import LANGUAGES
from docflow.settings import Settings

PAGE = os.sysconf("SC_PAGE_SIZE")


def bench_settings(workdir: Path, database_url: str, redis_url: str) -> Settings:
    return Settings.from_env({
        "DOCFLOW_DATABASE_URL": database_url,
        "DOCFLOW_STORAGE_ROOT": str(workdir / "storage"),
        "DOCFLOW_REDIS_URL": redis_url,
        "DOCFLOW_QUEUE_PREFIX": f"bench{uuid.uuid4().hex[:8]}",
        "DOCFLOW_CLASSIFY_TIME_BUDGET_SECONDS": "3600",
        "DOCFLOW_CLASSIFY_BATCH_SECONDS": "3000",
        "DOCFLOW_JOB_TIMEOUT_SECONDS": "7200",
        "DOCFLOW_LOG_LEVEL": "WARNING",
    })  # fmt: skip


def reset() -> None:
    """Every document Pending again and unread: the next round does all the work again."""
    Document.delete().where(Document.parent.is_null(False)).execute()
    DocumentContent.delete().execute()
    Document.update(
        status=DocumentStatus.PENDING, category=None, confidence=None, route=None,
        classified_at=None, claimed_by=None, lease_expires_at=None, last_error=None,
        dead_letter_reason=None, dead_lettered_at=None, error_fingerprint=None, retry_count=0,
    ).execute()  # fmt: skip
    JobRun.delete().execute()


def settled() -> int:
    """Documents the pipeline is done with (classified, or failed for good)."""
    done = (DocumentStatus.CLASSIFIED, DocumentStatus.DEAD_LETTERED)
    return Document.select().where(Document.status.in_(done)).count()


def wait(condition: Callable[[], bool], timeout: float, interval: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark run did not finish in time")
        time.sleep(interval)


def start_worker(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCFLOW_")}
    env.update(settings.env())
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "docflow", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def workers_ready(conn: redis.Redis, settings: Settings, count: int) -> bool:
    from rq import Worker

    names = set(queue_names(settings))
    return sum(1 for w in Worker.all(connection=conn) if names & set(w.queue_names())) >= count


def empty_queues(conn: redis.Redis, settings: Settings) -> None:
    """Every key of the benchmark's own queue prefix (a random one, see bench_settings):
    its queues, and the registries and worker sets RQ keeps beside them."""
    for priority in PRIORITIES:
        get_queue(conn, settings, priority).empty()
    keys = list(conn.scan_iter(match=f"*{settings.queue_prefix}*", count=1000))
    for start in range(0, len(keys), 1000):
        conn.delete(*keys[start : start + 1000])


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (work-horse, extraction child)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm", "rb") as statm:
                total += int(statm.read().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(c) for c in children.read().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


class PeakMemory:
    """Samples the resident memory of some process trees while it runs; the peak of each."""

    def __init__(self, pids: list[int], interval: float = 0.2) -> None:
        self.pids = pids
        self.interval = interval
        self.peak = dict.fromkeys(pids, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], tree_rss_bytes(pid))


def in_turn(count: int) -> Iterator[tuple[str, str]]:
    """``count`` (category, language) pairs: every category, then again in the next
    language, so that any prefix of a benchmark's documents is evenly mixed."""
    for n in range(count):
        yield CATEGORIES[n % len(CATEGORIES)], LANGUAGES[n // len(CATEGORIES) % len(LANGUAGES)]
