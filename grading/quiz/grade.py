"""Grading a week quiz from the learner's answers file, and the maintainer's self-check.

Answers file (what the quiz notebook saves and the PR submits), format 1:

    {"quiz": "week1", "format": 1,
     "answers": {"m1-some-id": "b",              single choice: the option id
                 "m2-other-id": ["a", "c"],      multiple choice: the chosen ids
                 "m3-numeric-id": 0.8,           numeric: a number
                 "m4-ordering-id": ["c", "a", "b", "d"],   ordering: ids first to last
                 "m4-skipped-id": null}}          unanswered (or simply left out)

Scoring: 1 point per question. Multiple choice is all-or-nothing, numeric counts within the
stated tolerance, ordering must be exactly right, unanswered is wrong.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

from grading.catalog import Course
from grading.quiz.bank import Question, QuizKeyMissing, load_bank, quiz_questions
from grading.report import Criterion

ANSWERS_FORMAT = 1
Answer = str | float | list[str] | None


class QuizAnswersError(Exception):
    """The answers file cannot be graded; the message is written for the learner."""


def _quiz_of(item_id: str) -> str:
    quiz = item_id.removesuffix(".quiz")
    if quiz == item_id or quiz not in ("week1", "week2"):
        raise ValueError(f"{item_id!r} is not a quiz item (expected week1.quiz or week2.quiz)")
    return quiz


def _bad(path: Path, quiz: str, problem: str) -> QuizAnswersError:
    return QuizAnswersError(
        f"Your answers file {path.name} could not be graded: {problem} Open quizzes/{quiz}.py with "
        f'`uv run marimo edit quizzes/{quiz}.py`, answer the questions and press "Save answers"; '
        f"the notebook writes quizzes/answers/{quiz}.json in the right format. Then commit that file."
    )


def normalise_answer(q: Question, raw: object) -> Answer:
    """The learner's answer in canonical form, or ValueError saying what is wrong with it."""
    if raw is None or raw in ([], ""):
        return None
    ids = {o.id for o in q.options}
    if q.type == "numeric":
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise ValueError("expected a number")
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"expected a number, got {raw!r}") from None
        if not math.isfinite(value):
            raise ValueError("expected a finite number")
        return value
    chosen = [raw] if isinstance(raw, str) else raw
    if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
        raise ValueError("expected an option id or a list of option ids")
    unknown = sorted(set(chosen) - ids)
    if unknown:
        raise ValueError(f"unknown option(s) {unknown}; the options are {sorted(ids)}")
    if q.type == "single":
        if len(chosen) != 1:
            raise ValueError("a single-choice question takes exactly one option")
        return chosen[0]
    if q.type == "multiple":
        return sorted(set(chosen))
    return list(chosen)  # ordering: kept as given, duplicates are graded as wrong


