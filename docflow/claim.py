"""The claim protocol (DESIGN rules 2 and 3): claim rows in one statement, with a lease.

``claim()`` marks up to ``limit`` rows as owned by a unique claim token until the
lease expires and returns them, in one UPDATE ... RETURNING:

* PostgreSQL: the inner SELECT takes ``FOR UPDATE SKIP LOCKED``, so concurrent
  claimers split the rows between them instead of waiting or overlapping.
* SQLite: the statement runs in a ``BEGIN IMMEDIATE`` transaction, so claimers are
  serialised by the write lock and each sees the rows the previous one took.

A worker that dies keeps its rows only until the lease runs out; the caller's ``where``
includes expired leases, so the rows are claimed again. ``write_claimed()`` writes the
results of a batch in one statement, and only to rows still held by the same token: a
worker whose lease ran out and was overtaken cannot overwrite the newer owner's work.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol

import peewee

from docflow import shutdown
from docflow.db import Table, is_postgres, primary_key, update_many, write_transaction


class Claimable(Table, Protocol):
    """A model whose rows are claimed under a lease: its class has the two claim columns.

    Document, WebhookEvent and UsageReport are; the protocol is matched by the model
    classes themselves (``type[M]``), whose field attributes are the columns.
    """

    claimed_by: ClassVar[peewee.CharField[str | None]]
    lease_expires_at: ClassVar[peewee.Field[datetime | None]]

    @classmethod
    def select(cls, *fields: object) -> peewee.ModelSelect[Any]: ...

    @classmethod
    def update(cls, data: object = None, /) -> peewee.ModelUpdate: ...


def new_token(worker: str | None = None) -> str:
    """A claim token unique to this batch: who claimed, and a random part."""
    who = worker or f"{socket.gethostname()}:{os.getpid()}"
    return f"{who[:90]}/{uuid.uuid4().hex[:16]}"


def claim(
    model: type[Claimable],
    *,
    where: peewee.Expression,
    limit: int,
    token: str,
    lease_seconds: float,
    now: datetime,
    returning: Sequence[peewee.Field[Any]],
    order_by: Sequence[Any] = (),
    extra: dict[peewee.Field[Any], object] | None = None,
) -> list[dict[str, Any]]:
    """Claim up to ``limit`` rows matching ``where``; return ``returning`` columns of each."""
    pk = primary_key(model)
    pick = model.select(pk).where(where).order_by(*order_by).limit(limit)
    if is_postgres():
        pick = pick.for_update(skip_locked=True)
    values: dict[peewee.Field[Any], object] = {
        model.claimed_by: token,
        model.lease_expires_at: now + timedelta(seconds=lease_seconds),
        **(extra or {}),
    }
    query = model.update(values).where(pk.in_(pick)).returning(*returning)
    with write_transaction():
        return list(query.dicts().execute())


def write_claimed(
    model: type[Claimable],
    rows: Sequence[dict[str, Any]],
    *,
    token: str,
    columns: Sequence[peewee.Field[Any]],
) -> set[Any]:
    """Write ``columns`` of each row (keyed by ``id``) where the row is still ``token``'s.

    Clears the claim on the rows it writes. Runs inside the caller's transaction and
    returns the ids of the rows written: a row whose lease was lost to another worker
    is left alone and missing from the result.
    """
    return update_many(
        model,
        rows,
        columns,
        guard=(model.claimed_by, token),
        clear=(model.claimed_by, model.lease_expires_at),
    )


@dataclass(frozen=True)
class Batch:
    token: str
    at: datetime
    rows: list[dict[str, Any]]
    limit: int = 0
    """How many rows were asked for: a batch that got them all may have left more."""


def batches(
    model: type[Claimable],
    *,
    where: Callable[[datetime], peewee.Expression],
    limit: int | Callable[[], int],
    worker: str,
    lease_seconds: float,
    now: Callable[[], datetime],
    returning: Sequence[peewee.Field[Any]],
    extra: dict[peewee.Field[Any], object] | None = None,
    order_by: Sequence[Any] = (),
) -> Iterator[Batch]:
    """Claim batch after batch, each under a fresh token, until nothing matches or this
    process is asked to stop (:mod:`docflow.shutdown`: the batch in hand is finished, no
    new one is claimed).

    ``where`` is given the time of each claim, so leases that expire while the run goes
    on are picked up by its later batches; ``limit`` may be asked anew before each claim
    (see :mod:`docflow.claim_size`).
    """
    while not shutdown.requested():
        token, at = new_token(worker), now()
        size = limit() if callable(limit) else limit
        rows = claim(model, where=where(at), limit=size, token=token, lease_seconds=lease_seconds,
                     now=at, returning=returning, extra=extra, order_by=order_by)  # fmt: skip
        if not rows:
            return
        yield Batch(token, at, rows, size)
