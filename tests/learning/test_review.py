"""The review queue and the operator's decision, on both backends: a decision routes the
document, becomes a label under the operator's name, is audited and emits
document.classified; a decision that cannot be made is one clear error and changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from docflow import endpoints, labels, review
from docflow.errors import InvalidArgument, NotFound
from docflow.models import (
    AuditEvent,
    Document,
    DocumentStatus,
    Label,
    LabelSource,
    WebhookEvent,
)
from docflow.settings import MANUAL_REVIEW_ROUTE
from tests import factories
from tests.conftest import make_settings
from tests.learning.common import NOW, waiting_document

LATER = NOW + timedelta(minutes=5)
ALICE = "operator:alice"


@pytest.fixture
def office(backend, tmp_path):
    """acme (with a webhook endpoint) and globex, each with documents waiting for review,
    acme also one routed automatically and one still pending."""
    acme, globex = factories.tenant("acme"), factories.tenant("globex")
    allowing = make_settings(tmp_path, DOCFLOW_DATABASE_URL=backend.database_url,
                             DOCFLOW_WEBHOOK_ALLOW_PRIVATE="true")  # fmt: skip
    endpoint, _ = endpoints.add("acme", "http://127.0.0.1:9/hook", settings=allowing,
                                actor="test", now=NOW)  # fmt: skip
    docs = {
        "scan": waiting_document(backend, acme, [["invoice", 0.61], ["receipt", 0.3], ["other", 0.05]],
                                 filename="scan-0007.pdf", now=NOW - timedelta(hours=2)),
        "rechnung": waiting_document(backend, globex, [["receipt", 0.52], ["invoice", 0.4]],
                                     filename="rechnung-0042.pdf", now=NOW - timedelta(hours=1)),
        "bare": waiting_document(backend, acme, [], filename="fax.tiff"),
        "auto": factories.document(backend, acme, filename="invoice-17.pdf", now=NOW,
                                   status=DocumentStatus.CLASSIFIED, category="invoice",
                                   confidence=0.99, route="accounts-payable", classified_at=NOW),
        "pending": factories.document(backend, acme, filename="new.pdf", now=NOW),
    }  # fmt: skip
    return backend, docs, endpoint


def everything() -> tuple:
    """What a decision could change, to compare before and after."""
    docs = sorted((d.id, d.status, d.category, d.route, d.updated_at) for d in Document.select())
    return docs, Label.select().count(), AuditEvent.select().count(), WebhookEvent.select().count()


def test_waiting_lists_oldest_first_with_suggestions_and_filters(office):
    _, docs, _ = office
    rows = review.waiting()
    assert [r["id"] for r in rows] == [docs[k].id for k in ("scan", "rechnung", "bare")]
    assert rows[0] == {
        "id": docs["scan"].id, "tenant": "acme", "filename": "scan-0007.pdf", "category": "invoice",
        "confidence": 0.61, "created_at": (NOW - timedelta(hours=2)).isoformat(),
        "suggestions": [{"category": "invoice", "score": 0.61}, {"category": "receipt", "score": 0.3},
                        {"category": "other", "score": 0.05}],
    }  # fmt: skip
    assert review.count_waiting() == 3 and review.count_waiting("globex") == 1
    assert [r["id"] for r in review.waiting(tenant="globex")] == [docs["rechnung"].id]
    assert [r["id"] for r in review.waiting(search="rechnung")] == [docs["rechnung"].id]
    assert review.count_waiting(search="acme") == 2
    assert [r["id"] for r in review.waiting(limit=1)] == [docs["scan"].id]
    assert review.suggestions_text(rows[1]["suggestions"]) == "receipt 0.52, invoice 0.40"
    assert review.suggestions_text([]) == "-"


def test_the_top_suggestion_is_the_likeliest_category(office):
    _, docs, _ = office
    assert review.top_suggestion(docs["scan"].id) == "invoice"
    assert review.top_suggestion(docs["rechnung"].id) == "receipt"
    with pytest.raises(InvalidArgument, match="has no suggestion to accept; choose its category"):
        review.top_suggestion(docs["bare"].id)
    with pytest.raises(NotFound, match="document 999 no longer exists"):
        review.top_suggestion(999)


def test_a_decision_routes_labels_audits_and_emits(office):
    settings, docs, endpoint = office
    scan = docs["scan"]
    done = review.assign(scan.id, "receipt", settings=settings, actor=ALICE, now=LATER)
    assert (done.document_id, done.category, done.route) == (scan.id, "receipt", "expenses")
    assert (done.previous_category, done.previous_route) == ("invoice", MANUAL_REVIEW_ROUTE)
    decided = Document.get_by_id(scan.id)
    assert (decided.status, decided.category, decided.route, decided.updated_at) == (
        DocumentStatus.CLASSIFIED, "receipt", "expenses", LATER,
    )  # fmt: skip
    [label] = Label.select()
    assert (label.document_id, label.tenant_id, label.category, label.source, label.actor,
            label.at) == (scan.id, scan.tenant_id, "receipt", LabelSource.OPERATOR, ALICE, LATER)  # fmt: skip
    [audit] = AuditEvent.select().where(AuditEvent.action == "document.decided")
    assert (audit.actor, audit.subject_type, audit.subject_id, audit.tenant_id, audit.at) == (
        ALICE, "document", str(scan.id), scan.tenant_id, LATER,
    )  # fmt: skip
    assert audit.details == {"category": "receipt", "route": "expenses",
                             "previous_category": "invoice", "previous_route": MANUAL_REVIEW_ROUTE,
                             "source": LabelSource.OPERATOR}  # fmt: skip
    [event] = WebhookEvent.select()
    assert (event.type, event.tenant_id, event.endpoint_id) == (
        "document.classified", scan.tenant_id, endpoint.id,
    )  # fmt: skip
    body = json.loads(event.payload)
    assert body["type"] == "document.classified"
    assert body["data"] == {"document_id": scan.id, "filename": "scan-0007.pdf",
                            "category": "receipt", "confidence": 0.61, "route": "expenses",
                            "decided_by": "operator"}  # fmt: skip
    # Decided: no longer waiting; shown with its decision; the label the classifier learns.
    assert scan.id not in [r["id"] for r in review.waiting()]
    shown = review.show(scan.id)
    assert shown["label"] == {"category": "receipt", "source": "operator", "actor": ALICE,
                              "at": LATER.isoformat()}  # fmt: skip
    assert shown["route"] == "expenses" and shown["suggestions"][0]["category"] == "invoice"
    assert labels.latest(tenant_id=scan.tenant_id) == {scan.id: "receipt"}
    rows, total = review.recent_decisions(search="alice")
    assert total == 1 and rows[0]["document_id"] == scan.id and rows[0]["tenant"] == "acme"


def test_a_correction_becomes_the_newest_label_and_an_explicit_route_is_kept(office):
    settings, docs, _ = office
    auto, rechnung = docs["auto"], docs["rechnung"]
    Label.create(document=auto.id, tenant=auto.tenant_id, category="invoice",
                 source=LabelSource.IMPORT, actor="cli:ops", at=NOW)  # fmt: skip
    done = review.assign(auto.id, "contract", settings=settings, actor=ALICE, now=LATER)
    assert (done.previous_category, done.previous_route, done.route) == (
        "invoice", "accounts-payable", "legal",
    )  # fmt: skip
    assert labels.latest(documents=[auto.id]) == {auto.id: "contract"}
    assert review.current_label(auto.id)["actor"] == ALICE
    # globex has no endpoint: the decision is made and emits nothing.
    chosen = review.assign(rechnung.id, "invoice", route="finance-de", settings=settings,
                           actor=ALICE, now=LATER, tenant="globex")  # fmt: skip
    assert Document.get_by_id(rechnung.id).route == chosen.route == "finance-de"
    assert WebhookEvent.select().where(WebhookEvent.tenant == rechnung.tenant_id).count() == 0


def test_a_decision_that_cannot_be_made_is_one_clear_error_and_changes_nothing(office):
    settings, docs, _ = office
    before = everything()
    refused = {
        (docs["pending"].id, "invoice", None): (
            InvalidArgument,
            f"document {docs['pending'].id} is Pending: only classified documents are decided",
        ),
        (docs["scan"].id, "invoices", None): (
            InvalidArgument,
            "unknown category 'invoices'; use one of invoice, receipt, contract, "
            "identity_document, correspondence, other",
        ),
        (docs["rechnung"].id, "invoice", "acme"): (
            NotFound,
            f"no document {docs['rechnung'].id} of tenant 'acme'; see `docflow review list`",
        ),
        (999, "invoice", None): (NotFound, "no document 999; see `docflow review list`"),
    }
    for (document_id, category, tenant), (error, message) in refused.items():
        with pytest.raises(error) as raised:
            review.assign(document_id, category, settings=settings, actor=ALICE, now=LATER,
                          tenant=tenant)  # fmt: skip
        assert str(raised.value).startswith(message)
        assert "\n" not in str(raised.value)
        assert everything() == before
    with pytest.raises(NotFound, match="of tenant 'acme'"):
        review.show(docs["rechnung"].id, tenant="acme")