def read_answers(path: Path, quiz: str, questions: list[Question]) -> dict[str, Answer]:
    """Parse and check an answers file against the public questions (no key needed)."""
    if not path.is_file():
        raise _bad(path, quiz, "the file does not exist yet.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise _bad(path, quiz, f"it is not valid JSON ({err}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise _bad(path, quiz, 'it should be a JSON object with "quiz" and "answers" keys.')
    if data.get("quiz") != quiz:
        raise _bad(path, quiz, f"it holds answers for quiz {data.get('quiz')!r}, not {quiz!r}.")
    by_id = {q.id: q for q in questions}
    unknown = sorted(set(data["answers"]) - set(by_id))
    if unknown:
        raise _bad(path, quiz, f"it answers questions that are not in {quiz}: {unknown[:5]}.")
    answers: dict[str, Answer] = {}
    errors: list[str] = []
    for n, q in enumerate(questions, start=1):
        try:
            answers[q.id] = normalise_answer(q, data["answers"].get(q.id))
        except ValueError as err:
            errors.append(f"question {n} ({q.id}): {err}")
    if errors:
        raise _bad(path, quiz, "some answers have the wrong shape: " + "; ".join(errors[:5]) + ".")
    return answers


def _fmt(x: float) -> str:
    return f"{x:g}"


def judge(q: Question, answer: Answer, *, reveal: bool) -> tuple[bool, str]:
    """(passed, feedback) for one answered-or-not question of a keyed question.

    With reveal=False (week quizzes, which a learner may retake) the feedback explains why
    the chosen answer is wrong and the reasoning to apply, but never states the right option.
    """
    reasoning = f"The reasoning to apply: {q.explanation}"
    correct = "Correct." + (f" {q.explanation}" if reveal else "")
    if answer is None:
        return False, "Not answered: unanswered questions count as wrong."
    if q.type == "single":
        if answer in q.correct_ids:
            return True, correct
        chosen = q.option(answer)
        text = f"You chose “{chosen.text}”. Why that is not right: {chosen.why} {reasoning}"
        if reveal:
            text += f" The right answer: “{q.option(q.correct_ids[0]).text}”."
        return False, text
    if q.type == "multiple":
        right = set(q.correct_ids)
        if set(answer) == right:
            return True, correct
        parts = [f"“{q.option(a).text}” should not be selected: {q.option(a).why}" for a in answer if a not in right]
        missed = [q.option(a) for a in q.correct_ids if a not in answer]
        if missed and reveal:
            parts += [f"“{o.text}” should be selected: {o.why}" for o in missed]
        elif missed:
            parts.append("You left out at least one option that is correct.")
        return False, "Multiple choice is all-or-nothing. " + " ".join(parts) + f" {reasoning}"
    if q.type == "numeric":
        if abs(answer - q.answer) <= q.tolerance + 1e-12:
            return True, correct
        text = f"You answered {_fmt(answer)} {q.unit}, which is outside the accepted tolerance."
        trap = next((t for t in q.traps if abs(answer - t.value) <= q.tolerance + 1e-12), None)
        if trap:
            text += f" A likely slip: {trap.why}"
        text += f" {reasoning}"
        if reveal:
            text += f" The answer: {_fmt(q.answer)} {q.unit} (±{_fmt(q.tolerance)})."
        return False, text
    # ordering
    if list(answer) == q.order:
        return True, correct
    if len(set(answer)) != len(answer) or len(answer) != len(q.order):
        text = "Your order does not use every step exactly once."
    else:
        hits = sum(a == b for a, b in zip(answer, q.order, strict=True))
        text = f"{hits} of {len(q.order)} steps are in the right position."
    if reveal:
        text += " The right order: " + " → ".join(q.option(i).text for i in q.order) + "."
    return False, f"{text} {reasoning}"


def _lesson(course: Course, q: Question) -> str:
    module = course.modules.get(q.module)
    where = module.lesson if module else f"module {q.module}"
    return f"{where} § {q.section}" if q.section else where


def grade_quiz(item_id: str, answers_path: Path, root: Path) -> list[Criterion]:
    """One criterion per question (1 point each). Raises QuizAnswersError or QuizKeyMissing."""
    quiz = _quiz_of(item_id)
    answers_path = answers_path if answers_path.is_absolute() else root / answers_path
    public = quiz_questions(root, quiz, with_key=False)
    answers = read_answers(answers_path, quiz, public)  # answer-file errors first, even without a key
    try:
        questions = quiz_questions(root, quiz, with_key=True)
    except QuizKeyMissing as err:
        err.answered = sum(a is not None for a in answers.values())
        err.total = len(public)
        raise
    course = Course.load(root)
    criteria = []
    for n, q in enumerate(questions, start=1):
        passed, feedback = judge(q, answers[q.id], reveal=False)
        criteria.append(
            Criterion(
                id=q.id,
                title=f"Question {n} ({q.section})",
                points=1.0 if passed else 0.0,
                max_points=1.0,
                passed=passed,
                feedback=feedback,
                hint=None if passed else q.hint,
                visibility="hidden",
                lesson=_lesson(course, q),
            )
        )
    return criteria


def key_answers(questions: list[Question]) -> dict[str, Answer]:
    """The answers that score full marks."""
    out: dict[str, Answer] = {}
    for q in questions:
        if q.type == "single":
            out[q.id] = q.correct_ids[0]
        elif q.type == "multiple":
            out[q.id] = q.correct_ids
        else:
            out[q.id] = q.answer if q.type == "numeric" else q.order
    return out


def wrong_answer(q: Question) -> Answer:
    """A deliberately wrong but well-formed answer to `q`."""
    if q.type == "single":
        return next(o.id for o in q.options if not o.correct)
    if q.type == "multiple":
        first_wrong = next(o.id for o in q.options if not o.correct)
        return sorted(set(q.correct_ids) | {first_wrong})
    if q.type == "numeric":
        return q.answer + 3 * q.tolerance + 1.0
    return [q.order[1], q.order[0], *q.order[2:]]


def write_answers(path: Path, quiz: str, answers: dict[str, Answer]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"quiz": quiz, "format": ANSWERS_FORMAT, "answers": answers}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def verify_quiz(item_id: str, root: Path) -> list[str]:
    """Maintainer check: the key scores 100 %, no answers 0 %, k wrong answers total-k."""
    from grading.quiz.lint import lint_bank  # lint imports this module

    quiz = _quiz_of(item_id)
    problems = [f"bank: {p}" for p in lint_bank(root)]
    try:
        questions = quiz_questions(root, quiz, with_key=True)
    except QuizKeyMissing as err:
        return [*problems, str(err)]
    key = key_answers(questions)
    total = len(questions)
    cases: list[tuple[str, dict[str, Answer], float]] = [("the key", key, total), ("no answers", {}, 0)]
    for k in (1, 2, 5):
        wrong = dict(key)
        for q in questions[:: max(1, total // k)][:k]:  # spread the wrong answers over the quiz
            wrong[q.id] = wrong_answer(q)
        cases.append((f"{k} wrong", wrong, total - k))
    with tempfile.TemporaryDirectory() as tmp:  # never under quizzes/answers: it would hold the key
        path = Path(tmp) / f"{quiz}.json"
        for name, answers, expected in cases:
            write_answers(path, quiz, answers)
            try:
                score = sum(c.points for c in grade_quiz(item_id, path, root))
            except Exception as err:  # noqa: BLE001 - any failure is a problem to report
                problems.append(f"{quiz}: grading {name} raised {type(err).__name__}: {err}")
                continue
            if score != expected:
                problems.append(f"{quiz}: {name} scored {score}, expected {expected}")
        for name, text in [
            ("missing file", None),
            ("not JSON", "{oops"),
            ("wrong quiz", '{"quiz": "other", "answers": {}}'),
        ]:
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(text, encoding="utf-8")
            try:
                grade_quiz(item_id, path, root)
                problems.append(f"{quiz}: a {name} answers file was graded instead of rejected")
            except QuizAnswersError:
                pass
    if not any(q.set == quiz for q in load_bank(root)):
        problems.append(f"{quiz}: no questions")
    return problems
