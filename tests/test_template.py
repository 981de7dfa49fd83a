"""Checks that hold in the course source and in the learner release alike."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from grading.catalog import Course

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def ready_notebooks() -> list[Path]:
    course = Course.load(ROOT)
    return [ROOT / i.path for i in course.item if i.status == "ready" and i.is_notebook]


def test_course_toml_lists_every_item_once():
    course = Course.load(ROOT)
    ids = [i.id for i in course.item]
    assert len(ids) == len(set(ids)) == 25
    kinds = [i.kind for i in course.item]
    assert (kinds.count("exercise"), kinds.count("challenge"), kinds.count("quiz"), kinds.count("exam")) == (15, 5, 2, 2)
    assert all((ROOT / i.path).exists() for i in course.item if i.status == "ready" and i.kind != "quiz")


def test_ready_notebooks_pass_marimo_check():
    notebooks = ready_notebooks()
    assert notebooks
    proc = subprocess.run([str(BIN / "marimo"), "check", *map(str, notebooks)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_is_clean_on_notebooks_and_grader():
    targets = [str(p) for p in ready_notebooks()] + ["grading"]
    proc = subprocess.run([str(BIN / "ruff"), "check", *targets], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_pyproject_configures_marimo_for_trustworthy_exit_codes():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["tool"]["marimo"]["runtime"]["reactive_tests"] is False
    assert config["tool"]["marimo"]["runtime"]["auto_instantiate"] is True  # notebooks open run
    assert "--import-mode=importlib" in config["tool"]["pytest"]["ini_options"]["addopts"]
