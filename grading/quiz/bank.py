"""The quiz bank: question models, loading, and merging week-quiz keys.

Storage (why it is split this way): every question lives in `quizzes/bank/mN_*.yaml`, one
file per module. Practice questions carry their answers and explanations there, because the
practice notebook gives instant feedback in the learner's copy. Week-quiz questions
(`set: week1` / `week2`) carry only prompt and options in the bank; their answers,
explanations and hints live in `grading/hidden/<quiz>.quiz/key.yaml`, which the release
drops. So the shipped bank is the public prompt file and nothing has to be derived.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

BANK_DIR = "quizzes/bank"
OBJECTIVES_FILE = "quizzes/objectives.yaml"
SOCRATIC_FILE = "quizzes/socratic.yaml"
QUIZZES = ("week1", "week2")

Difficulty = Literal["easy", "medium", "hard"]
QType = Literal["single", "multiple", "numeric", "ordering"]
QSet = Literal["practice", "week1", "week2"]


class QuizKeyMissing(Exception):
    """The hidden answer key is not in this checkout (a learner's copy): grading is provisional.

    `grade_quiz` fills in how many of the `total` questions the learner `answered`.
    """

    answered: int | None = None
    total: int | None = None


class BankError(Exception):
    """The bank itself is broken (a maintainer problem, not the learner's)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Option(_Model):
    """A choice (single/multiple) or a step to order (ordering)."""

    id: str = Field(pattern=r"^[a-z]$")
    text: str = Field(min_length=1)
    correct: bool | None = None  # practice only; week quizzes keep it in the hidden key
    why: str | None = None  # why this option is right or wrong (or sits where it does)


class Trap(_Model):
    """A typical wrong numeric answer and the mistake that produces it."""

    value: float
    why: str


class Question(_Model):
    id: str = Field(pattern=r"^m[1-5]-[a-z0-9-]+$")
    module: int = Field(ge=1, le=5)
    objective: str
    section: str | None = None  # defaults to the objective's lesson section
    difficulty: Difficulty
    type: QType
    set: QSet = "practice"
    socratic: str | None = None  # id in quizzes/socratic.yaml when this item poses one
    prompt: str = Field(min_length=10)
    options: list[Option] = []
    unit: str | None = None  # numeric
    tolerance: float | None = Field(default=None, ge=0)  # numeric, absolute
    # The answer part: in the bank for practice, in the hidden key for week quizzes.
    answer: float | None = None
    order: list[str] | None = None
    traps: list[Trap] = []
    explanation: str | None = None
    hint: str | None = None

    @property
    def correct_ids(self) -> list[str]:
        return [o.id for o in self.options if o.correct]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class KeyEntry(_Model):
    """The hidden part of one week-quiz question."""

    correct: list[str] = []
    why: dict[str, str] = {}
    answer: float | None = None
    order: list[str] | None = None
    traps: list[Trap] = []
    explanation: str
    hint: str


class Key(_Model):
    quiz: Literal["week1", "week2"]
    questions: dict[str, KeyEntry]


class Objective(_Model):
    id: str = Field(pattern=r"^m[1-5]\.[a-z0-9-]+$")
    module: int = Field(ge=1, le=5)
    section: str
    text: str


class Socratic(_Model):
    id: str = Field(pattern=r"^s[1-5]\.[0-9]+$")
    module: int = Field(ge=1, le=5)
    question: str
    answer: str


ANSWER_FIELDS = ("answer", "order", "traps", "explanation", "hint")


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster


def _read_yaml(path: Path) -> object:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a safe loader


def _fmt_error(where: str, err: ValidationError) -> list[str]:
    return [f"{where}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors()]


def load_objectives(root: Path) -> tuple[dict[str, Objective], list[str]]:
    data = _read_yaml(root / OBJECTIVES_FILE) or {}
    found: dict[str, Objective] = {}
    problems: list[str] = []
    for n, raw in enumerate(data.get("objectives", [])):
        try:
            obj = Objective.model_validate(raw)
        except ValidationError as err:
            problems += _fmt_error(f"{OBJECTIVES_FILE} objective #{n + 1}", err)
            continue
        if obj.id in found:
            problems.append(f"{OBJECTIVES_FILE}: duplicate objective id {obj.id}")
        found[obj.id] = obj
    return found, problems


def load_socratic(root: Path) -> tuple[dict[str, Socratic], list[str]]:
    path = root / SOCRATIC_FILE
    data = (_read_yaml(path) or {}) if path.is_file() else {}
    found: dict[str, Socratic] = {}
    problems: list[str] = []
    for n, raw in enumerate(data.get("questions", [])):
        try:
            s = Socratic.model_validate(raw)
        except ValidationError as err:
            problems += _fmt_error(f"{SOCRATIC_FILE} #{n + 1}", err)
            continue
        found[s.id] = s
    return found, problems


def load_bank_checked(root: Path) -> tuple[list[Question], list[str]]:
    """Every question of `quizzes/bank/*.yaml` (files sorted by name), plus schema problems."""
    objectives, _ = load_objectives(root)
    questions: list[Question] = []
    problems: list[str] = []
    for path in sorted((root / BANK_DIR).glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        try:
            data = _read_yaml(path) or {}
        except yaml.YAMLError as err:
            problems.append(f"{rel}: not valid YAML: {err}")
            continue
        module = data.get("module")
        for n, raw in enumerate(data.get("questions") or []):
            tagged = {"module": module, **raw} if isinstance(raw, dict) else raw  # the file's module tags each question
            if isinstance(raw, dict) and raw.get("module", module) != module:
                problems.append(f"{rel} {raw.get('id')}: module {raw['module']} in the file of module {module}")
            try:
                q = Question.model_validate(tagged)
            except ValidationError as err:
                qid = raw.get("id", f"#{n + 1}") if isinstance(raw, dict) else f"#{n + 1}"
                problems += _fmt_error(f"{rel} {qid}", err)
                continue
            if q.section is None and q.objective in objectives:
                q.section = objectives[q.objective].section
            questions.append(q)
    return questions, problems


def load_bank(root: Path) -> list[Question]:
    questions, problems = load_bank_checked(root)
    if problems:
        raise BankError("the quiz bank does not validate:\n" + "\n".join(problems[:20]))
    return questions


def key_path(root: Path, quiz: str) -> Path:
    return root / "grading" / "hidden" / f"{quiz}.quiz" / "key.yaml"


def load_key(root: Path, quiz: str) -> Key:
    path = key_path(root, quiz)
    if not path.is_file():
        raise QuizKeyMissing(f"the answer key of {quiz} is not in this checkout ({path.relative_to(root)})")
    try:
        return Key.model_validate(_read_yaml(path))
    except ValidationError as err:
        raise BankError("\n".join(_fmt_error(str(path.relative_to(root)), err))) from err


def merge_key(q: Question, entry: KeyEntry) -> Question:
    """The full question: the public part from the bank plus its hidden answer."""
    options = [o.model_copy(update={"correct": o.id in entry.correct, "why": entry.why.get(o.id)}) for o in q.options]
    return q.model_copy(
        update={
            "options": options,
            "answer": entry.answer,
            "order": entry.order,
            "traps": entry.traps,
            "explanation": entry.explanation,
            "hint": entry.hint,
        }
    )


def quiz_questions(root: Path, quiz: str, *, with_key: bool) -> list[Question]:
    """The questions of one week quiz in bank order; with their answers when `with_key`."""
    if quiz not in QUIZZES:
        raise ValueError(f"unknown quiz {quiz!r}; expected one of {QUIZZES}")
    public = [q for q in load_bank(root) if q.set == quiz]
    if not with_key:
        return public
    key = load_key(root, quiz)
    missing = [q.id for q in public if q.id not in key.questions]
    if missing:
        raise BankError(f"the {quiz} key has no entry for {missing}")
    return [merge_key(q, key.questions[q.id]) for q in public]


def practice_questions(root: Path) -> list[Question]:
    return [q for q in load_bank(root) if q.set == "practice"]


def normalise(text: str) -> str:
    """Lower case, words only: what the duplicate check compares."""
    return " ".join(re.findall(r"[a-z0-9%]+", text.lower()))
