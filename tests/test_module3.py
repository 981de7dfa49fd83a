"""Module 3 (model training and experimentation): the lesson runs headless within its budget, and the
cheap invariants of its items hold. `course verify 3.1 3.2 3.3 3.challenge` is the full proof; it takes
minutes, so it is not repeated here."""

from __future__ import annotations

import ast
import importlib.util
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from grading import cases, notebook
from grading.catalog import Course
from grading.release import strip_solutions

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "modules" / "03_model_training"
LESSON = MODULE / "03_model_training.py"
ITEMS = ("3.1", "3.2", "3.3", "3.challenge")
LESSON_BUDGET = 60.0  # CPU seconds on 2 cores (DESIGN.md section 9)


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lesson_headings() -> set[str]:
    text = LESSON.read_text(encoding="utf-8")
    return {m.group(1).strip() for m in re.finditer(r"^\s*#{1,3} (.+)$", text, re.MULTILINE)}


def test_lesson_runs_headless_within_budget(tmp_path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, str(LESSON)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr[-3000:]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < LESSON_BUDGET, f"the lesson used {cpu:.0f} CPU seconds"


def test_lesson_store_is_git_ignored():
    proc = subprocess.run(["git", "check-ignore", "-q", str(MODULE / "mlruns" / "0" / "meta.yaml")], cwd=ROOT)
    assert proc.returncode == 0


@pytest.mark.parametrize("item_id", ITEMS)
def test_item_files_names_and_cases(item_id):
    item = Course.load(ROOT).items[item_id]
    nb = notebook.read(ROOT / item.path)
    for name in item.functions:
        assert nb.missing_function_message(name) is None, name
    for name in item.written:
        assert notebook.word_count(nb.strings.get(name, "")) >= item.written_min_words, name
    hidden = ROOT / item.hidden_dir
    assert list(hidden.glob("test_*.py"))
    wrong, valid = cases.case_files(hidden / "wrong"), cases.case_files(hidden / "valid")
    assert len(wrong) >= 4 and len(valid) >= 2
    for case in wrong + valid:
        cases.build((ROOT / item.path).read_text(encoding="utf-8"), case.read_text(encoding="utf-8"))
    assert all(cases.expectations(w.read_text(encoding="utf-8")) for w in wrong)


@pytest.mark.parametrize("item_id", ITEMS)
def test_hints_point_at_lesson_headings(item_id):
    item = Course.load(ROOT).items[item_id]
    headings = lesson_headings()
    for test_file in (ROOT / item.hidden_dir).glob("test_*.py"):
        for anchor in re.findall(r'"03_model_training\.py#([^"]+)"', test_file.read_text(encoding="utf-8")):
            assert anchor in headings, anchor


@pytest.mark.parametrize("item_id", ITEMS)
def test_release_stub_is_valid_python_without_solutions(item_id):
    item = Course.load(ROOT).items[item_id]
    stub = strip_solutions((ROOT / item.path).read_text(encoding="utf-8"), item_id)
    ast.parse(stub)
    assert "BEGIN SOLUTION" not in stub
    assert f"Exercise {item_id}: implement" in stub


@pytest.mark.parametrize(("item_id", "function"), [("3.2", "listing_table"), ("3.3", "listing_table"),
                                                    ("3.challenge", "sales_table")])
def test_hidden_tables_match_the_notebooks(item_id, function):
    """The hidden tests rebuild the notebooks' tables; they must be the notebooks' own recipe."""
    import coursedata
    import pandas as pd

    item = Course.load(ROOT).items[item_id]
    nb = load(ROOT / item.path, f"m3_nb_{function}_{item_id.replace('.', '_')}")
    hidden = load(next((ROOT / item.hidden_dir).glob("test_*.py")), f"m3_hidden_{item_id.replace('.', '_')}")
    cards = coursedata.load_cards().iloc[:500]
    pd.testing.assert_frame_equal(getattr(nb, function)(cards), getattr(hidden, function)(cards))
    for constant in ("FEATURES", "TARGET", "SEARCH_SPACE", "REFERENCE_PARAMS", "LATENCY_BUDGET"):
        if hasattr(hidden, constant) and hasattr(nb, constant):
            assert getattr(nb, constant) == getattr(hidden, constant), constant


def test_model_selection_has_a_clear_winner_on_fresh_sales():
    """3.2's hidden evaluation: the boosted model must be clearly best, not best by a hair."""
    hidden = load(ROOT / "grading" / "hidden" / "3.2" / "test_3_2.py", "m3_hidden_32_eval")
    dev, fresh = hidden.rows(hidden.DEV), hidden.rows(hidden.FRESH)
    scores = {name: model.fit(dev[hidden.FEATURES], dev[hidden.TARGET]).score(fresh[hidden.FEATURES], fresh[hidden.TARGET])
              for name, model in hidden.candidates().items()}
    ranked = sorted(scores, key=scores.get, reverse=True)
    assert ranked[0] == "boosted"
    assert scores["boosted"] - scores[ranked[1]] > 0.015, scores
