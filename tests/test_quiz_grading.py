"""Week-quiz grading, the maintainer self-check, the release step and the notebook widgets."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from grading.quiz import (
    QuizAnswersError,
    QuizKeyMissing,
    QuizReleaseError,
    grade_quiz,
    quiz_questions,
    release_quizzes,
    verify_quiz,
    write_answers,
)
from grading.quiz.grade import key_answers, wrong_answer
from grading.quiz.ui import collect, widgets
from grading.report import Criterion

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    not (ROOT / "grading" / "hidden" / "week1.quiz" / "key.yaml").is_file(),
    reason="the answer keys are instructor-only",
)


@pytest.fixture(scope="module")
def keyed() -> dict[str, list]:
    return {quiz: quiz_questions(ROOT, quiz, with_key=True) for quiz in ("week1", "week2")}


def _grade(tmp_path: Path, quiz: str, answers: dict) -> list[Criterion]:
    path = tmp_path / f"{quiz}.json"
    write_answers(path, quiz, answers)
    return grade_quiz(f"{quiz}.quiz", path, ROOT)


@pytest.mark.parametrize("item", ["week1.quiz", "week2.quiz"])
def test_verify_quiz_holds(item):
    assert verify_quiz(item, ROOT) == []


@pytest.mark.parametrize("quiz,size", [("week1", 20), ("week2", 25)])
def test_key_scores_full_marks_and_criteria_shape(tmp_path, keyed, quiz, size):
    criteria = _grade(tmp_path, quiz, key_answers(keyed[quiz]))
    assert len(criteria) == size and all(c.passed and c.points == 1 == c.max_points for c in criteria)
    assert [c.id for c in criteria] == [q.id for q in keyed[quiz]]
    assert all(c.visibility == "hidden" and " § " in c.lesson and c.lesson.startswith("modules/0") for c in criteria)


@pytest.mark.parametrize("quiz", ["week1", "week2"])
def test_misses_explain_without_giving_the_answer_away(tmp_path, keyed, quiz):
    questions = keyed[quiz]
    criteria = _grade(tmp_path, quiz, {q.id: wrong_answer(q) for q in questions})
    assert not any(c.passed for c in criteria)
    for q, c in zip(questions, criteria, strict=True):
        assert c.hint and q.explanation in c.feedback
        for option in q.options:
            if option.correct and q.type == "single":
                assert option.text not in c.feedback, f"{q.id}: feedback names the right option"
        if q.type == "numeric":
            assert not re.search(
                rf"(?<![\d.]){re.escape(f'{q.answer:g}')}(?![\d])", c.feedback.split("The reasoning")[1]
            )


def test_feedback_explains_the_chosen_option(tmp_path, keyed):
    q = next(q for q in keyed["week1"] if q.type == "single")
    chosen = wrong_answer(q)
    (criterion,) = [c for c in _grade(tmp_path, "week1", {q.id: chosen}) if c.id == q.id]
    assert q.option(chosen).text in criterion.feedback and q.option(chosen).why in criterion.feedback


def test_scoring_rules(tmp_path, keyed):
    questions = keyed["week2"]
    key = key_answers(questions)
    multiple = next(q for q in questions if q.type == "multiple")
    numeric = next(q for q in questions if q.type == "numeric" and q.tolerance > 0)
    ordering = next(q for q in questions if q.type == "ordering")

    def passed(qid, value):
        return {c.id: c.passed for c in _grade(tmp_path, "week2", {**key, qid: value})}[qid]

    assert not passed(multiple.id, multiple.correct_ids[:-1])  # all-or-nothing: a subset is wrong
    assert passed(numeric.id, numeric.answer + numeric.tolerance * 0.9)
    assert not passed(numeric.id, numeric.answer + numeric.tolerance * 1.5)
    assert passed(numeric.id, str(numeric.answer))  # a hand-edited number as text still counts
    assert not passed(ordering.id, list(reversed(ordering.order)))
    assert not passed(ordering.id, [ordering.order[0]] * len(ordering.order))  # a step used twice
    assert not passed(multiple.id, None)  # unanswered = wrong
    assert sum(c.passed for c in _grade(tmp_path, "week2", {})) == 0


@pytest.mark.parametrize(
    "content,fragment",
    [
        (None, "does not exist"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", 'JSON object with "quiz" and "answers"'),
        ('{"quiz": "week2", "answers": {}}', "not 'week1'"),
        ('{"quiz": "week1", "answers": {"m9-nope": "a"}}', "not in week1"),
        ('{"quiz": "week1", "answers": {"m1-schema-at-the-boundary": "z"}}', "unknown option"),
        ('{"quiz": "week1", "answers": {"m1-missing-rate": "three"}}', "expected a number"),
        ('{"quiz": "week1", "answers": {"m1-missing-rate": true}}', "expected a number"),
    ],
)
def test_bad_answers_files_get_one_friendly_paragraph(tmp_path, content, fragment):
    path = tmp_path / "week1.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(QuizAnswersError) as err:
        grade_quiz("week1.quiz", path, ROOT)
    message = str(err.value)
    assert fragment in message and "\n" not in message and "quizzes/week1.py" in message


def _learner_copy(tmp_path: Path) -> Path:
    """The parts of a learner's release the quiz needs: no grading/hidden/."""
    out = tmp_path / "release"
    shutil.copytree(ROOT / "quizzes", out / "quizzes", ignore=shutil.ignore_patterns("__pycache__", "__marimo__"))
    shutil.copy(ROOT / "course.toml", out / "course.toml")
    return out


