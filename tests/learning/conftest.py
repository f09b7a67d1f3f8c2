"""Fixtures of the learning tests (helpers in tests/learning/common.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docflow.services.learning.model import LinearModel
from docflow.settings import Settings
from tests.learning.common import learned_settings, small_model


@pytest.fixture(scope="session")
def small() -> LinearModel:
    """One small model trained for real, shared by the tests that only use a model."""
    return small_model()


@pytest.fixture
def learned(backend: Settings, tmp_path: Path) -> Settings:
    """``backend`` (both databases) with the learned classifier."""
    return learned_settings(backend, tmp_path)
