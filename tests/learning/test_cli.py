"""`docflow review|labels|classifier`, run as an operator runs them (click's CliRunner on
the real command, SQLite): tables for people, --json for scripts, and a bad argument is one
line and a non-zero exit."""

from __future__ import annotations

import json

import pytest

from docflow import labels
from docflow.db import open_database
from docflow.jobs.classify import classify_documents
from docflow.models import Document, Label, Tenant
from docflow.services.learning.store import SHARED, tenant_scope
from tests import factories
from tests.extract import documents
from tests.learning.common import (
    NOW,
    constant_model,
    corpus,
    labelled_folder,
    learned_settings,
    store,
    waiting_document,
    write_files,
)
from tests.test_cli import invoke


@pytest.fixture
def learned_cli(settings, tmp_path):
    """Settings of a migrated SQLite database with tenants acme and globex, and their env."""
    learned = learned_settings(settings, tmp_path, DOCFLOW_OPERATOR="alice")
    env = learned.env() | {"DOCFLOW_OPERATOR": "alice"}
    assert invoke(env, "migrate").exit_code == 0
    for name in ("acme", "globex"):
        assert invoke(env, "tenants", "add", name).exit_code == 0
    return learned, env


def one_line_error(result, message: str, code: int = 1) -> None:
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output


def test_review_list_show_and_assign(learned_cli):
    settings, env = learned_cli
    with open_database(settings):
        acme, globex = (Tenant.get(Tenant.name == n) for n in ("acme", "globex"))
        scan = waiting_document(settings, acme, [["invoice", 0.61], ["receipt", 0.3]])
        other = waiting_document(settings, globex, [["contract", 0.44]], filename="vertrag.pdf")
    listed = invoke(env, "review", "list")
    assert listed.exit_code == 0
    assert "scan-0007.pdf" in listed.output and "invoice 0.61, receipt 0.30" in listed.output
    assert listed.output.endswith(
        "2 shown of 2 waiting; decide one with `docflow review assign ID --category C`\n"
    )
    rows = json.loads(invoke(env, "review", "list", "--json").output)
    assert [r["id"] for r in rows] == [scan.id, other.id]
    assert rows[0]["suggestions"] == [{"category": "invoice", "score": 0.61},
                                      {"category": "receipt", "score": 0.3}]  # fmt: skip
    only = json.loads(invoke(env, "review", "list", "--tenant", "globex", "--json").output)
    assert [r["id"] for r in only] == [other.id]

    shown = invoke(env, "review", "show", str(scan.id))
    assert shown.output.startswith(
        f"document {scan.id}: scan-0007.pdf (tenant acme), Classified, route manual-review\n"
        "  suggestions: invoice 0.61, receipt 0.30\n"
    )
    detail = json.loads(invoke(env, "review", "show", str(scan.id), "--json").output)
    assert (detail["id"], detail["label"], detail["suggestions"][0]["category"]) == (
        scan.id, None, "invoice",
    )  # fmt: skip

    assigned = invoke(env, "review", "assign", str(scan.id), "--category", "receipt")
    assert assigned.exit_code == 0
    assert assigned.output == (
        f"document {scan.id}: receipt, routed to expenses (was invoice, manual-review)\n"
    )
    with open_database(settings):
        assert Document.get_by_id(scan.id).route == "expenses"
        [label] = Label.select()
        assert (label.category, label.source, label.actor) == (
            "receipt",
            "operator",
            "operator:alice",
        )
    assert (
        "decided receipt by operator:alice (operator)"
        in invoke(env, "review", "show", str(scan.id)).output
    )
    assert [r["id"] for r in json.loads(invoke(env, "review", "list", "--json").output)] == [
        other.id
    ]


def test_review_refuses_bad_arguments_in_one_line(learned_cli):
    settings, env = learned_cli
    with open_database(settings):
        globex = Tenant.get(Tenant.name == "globex")
        other = waiting_document(settings, globex, [["contract", 0.44]])
        pending = factories.document(settings, globex)
    one_line_error(invoke(env, "review", "assign", "999", "--category", "invoice"),
                   "Error: no document 999; see `docflow review list`")  # fmt: skip
    one_line_error(invoke(env, "review", "assign", str(other.id), "--category", "invoice",
                          "--tenant", "acme"), f"no document {other.id} of tenant 'acme'")  # fmt: skip
    one_line_error(invoke(env, "review", "assign", str(pending.id), "--category", "invoice"),
                   f"Error: document {pending.id} is Pending: only classified documents are decided")  # fmt: skip
    one_line_error(invoke(env, "review", "show", str(other.id), "--tenant", "acme"),
                   f"Error: no document {other.id} of tenant 'acme'")  # fmt: skip
    wrong = invoke(env, "review", "assign", str(other.id), "--category", "invoices")
    assert wrong.exit_code == 2 and "Invalid value for '--category'" in wrong.output
    assert invoke(env, "review", "list", "--limit", "0").exit_code == 2
    assert invoke(env, "review", "show", "0").exit_code == 2
    with open_database(settings):
        assert Label.select().count() == 0


