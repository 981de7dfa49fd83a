"""Checkpoint verdicts: the plan's two checkpoints come from `course.toml`, are judged the same way by
`course progress` and the tracker issue, pass only when every criterion holds, and say what is missing.
The tracker is checked end to end through `course post` against the fake GitHub server."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from grading.catalog import Course
from grading.checkpoints import verdicts
from grading.github import tracker
from grading.progress import record, show
from tests.fakegithub import FakeGitHub
from tests.fakegithub.helpers import REPO, report
from tests.test_github_post import run_post, sha, tracker_body

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def course() -> Course:
    return Course.load(ROOT)


@pytest.fixture
def gh():
    with FakeGitHub() as server:
        yield server


def result(course: Course, item_id: str, status: str, score: float, **changes):
    """A report of `item_id` (the 1.1 fixture, retitled), as `course check` would write it."""
    item = course.items[item_id]
    return report("passed" if status == "passed" else "failed", item=item_id, title=item.title, submission=item.path,
                  status=status, score=score, max_score=item.points, criteria=[], **changes)


def test_the_plans_checkpoints_are_in_course_toml(course):
    assert [c.id for c in course.checkpoint] == ["checkpoint1", "checkpoint2"]
    reqs = {c.id: [(r.item, r.min_score) for r in c.requires] for c in course.checkpoint}
    assert reqs == {"checkpoint1": [("week1.quiz", 0.8), ("week1.exam", None)],
                    "checkpoint2": [("week2.quiz", 0.8), ("week2.exam", None)]}


def test_a_checkpoint_naming_an_unknown_item_is_rejected(course):
    data = course.model_dump(exclude={"root"})
    data["checkpoint"] = [{"id": "c", "title": "c", "requires": [{"item": "week9.exam"}]}]
    with pytest.raises(ValueError, match="unknown items"):
        Course(**data)


@pytest.mark.parametrize(("quiz", "exam", "passed", "missing"), [
    ((None,), (None,), False, ["week1.quiz at 80 % or more (no result yet)", "week1.exam passed (no result yet)"]),
    (("passed", 16), ("passed", 85), True, []),  # 16/20 is exactly 80 %
    (("failed", 15), ("passed", 85), False, ["week1.quiz at 80 % or more (15/20, 75 %)"]),
    (("passed", 20), ("failed", 70), False, ["week1.exam passed (not passed yet, 70/100)"]),
    (("passed", 20), ("error", 0), False, ["week1.exam passed (could not be graded, 0/100)"]),
])
def test_verdict_holds_only_when_every_criterion_holds(course, quiz, exam, passed, missing):
    results = {}
    for item_id, spec in (("week1.quiz", quiz), ("week1.exam", exam)):
        if spec[0]:
            results[item_id] = result(course, item_id, *spec)
    first = verdicts(course, results)[0]
    assert first.checkpoint.id == "checkpoint1"
    assert first.passed is passed
    assert [m.text for m in first.missing] == missing
    assert first.text.startswith("passed: " if passed else "missing: ")


def test_a_provisional_exam_pass_does_not_count(course):
    # Graded without the hidden tests (a learner's checkout without the source repo): no verdict yet.
    results = {"week2.quiz": result(course, "week2.quiz", "passed", 25),
               "week2.exam": result(course, "week2.exam", "passed", 100, provisional=True)}
    second = verdicts(course, results)[1]
    assert not second.passed
    assert [m.requirement.item for m in second.missing] == ["week2.exam"]
    assert "provisional" in second.missing[0].why


def test_course_progress_shows_each_checkpoint_and_what_is_missing(course, tmp_path):
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(ROOT / "course.toml", root / "course.toml")
    local = Course.load(root)
    for r in (result(local, "week1.quiz", "passed", 18), result(local, "week1.exam", "passed", 92),
              result(local, "week2.quiz", "failed", 12),
              result(local, "week2.exam", "passed", 100, tampered_paths=["tests/test_template.py"])):
        record(local, r)
    console = Console(record=True, width=400, color_system=None)
    show(local, console)
    text = console.export_text()
    line1 = next(line for line in text.splitlines() if "Checkpoint 1" in line)
    line2 = next(line for line in text.splitlines() if "Checkpoint 2" in line)
    assert "✅" in line1 and "passed: week1.quiz at 80 % or more (18/20, 90 %); week1.exam passed (passed, 92/100)" in line1
    assert "✅" not in line2
    assert "missing: week2.quiz at 80 % or more (12/25, 48 %); week2.exam passed (no result yet)" in line2, \
        "a result that changed protected files is not counted"
    assert "1 of 2 checkpoints passed" in text


def _pull(gh, repo, course, item_id, n):
    return gh.add_pull(repo, author="learner", head_sha=sha(n), files=[course.items[item_id].path])


def test_tracker_issue_ticks_a_checkpoint_when_quiz_and_exam_hold(monkeypatch, tmp_path, gh, course):
    repo = gh.add_repo(REPO)
    quiz, exam, retry = (_pull(gh, repo, course, i, n) for i, n in (("week1.quiz", 31), ("week1.exam", 32), ("week1.quiz", 33)))

    rc, summary = run_post(monkeypatch, tmp_path, gh, course, [result(course, "week1.exam", "passed", 91)],
                           pr=exam, head=sha(32), name="exam")
    assert rc == 0, summary
    body = tracker_body(repo)
    assert "## Checkpoints" in body and "**0 of 2 checkpoints passed.**" in body
    line = next(ln for ln in body.splitlines() if "Checkpoint 1" in ln)
    assert line.startswith("- [ ] **Checkpoint 1")
    assert "missing: week1.quiz at 80 % or more (no result yet)" in line
    assert "week1.exam" not in line, "only what is missing is listed"
    assert re.search(r"- \[x\] \*\*week1\.exam\*\*.*passed, 91/100", body), "the item itself is ticked"

    # a quiz below 80 %: still missing, and the tracker says the score
    run_post(monkeypatch, tmp_path, gh, course, [result(course, "week1.quiz", "failed", 15)], pr=quiz, head=sha(31), name="q1")
    line = next(ln for ln in tracker_body(repo).splitlines() if "Checkpoint 1" in ln)
    assert line.startswith("- [ ] ") and "week1.quiz at 80 % or more (15/20, 75 %) · [#1](" in line

    # the quiz retaken in another PR at 85 %: the checkpoint is passed, each criterion linked to its PR
    run_post(monkeypatch, tmp_path, gh, course, [result(course, "week1.quiz", "passed", 17)], pr=retry, head=sha(33), name="q2")
    body = tracker_body(repo)
    line = next(ln for ln in body.splitlines() if "Checkpoint 1" in ln)
    assert line.startswith("- [x] **Checkpoint 1 · end of week 1 (Modules 1 and 2)** — passed: ")
    assert "week1.quiz at 80 % or more (17/20, 85 %) · [#3](https://github.example/learner/ml-course/pull/3)" in line
    assert "week1.exam passed (passed, 91/100) · [#2](" in line
    assert "**1 of 2 checkpoints passed.**" in body
    line2 = next(ln for ln in body.splitlines() if "Checkpoint 2" in ln)
    assert line2.startswith("- [ ] ") and "week2.quiz at 80 % or more (no result yet); week2.exam passed (no result yet)" in line2
    # recomputed from the stored results, the same verdicts as `course progress` would give
    stored = tracker.parse(body, course)
    assert [v.passed for v in verdicts(course, {i: tracker.best(p) for i, p in stored.items()})] == [True, False]


def test_tracker_does_not_count_a_tampered_exam_pass_for_the_checkpoint(monkeypatch, tmp_path, gh, course):
    repo = gh.add_repo(REPO)
    quiz = _pull(gh, repo, course, "week2.quiz", 41)
    exam = gh.add_pull(repo, author="learner", head_sha=sha(42), files=[course.items["week2.exam"].path, "tests/test_template.py"])
    run_post(monkeypatch, tmp_path, gh, course, [result(course, "week2.quiz", "passed", 25)], pr=quiz, head=sha(41), name="q")
    run_post(monkeypatch, tmp_path, gh, course, [result(course, "week2.exam", "passed", 100)], pr=exam, head=sha(42), name="e")
    line = next(ln for ln in tracker_body(repo).splitlines() if "Checkpoint 2" in ln)
    assert line.startswith("- [ ] ") and "missing: week2.exam passed (no result yet)" in line
