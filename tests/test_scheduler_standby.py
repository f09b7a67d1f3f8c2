"""A standby scheduler (another one holds the lock) says so once, not at every tick."""

from __future__ import annotations

import logging
import signal
import threading
import time

from docflow import schedule
from tests.conftest import make_settings


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lock_taken(self) -> list[logging.LogRecord]:
        return [r for r in self.records if "Lock already taken" in r.getMessage()]


def test_a_standby_scheduler_says_so_once_at_info(redis_conn, settings, tmp_path):
    settings = make_settings(
        tmp_path, **{**settings.env(), "DOCFLOW_SCHEDULER_INTERVAL_SECONDS": "0.1"}
    )
    lock = f"{schedule._namespace(settings)}:lock"
    redis_conn.set(lock, "the other scheduler", ex=60)
    records = Records()
    loggers = [logging.getLogger("rq_scheduler"), logging.getLogger("docflow.schedule")]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(records)
        lg.setLevel(logging.DEBUG)

    done = threading.Event()

    def the_other_scheduler_stops() -> None:
        deadline = time.monotonic() + 30
        while len(records.lock_taken()) < 3 and time.monotonic() < deadline:
            if done.wait(0.02):
                return
        redis_conn.delete(lock)

    releaser = threading.Thread(target=the_other_scheduler_stops)
    releaser.start()
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        # burst: stops after the first tick it gets the lock for, once the other one is gone.
        schedule.run_scheduler(settings, burst=True)
    finally:
        done.set()
        releaser.join()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        for lg, level in saved:
            lg.removeHandler(records)
            lg.setLevel(level)

    skipped = records.lock_taken()
    assert len(skipped) >= 3
    assert {r.levelno for r in skipped} == {logging.DEBUG}
    standby = [r for r in records.records if "standby" in r.getMessage()]
    assert [(r.name, r.levelno) for r in standby] == [("docflow.schedule", logging.INFO)]
    assert not [r for r in records.records if r.levelno >= logging.WARNING]
