"""`docflow documents list|show`: what scripts and operators read about each document."""

from __future__ import annotations

import json

import pytest

from docflow.db import open_database
from docflow.jobs.classify import classify_documents
from docflow.models import DocumentStatus, Tenant
from tests import factories
from tests.extract import documents
from tests.test_cli import invoke


@pytest.fixture
def migrated(settings):
    env = settings.env()
    assert invoke(env, "migrate").exit_code == 0
    assert invoke(env, "tenants", "add", "acme").exit_code == 0
    return env


def test_uploaded_documents_are_listed_and_shown_with_how_they_were_read(
    migrated, settings, tmp_path
):
    pdf, mail = tmp_path / "invoice.pdf", tmp_path / "mail.eml"
    pdf.write_bytes(
        documents.pdf(
            "INVOICE No. 2026-17\nThe total is due within 30 days of the date of this invoice."
        )
    )
    mail.write_bytes(documents.email("Rechnung", "Hallo,\nanbei die Rechnung.",
                                     attachments={"r.pdf": (documents.pdf("RECHNUNG 7"), "application/pdf")}))  # fmt: skip
    assert invoke(migrated, "upload", "--tenant", "acme", str(pdf), str(mail)).exit_code == 0
    with open_database(settings):
        classify_documents.run(settings=settings)
    rows = json.loads(invoke(migrated, "documents", "list", "--json").output)
    assert [r["filename"] for r in rows] == ["r.pdf", "mail.eml", "invoice.pdf"]
    for row in rows:
        assert {"id", "tenant", "filename", "status", "category", "confidence", "route"} <= set(row)
    attached, email, invoice = rows
    assert attached["parent_id"] == email["id"] and attached["format"] == "pdf"
    shown = json.loads(invoke(migrated, "documents", "show", str(invoice["id"]), "--json").output)
    assert (shown["method"], shown["pages"], shown["language"]) == ("text-layer", 1, "en")
    assert shown["text"].startswith("INVOICE No. 2026-17") and shown["category"] == "invoice"
    text = invoke(migrated, "documents", "show", str(email["id"])).output
    assert f"attachment {attached['id']}: r.pdf" in text and "read by mime" in text
    listed = invoke(migrated, "documents", "list", "--route", "accounts-payable").output
    assert "invoice.pdf" in listed and "mail.eml" not in listed


def test_unknown_documents_and_other_tenants_get_one_clear_line(migrated):
    assert invoke(migrated, "tenants", "add", "globex").exit_code == 0
    missing = invoke(migrated, "documents", "show", "999")
    assert (
        missing.exit_code == 1
        and missing.output == "Error: no document 999; see `docflow documents list`\n"
    )
    bad = invoke(migrated, "documents", "list", "--status", "Lost")
    assert bad.exit_code == 2 and "Invalid value for '--status'" in bad.output


def test_statuses_and_categories_are_accepted_in_any_case(migrated, settings):
    with open_database(settings):
        owner = Tenant.get(Tenant.name == "acme")
        factories.document(settings, owner, None, status=DocumentStatus.FAILED)
        factories.document(settings, owner, "x", status=DocumentStatus.CLASSIFIED,
                           category="invoice")  # fmt: skip
    for status in ("failed", "FAILED", "Failed"):
        listed = invoke(migrated, "documents", "list", "--status", status)
        assert listed.exit_code == 0, listed.output
        assert "Failed" in listed.output and "1 shown" in listed.output
    listed = invoke(migrated, "documents", "list", "--category", "INVOICE", "--json")
    assert [r["category"] for r in json.loads(listed.output)] == ["invoice"]


@pytest.mark.parametrize(
    "args",
    [
        ["documents", "list", "--tenant", "nobody"],
        ["documents", "show", "1", "--tenant", "nobody"],
    ],
)
def test_an_unknown_tenant_is_an_error_not_an_empty_listing(migrated, settings, args):
    with open_database(settings):
        factories.document(settings, Tenant.get(Tenant.name == "acme"), "x")
    result = invoke(migrated, *args)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: unknown tenant 'nobody'; see `docflow tenants list`, "
        "or add it with `docflow tenants add nobody`"
    ]


@pytest.mark.parametrize("raw", ["9223372036854775808", "٥", " 1", "1_0", "0"])
def test_document_numbers_must_fit_an_id(migrated, raw):
    result = invoke(migrated, "documents", "show", raw)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Invalid value for 'DOCUMENT_ID'" in result.output