def test_labels_import_and_export(learned_cli, tmp_path):
    settings, env = learned_cli
    folder = labelled_folder(tmp_path / "catalogue")
    done = invoke(env, "labels", "import", str(folder), "--tenant", "acme")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[0] == (
        "imported 4 labelled documents for acme: 1 contract, 1 correspondence, 1 invoice, 1 receipt"
    )
    exported = [json.loads(line) for line in invoke(env, "labels", "export").output.splitlines()]
    assert sorted((r["filename"], r["category"], r["source"], r["actor"]) for r in exported) == [
        ("invoice-0815.pdf", "invoice", "import", "operator:alice"),
        ("letter-patel.txt", "correspondence", "import", "operator:alice"),
        ("receipt-004512.txt", "receipt", "import", "operator:alice"),
        ("service-agreement.docx", "contract", "import", "operator:alice"),
    ]
    assert invoke(env, "labels", "export", "--tenant", "globex").output == ""

    one_line_error(invoke(env, "labels", "import", str(tmp_path / "nowhere"), "--tenant", "acme"),
                   "nowhere: not a folder; give one with a sub-folder per category")  # fmt: skip
    one_line_error(invoke(env, "labels", "import", str(folder), "--tenant", "initech"),
                   "Error: unknown tenant 'initech'")  # fmt: skip
    broken = write_files(tmp_path / "broken", {"invoice/x.pdf": documents.pdf("INVOICE 1")[:200]})
    one_line_error(
        invoke(env, "labels", "import", str(broken), "--tenant", "acme"), "x.pdf: damaged PDF"
    )
    assert invoke(env, "labels", "import", str(folder)).exit_code == 2  # --tenant is required
    with open_database(settings):
        assert Document.select().count() == 4


def test_classifier_train_and_status(learned_cli, tmp_path):
    settings, env = learned_cli
    labels_import = invoke(
        env, "labels", "import", str(labelled_folder(tmp_path / "c")), "--tenant", "acme"
    )
    assert labels_import.exit_code == 0
    with open_database(settings):
        classify_documents.run(settings=settings, now=lambda: NOW)
        acme = Tenant.get(Tenant.name == "acme")
        globex = Tenant.get(Tenant.name == "globex")
    status = invoke(env, "classifier", "status")
    assert status.exit_code == 0 and "shared (shipped model)" in status.output
    assert status.output.endswith("target precision 0.98; tenant scope needs 20 labels\n")

    trained = invoke(env, "classifier", "train")
    assert trained.exit_code == 0
    assert f"tenant:{acme.id}: too-few-labels (4 labels, needs 20)\n" in trained.stdout
    assert f"tenant:{globex.id}: too-few-labels (0 labels, needs 20)\n" in trained.stdout
    assert f"training tenant:{acme.id} ..." in trained.stderr

    # acme's model of exactly these labels: training keeps it, status shows it.
    with open_database(settings):
        found = labels.latest(tenant_id=acme.id)
        row = store(
            tenant_scope(acme.id), constant_model("other"), labels_hash=labels.fingerprint(found)
        )
        row.label_counts = labels.counts(found)
        row.metrics = {"automatic_share": 0.42, "per_category": {
            "invoice": {"precision": 0.97}, "receipt": {"precision": None}}}  # fmt: skip
        row.save()
    few = env | {"DOCFLOW_TENANT_MODEL_MIN_LABELS": "4"}
    kept = invoke(few, "classifier", "train", "--tenant", "acme")
    assert kept.exit_code == 0
    assert kept.stdout == f"tenant:{acme.id}: unchanged (labels unchanged, kept)\n"
    shown = invoke(few, "classifier", "status").output
    line = next(x for x in shown.splitlines() if x.startswith(f"tenant:{acme.id} (acme)"))
    assert "contract 1, correspondence 1, invoice 1, receipt 1" in line
    assert "0.42" in line and "invoice 0.97" in line and "receipt" not in line.split("0.42")[1]
    assert "2026-12-01 09:00:00 UTC" in line
    assert shown.endswith("tenant scope needs 4 labels\n")

    one_line_error(invoke(env, "classifier", "train", "--tenant", "initech"),
                   "Error: unknown tenant 'initech'")  # fmt: skip
    bad = invoke(env | {"DOCFLOW_TARGET_PRECISION": "1.5"}, "classifier", "status")
    assert bad.exit_code != 0 and "DOCFLOW_TARGET_PRECISION" in bad.output


