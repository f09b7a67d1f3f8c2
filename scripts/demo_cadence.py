"""Print the demo's schedule: every declared job, in seconds rather than minutes or hours.

    eval "$(python scripts/demo_cadence.py)"

One ``export DOCFLOW_SCHEDULE_<JOB>=...`` line per job with a schedule, from the job
declarations, so a new job joins the demo by itself. Jobs that run at least every five
minutes in production run every 10 s here, the others every 30 s. A variable already
set in the environment is left as it is.
"""

from __future__ import annotations

import os
import shlex
from datetime import UTC, datetime, timedelta

from docflow.registry import all_jobs
from docflow.schedule import next_run
from docflow.settings import SCHEDULE_PREFIX, Settings

FAST = "*/10 * * * * * *"
SLOW = "*/30 * * * * * *"


def is_frequent(cron: str) -> bool:
    """Does ``cron`` fire at least every five minutes (judged over one hour)?"""
    at = datetime(2026, 1, 5, tzinfo=UTC)
    end = at + timedelta(hours=1)
    while at < end:
        following = next_run(cron, at)
        if following - at > timedelta(minutes=5):
            return False
        at = following
    return True


def main() -> None:
    for job in all_jobs(Settings.from_env()).values():
        variable = SCHEDULE_PREFIX + job.name.upper()
        if job.schedule is None or variable in os.environ:
            continue
        cadence = FAST if is_frequent(job.schedule) else SLOW
        print(f"export {variable}={shlex.quote(cadence)}")


if __name__ == "__main__":
    main()