def test_missing_key_is_reported_after_the_answers_are_checked(tmp_path, keyed):
    out = _learner_copy(tmp_path)
    path = out / "quizzes" / "answers" / "week1.json"
    write_answers(path, "week1", {q.id: None for q in keyed["week1"][:3]} | {keyed["week1"][5].id: "a"})
    with pytest.raises(QuizKeyMissing) as err:
        grade_quiz("week1.quiz", path, out)
    assert (err.value.answered, err.value.total) == (1, 20)
    path.write_text("{oops")
    with pytest.raises(QuizAnswersError):
        grade_quiz("week1.quiz", path, out)


def test_release_holds_no_week_answers(tmp_path, keyed):
    out = _learner_copy(tmp_path)
    write_answers(out / "quizzes" / "answers" / "week1.json", "week1", key_answers(keyed["week1"]))
    release_quizzes(ROOT, out)
    assert not list((out / "quizzes" / "answers").glob("*.json"))  # saved answers removed
    # no answer text of any week question is anywhere in the learner's files
    texts = "\n".join(p.read_text() for p in out.rglob("*") if p.is_file())
    for q in keyed["week1"] + keyed["week2"]:
        assert q.explanation not in texts
        assert not any(o.why in texts for o in q.options if o.why)


def test_release_refuses_a_leak(tmp_path, keyed):
    out = _learner_copy(tmp_path)
    (out / "docs").mkdir()
    (out / "docs" / "notes.md").write_text(f"Tip: {keyed['week2'][3].explanation}")
    with pytest.raises(QuizReleaseError, match=r"docs/notes\.md"):
        release_quizzes(ROOT, out)
    (out / "docs" / "notes.md").unlink()
    (out / "grading" / "hidden").mkdir(parents=True)
    with pytest.raises(QuizReleaseError, match="grading/hidden"):
        release_quizzes(ROOT, out)


@pytest.mark.parametrize("quiz", ["week1", "week2"])
def test_widgets_round_trip_saved_answers(keyed, quiz):
    """The notebook pre-fills saved answers and reads back exactly what it would save."""
    questions = keyed[quiz]
    key = key_answers(questions)
    answers, missing = collect(questions, widgets(questions, json.loads(json.dumps(key))).value)
    assert missing == []
    assert answers == key
    empty, missing = collect(questions, widgets(questions).value)
    assert all(v is None for v in empty.values()) and len(missing) == len(questions)
