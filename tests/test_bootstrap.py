"""scripts/bootstrap.sh: which Python it makes .venv with, and how it mends a broken .venv.

Nothing here installs the project: the checks are the script's own functions, loaded from it
by their shape (a `_docflow_...() {` line to a `}` line), run in a temporary folder with a PATH
of stand-in interpreters; the whole script runs only where it stops before installing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bootstrap.sh"
BASH = shutil.which("bash") or "/bin/bash"
# Stand-ins link to the interpreter the test venv was made from: linked elsewhere, a venv's own
# python would no longer find its pyvenv.cfg.
REAL_PYTHON = getattr(sys, "_base_executable", sys.executable)


def functions() -> str:
    found = re.findall(r"^_docflow_\w+\(\) \{\n.*?^\}\n", SCRIPT.read_text(), re.M | re.S)
    assert found, "bootstrap.sh defines no _docflow_ functions"
    return "".join(found)


def shim(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def old_python(bin_dir: Path, name: str = "python3", version: str = "3.10.12") -> None:
    shim(bin_dir, name, f'echo "Python {version}"')


def real_python(bin_dir: Path, name: str) -> None:
    (bin_dir / name).symlink_to(REAL_PYTHON)


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """A folder to run in, with bin/ for stand-in commands and rm for the venv repair."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("rm", "mkdir", "cat"):
        (bin_dir / tool).symlink_to(shutil.which(tool) or f"/bin/{tool}")
    return tmp_path


def run(place: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``code`` after loading the functions, in ``place``, with only place/bin on PATH."""
    script = f"cd {place}\n{functions()}\n{code}\n"
    environ = {"PATH": str(place / "bin"), "HOME": str(place), **env}
    return subprocess.run(
        [BASH, "-c", script], capture_output=True, text=True, env=environ, timeout=120
    )


@pytest.mark.parametrize(
    ("version", "ok"),
    [("3.11", True), ("3.11.7", True), ("3.12.1", True), ("3.13.0rc1", True), ("4.0", True),
     ("3.10.12", False), ("3.9", False), ("3.1", False), ("2.7.18", False), ("", False),
     ("abc", False), ("3", False)],
)  # fmt: skip
def test_version_check(place, version, ok):
    result = run(place, f'_docflow_version_ok "{version}"')
    assert (result.returncode == 0) is ok, result.stderr


def test_an_old_python3_with_nothing_newer_is_named_and_refused(place):
    old_python(place / "bin")
    result = run(place, "_docflow_find_python")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "requires Python >= 3.11, but python3 is 3.10.12" in result.stderr
    assert "apt-get install python3.11" in result.stderr


def test_a_missing_python3_is_named(place):
    result = run(place, "_docflow_find_python")
    assert result.returncode == 1
    assert "python3 is not a Python that runs" in result.stderr


@pytest.mark.parametrize("newer", ["python3.11", "python3.12", "python3.13"])
def test_a_newer_python_beside_an_old_python3_is_chosen(place, newer):
    old_python(place / "bin")
    real_python(place / "bin", newer)
    result = run(place, "_docflow_find_python")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{newer}\n", "")


def test_a_recent_python3_is_chosen_first(place):
    real_python(place / "bin", "python3")
    real_python(place / "bin", "python3.12")
    assert run(place, "_docflow_find_python").stdout == "python3\n"


def test_docflow_python_is_used_and_checked(place):
    real_python(place / "bin", "python3")
    old_python(place / "bin", "old-python")
    real_python(place / "bin", "my-python")
    assert run(place, "_docflow_find_python", DOCFLOW_PYTHON="my-python").stdout == "my-python\n"
    result = run(place, "_docflow_find_python", DOCFLOW_PYTHON="old-python")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "DOCFLOW_PYTHON=old-python is 3.10.12" in result.stderr


def test_a_venv_without_pip_is_recreated(place):
    subprocess.run([REAL_PYTHON, "-m", "venv", "--without-pip", str(place / ".venv")], check=True)
    real_python(place / "bin", "python3")
    assert run(place, "_docflow_venv_problem").stdout == "it has no pip\n"

    result = run(place, "_docflow_ensure_venv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "bootstrap: .venv is broken (it has no pip): recreating it\n"
        "bootstrap: creating .venv with python3 (Python 3."
    )
    pip = [str(place / ".venv/bin/python"), "-m", "pip", "--version"]
    assert subprocess.run(pip, capture_output=True).returncode == 0
    # Mended, it is left alone.
    again = run(place, "_docflow_venv_problem; _docflow_ensure_venv")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_a_venv_whose_python_does_not_run_is_detected(place):
    (place / ".venv/bin").mkdir(parents=True)
    (place / ".venv/bin/python").symlink_to(place / "removed-interpreter")
    assert run(place, "_docflow_venv_problem").stdout == "no runnable .venv/bin/python\n"
    (place / ".venv/bin/python").unlink()
    shim(place / ".venv/bin", "python", "exit 1")
    assert run(place, "_docflow_venv_problem").stdout == ".venv/bin/python does not run\n"


def test_a_venv_that_cannot_be_made_is_not_left_half_made(place):
    # What python3 -m venv does without Debian's python3-venv: a venv without pip, exit 1.
    shim(place / "bin", "python3",
         'if [ "$1" = --version ]; then echo "Python 3.11.4"; exit 0; fi\n'
         'mkdir -p .venv/bin; exit 1')  # fmt: skip
    result = run(place, "_docflow_ensure_venv")
    assert result.returncode == 1
    assert not (place / ".venv").exists()
    assert result.stderr.count("\n") == 1
    assert "could not create .venv" in result.stderr
    assert "apt-get install python3.11-venv" in result.stderr


def copy_of_the_script(place: Path) -> Path:
    scripts = place / "project" / "scripts"
    scripts.mkdir(parents=True)
    shutil.copy(SCRIPT, scripts / "bootstrap.sh")
    return scripts / "bootstrap.sh"


def test_sourced_under_set_e_it_stops_the_caller_with_one_line(place):
    script = copy_of_the_script(place)
    old_python(place / "bin")
    (place / "bin/dirname").symlink_to(shutil.which("dirname") or "/usr/bin/dirname")
    caller = f"set -euo pipefail\n. {script}\necho after"
    environ = {"PATH": str(place / "bin"), "HOME": str(place)}
    result = subprocess.run([BASH, "-c", caller], capture_output=True, text=True, env=environ)
    assert result.returncode == 1 and "after" not in result.stdout
    assert result.stderr.count("\n") == 1 and "requires Python >= 3.11" in result.stderr
    assert not (place / "project/.venv").exists()


def test_sourced_it_returns_and_leaves_no_names_behind(place):
    script = copy_of_the_script(place)
    old_python(place / "bin")
    (place / "bin/dirname").symlink_to(shutil.which("dirname") or "/usr/bin/dirname")
    caller = (
        f'. {script} || echo "returned $?"\n'
        "compgen -A function _docflow_ || compgen -v _docflow_ || compgen -v _DOCFLOW_ || echo none"
    )
    environ = {"PATH": str(place / "bin"), "HOME": str(place)}
    result = subprocess.run([BASH, "-c", caller], capture_output=True, text=True, env=environ)
    assert result.stdout.splitlines() == ["returned 1", "none"]
