"""`course release`: the learner template is complete, solution-free and working."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grading.release import BEGIN, SolutionMarkerError, strip_solutions
from tests.conftest import run_course


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "template"
    proc = run_course("release", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def in_release(release_dir: Path) -> dict[str, str]:
    """Environment that makes the release's own `grading` and `coursedata` packages win."""
    return {**os.environ, "PYTHONPATH": f"{release_dir}:{release_dir / 'data'}"}


def test_release_leaves_out_solutions_and_hidden_material(release_dir):
    assert not (release_dir / "grading" / "hidden").exists()
    assert not (release_dir / "tests" / "test_cli.py").exists()
    assert (release_dir / "tests" / "test_template.py").exists()
    for path in (release_dir / "modules").rglob("*.py"):
        assert BEGIN not in path.read_text(encoding="utf-8"), path
    notebook = (release_dir / "modules/01_data_engineering/ex_1_1_break_the_data.py").read_text()
    assert 'raise NotImplementedError("Exercise 1.1: implement validate()")' in notebook
    assert 'WHY_VALIDATE_AT_THE_BOUNDARY = ""' in notebook
    for name in ("pyproject.toml", "uv.lock", "course.toml", "README.md", "data/cards.csv"):
        assert (release_dir / name).exists(), name


def test_check_in_the_release_fails_kindly_with_zero(release_dir, tmp_path):
    out = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "grading.cli", "check", "1.1", "--json", str(out)],
                          cwd=release_dir, env=in_release(release_dir), capture_output=True, text=True, timeout=180)
    report = json.loads(out.read_text())
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert report["score"] == 0 and report["provisional"] is True
    assert "Not started yet" in report["summary"] and "NotImplementedError" in report["summary"]
    assert "could be checked here" in report["summary"] and "hidden checks run on your pull request" in report["summary"]


def test_release_passes_its_own_checks(release_dir):
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                          cwd=release_dir, env=in_release(release_dir), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_written_answers_become_empty_strings_and_code_a_clear_stub():
    source = (
        "def f(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION\n\n"
        "    ### BEGIN SOLUTION\n    WHY = 'because'\n    ### END SOLUTION\n"
    )
    stub = strip_solutions(source, "9.9")
    assert 'raise NotImplementedError("Exercise 9.9: implement f()")' in stub
    assert 'WHY = ""' in stub and "because" not in stub and "x + 1" not in stub


def test_unbalanced_markers_are_refused():
    with pytest.raises(SolutionMarkerError):
        strip_solutions("### BEGIN SOLUTION\nx = 1\n", "9.9")
