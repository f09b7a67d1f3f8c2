"""Schema version 3: documents read in any format.

A document may have a parent (the email it was attached to), and the text extracted from
a document is stored once, in ``document_content``, with how it was read.
"""

from __future__ import annotations

import peewee

from docflow.migrations._frozen import FrozenModel, Timestamp

VERSION = 3
NAME = "document contents and attachments"


class Document(FrozenModel):
    """Only what the new table's foreign key refers to."""


class DocumentContent(FrozenModel):
    document = peewee.ForeignKeyField(Document, primary_key=True, on_delete="CASCADE")
    text = peewee.TextField()
    format = peewee.CharField(max_length=16)
    method = peewee.CharField(max_length=32)
    pages = peewee.IntegerField()
    language = peewee.CharField(max_length=8, null=True)
    einvoice = peewee.BooleanField()
    warnings = peewee.TextField(null=True)
    extracted_at = Timestamp()


def apply(db: peewee.Database) -> None:
    db.execute_sql(
        'ALTER TABLE "document" ADD COLUMN "parent_id" INTEGER '
        'REFERENCES "document" ("id") ON DELETE SET NULL'
    )
    db.execute_sql('CREATE INDEX "document_parent_id" ON "document" ("parent_id")')
    with db.bind_ctx((Document, DocumentContent)):
        db.create_tables([DocumentContent])
