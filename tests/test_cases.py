"""Known-wrong and valid cases are small mutations of the solution (grading/cases.py): every
one builds against today's solution, and a maintainer can edit one as a full notebook."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from grading import cases
from grading.catalog import Course

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.load(ROOT)
ITEMS = [i for i in COURSE.item if i.status == "ready" and i.hidden_dir and i.kind not in ("capstone", "quiz")]

SOLUTION = '''import marimo

app = marimo.App()

with app.setup:
    import pandas as pd


@app.function
def mean_price(prices: list[float]) -> float:
    total = sum(prices)
    return total / len(prices)


if __name__ == "__main__":
    app.run()
'''


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.id)
def test_every_case_builds_from_todays_solution(item):
    solution = (ROOT / item.path).read_text(encoding="utf-8")
    found = [*cases.case_files(ROOT / item.hidden_dir / "wrong"), *cases.case_files(ROOT / item.hidden_dir / "valid")]
    assert found
    for case in found:
        text = case.read_text(encoding="utf-8")
        built = cases.build(solution, text)
        assert built != solution, case.name
        compile(built, case.name, "exec")
        if case.parent.name == "wrong":
            assert cases.expectations(text), f"{case.name} declares no # expect-fail"
            assert cases.header(text, "why"), f"{case.name} has no # why: the misconception"


def test_a_patch_is_what_differs_and_round_trips():
    edited = SOLUTION.replace("return total / len(prices)", "return total / (len(prices) + 1)")
    patch = cases.write_patch(SOLUTION, edited, "ex.py", "# expect-fail: exact_mean\n# why: off by one\n")
    assert patch.startswith("# expect-fail: exact_mean\n")
    assert cases.expectations(patch) == ["exact_mean"]
    assert len(patch.splitlines()) < len(SOLUTION.splitlines())
    assert cases.build(SOLUTION, patch) == edited


def test_a_patch_that_no_longer_applies_is_a_case_error():
    patch = cases.write_patch(SOLUTION, SOLUTION.replace("total = sum(prices)", "total = 0"), "ex.py")
    moved_on = SOLUTION.replace("total = sum(prices)", "total = float(sum(prices))")
    with pytest.raises(cases.CaseError, match="does not apply"):
        cases.build(moved_on, patch)
    with pytest.raises(cases.CaseError, match="nothing differs"):
        cases.write_patch(SOLUTION, SOLUTION, "ex.py")


def test_course_case_prints_a_case_and_writes_an_edited_copy_back_as_a_patch(tmp_path):
    item = COURSE.items["1.1"]
    folder = ROOT / item.hidden_dir / "wrong"
    original = (folder / "isna_only.patch").read_text(encoding="utf-8")

    def course(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "grading.cli", "case", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)

    shown = course("1.1", "wrong/isna_only")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == cases.build((ROOT / item.path).read_text(encoding="utf-8"), original)
    edited = tmp_path / "edited.py"
    edited.write_text(shown.stdout.replace("values.isna())", "values.isnull())"), encoding="utf-8")
    try:
        wrote = course("1.1", "wrong/isna_only", "--from", str(edited))
        assert wrote.returncode == 0, wrote.stderr
        new = (folder / "isna_only.patch").read_text(encoding="utf-8")
        assert new.startswith(cases.comment_header(original))
        assert "values.isnull())" in new
        assert course("1.1", "wrong/isna_only").stdout == edited.read_text(encoding="utf-8")
    finally:
        (folder / "isna_only.patch").write_text(original, encoding="utf-8")
    assert course("1.1", "wrong/no_such_case").returncode == 2
    assert course("capstone", "wrong/missing_field_is_500").returncode == 2