def test_classifier_evaluate_on_a_small_corpus(learned_cli, tmp_path, small):
    settings, env = learned_cli
    with open_database(settings):
        store(SHARED, small)  # what a tenant without labels gets: this model, with keywords
    folder = corpus(tmp_path / "corpus", 1, seed=21)  # six documents: text, PDF and Word
    write_files(folder, {"invoice/broken.pdf": documents.pdf("INVOICE 7")[:300]})
    env = env | {"DOCFLOW_TENANT_MODEL_MIN_LABELS": "1000"}  # the loop, without retraining
    result = invoke(env, "classifier", "evaluate", "--corpus", str(folder), "--json", "--feedback")
    assert result.exit_code == 0, result.output
    assert "skipped broken.pdf: damaged PDF" in result.stderr
    report = json.loads(result.stdout)
    assert report["documents"] == 6
    assert {c: v["documents"] for c, v in report["per_category"].items()} == dict.fromkeys(
        report["per_category"], 1
    )
    assert sum(sum(row.values()) for row in report["confusion"].values()) == 6
    assert (
        report["accuracy"] == sum(report["confusion"][c].get(c, 0) for c in report["confusion"]) / 6
    )
    assert 0 <= report["wrong_desk"] <= report["automatic"] - report["automatic_right"] + 1e-9
    assert set(report["by_format"]) == {"text", "pdf", "docx"}
    assert sum(v["documents"] for v in report["by_format"].values()) == 6
    # One chunk of six; every document sent to review was decided: a decision each.
    [chunk] = report["feedback"]
    reviewed = round(6 * (1 - report["automatic"]))
    assert (chunk["documents"], chunk["after_decisions"]) == (6, reviewed)

    text = invoke(env, "classifier", "evaluate", "--corpus", str(folder))
    assert text.exit_code == 0
    assert text.stdout.startswith(
        f"6 documents: accuracy {report['accuracy']:.1%}, routed automatically"
    )
    assert "confusion (rows: true category, columns: chosen)" in text.stdout


def test_classifier_evaluate_reads_a_manifest_and_refuses_a_bad_corpus(
    learned_cli, tmp_path, small
):
    settings, env = learned_cli
    with open_database(settings):
        store(SHARED, small)
    folder = write_files(tmp_path / "m", {
        "docs/a.txt": b"INVOICE No. 7. Total due 120.00 EUR. IBAN DE89 3704 0044 0532 0130 00.",
        "docs/b.txt": b"Sehr geehrte Frau Muster, vielen Dank fur Ihren Brief. Mit freundlichen Grussen",
        "manifest.tsv": b"path\tcategory\tlanguage\ndocs/a.txt\tinvoice\ten\ndocs/b.txt\tcorrespondence\tde\n",
    })  # fmt: skip
    result = invoke(env, "classifier", "evaluate", "--corpus", str(folder), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 2 and set(report["by_language"]) == {"en", "de"}

    write_files(folder, {"manifest.tsv": b"path\tcategory\ndocs/a.txt\tinvoices\n"})
    one_line_error(invoke(env, "classifier", "evaluate", "--corpus", str(folder)),
                   "manifest.tsv:2: needs a path and a category (one of invoice, ")  # fmt: skip
    empty = tmp_path / "empty"
    (empty / "invoices").mkdir(parents=True)
    one_line_error(invoke(env, "classifier", "evaluate", "--corpus", str(empty)),
                   "empty: no manifest.tsv and no sub-folder named after a category")  # fmt: skip
    missing = invoke(env, "classifier", "evaluate", "--corpus", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "does not exist" in missing.output
    assert invoke(env, "classifier", "evaluate").exit_code == 2  # --corpus is required
