# shellcheck shell=bash
# Sourced by other scripts (`. scripts/bootstrap.sh`), so it must `return`, never `exit`:
# exiting would close the caller's shell. Leaves the caller in the project root with .venv/bin
# first on PATH and the project installed with its test, run, console, documents, ocr and learn extras.
# Callers may run under `set -euo pipefail`, so every check that may fail sits in a condition.
#
# Its steps are `_docflow_*` functions, each starting at `_docflow_...() {` and ending at a
# `}` alone on its line: tests/test_bootstrap.py loads them from this file by that shape.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || return 1

_DOCFLOW_EXTRAS=test,run,console,documents,ocr,learn

# "3.11.7" from a command's `--version`, nothing when it is no Python that runs.
_docflow_python_version() {
    local out
    out=$("$1" --version 2>&1) || return 0
    case "$out" in
    "Python "[0-9]*.[0-9]*) echo "${out#Python }" ;;
    esac
}

# Whether a version "X.Y[.Z]" is at least 3.11, the oldest DocFlow runs on (setup.cfg).
_docflow_version_ok() {
    local major minor
    IFS=. read -r major minor _ <<<"$1"
    case "$major.$minor" in
    *[!0-9.]* | .* | *.) return 1 ;;
    esac
    [ "$major" -gt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -ge 11 ]; }
}

# The Python to make .venv with: DOCFLOW_PYTHON when set, else python3 when it is recent
# enough, else the first python3.1x found (Ubuntu 22.04 has python3.11 beside a 3.10 python3).
# Without one it says which it needs: pip would otherwise try every release of every
# dependency on the old one, silently, for minutes.
_docflow_find_python() {
    local candidate version
    if [ -n "${DOCFLOW_PYTHON:-}" ]; then
        version=$(_docflow_python_version "$DOCFLOW_PYTHON")
        if [ -n "$version" ] && _docflow_version_ok "$version"; then
            echo "$DOCFLOW_PYTHON"
            return 0
        fi
        echo "bootstrap: DocFlow requires Python >= 3.11, but DOCFLOW_PYTHON=$DOCFLOW_PYTHON is" \
            "${version:-not a Python that runs}: point it at Python 3.11 or newer" >&2
        return 1
    fi
    for candidate in python3 python3.11 python3.12 python3.13 python3.14; do
        version=$(_docflow_python_version "$candidate")
        if [ -n "$version" ] && _docflow_version_ok "$version"; then
            echo "$candidate"
            return 0
        fi
    done
    version=$(_docflow_python_version python3)
    echo "bootstrap: DocFlow requires Python >= 3.11, but python3 is" \
        "${version:-not a Python that runs} and no python3.11, python3.12, python3.13 or" \
        "python3.14 was found: install python3.11 (Debian/Ubuntu: apt-get install" \
        "python3.11 python3.11-venv) or set DOCFLOW_PYTHON to one" >&2
    return 1
}

# Why .venv cannot be used as it is, nothing when it can. A `python3 -m venv` without the
# python3-venv package leaves one without pip, and removing its base interpreter leaves one
# whose python no longer starts: both failed every later run until .venv was deleted by hand.
_docflow_venv_problem() {
    local status=0
    if [ ! -x .venv/bin/python ]; then
        echo "no runnable .venv/bin/python"
        return 0
    fi
    .venv/bin/python -c 'import importlib.util, sys
sys.exit(3 if sys.version_info < (3, 11) else 0 if importlib.util.find_spec("pip") else 4)' \
        >/dev/null 2>&1 || status=$?
    case $status in
    0) ;;
    3) echo "its Python is $(_docflow_python_version .venv/bin/python), older than 3.11" ;;
    4) echo "it has no pip" ;;
    *) echo ".venv/bin/python does not run" ;;
    esac
}

# Make .venv, or make it again when it is broken; nothing when it is fine.
_docflow_ensure_venv() {
    local problem python version
    if [ -e .venv ] || [ -L .venv ]; then
        problem=$(_docflow_venv_problem)
        if [ -z "$problem" ]; then
            return 0
        fi
        echo "bootstrap: .venv is broken ($problem): recreating it"
    fi
    python=$(_docflow_find_python) || return 1
    version=$(_docflow_python_version "$python")
    echo "bootstrap: creating .venv with $python (Python $version)"
    rm -rf .venv
    if "$python" -m venv .venv; then
        problem=$(_docflow_venv_problem)
    else
        problem="'$python -m venv .venv' failed"
    fi
    if [ -n "$problem" ]; then
        # Left half-made, it would look like a venv to the next run.
        rm -rf .venv
        echo "bootstrap: could not create .venv ($problem): install the venv module of" \
            "$python (Debian/Ubuntu: apt-get install python${version%.*}-venv) and run again" >&2
        return 1
    fi
}

# Install the project, unless the last install was of the same packaging files: reinstalling
# on every run costs time, and those two files decide what gets installed.
_docflow_install() {
    local hash
    hash=$(cat setup.cfg pyproject.toml | .venv/bin/python -c \
        'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())') ||
        return 1
    if [ "$(cat .venv/.docflow-install-stamp 2>/dev/null)" = "$hash" ]; then
        return 0
    fi
    local quiet=()
    if [ -e .venv/.docflow-install-stamp ]; then
        # An update changes a few packages; pip's "already satisfied" line for each of the
        # others would bury them.
        echo "bootstrap: setup.cfg or pyproject.toml changed: updating docflow[$_DOCFLOW_EXTRAS] in .venv"
        quiet=(-q)
    else
        # pip prints a line per package, so a first install (several minutes, about 1 GB
        # with the OCR and learning extras) visibly makes progress.
        echo "bootstrap: installing docflow[$_DOCFLOW_EXTRAS] into .venv (first time: a few minutes)"
    fi
    .venv/bin/python -m pip install "${quiet[@]}" --disable-pip-version-check \
        -e ".[$_DOCFLOW_EXTRAS]" || return 1
    echo "$hash" >.venv/.docflow-install-stamp
    echo "bootstrap: .venv is ready"
}

_docflow_bootstrap() {
    _docflow_ensure_venv || return 1
    _docflow_install || return 1
    case "$PATH" in
    "$PWD/.venv/bin:"*) ;;
    *) export PATH="$PWD/.venv/bin:$PATH" ;;
    esac
    export VIRTUAL_ENV="$PWD/.venv"
}

# The caller's shell keeps none of these names.
_docflow_forget() {
    unset -f _docflow_python_version _docflow_version_ok _docflow_find_python \
        _docflow_venv_problem _docflow_ensure_venv _docflow_install _docflow_bootstrap \
        _docflow_forget
    unset _DOCFLOW_EXTRAS
}

if _docflow_bootstrap; then
    _docflow_forget
    return 0
fi
_docflow_forget
return 1
