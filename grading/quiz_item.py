"""Quizzes through the same engine and report: one criterion per question."""

from __future__ import annotations

from grading.engine import Grader
from grading.report import Execution, Report


def grade_quiz_item(grader: Grader) -> Report:
    from grading.quiz import QuizAnswersError, QuizKeyMissing, grade_quiz

    r, item = grader.report, grader.item
    r.execution = Execution(status="skipped", message="quizzes have no notebook to run")
    r.lint.message = "not applicable to a quiz"
    r.provisional = False  # set below if the key is missing
    try:
        r.criteria = grade_quiz(item.id, grader.path, grader.course.root)
    except QuizAnswersError as exc:
        return grader._finish_error(str(exc))
    except QuizKeyMissing:
        # Nothing is wrong with the answers: they just cannot be scored here. Not an error.
        r.provisional, r.checked_score, r.status, r.score = True, 0.0, "failed", 0.0
        r.summary = (
            f"Your answers file `{r.submission}` is well-formed; 0 of {r.max_score:g} points can be checked here, "
            "because the answer key is not in this repository. Week quizzes are scored on your pull request "
            "(with COURSE_SOURCE_REPO set) or by your mentor: open a pull request with the file to get your score."
        )
        return grader._stamp()
    earned = sum(c.points for c in r.criteria)
    total = sum(c.max_points for c in r.criteria) or 1
    r.score = round(r.max_score * earned / total, 1)
    missed = [c for c in r.criteria if not c.passed]
    if r.score >= r.pass_threshold * r.max_score - 1e-9:
        r.status = "passed"
        r.summary = f"Passed with {r.score:g}/{r.max_score:g}." + (f" Review the {len(missed)} {'question' if len(missed) == 1 else 'questions'} you missed below." if missed else " A perfect score.")
    else:
        r.status = "failed"
        lessons = sorted({c.lesson for c in missed if c.lesson})
        r.summary = (
            f"{r.score:g}/{r.max_score:g}, below the pass mark of {r.pass_threshold * r.max_score:g}. "
            f"{len(missed)} {'question' if len(missed) == 1 else 'questions'} missed; each explains why. Reread: {', '.join(lessons[:4]) or 'the lessons'}, then retake."
        )
    return grader._stamp()
