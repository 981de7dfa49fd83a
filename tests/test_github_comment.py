"""The PR comment (render.to_markdown): verdict and score first, then what to do next, then
the details in folds; three different failures told apart; escaping and the size bound."""

from __future__ import annotations

from pathlib import Path

from grading.catalog import Course
from grading.render import MAX_COMMENT, marker, to_markdown
from tests.fakegithub.helpers import report

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.load(ROOT)


def test_failing_comment_leads_with_verdict_then_the_first_required_miss():
    body = to_markdown(report("failed"), COURSE)
    lines = body.splitlines()
    assert lines[0] == marker("1.1")
    assert lines[1].startswith("### ❌ ") and "Not passed yet: **89.9/100**" in lines[1]
    assert "Your code did not pass some of the checks yet" in lines[3]
    nxt = body.index("#### What to do next")
    table = body.index("<details><summary>All criteria (15 of 16 passed)")
    hint = body.index("Start with **Catches missing values, blank text included**: `isna()` only sees NaN and None")
    assert nxt < hint < table
    assert "Reread `01_data_engineering.py`" in body
    assert "`uv run course check 1.1`" in body
    assert "**Lint (ruff):** clean · **Notebook run:** ok" in body


def test_passing_comment_congratulates_and_names_what_comes_next():
    body = to_markdown(report("passed"), COURSE)
    assert "Passed: **100/100**" in body and "🎉 **Well done: this item passes.**" in body
    ids = list(COURSE.items)
    later = [COURSE.items[i] for i in ids[ids.index("1.1") + 1 :]]
    nxt = next((i for i in later if i.status == "ready"), later[0])
    assert f"Next in the course: **{nxt.id.replace('.', chr(92) + '.')} · " in body and f"`{nxt.path}`" in body
    assert "Start with" not in body


def test_a_crash_an_error_and_a_failed_check_read_differently():
    crashed = report("failed")
    crashed.execution.status, crashed.execution.message = "failed", "running the notebook failed: ZeroDivisionError"
    crashed.execution.output = "Traceback...\nZeroDivisionError: division by zero"
    body = to_markdown(crashed, COURSE)
    assert "**Your notebook crashed when run top to bottom**" in body
    assert "`uv run python modules/01_data_engineering/ex_1_1_break_the_data.py`" in body
    assert "<summary>Output of your notebook</summary>" in body and "ZeroDivisionError: division by zero" in body

    timeout = report("failed")
    timeout.execution.status = "timeout"
    assert "**Your notebook timed out when run top to bottom**" in to_markdown(timeout, COURSE)

    error = report("failed", status="error", score=0, criteria=[],
                   summary="The grader itself failed while grading this item; this is not your fault.")
    body = to_markdown(error, COURSE)
    assert "Could not be graded: **0/100**" in body and "**The grader could not grade this submission**" in body
    assert "this is not your fault" in body and "help request" in body


def test_provisional_and_tampered_are_said_plainly():
    body = to_markdown(report("passed", provisional=True, tampered_paths=[".github/workflows/grade.yml"]), COURSE)
    assert "(provisional: " in body.splitlines()[1]
    assert "**Provisional score:** the hidden tests were not available" in body
    assert "[!WARNING]" in body and "`.github/workflows/grade.yml`" in body and "not counted until a mentor regrades" in body


def test_the_comment_never_exceeds_60000_characters():
    r = report("failed")
    for c in r.criteria:
        c.passed, c.feedback, c.hint = False, "x" * 5000, "y" * 5000
    r.criteria = r.criteria * 20
    body = to_markdown(r, COURSE)
    assert len(body) <= MAX_COMMENT and body.startswith(marker("1.1"))


def test_capstone_comment_shows_the_five_rubric_sections():
    from grading.report import Criterion
    from grading.rubric import SECTIONS

    criteria = [Criterion(id=f"{key}.{n}", title=f"{key} {n}", points=10 if (key, n) != ("evaluation", 1) else 4,
                          max_points=10, passed=(key, n) != ("evaluation", 1), visibility="hidden")
                for key in SECTIONS for n in (0, 1)]
    capstone = report("passed", item="capstone", title="Capstone", submission="capstone/", criteria=criteria,
                      score=94.0, max_score=100.0)
    body = to_markdown(capstone, COURSE)
    rubric = body[body.index("#### Rubric"):body.index("<details><summary>All criteria")]
    assert [line.split(" | ")[1:] for line in rubric.splitlines() if line.startswith("| ✅") or line.startswith("| ➖")] == [
        ["Data engineering", "20/20 |"], ["Feature engineering", "20/20 |"], ["Model development", "20/20 |"],
        ["Evaluation", "14/20 |"], ["Deployment", "20/20 |"]]
    assert "#### Rubric" not in to_markdown(report("passed"), COURSE)
