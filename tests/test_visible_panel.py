"""Exercise notebooks show their visible tests pass or fail in the editor (grading/visible.py)."""

from __future__ import annotations

import ast

import pytest

from grading.catalog import Course
from grading.criteria import criterion
from grading.visible import render, run_test, visible_tests
from tests.notebooks import ROOT

GRADED = [i for i in Course.load(ROOT).item
          if i.kind in ("exercise", "challenge", "exam") and i.is_notebook and (ROOT / i.path).is_file()]


def panel_arguments(source: str) -> tuple[list[str], str | None]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "visible_tests":
            item = next((k.value.value for k in node.keywords if k.arg == "item"), None)
            return [a.id for a in node.args if isinstance(a, ast.Name)], item
    return [], None


@pytest.mark.parametrize("item", GRADED, ids=lambda i: i.id)
def test_notebook_shows_every_visible_test(item):
    source = (ROOT / item.path).read_text(encoding="utf-8")
    tests = [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
    shown, item_id = panel_arguments(source)
    assert shown == tests, f"{item.path}: the visible_tests(...) cell must list {tests}, in order"
    assert item_id == item.id


@criterion(title="Adds up", hint="Add, do not subtract.")
def _adds_up():
    assert 1 + 1 == 3, "1 + 1 is 2"


def _stub():
    raise NotImplementedError("Exercise 9.9: implement f()")


def _crashes():
    return {}["missing"]


def test_outcomes_and_messages():
    assert run_test(lambda: None).outcome == "pass"
    failed = run_test(_adds_up)
    assert (failed.outcome, failed.title) == ("fail", "Adds up")
    assert "Add, do not subtract." in failed.detail and "1 + 1 is 2" in failed.detail
    assert run_test(_stub).outcome == "todo"
    assert run_test(_crashes).detail.startswith("KeyError")


def test_render_warns_until_every_test_passes():
    assert "warn" in render([run_test(lambda: None), run_test(_crashes)], item="9.9").text
    assert "success" in render([run_test(lambda: None)], item="9.9").text


def test_not_run_outside_the_editor():
    assert visible_tests(_stub, item="9.9") is None  # pytest and `python notebook.py`: the grader runs them
