# shellcheck shell=bash
# Sourced by other scripts (`. scripts/bootstrap.sh`), so it must `return`, never `exit`:
# exiting would close the caller's shell. Leaves the caller in the project root with .venv/bin
# first on PATH and the project installed with its test, run, console, documents, ocr and learn extras.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || return 1

if [ ! -x .venv/bin/python ]; then
    echo "bootstrap: creating .venv"
    python3 -m venv .venv || return 1
fi

# Reinstalling on every run costs time; the inputs that decide what gets installed are the two
# packaging files, so their hash says whether the last install is still good.
_docflow_hash=$(cat setup.cfg pyproject.toml | .venv/bin/python -c \
    'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())') || return 1
if [ "$(cat .venv/.docflow-install-stamp 2>/dev/null)" != "$_docflow_hash" ]; then
    echo "bootstrap: installing docflow[test,run,console,documents,ocr,learn] into .venv"
    # -qq hides pip's progress and warnings but still prints errors.
    .venv/bin/python -m pip install -qq --disable-pip-version-check -e '.[test,run,console,documents,ocr,learn]' || return 1
    echo "$_docflow_hash" >.venv/.docflow-install-stamp
fi
unset _docflow_hash

case "$PATH" in
"$PWD/.venv/bin:"*) ;;
*) export PATH="$PWD/.venv/bin:$PATH" ;;
esac
export VIRTUAL_ENV="$PWD/.venv"
