"""Where models live: the classifier_model table, one row per version and scope, and the
default model shipped with DocFlow for a shared scope that has none yet.

A process keeps the models it loaded and looks for newer versions at most every
``DOCFLOW_MODEL_CHECK_SECONDS``, so workers use a new model within a minute, with no
restart and without a query per document.
"""

from __future__ import annotations

import logging
import time
from importlib import resources

from docflow.db import tuple_rows
from docflow.models import ClassifierModel
from docflow.services.learning.model import LinearModel, ModelRefused

log = logging.getLogger(__name__)
SHARED = "shared"
DEFAULT_MODEL = "default_model.bin"


def tenant_scope(tenant_id: int) -> str:
    return f"tenant:{tenant_id}"


def shipped_model() -> LinearModel | None:
    """The model trained by scripts/train_default_model.py, or None if not shipped."""
    try:
        blob = resources.files("docflow.services.learning").joinpath(DEFAULT_MODEL).read_bytes()
    except FileNotFoundError:
        return None
    return LinearModel.from_blob(blob)


def latest_versions() -> dict[str, int]:
    """The newest version id of every scope that has a model."""
    M = ClassifierModel
    from peewee import fn

    query = M.select(M.scope, fn.MAX(M.id)).group_by(M.scope)
    return {scope: ident for scope, ident in tuple_rows(query)}


class ModelStore:
    def __init__(self, check_seconds: float) -> None:
        self.check_seconds = check_seconds
        self._checked = -float("inf")
        self._versions: dict[str, int] = {}
        self._models: dict[str, tuple[int, LinearModel]] = {}
        self._shipped: LinearModel | None = None
        self._shipped_loaded = False

    def refresh(self) -> None:
        if time.monotonic() - self._checked < self.check_seconds:
            return
        self._versions = latest_versions()
        self._checked = time.monotonic()

    def model(self, scope: str) -> LinearModel | None:
        """The newest model of ``scope``: a stored one, or for the shared scope the shipped one."""
        self.refresh()
        version = self._versions.get(scope)
        if version is None:
            return self._default() if scope == SHARED else None
        cached = self._models.get(scope)
        if cached is not None and cached[0] == version:
            return cached[1]
        row = ClassifierModel.get_by_id(version)
        try:
            loaded = LinearModel.from_blob(bytes(row.blob))
        except ModelRefused as exc:
            log.error("model %s of %s refused (%s); using the one before", version, scope, exc)
            return cached[1] if cached else (self._default() if scope == SHARED else None)
        self._models[scope] = (version, loaded)
        return loaded

    def _default(self) -> LinearModel | None:
        if not self._shipped_loaded:
            self._shipped = shipped_model()
            self._shipped_loaded = True
        return self._shipped
