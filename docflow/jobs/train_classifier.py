"""train_classifier: retrain each scope whose labels changed since its last model.

Scopes and the rules of who learns from whom are in :mod:`docflow.training`. A new model
is stored as data and used by workers within DOCFLOW_MODEL_CHECK_SECONDS, no restart.
"""

from __future__ import annotations

from docflow.registry import Clock, job
from docflow.runs import RunRecorder
from docflow.settings import Settings
from docflow.training import scopes, train_scope


@job(queue="low", schedule="40 * * * *")
def train_classifier(run: RunRecorder, settings: Settings, now: Clock) -> None:
    """Retrain the classifier of each scope whose labels changed."""
    trained = []
    for scope, tenant_id in scopes(settings):
        outcome = train_scope(settings, scope, tenant_id, now=now())
        run.add(**{outcome.status.replace("-", "_"): 1})
        if outcome.status == "trained":
            trained.append({"scope": scope, "version": outcome.version, "labels": outcome.labels})
    run.note(models=trained)
