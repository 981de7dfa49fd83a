"""The quiz notebooks pass `marimo check` and run headless, with or without answer keys."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ["quizzes/week1.py", "quizzes/week2.py", "quizzes/practice.py"]


def test_marimo_check():
    result = subprocess.run(
        [sys.executable, "-m", "marimo", "check", *NOTEBOOKS], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_runs_headless(notebook):
    answers = ROOT / "quizzes" / "answers" / f"{Path(notebook).stem}.json"
    before = answers.read_bytes() if answers.exists() else None
    result = subprocess.run([sys.executable, notebook], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (answers.read_bytes() if answers.exists() else None) == before  # only the button saves


@pytest.mark.parametrize("notebook", ["week1.py", "practice.py"])
def test_runs_in_a_learner_copy_without_keys(tmp_path, notebook):
    shutil.copytree(
        ROOT / "quizzes", tmp_path / "quizzes", ignore=shutil.ignore_patterns("__pycache__", "__marimo__", "answers")
    )
    shutil.copy(ROOT / "course.toml", tmp_path / "course.toml")
    result = subprocess.run(
        [sys.executable, f"quizzes/{notebook}"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
