"""Schema version 4: a classifier that learns.

Labels (what operators decided each document is), trained models stored as data, and
the classifier's suggestions on each document for the review queue.
"""

from __future__ import annotations

import peewee

from docflow.migrations._frozen import FrozenModel, Timestamp

VERSION = 4
NAME = "labels, classifier models, suggestions"


class Tenant(FrozenModel):
    """Only what the foreign keys refer to."""


class Document(FrozenModel):
    """Only what the foreign keys refer to."""


class Label(FrozenModel):
    document = peewee.ForeignKeyField(Document, on_delete="CASCADE", index=False)
    tenant = peewee.ForeignKeyField(Tenant, on_delete="CASCADE", index=False)
    category = peewee.CharField(max_length=32)
    source = peewee.CharField(max_length=16)
    actor = peewee.CharField(max_length=128)
    at = Timestamp()

    class Meta:
        indexes = ((("tenant", "document", "at"), False), (("document", "at"), False))


class ClassifierModel(FrozenModel):
    scope = peewee.CharField(max_length=64)
    version = peewee.IntegerField()
    created_at = Timestamp()
    labels_hash = peewee.CharField(max_length=64)
    label_counts = peewee.TextField()
    metrics = peewee.TextField()
    thresholds = peewee.TextField()
    blob = peewee.BlobField()

    class Meta:
        indexes = ((("scope", "version"), True),)


def apply(db: peewee.Database) -> None:
    db.execute_sql('ALTER TABLE "document" ADD COLUMN "suggestions" TEXT')
    with db.bind_ctx((Tenant, Document, Label, ClassifierModel)):
        db.create_tables([Label, ClassifierModel])
