"""Schema version 6: when a document's current run of failures began.

The retry deadline (``DOCFLOW_RETRY_DEADLINE_SECONDS``) counted from the upload, so a
document older than the deadline was dead-lettered on its first failure; it now counts
from ``first_failed_at``. Documents in a run of failures when this version is applied
(Failed, or sent back to Pending by a retry) get the time of their last failure or
requeue (``updated_at``): their earlier failures were not recorded, and that gives them
the deadline the old rule took from them.
"""

from __future__ import annotations

import peewee

from docflow.migrations._frozen import FrozenModel, Timestamp, add_column

VERSION = 6
NAME = "first failure of documents"


class Document(FrozenModel):
    first_failed_at = Timestamp(null=True)


def apply(db: peewee.Database) -> None:
    add_column(db, "document", Document.first_failed_at)
    # Failed, or back to Pending (or claimed) by a retry: each is within a run of failures.
    db.execute_sql(
        'UPDATE "document" SET "first_failed_at" = "updated_at" '
        "WHERE \"status\" = 'Failed' "
        "OR (\"retry_count\" > 0 AND \"status\" IN ('Pending', 'Processing'))"
    )
