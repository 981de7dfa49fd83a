"""The notebook's own visible tests: which ones count, and their results as criteria."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from grading import notebook
from grading.criteria import default_title
from grading.report import Criterion

MAX_VISIBLE_POINTS = 10.0  # per visible test, when there is no course copy of the notebook to compare with
STUB_MARK = "NotImplementedError"
STUB_TEXT = "still the TODO stub"


def _literal_kwargs(call: ast.Call) -> dict:
    out = {}
    for kw in call.keywords:
        try:
            out[kw.arg] = ast.literal_eval(kw.value)
        except ValueError:
            pass
    return out


def criterion_marker(fn: ast.FunctionDef) -> dict | None:
    """The literal arguments of a function's `@criterion(...)` decorator, read statically (None if none)."""
    marker = None
    for deco in fn.decorator_list:
        func = deco.func if isinstance(deco, ast.Call) else None
        if (isinstance(func, ast.Attribute) and func.attr == "criterion") or (isinstance(func, ast.Name) and func.id == "criterion"):
            marker = _literal_kwargs(deco)
    return marker


def visible_tests(nb: notebook.Notebook) -> dict[str, dict]:
    """The notebook's test_* functions with their criterion marker, read statically."""
    return {name: criterion_marker(fn) or {} for name, fn in nb.functions.items() if name.startswith("test_")}


@dataclass
class VisiblePlan:
    """The visible tests that count, and the ones that do not (with why)."""

    tests: dict[str, dict]
    untrusted: dict[str, str] = field(default_factory=dict)  # test name -> why it is not counted
    tampered: list[str] = field(default_factory=list)


def plan(nb: notebook.Notebook, submission: Path, canonical_path: Path, label: str, machinery: list[str]) -> VisiblePlan:
    """The visible tests to score: the course's own, compared with the submission's.

    When the course's copy of the notebook is at hand (a submission given as a separate
    file, or a mentor's regrade), its tests and their points are the ones that count: a
    test the submission changed or removed scores nothing and is listed as tampered.
    Without it, the submission's own tests count, each worth at most MAX_VISIBLE_POINTS.
    A notebook that reaches into the test machinery gets none of its own tests counted.
    """
    declared = visible_tests(nb)
    why = ("not counted: your notebook reaches into the test machinery "
           f"({'; '.join(machinery[:3])}), so its own tests cannot be trusted")
    if canonical_path == submission or not canonical_path.is_file():
        if not machinery:
            for marker in declared.values():
                try:
                    marker["points"] = min(max(float(marker.get("points", 1)), 0.0), MAX_VISIBLE_POINTS)
                except (TypeError, ValueError):
                    marker["points"] = 1.0
        return VisiblePlan(declared, dict.fromkeys(declared, why) if machinery else {})
    try:
        canonical = notebook.read(canonical_path)
    except notebook.NotGradable:
        return VisiblePlan(declared, dict.fromkeys(declared, why) if machinery else {})
    result = VisiblePlan(visible_tests(canonical))
    if machinery:
        result.untrusted = dict.fromkeys(result.tests, why)
    for name in result.tests:
        theirs = nb.functions.get(name)
        if theirs is None:
            result.untrusted.setdefault(name, f"the visible test `{name}` is missing from your notebook; restore it from the course's copy")
            result.tampered.append(f"{label}::{name} (removed)")
        elif ast.dump(theirs) != ast.dump(canonical.functions[name]):
            result.untrusted.setdefault(name, f"not counted: `{name}` differs from the course's version of this test; restore it")
            result.tampered.append(f"{label}::{name} (changed)")
    return result


def criteria(visible: VisiblePlan, outcomes: dict[str, dict], failure: str | None) -> list[Criterion]:
    """One criterion per counted visible test, from the outcomes of the run (name -> result)."""
    out = []
    for name, marker in visible.tests.items():
        got = outcomes.get(name, {})
        passed = got.get("outcome") == "passed" and name not in visible.untrusted
        message = visible.untrusted.get(name) or str(got.get("message", "")) or failure or "this test did not run"
        if STUB_MARK in message:
            message = f"{STUB_TEXT}: {message}"
        try:
            points = float(marker.get("points", 1))
        except (TypeError, ValueError):
            points = 1.0
        out.append(
            Criterion(
                id=name,
                title=str(marker.get("title") or default_title(name)),
                points=points if passed else 0.0,
                max_points=points,
                passed=passed,
                feedback="passed" if passed else message[:1000],
                hint=None if passed else (str(marker.get("hint")) if marker.get("hint") else None),
                visibility="visible",
                lesson=marker.get("lesson"),
                required=bool(marker.get("required")),
            )
        )
    return out
