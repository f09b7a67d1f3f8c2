"""`docflow bench classify`, `classifier` and `train`, run for real at small sizes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docflow.bench import train as train_bench
from docflow.cli import cli
from docflow.errors import ClassificationError
from docflow.settings import Settings

NUMBER = r"[\d.]+"


def invoke(*args: str, catch: bool = False) -> Result:
    return CliRunner().invoke(cli, ["bench", *args], catch_exceptions=catch)


def scratch_folder(progress: str) -> Path:
    found = re.search(r"labelled documents in (\S+) \.\.\.", progress)
    assert found, progress
    return Path(found.group(1))


def test_classifier_reports_both_classifiers_their_ratio_and_the_target():
    result = invoke("classifier", "--documents", "300", "--batch-size", "100", "--rounds", "2")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "300 plain-text documents in batches of 100 (best of 2 alternating rounds)" in out
    for name in ("keyword rules, one classify() per document", "learned, shipped model + keywords"):
        row = re.search(rf"^{re.escape(name)}\s+300\s+{NUMBER}\s+(\d+)$", out, re.M)
        assert row and int(row.group(1)) > 0, out
    assert re.search(rf"learned/keyword = {NUMBER}\s+peak RSS of this process \d+ MB", out)
    assert re.search(r"target: learned >= 10,000 docs/s per worker: (meets|misses) \(", out)
    # Progress goes to stderr, in alternating order; the table alone to stdout.
    rounds = re.findall(r"round (\d)/2: (keyword|learned)", result.stderr)
    assert rounds == [("1", "keyword"), ("1", "learned"), ("2", "learned"), ("2", "keyword")]
    assert "round 1/2" not in out


def test_train_reports_seconds_memory_and_accuracy_against_the_limits():
    result = invoke("train", "--labels", "60")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "training on 60 labelled documents of one tenant (best of 1 round(s)" in out
    assert re.search(rf"^training seconds \(train_scope\)\s+{NUMBER}\s+30\s+(meets|misses)$", out,
                     re.M)  # fmt: skip
    assert re.search(r"^peak memory of the child, MB\s+\d+\s+300\s+(meets|misses)$", out, re.M)
    accuracy = re.search(r"status: trained\s+cross-validated accuracy: (0\.\d+|1\.0+)$", out, re.M)
    assert accuracy and 0 < float(accuracy.group(1)) <= 1, out
    assert "seeded 60/60 labelled documents" in result.stderr
    assert not scratch_folder(result.stderr).exists()


def test_train_removes_its_folder_when_training_fails(monkeypatch):
    def fails(*args: object) -> None:
        raise ClassificationError("training failed in its child process (exit 1): boom")

    monkeypatch.setattr(train_bench, "train_in_child", fails)
    result = invoke("train", "--labels", "50", catch=True)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: training failed in its child process (exit 1): boom"
    )
    assert not scratch_folder(result.stderr).exists()


def test_a_training_child_that_fails_is_one_line_naming_its_error(tmp_path):
    # A database that was never migrated: the child stops at its first query.
    settings = Settings.from_env({"DOCFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}",
                                  "DOCFLOW_STORAGE_ROOT": str(tmp_path / "storage")})  # fmt: skip
    with pytest.raises(ClassificationError) as failed:
        train_bench.train_in_child(settings, 1)
    message = str(failed.value)
    assert message.startswith("training failed in its child process (exit 1): ")
    assert "\n" not in message and "Error" in message


@pytest.mark.parametrize(
    "args",
    [
        ("classifier", "--documents", "99"),
        ("classifier", "--documents", "1000001"),
        ("classifier", "--rounds", "0"),
        ("classifier", "--rounds", "21"),
        ("classifier", "--batch-size", "0"),
        ("train", "--labels", "49"),
        ("train", "--labels", "200001"),
        ("train", "--rounds", "0"),
        ("train", "--labels", "many"),
    ],
)
def test_bad_options_are_usage_errors(args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Invalid value" in result.stderr


def test_classify_bench_runs_workers_on_real_redis_and_leaves_nothing_behind(
    redis_conn, monkeypatch
):
    from tests.conftest import REDIS_URL

    monkeypatch.setenv("DOCFLOW_REDIS_URL", REDIS_URL)
    result = invoke("classify", "--documents", "30", "--naive-documents", "10", "--rounds", "1")
    assert result.exit_code == 0, result.output
    for name in ("c: claim+classify+bulk write, no queue", "a: pipeline, 1 RQ worker(s)",
                 "b: naive, one RQ job per document"):  # fmt: skip
        assert re.search(
            rf"^{re.escape(name)}\s+(30|10)\s+{NUMBER}\s+{NUMBER}$", result.stdout, re.M
        )
    assert re.search(r"a/c = [\d.]+\s+a/b = \d+x", result.stdout)
    # Its queues, registries and workers were under a prefix of its own, all removed.
    assert redis_conn.keys("*bench*") == []
