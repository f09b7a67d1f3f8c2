"""`docflow metrics` scraped over real HTTP on 127.0.0.1 and parsed with prometheus_client's
own parser, on both backends; and the scrape stays correct when Redis or the database is
down. `docflow health` is the same readiness as a command."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families

from docflow.cli import cli
from docflow.exporter import Exporter
from docflow.models import (
    Document,
    DocumentStatus,
    EventStatus,
    JobRun,
    TenantQuota,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookEvent,
    utcnow,
)
from tests import factories
from tests.conftest import make_settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def serving(settings) -> Iterator[Exporter]:
    server = Exporter(settings, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def scrape(server: Exporter) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = requests.get(f"{server.url}/metrics", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(found, name, **labels):
    return found.get((name, tuple(sorted(labels.items()))))


def populate(settings) -> None:
    owner = factories.tenant()
    for status in (DocumentStatus.PENDING, DocumentStatus.CLASSIFIED, DocumentStatus.CLASSIFIED):
        doc = factories.document(settings, owner, "Invoice 42", now=NOW)
        Document.update(status=status, category="invoice", route="accounts-payable").where(
            Document.id == doc.id
        ).execute()
    dead = factories.document(settings, owner, "x", now=NOW)
    Document.update(status=DocumentStatus.DEAD_LETTERED, error_fingerprint="fp-missing").where(
        Document.id == dead.id
    ).execute()
    endpoint = WebhookEndpoint.create(tenant=owner, url="https://hooks.example.com/a",
                                      secret="whsec_x", enabled=False)  # fmt: skip
    event = WebhookEvent.create(id="msg_1", tenant=owner, endpoint=endpoint,
                                type="document.classified", payload="{}",
                                status=EventStatus.SENT, created_at=NOW)  # fmt: skip
    for number, latency in ((1, 40), (2, 3_000)):
        WebhookAttempt.create(event=event, number=number, attempted_at=NOW, status_code=200,
                              latency_ms=latency)  # fmt: skip
    for outcome, seconds in (("succeeded", 2), ("succeeded", 40), ("failed", 1)):
        JobRun.create(job="classify_documents", started_at=NOW,
                      finished_at=NOW + timedelta(seconds=seconds), outcome=outcome)  # fmt: skip
    TenantQuota.update(is_blocked=True).where(TenantQuota.tenant == owner).execute()


def test_a_scrape_reports_documents_dlq_webhooks_runs_queues_and_tenants(
    backend, tmp_path, redis_conn
):
    populate(backend)
    with serving(backend) as server:
        found = scrape(server)
    assert value(found, "docflow_up", component="database") == 1
    assert value(found, "docflow_up", component="redis") == 1
    assert value(found, "docflow_documents", status="Classified") == 2
    assert value(found, "docflow_documents", status="Expired") == 0  # known, so alerts see 0
    assert value(found, "docflow_classified_documents", category="invoice",
                 route="accounts-payable") == 2  # fmt: skip
    assert value(found, "docflow_classification_share", decision="automatic") == 1
    assert value(found, "docflow_dlq_items", source="document") == 1
    assert value(found, "docflow_dlq_group_items", source="document", fingerprint="fp-missing") == 1
    assert value(found, "docflow_webhook_events", status="Sent") == 1
    assert value(found, "docflow_webhook_endpoints", state="disabled") == 1
    assert value(found, "docflow_webhook_attempt_latency_seconds_bucket", le="0.05") == 1
    assert value(found, "docflow_webhook_attempt_latency_seconds_bucket", le="5.0") == 2
    assert value(found, "docflow_webhook_attempt_latency_seconds_count") == 2
    assert value(found, "docflow_job_runs_total", job="classify_documents", outcome="failed") == 1
    durations = "docflow_job_run_duration_seconds_bucket"
    assert value(found, durations, job="classify_documents", le="5.0") == 2
    assert value(found, durations, job="classify_documents", le="+Inf") == 3
    age = value(found, "docflow_job_last_success_age_seconds", job="classify_documents")
    assert age == pytest.approx((utcnow() - NOW - timedelta(seconds=40)).total_seconds(), abs=60)
    assert value(found, "docflow_job_interval_seconds", job="classify_documents") == 60
    assert value(found, "docflow_tenants", state="blocked") == 1
    assert value(found, "docflow_queue_jobs", queue="high", state="queued") == 0
    assert value(found, "docflow_workers", state="busy") == 0
    assert value(found, "docflow_tenant_documents", tenant="acme", status="Pending") is None
    assert any(name == "docflow_build_info" for name, _ in found)


def test_tenant_labels_only_behind_their_setting(backend, tmp_path, redis_conn):
    populate(backend)
    settings = make_settings(tmp_path, **{**backend.env(), "DOCFLOW_METRICS_TENANT_LABELS": "true"})
    with serving(settings) as server:
        found = scrape(server)
    assert value(found, "docflow_tenant_documents", tenant="acme", status="Classified") == 2


def test_collections_are_cached_so_scrapes_do_not_load_the_database(backend, tmp_path, redis_conn):
    populate(backend)
    with serving(backend) as server:
        first = scrape(server)
        Document.delete().execute()
        assert scrape(server) == first  # within DOCFLOW_METRICS_CACHE_SECONDS (10 s)
    fresh = make_settings(tmp_path, **{**backend.env(), "DOCFLOW_METRICS_CACHE_SECONDS": "0"})
    with serving(fresh) as server:
        assert value(scrape(server), "docflow_documents", status="Classified") == 0


def test_redis_down_leaves_its_metrics_out_and_readyz_says_why(backend, tmp_path):
    down = make_settings(
        tmp_path, **{**backend.env(), "DOCFLOW_REDIS_URL": "redis://127.0.0.1:9/0"}
    )
    with serving(down) as server:
        found = scrape(server)
        ready = requests.get(f"{server.url}/readyz", timeout=30)
        alive = requests.get(f"{server.url}/healthz", timeout=30)
    assert value(found, "docflow_up", component="redis") == 0
    assert value(found, "docflow_up", component="database") == 1
    assert not any(name.startswith("docflow_queue_jobs") for name, _ in found)
    assert value(found, "docflow_documents", status="Pending") == 0
    assert ready.status_code == 503 and "redis: NOT READY" in ready.text
    assert "database: ok" in ready.text
    assert alive.status_code == 200


def test_database_down_leaves_its_metrics_out(tmp_path, redis_conn):
    missing = make_settings(tmp_path, DOCFLOW_DATABASE_URL=f"sqlite:///{tmp_path}/no/such/dir.db")
    with serving(missing) as server:
        found = scrape(server)
        ready = requests.get(f"{server.url}/readyz", timeout=30)
    assert value(found, "docflow_up", component="database") == 0
    assert value(found, "docflow_up", component="redis") == 1
    assert not any(name.startswith("docflow_documents") for name, _ in found)
    assert ready.status_code == 503 and "database: NOT READY" in ready.text


def test_health_command_exits_non_zero_when_not_ready(backend, tmp_path, redis_conn):
    ok = CliRunner().invoke(cli, ["health"], env=backend.env())
    assert ok.exit_code == 0, ok.output
    assert "redis: ok" in ok.output and "database: ok" in ok.output
    down = {**backend.env(), "DOCFLOW_REDIS_URL": "redis://:hunter2@127.0.0.1:9/0"}
    bad = CliRunner().invoke(cli, ["health"], env=down)
    assert bad.exit_code == 1 and "redis: NOT READY" in bad.output
    assert "hunter2" not in bad.output


def test_metrics_refuses_a_port_in_use_with_one_line(backend, tmp_path, redis_conn):
    with serving(backend) as server:
        port = server.server_address[1]
        result = CliRunner().invoke(cli, ["metrics", "--port", str(port)], env=backend.env())
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "choose another --port" in result.output


def test_the_shipped_alert_rules_and_dashboard_use_only_exported_metrics(backend, redis_conn):
    populate(backend)
    with serving(backend) as server:
        response = requests.get(f"{server.url}/metrics", timeout=30)
    exported = {f.name for f in text_string_to_metric_families(response.text)}
    exported |= {s.name for f in text_string_to_metric_families(response.text) for s in f.samples}
    for doc in ("prometheus-alerts.yml", "grafana-dashboard.json"):
        used = set(re.findall(r"\bdocflow_[a-z_]+", (ROOT / "docs" / doc).read_text()))
        assert used and used <= exported, (doc, sorted(used - exported))
