"""ruff in the report: a submission is linted by the rules of its item's place in the course."""

from pathlib import Path

from grading.catalog import Course
from grading.lint import ruff

# Written answers are assigned in a cell and read by the grader, never used by another cell:
# F841 there is the course's pattern, which pyproject's per-file rules allow under modules/.
CELL = '''import marimo

app = marimo.App()


@app.cell
def _():
    WHY = "because"
    return


if __name__ == "__main__":
    app.run()
'''


def test_a_submission_kept_elsewhere_gets_its_items_rules(tmp_path: Path):
    course = Course.load()
    item = course.items["3.3"]
    copy = tmp_path / "elsewhere.py"
    copy.write_text(CELL, encoding="utf-8")
    assert [f.code for f in ruff(copy, course.root).findings] == ["F841"]  # outside modules/
    lint = ruff(copy, course.root, as_path=course.root / item.path)
    assert lint.ran and lint.findings == [], lint.message


def test_real_findings_still_show(tmp_path: Path):
    course = Course.load()
    copy = tmp_path / "elsewhere.py"
    copy.write_text(CELL.replace('WHY = "because"', "WHY = undefined_name"), encoding="utf-8")
    lint = ruff(copy, course.root, as_path=course.root / course.items["3.3"].path)
    assert [f.code for f in lint.findings] == ["F821"]
