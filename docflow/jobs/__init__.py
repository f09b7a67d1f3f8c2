"""The background jobs: what each is called, where it lives, what arguments it takes.

Each job is a plain function in its own module, taking JSON-able keyword arguments.
This table is what `docflow enqueue`, the scheduler and scripts validate against, so a
bad argument is refused before anything reaches Redis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docflow.errors import InvalidArgument


@dataclass(frozen=True)
class IntParam:
    low: int
    high: int
    doc: str

    def check(self, job: str, name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise InvalidArgument(f"{job}: {name} must be a whole number, got {value!r}")
        try:
            number = int(value)
        except ValueError:
            raise InvalidArgument(
                f"{job}: {name} must be a whole number from {self.low} to {self.high}, got {value!r}"
            ) from None
        if not self.low <= number <= self.high:
            raise InvalidArgument(
                f"{job}: {name} must be from {self.low} to {self.high}, got {number}"
            )
        return number


@dataclass(frozen=True)
class JobSpec:
    name: str
    path: str
    priority: str
    doc: str
    params: dict[str, IntParam] = field(default_factory=dict)


BATCH_SIZE = IntParam(1, 10_000, "rows claimed per batch")
MAX_RETRIES = IntParam(0, 100, "retries before a document is dead-lettered")

JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in (
        JobSpec(
            "classify_documents",
            "docflow.jobs.classify.classify_documents",
            "default",
            "Classify and route pending documents.",
            {"batch_size": BATCH_SIZE},
        ),
        JobSpec(
            "retry_failed_documents",
            "docflow.jobs.retry_failed.retry_failed_documents",
            "default",
            "Send failed documents due for retry back to Pending, or to the DLQ.",
            {"max_retries": MAX_RETRIES, "batch_size": BATCH_SIZE},
        ),
        JobSpec(
            "deliver_webhooks",
            "docflow.jobs.deliver_webhooks.deliver_webhooks",
            "default",
            "Sign and send due webhook events; retry on schedule, then the DLQ.",
            {"batch_size": BATCH_SIZE},
        ),
        JobSpec(
            "check_quotas",
            "docflow.jobs.check_quotas.check_quotas",
            "default",
            "Recompute tenant usage; block or unblock uploads on the limits.",
        ),
        JobSpec(
            "report_usage",
            "docflow.jobs.report_usage.report_usage",
            "low",
            "Report each tenant's usage for the last period to the billing service.",
        ),
        JobSpec(
            "cleanup_expired_documents",
            "docflow.jobs.cleanup_expired.cleanup_expired_documents",
            "low",
            "Expire documents past retention and delete their stored files.",
            {"batch_size": BATCH_SIZE},
        ),
        JobSpec(
            "suspend_tenants",
            "docflow.jobs.suspend_tenants.suspend_tenants",
            "default",
            "Make tenants read-only when their payment grace period is over; notify them.",
        ),
    )
}


def validate_args(job: str, args: dict[str, Any]) -> dict[str, Any]:
    """``args`` checked against ``job``'s parameters, as the job will receive them."""
    spec = JOBS.get(job)
    if spec is None:
        raise InvalidArgument(f"unknown job {job!r}; jobs are: {', '.join(sorted(JOBS))}")
    unknown = sorted(set(args) - set(spec.params))
    if unknown:
        accepted = ", ".join(spec.params) or "no arguments"
        raise InvalidArgument(f"{job} does not take {', '.join(unknown)}; it takes {accepted}")
    return {name: spec.params[name].check(job, name, value) for name, value in args.items()}
