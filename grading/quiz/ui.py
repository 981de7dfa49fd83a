"""marimo widgets for quiz questions, shared by quizzes/week1.py, week2.py and practice.py.

Kept here rather than in each notebook so the three notebooks stay short and identical in
behaviour. Nothing here reads an answer key: the week notebooks work in the learner's copy.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import marimo as mo

from grading.quiz.bank import Question
from grading.quiz.grade import Answer, normalise_answer


def load_saved(path: Path, quiz: str) -> dict[str, object]:
    """Previously saved answers, to resume; anything unreadable is ignored."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("quiz") != quiz or not isinstance(data.get("answers"), dict):
        return {}
    return data["answers"]


def _show(number: float | None) -> str:
    """A saved number as the learner would type it, without losing digits."""
    if number is None:
        return ""
    short = f"{number:g}"
    return short if float(short) == number else repr(number)


def _label(q: Question, option_id: str) -> str:
    """An option as a radio or dropdown shows it: plain text, so no literal backticks."""
    return f"{option_id}) {q.option(option_id).text.replace('`', '')}"


def _markdown_label(q: Question, option_id: str) -> str:
    """An option as a checkbox shows it: checkbox labels are Markdown, so code renders as code."""
    return f"{option_id}) {q.option(option_id).text}"


def widget(q: Question, saved: object = None) -> mo.ui.UIElement:
    """The input element for one question, pre-filled with a saved answer when valid."""
    try:
        saved = normalise_answer(q, saved)
    except ValueError:
        saved = None
    if q.type == "single":
        labels = {_label(q, o.id): o.id for o in q.options}
        return mo.ui.radio(options=labels, value=_label(q, saved) if saved else None)
    if q.type == "multiple":
        return mo.ui.array([mo.ui.checkbox(value=o.id in (saved or []), label=_markdown_label(q, o.id)) for o in q.options])
    if q.type == "numeric":
        # A text field, not mo.ui.number: the number field's display rounding could turn an
        # answer such as 0.0196 into 0.02 before it reaches Python.
        return mo.ui.text(value=_show(saved), placeholder="a number", label=f"your answer, in {q.unit}")
    labels = {_label(q, o.id): o.id for o in q.options}
    picks = list(saved or []) + [None] * len(q.options)
    return mo.ui.array(
        [
            mo.ui.dropdown(options=labels, value=_label(q, picks[n]) if picks[n] else None, label=f"step {n + 1}")
            for n in range(len(q.options))
        ]
    )


def widgets(questions: list[Question], saved: dict[str, object] | None = None) -> mo.ui.dictionary:
    saved = saved or {}
    return mo.ui.dictionary({q.id: widget(q, saved.get(q.id)) for q in questions})


def answer(q: Question, value: object) -> tuple[Answer, str]:
    """(canonical answer or None, a note when the input is incomplete)."""
    if q.type == "multiple":
        chosen = [o.id for o, ticked in zip(q.options, value, strict=True) if ticked]
        return (chosen or None), ""
    if q.type == "numeric":
        text = value.strip().replace(" ", "")
        if not text:
            return None, ""
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # a decimal comma
        try:
            number = float(text)
        except ValueError:
            return None, f"“{value.strip()}” is not a number"
        return (number, "") if math.isfinite(number) else (None, "enter a finite number")
    if q.type == "ordering":
        if any(v is None for v in value):
            return None, "choose a step for every position"
        if len(set(value)) != len(value):
            return None, "each step may be used only once"
        return list(value), ""
    return value, ""


def collect(questions: list[Question], values: dict[str, object]) -> tuple[dict[str, Answer], list[str]]:
    """All answers (None = unanswered) and one line per unanswered question."""
    answers: dict[str, Answer] = {}
    missing: list[str] = []
    for n, q in enumerate(questions, start=1):
        answers[q.id], note = answer(q, values[q.id])
        if answers[q.id] is None:
            missing.append(f"question {n}" + (f" ({note})" if note else ""))
    return answers, missing


def show(element: mo.ui.UIElement) -> mo.Html:
    """A question's input as a learner should see it: an array (checkboxes, ordering steps) one
    element per line, not marimo's default data-tree view of an array."""
    return element.vstack() if isinstance(element, mo.ui.array) else element


def prompt(n: int, q: Question) -> mo.Html:
    """Question text, with what kind of answer is expected."""
    if q.type == "numeric" and not q.tolerance:
        how = f"Answer in {q.unit}; only the exact value counts."
    elif q.type == "numeric":
        how = f"Answer in {q.unit}; answers within ±{q.tolerance:g} count as correct."
    else:
        how = {
            "single": "Choose one option.",
            "multiple": "Select every option that applies (all-or-nothing).",
            "ordering": "Put the steps in order: choose the first step, then the second, and so on.",
        }[q.type]
    tags = f"module {q.module} · {q.section} · {q.difficulty}"
    return mo.md(f"**Question {n}.** {q.prompt}\n\n_{how}_ <small>({tags})</small>")
