"""train_classifier, declared with @job: listed and scheduled by the registry, run by it
(and by an RQ worker), one JobRun per run with what happened to each scope. The runs here
train nothing (a real training is in test_training's slow test): the scopes are too small
or unchanged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from docflow import labels
from docflow.cli import cli
from docflow.errors import InvalidArgument
from docflow.jobs.train_classifier import train_classifier
from docflow.models import ClassifierModel, JobRun
from docflow.queues import queue_names
from docflow.registry import all_jobs, get_job
from docflow.services.learning.store import SHARED, tenant_scope
from docflow.settings import Settings
from tests import factories
from tests.learning.common import NOW, constant_model, learned_settings, store
from tests.learning.test_training import import_and_read


def test_the_job_is_declared_once_and_known_to_the_registry(settings):
    job = get_job("train_classifier", settings)
    assert job is train_classifier and all_jobs(settings)["train_classifier"] is job
    assert (job.queue, job.schedule, job.params) == ("low", "40 * * * *", {})
    assert job.path == "docflow.jobs.train_classifier.train_classifier"
    with pytest.raises(InvalidArgument, match="train_classifier does not take batch_size"):
        job.run({"batch_size": 5}, settings=settings)


def unchanged_and_small(settings: Settings, tmp_path) -> tuple:
    """acme: 6 read labels and a model of exactly those; globex: none."""
    acme, globex = factories.tenant("acme"), factories.tenant("globex")
    import_and_read(settings, tmp_path, "acme")
    found = labels.latest(tenant_id=acme.id)
    store(tenant_scope(acme.id), constant_model("other"), labels_hash=labels.fingerprint(found))
    return acme, globex


def test_a_run_is_recorded_with_what_each_scope_needed(learned, tmp_path):
    settings = learned_settings(learned, tmp_path, DOCFLOW_TENANT_MODEL_MIN_LABELS="6")
    unchanged_and_small(settings, tmp_path)
    later = NOW + timedelta(hours=1)
    summary = get_job("train_classifier").run(settings=settings, now=lambda: later)
    assert (summary["job"], summary["outcome"]) == ("train_classifier", "succeeded")
    assert summary["counts"] == {"unchanged": 1, "too_few_labels": 1}
    assert summary["models"] == []
    run = JobRun.get_by_id(summary["run_id"])
    assert (run.job, run.outcome, run.counts, run.started_at, run.error) == (
        "train_classifier", "succeeded", summary["counts"], later, None,
    )  # fmt: skip
    assert run.finished_at is not None
    # Idempotent: a second run finds the same, and stores nothing.
    again = get_job("train_classifier").run(settings=settings, now=lambda: later)
    assert again["counts"] == summary["counts"] and again["run_id"] != summary["run_id"]
    assert ClassifierModel.select().count() == 1
    assert JobRun.select().where(JobRun.job == "train_classifier").count() == 2


def test_with_one_shared_model_the_job_looks_at_the_shared_scope_only(learned, tmp_path):
    shared = learned_settings(learned, tmp_path, DOCFLOW_CLASSIFIER_SCOPE="shared")
    factories.tenant("acme")
    store(SHARED, constant_model("other"), labels_hash=labels.fingerprint({}))
    summary = train_classifier.run(settings=shared, now=lambda: NOW)
    assert summary["counts"] == {"unchanged": 1}


def test_an_rq_worker_runs_the_enqueued_job(sqlite_db, redis_conn, tmp_path, monkeypatch):
    settings = learned_settings(sqlite_db, tmp_path, DOCFLOW_TENANT_MODEL_MIN_LABELS="6")
    unchanged_and_small(settings, tmp_path)
    env = settings.env()
    for name, value in env.items():  # the worker's job reads its settings from the environment
        monkeypatch.setenv(name, value)
    queued = CliRunner().invoke(cli, ["enqueue", "train_classifier"], env=env)
    assert queued.exit_code == 0, queued.output
    worker = SimpleWorker(queue_names(settings), connection=redis_conn, serializer=JSONSerializer)
    assert worker.work(burst=True)
    [run] = JobRun.select().where(JobRun.job == "train_classifier")
    assert (run.outcome, run.counts) == ("succeeded", {"unchanged": 1, "too_few_labels": 1})
    assert run.rq_job_id is not None
