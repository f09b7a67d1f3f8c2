"""The import graph: layers only point down (README, "Layout").

Every module of docflow/ and console/ belongs to one layer; it may import its own layer
and the ones below, never one above. The console and the CLI never import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. A module belongs to the first layer with a prefix that matches it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("docflow.errors", "docflow.settings", "docflow.parse", "docflow.when",
              "docflow.whsec", "docflow.fingerprint", "docflow.redaction", "docflow.timefmt",
              "docflow.texttable", "docflow.useragent", "docflow.topics", "docflow.retry",
              "docflow.shutdown")),
    ("data", ("docflow.db", "docflow.models", "docflow.migrations", "docflow.claim",
              "docflow.claim_size")),
    ("services", ("docflow.services", "docflow.queues", "docflow.registry", "docflow.runs")),
    ("domain", ("docflow.uploads", "docflow.documents", "docflow.attachments",
                "docflow.classification", "docflow.review", "docflow.labels",
                "docflow.training", "docflow.evaluation", "docflow.audit", "docflow.events",
                "docflow.outcomes", "docflow.tenants", "docflow.endpoints", "docflow.dlq",
                "docflow.pauses", "docflow.seed", "docflow.seed_files", "docflow.samples")),
    ("jobs", ("docflow.jobs", "docflow.schedule", "docflow.worker", "docflow.status",
              "docflow.metrics", "docflow.health", "docflow.exporter")),
    ("interfaces", ("docflow.cli", "docflow.bench", "docflow.__main__", "console")),
]  # fmt: skip
NEVER = [("console", "docflow.cli"), ("docflow.cli", "console"), ("docflow.bench", "console")]


def layer_of(module: str) -> int:
    if module in ("docflow", "console"):
        return 0  # the packages themselves hold no code
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, known: set[str]) -> set[str]:
    """The project modules ``path`` imports (``from a import b`` counts a.b if it is one)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{a.name}" for a in node.names} & known
            # `from docflow import parse` imports the module, not the package's own code.
            found.update(submodules if len(submodules) == len(node.names) else {node.module})
            found.update(submodules)
    return {name for name in found if name in known}


def project_modules() -> dict[str, Path]:
    paths = [*ROOT.glob("docflow/**/*.py"), *ROOT.glob("console/**/*.py")]
    return {module_name(p): p for p in paths}


MODULES = project_modules()


def test_every_module_has_a_layer():
    for module in MODULES:
        layer_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    own = layer_of(module)
    upward = sorted(
        f"{dep} ({LAYERS[layer_of(dep)][0]})"
        for dep in imports(MODULES[module], set(MODULES))
        if layer_of(dep) > own
    )
    assert not upward, f"{module} ({LAYERS[own][0]}) imports a higher layer: {', '.join(upward)}"
    for source, target in NEVER:
        if module == source or module.startswith(source + "."):
            bad = [d for d in imports(MODULES[module], set(MODULES)) if d.startswith(target)]
            assert not bad, f"{module} must not import {target}: {bad}"


def test_the_check_catches_an_upward_import(tmp_path):
    """The check itself can fail: settings importing a service is reported."""
    fake = tmp_path / "settings.py"
    fake.write_text("from docflow.services.storage import Storage\n")
    [dep] = imports(fake, set(MODULES))
    assert layer_of(dep) > layer_of("docflow.settings")
