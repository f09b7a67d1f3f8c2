"""Enqueue a DocFlow job from Python: the short example to copy into your own scripts.

    python scripts/enqueue.py classify_documents --batch-size 500
    python scripts/enqueue.py report_usage --queue high
    python scripts/enqueue.py deliver_webhooks --in 10m
    python scripts/enqueue.py cleanup_expired_documents --at 2026-12-01T02:00Z

The settings (Redis URL, queue prefix, ...) come from the DOCFLOW_* environment, as for
every other DocFlow process. Arguments are checked before anything reaches Redis: a
bad job name, argument, time or setting prints the problem and exits 2, enqueueing
nothing. The three calls that matter are marked below.
"""

from __future__ import annotations

import argparse
import sys

from docflow.errors import DocflowError
from docflow.jobs import JOBS
from docflow.models import utcnow
from docflow.queues import PRIORITIES, connect_redis, enqueue
from docflow.settings import Settings
from docflow.when import run_at


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Enqueue one DocFlow job.")
    parser.add_argument("job", help=f"one of: {', '.join(JOBS)}")
    parser.add_argument("--batch-size", help="rows per batch, 1..10000 (batch jobs)")
    parser.add_argument("--max-retries", help="retries before the DLQ, 0..100")
    parser.add_argument("--queue", choices=PRIORITIES, help="queue (default: the job's own)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--at", help="run once at: YYYY-MM-DD or ISO date-time with zone")
    when.add_argument("--in", dest="delay", help="run once after: 90 (seconds), 30s, 5m, 2h")
    options = parser.parse_args(argv)
    args = {
        name: value
        for name, value in (
            ("batch_size", options.batch_size),
            ("max_retries", options.max_retries),
        )
        if value is not None
    }
    try:
        # 1. Settings from the environment: a bad DOCFLOW_* value (a cron typo) stops here.
        settings = Settings.from_env()
        at = run_at(options.at, options.delay, utcnow())
        # 2. One Redis connection, checked with a PING.
        conn = connect_redis(settings.redis_url)
        # 3. Validate the arguments and enqueue (now, or at `at` through RQ's scheduler).
        job = enqueue(conn, settings, options.job, args, priority=options.queue, at=at)
    except DocflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    when_text = "now" if at is None else f"at {at:%Y-%m-%d %H:%M:%S} UTC"
    print(f"enqueued {job.description} as {job.id} on {job.origin}, to run {when_text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
