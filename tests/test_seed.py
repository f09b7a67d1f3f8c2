"""`docflow seed`: demo data only where it mixes with no real documents, then classification."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from docflow import seed
from docflow.cli import cli
from docflow.errors import Refused
from docflow.models import Document, Tenant
from docflow.queues import get_queue
from docflow.seed import refuse_real_tenants
from tests import factories


def counts() -> tuple[int, int]:
    return Tenant.select().count(), Document.select().count()


def test_a_tenant_with_real_documents_is_refused_and_nothing_is_written(backend):
    acme = factories.tenant("acme")
    factories.document(backend, acme, "Invoice 1, total 10 EUR")
    factories.document(backend, acme, "Invoice 2, total 20 EUR")
    before = counts()
    files_before = factories.stored_files(backend)
    with pytest.raises(Refused) as info:
        seed.seed(backend, tenants=3, documents=50, random_seed=1)
    message = str(info.value)
    assert "\n" not in message
    assert "tenant 'acme' (2 documents)" in message
    assert "database of its own" in message
    assert counts() == before  # globex and initech were not created either
    assert factories.stored_files(backend) == files_before


def test_only_the_tenants_seeded_into_are_looked_at(backend):
    factories.document(backend, factories.tenant("someone-real"), "Invoice 1, total 10 EUR")
    result = seed.seed(backend, tenants=2, documents=20, random_seed=1)
    assert result.tenants == ["acme", "globex"]


def test_seeding_again_into_demo_tenants_is_allowed(backend):
    first = seed.seed(backend, tenants=2, documents=20, random_seed=1)
    # An email's attachment is stored in the tenant's usual folders, not seed's.
    email = Document.select().first()
    factories.document(backend, email.tenant, "attached", parent=email)
    factories.tenant("umbrella")  # an existing tenant without documents is used as it is
    seed.seed(backend, tenants=4, documents=20, random_seed=2)
    assert first.tenants == ["acme", "globex"]
    assert Document.select().count() == 41
    refuse_real_tenants(["acme", "globex", "initech", "umbrella"])


def test_seeding_asks_for_one_classification_run(sqlite_db, redis_conn):
    result = seed.seed(sqlite_db, tenants=1, documents=5, random_seed=1)
    assert result.classification.describe("classification") == "classification queued"
    again = seed.seed(sqlite_db, tenants=1, documents=5, random_seed=2)
    assert again.classification.describe("classification") == "classification already queued"
    jobs = get_queue(redis_conn, sqlite_db, "high").jobs
    assert [job.description for job in jobs] == ["classify_documents()"]


def test_the_command_refuses_with_one_line_and_writes_nothing(sqlite_db):
    factories.document(sqlite_db, factories.tenant("acme"), "Invoice 1, total 10 EUR")
    before = counts()
    result = CliRunner().invoke(
        cli, ["seed", "--tenants", "2", "--documents", "10"], env=sqlite_db.env()
    )
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "tenant 'acme' (1 document)" in errors[0]
    assert counts() == before
