"""Enqueue a DocFlow job from Python: the short example to copy into your own scripts.

    python scripts/enqueue.py classify_documents --batch-size 500
    python scripts/enqueue.py report_usage --queue high
    python scripts/enqueue.py deliver_webhooks --in 10m
    python scripts/enqueue.py cleanup_expired_documents --at 2026-12-01T02:00Z

The settings (Redis URL, queue prefix, ...) come from the DOCFLOW_* environment, as for
every other DocFlow process. The jobs and their parameters come from their declarations
(``@job`` in docflow/jobs/). Arguments are checked before anything reaches Redis: a bad
job name, argument, time or setting prints the problem and exits 2, enqueueing nothing.
The three calls that matter are marked below.
"""

from __future__ import annotations

import argparse
import sys

from docflow.errors import DocflowError
from docflow.models import utcnow
from docflow.queues import PRIORITIES, connect_redis
from docflow.registry import all_jobs, get_job, params_by_name
from docflow.settings import Settings
from docflow.timefmt import when_text
from docflow.when import run_at


def parser(settings: Settings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Enqueue one DocFlow job.")
    parser.add_argument("job", help=f"one of: {', '.join(all_jobs(settings))}")
    for name, (spec, jobs) in sorted(params_by_name(settings).items()):
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            help=f"{spec.doc}, {spec.range_text} ({', '.join(jobs)})",
        )
    parser.add_argument("--queue", choices=PRIORITIES, help="queue (default: the job's own)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--at", help="run once at: YYYY-MM-DD or ISO date-time with zone")
    when.add_argument("--in", dest="delay", help="run once after: 90 (seconds), 30s, 5m, 2h")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        # 1. Settings from the environment: a bad DOCFLOW_* value (a cron typo) stops here.
        settings = Settings.from_env()
    except DocflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    options = vars(parser(settings).parse_args(argv))
    name, priority = options.pop("job"), options.pop("queue")
    at_text, delay = options.pop("at"), options.pop("delay")
    args = {param: value for param, value in options.items() if value is not None}
    try:
        job = get_job(name, settings)
        at = run_at(at_text, delay, utcnow())
        # 2. One Redis connection, checked with a PING.
        conn = connect_redis(settings.redis_url)
        # 3. Validate the arguments and enqueue (now, or at `at` through RQ's scheduler).
        queued = job.enqueue(conn, settings, args, priority=priority, at=at)
    except DocflowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    when = "now" if at is None else f"at {when_text(at)}"
    print(f"enqueued {queued.description} as {queued.id} on {queued.origin}, to run {when}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
