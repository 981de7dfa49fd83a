"""The course's last mile, end to end on the fake GitHub: a learner who has done every exercise,
challenge, quiz and exam opens the capstone PR; the first push (a price feature computed from the
target) fails, the second (the reference) passes; the sticky comment shows the five section scores,
the mentor is asked for review with the rubric checklist; the mentor runs `course regrade --json`
on the learner's checkout and `course certificate`, which issues the record."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from grading.capstone_item import case_folder, copy_folder
from grading.catalog import Course
from grading.certificate import escape
from grading.certificate import main as certificate_main
from grading.quiz.bank import quiz_questions
from grading.quiz.grade import key_answers, write_answers
from grading.rubric import SECTIONS
from tests.fakegithub import FakeGitHub
from tests.fakegithub.flow import LearnerRepo, commit_all

ROOT = Path(__file__).resolve().parent.parent
MENTOR = "mentor-ana"


def everything_but_the_capstone(course: Course, learner: Path) -> None:
    """The learner's main branch after their exercise, challenge, quiz and exam PRs merged."""
    for item in course.item:
        if item.status != "ready" or item.kind == "capstone":
            continue
        if item.kind == "quiz":
            quiz = item.id.removesuffix(".quiz")
            write_answers(learner / item.path, quiz, key_answers(quiz_questions(ROOT, quiz, with_key=True)))
        else:
            shutil.copy(ROOT / item.path, learner / item.path)


def capstone(case: str | None):
    """A change that replaces the learner's capstone/ with the reference, or with one known-wrong case of it."""
    def change(learner: Path) -> None:
        shutil.rmtree(learner / "capstone")
        if case is None:
            copy_folder(ROOT / "capstone", learner / "capstone")
        else:
            case_folder(ROOT / "capstone", ROOT / "grading/hidden/capstone/wrong" / case, learner / "capstone")
    return change


@pytest.mark.slow
@pytest.mark.e2e
def test_capstone_pr_then_mentor_regrade_then_certificate(tmp_path):
    course = Course.load(ROOT)
    with FakeGitHub() as gh:
        learner = LearnerRepo(gh, tmp_path, mentors=(MENTOR,))
        everything_but_the_capstone(course, learner.path)
        learner.base = commit_all(learner.path, "Every exercise, challenge, quiz and exam, merged")
        n = learner.open_pull("capstone", "Capstone: card price predictor")

        first = learner.push(n, capstone("price_feature_from_target.py"), "Capstone, first try")
        r = json.loads((first.artifact / "capstone.json").read_text())
        assert r["status"] == "failed" and not r["provisional"], r["summary"]
        comment = next(c for c in learner.bot_comments(n) if "Capstone" in c)
        assert "Not passed yet" in comment, comment

        second = learner.push(n, capstone(None), "Capstone, the price feature from listing data only")
        r = json.loads((second.artifact / "capstone.json").read_text())
        assert r["status"] == "passed" and r["score"] == r["max_score"] and r["tampered_paths"] == [], r["summary"]
        bodies = learner.bot_comments(n)
        comment = next(c for c in bodies if "Capstone" in c and "Rubric checklist" not in c)
        for section in SECTIONS.values():
            assert f"| ✅ | {section} | 20/20 |" in comment, comment
        assert learner.repo.reviewers[n] == [MENTOR]
        checklist = [c for c in bodies if "Rubric checklist" in c]
        assert len(checklist) == 1 and "- [ ] Regraded with `course regrade`" in checklist[0]
        assert {"capstone", "mentor-review", "passed"} <= set(gh.labels_on(learner.repo, n))
        print("capstone pushes:", {k: round(v, 1) for k, v in (first.seconds | {"ci-2": second.seconds["ci"]}).items()})

    # The mentor, in the course's source checkout, with the learner's branch checked out.
    reports, out = tmp_path / "regrade", tmp_path / "certificate"
    regrade = subprocess.run([sys.executable, "-m", "grading.cli", "regrade", str(learner.path), "--json", str(reports)],
                             cwd=ROOT, capture_output=True, text=True, timeout=3000)
    assert regrade.returncode == 0, regrade.stdout[-3000:] + regrade.stderr[-2000:]
    ready = {i.id for i in course.item if i.status == "ready"}
    assert {p.stem for p in reports.glob("*.json")} == ready
    # The mentor's approval: their login in the source's course.toml `mentors` (set here as a maintainer would).
    source = course.model_copy(update={"course": course.course.model_copy(update={"mentors": [MENTOR]})})
    console = Console(width=100, record=True)
    assert certificate_main(source, learner.path, reports_dir=reports, mentor="learner", out_dir=out, console=console) == 1
    assert "mentor" in console.export_text() and not out.exists()
    assert certificate_main(source, learner.path, reports_dir=reports, mentor=MENTOR, out_dir=out, console=console) == 0
    text = (out / "certificate.md").read_text(encoding="utf-8")
    assert f"Approved by mentor: {escape(MENTOR)}" in text  # Markdown-escaped, as every name is
    assert MENTOR in (out / "certificate.html").read_text(encoding="utf-8")
    print(text)
