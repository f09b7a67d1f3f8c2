"""Types: mypy passes over docflow/ and console/, and no annotation is a bare ``Any``.

mypy runs strict (pyproject.toml), which still lets an explicit ``Any`` through: a
parameter ``classifier: Any`` type-checks every call on it. ``disallow_any_explicit``
would also refuse ``dict[str, Any]``, the honest type of a JSON object, so instead this
refuses a parameter, return or class attribute annotated exactly ``Any``: use the real
type, a Protocol, or ``object`` where anything goes. ``*args: Any`` and ``**kwargs: Any``
are allowed: they forward a call to a typed function whose parameters they stand for.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("docflow", "console")


def test_mypy_passes(tmp_path: Path) -> None:
    # The files checked and the strictness come from [tool.mypy] in pyproject.toml.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy_cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _is_bare_any(annotation: ast.expr | None) -> bool:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:  # a quoted annotation: "Any"
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    if isinstance(annotation, ast.Name):
        return annotation.id == "Any"
    return isinstance(annotation, ast.Attribute) and annotation.attr == "Any"  # typing.Any


def bare_any_annotations(path: Path) -> Iterator[tuple[int, str]]:
    """(line, what) of each parameter, return and class attribute annotated ``Any``."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                if _is_bare_any(arg.annotation):
                    yield arg.lineno, f"parameter {arg.arg!r} of {node.name}()"
            if _is_bare_any(node.returns):
                yield node.lineno, f"return of {node.name}()"
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.AnnAssign) and _is_bare_any(statement.annotation):
                    target = ast.unparse(statement.target)
                    yield statement.lineno, f"attribute {target!r} of class {node.name}"


def test_no_annotation_is_a_bare_any() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what} is annotated Any"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, what in bare_any_annotations(path)
    ]
    assert not found, "use the real type, a Protocol, or object:\n" + "\n".join(found)


def test_the_check_sees_bare_any(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import Any\n"
        "import typing\n"
        "def classify_batch(classifier: Any, rows: dict[str, Any], *a: Any, **k: Any) -> Any: ...\n"
        "class Job:\n"
        "    settings: typing.Any\n"
        "    data: dict[str, Any]\n"
        "    def run(self, /, x: 'Any', *, y: object) -> list[Any]: ...\n"
    )
    assert list(bare_any_annotations(sample)) == [
        (3, "parameter 'classifier' of classify_batch()"),
        (3, "return of classify_batch()"),
        (5, "attribute 'settings' of class Job"),
        (7, "parameter 'x' of run()"),
    ]
