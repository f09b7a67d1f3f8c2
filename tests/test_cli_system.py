"""System commands: `enqueue --help` types, and no stray database from another folder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from docflow.cli import cli
from docflow.registry import params_by_name

DOCFLOW = Path(sys.prefix) / "bin" / "docflow"


def test_enqueue_help_shows_job_parameters_as_integers(settings):
    result = CliRunner().invoke(cli, ["enqueue", "--help"], env=settings.env())
    assert result.exit_code == 0, result.output
    names = [name.replace("_", "-") for name in params_by_name(settings)]
    assert names
    for name in names:
        assert re.search(rf"--{name} INTEGER ", result.output), result.output


def test_enqueue_still_refuses_what_is_not_a_plain_number(settings, redis_conn):
    for value in (" 5", "1_000", "٥", "abc"):
        result = CliRunner().invoke(
            cli, ["enqueue", "classify_documents", "--batch-size", value], env=settings.env()
        )
        assert result.exit_code == 1
        assert "batch_size must be a whole number from 1 to 10000" in result.stderr
    assert not redis_conn.keys("rq:queue:*")


def defaults_here(settings, tmp_path: Path, monkeypatch) -> dict[str, str | None]:
    """The environment of someone in another folder, with the default (relative) paths."""
    monkeypatch.chdir(tmp_path)
    return {**settings.env(), "DOCFLOW_DATABASE_URL": None, "DOCFLOW_STORAGE_ROOT": None}


@pytest.mark.parametrize(
    "args",
    [["status"], ["tenants", "list"], ["documents", "list"], ["watch", "--until-idle"],
     ["seed", "--documents", "1"], ["upload", "--tenant", "acme", "a.txt"]],
    ids=lambda args: " ".join(args),
)  # fmt: skip
def test_a_missing_sqlite_database_is_named_not_created(settings, tmp_path, monkeypatch, args):
    env = defaults_here(settings, tmp_path, monkeypatch)
    (tmp_path / "a.txt").write_text("Invoice 1, total 10 EUR")
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: no DocFlow database at {tmp_path}/var/docflow.sqlite3 (DOCFLOW_DATABASE_URL is "
        "relative to this folder): run this from the folder that holds it, set "
        "DOCFLOW_DATABASE_URL=sqlite:////absolute/path, or create it with `docflow migrate`"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_migrate_creates_it_and_then_commands_use_it(settings, tmp_path, monkeypatch):
    env = defaults_here(settings, tmp_path, monkeypatch)
    assert CliRunner().invoke(cli, ["migrate"], env=env).exit_code == 0
    assert (tmp_path / "var/docflow.sqlite3").exists()
    result = CliRunner().invoke(cli, ["tenants", "list"], env=env)
    assert result.exit_code == 0, result.output


def test_an_absolute_path_that_does_not_exist_is_named_too(settings, tmp_path):
    missing = tmp_path / "elsewhere" / "db.sqlite3"
    env = {**settings.env(), "DOCFLOW_DATABASE_URL": f"sqlite:///{missing}"}
    result = CliRunner().invoke(cli, ["status"], env=env)
    assert result.exit_code == 1
    assert f"no DocFlow database at {missing}: run this" in result.stderr
    assert not missing.parent.exists()


@pytest.mark.skipif(not DOCFLOW.exists(), reason="the docflow command is not installed here")
def test_run_from_another_folder_with_only_the_venv_on_path(tmp_path):
    env = {"PATH": str(DOCFLOW.parent), "HOME": str(tmp_path)}
    result = subprocess.run(
        [str(DOCFLOW), "tenants", "list"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: no DocFlow database at {tmp_path}/var/")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "var").exists()
