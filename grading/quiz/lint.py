"""The bank linter (`lint_bank`), the bank statistics (`bank_counts`, `main`).

Each rule exists because of a complaint learners make about quizzes: wrong keys, ambiguous
options, joke distractors, answers leaking into what they can read. The tests feed a bad
bank to prove each rule fires.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path

from pydantic import ValidationError

from grading.quiz.bank import (
    ANSWER_FIELDS,
    BankError,
    Question,
    QuizKeyMissing,
    load_bank_checked,
    load_key,
    load_objectives,
    load_socratic,
    merge_key,
    normalise,
)

MIN_TOTAL = 125
MIN_PER_MODULE = 20
QUIZ_SHAPE = {"week1": (20, {1, 2}), "week2": (25, {3, 4})}

# Near-duplicate prompts: two normalised prompts are flagged when difflib's ratio over their
# word sequences reaches 0.85 (the same sentence with a word or a number changed) or the
# Jaccard index of their word sets reaches 0.75 (the same words reshuffled). Distinct
# scenarios that share vocabulary stay below both; the tests show that a one-word edit and a
# reordering are caught. Very short prompts are the weak spot: give them their scenario.
NEAR_DUPLICATE_RATIO = 0.85
NEAR_DUPLICATE_JACCARD = 0.75

# Options that test reading tricks rather than knowledge, and the jokes learners hate.
BANNED_OPTION_PATTERNS = [
    r"\b(all|none|both|neither) of the above\b",
    r"\b(all|none) of these\b",
    r"\bboth [a-e] and [a-e]\b",
    r"\b(magic|unicorns?|pray(ing)?|lol|haha|just kidding|vibes?|crystal ball|horoscope|goat)\b",
    r"\b(ask (the )?(intern|chatgpt)|blame (the )?intern|turn it off and on)\b",
]
MIN_WHY_WORDS = 4

# Test-wise learners guess "the longest option" or "always b". With 4 options chance is 25 %;
# above these shares a bank of 20+ single-choice questions rewards guessing.
MAX_LONGEST_CORRECT = 0.35
MAX_POSITION_SHARE = 0.40
MIN_SINGLES_FOR_CUES = 20


def _jaccard(ta: set[str], tb: set[str]) -> float:
    return len(ta & tb) / len(ta | tb) if ta | tb else 1.0


def similarity(a: str, b: str) -> tuple[float, float]:
    """(difflib ratio over words, word-set Jaccard) of two normalised prompts."""
    wa, wb = a.split(), b.split()
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio(), _jaccard(set(wa), set(wb))


def _near_duplicates(questions: list[Question]) -> list[str]:
    problems = []
    prompts = [(q.id, normalise(q.prompt)) for q in questions]
    for (ia, a), (ib, b) in combinations(prompts, 2):
        if a == b:
            problems.append(f"{ia} and {ib}: duplicate prompts")
            continue
        ratio, jaccard = similarity(a, b)
        if ratio >= NEAR_DUPLICATE_RATIO or jaccard >= NEAR_DUPLICATE_JACCARD:
            problems.append(f"{ia} and {ib}: near-duplicate prompts (ratio {ratio:.2f}, jaccard {jaccard:.2f})")
    return problems


def _public_problems(q: Question) -> list[str]:
    """Rules on what every learner sees: shape, options, banned wording."""
    p = []
    ids = [o.id for o in q.options]
    if len(ids) != len(set(ids)):
        p.append(f"{q.id}: option ids are not unique")
    if q.type in ("single", "multiple") and not 3 <= len(q.options) <= 5:
        p.append(f"{q.id}: a {q.type}-choice question needs 3 to 5 options")
    if q.type == "ordering" and not 3 <= len(q.options) <= 6:
        p.append(f"{q.id}: an ordering question needs 3 to 6 steps")
    if q.type == "numeric":
        if q.options:
            p.append(f"{q.id}: a numeric question has no options")
        if not q.unit or q.tolerance is None:
            p.append(f"{q.id}: a numeric question must state its unit and tolerance")
    if q.type == "multiple" and "all that apply" not in q.prompt.lower():
        p.append(f"{q.id}: a multiple-choice prompt must say 'Select all that apply'")
    for o in q.options:
        for pattern in BANNED_OPTION_PATTERNS:
            if re.search(pattern, o.text.lower()):
                p.append(f"{q.id}: option {o.id} uses banned wording ({o.text!r})")
    return p


def _keyed_problems(q: Question) -> list[str]:
    """Rules on the answer: one defensible key, every option explained."""
    p = []
    if not q.explanation or not q.hint:
        p.append(f"{q.id}: needs an explanation and a hint")
    n_correct = len(q.correct_ids)
    if q.type == "single" and n_correct != 1:
        p.append(f"{q.id}: a single-choice question needs exactly one correct option (has {n_correct})")
    if q.type == "multiple" and not 1 <= n_correct < len(q.options):
        p.append(f"{q.id}: a multiple-choice question needs some correct and some wrong options")
    if q.type == "numeric" and q.answer is None:
        p.append(f"{q.id}: a numeric question needs an answer")
    elif q.type == "numeric" and q.tolerance is not None:
        p += [
            f"{q.id}: trap {t.value:g} would be accepted as correct"
            for t in q.traps
            if abs(t.value - q.answer) <= q.tolerance
        ]
    if q.type == "ordering":
        ids = [o.id for o in q.options]
        if sorted(q.order or []) != sorted(ids):
            p.append(f"{q.id}: the order must use every step exactly once")
        elif q.order == ids:
            p.append(f"{q.id}: the steps are shown in the correct order already")
    for o in q.options:
        if len((o.why or "").split()) < MIN_WHY_WORDS:
            p.append(f"{q.id}: option {o.id} is not explained")
    return p


def _leak_problems(q: Question) -> list[str]:
    """A week quiz's feedback must not print the right option (the learner may retake)."""
    p = []
    feedback = [q.explanation or "", q.hint or ""] + [o.why or "" for o in q.options if not o.correct]
    for o in q.options:
        if q.type != "ordering" and o.correct and any(o.text.lower() in f.lower() for f in feedback):
            p.append(f"{q.id}: feedback quotes the correct option {o.id} verbatim")
    if q.type == "numeric" and q.answer is not None:
        number = re.compile(rf"(?<![\d.]){re.escape(f'{q.answer:g}')}(?![\d])")
        if any(number.search(f) for f in feedback + [t.why for t in q.traps]):
            p.append(f"{q.id}: feedback states the numeric answer")
    return p


def _cue_problems(singles: list[Question]) -> list[str]:
    """Answer cues across the bank: the right option is usually the longest, or in one place."""
    if len(singles) < MIN_SINGLES_FOR_CUES:
        return []
    p = []
    longest = sum(max(q.options, key=lambda o: len(o.text)).correct is True for q in singles)
    if longest / len(singles) > MAX_LONGEST_CORRECT:
        p.append(f"bank: the correct option is the longest in {longest} of {len(singles)} single-choice questions")
    for position, n in Counter(q.options.index(q.option(q.correct_ids[0])) for q in singles).items():
        if n / len(singles) > MAX_POSITION_SHARE:
            p.append(
                f"bank: the correct option is option {'abcde'[position]} in {n} of {len(singles)} single-choice questions"
            )
    return p


def lint_bank(root: Path) -> list[str]:
    """Every problem of the bank (empty = ok). Answer keys are checked where they exist."""
    objectives, problems = load_objectives(root)
    socratic, more = load_socratic(root)
    problems += more
    questions, more = load_bank_checked(root)
    problems += more
    with_keys = (root / "grading" / "hidden").is_dir()  # the learner release has no keys

    ids = Counter(q.id for q in questions)
    problems += [f"{i}: question id used {n} times" for i, n in ids.items() if n > 1]
    sections = {o.module: set() for o in objectives.values()}
    for o in objectives.values():
        sections[o.module].add(o.section)

    keyed: list[Question] = []
    for q in questions:
        obj = objectives.get(q.objective)
        if obj is None or obj.module != q.module:
            problems.append(f"{q.id}: not reachable from a learning objective of module {q.module} ({q.objective})")
        if q.section not in sections.get(q.module, set()):
            problems.append(f"{q.id}: section {q.section!r} is not a lesson section of module {q.module}")
        if q.socratic and (q.socratic not in socratic or socratic[q.socratic].module != q.module):
            problems.append(f"{q.id}: unknown Socratic question {q.socratic}")
        if q.socratic and q.set != "practice":  # socratic.yaml ships its model answer
            problems.append(f"{q.id}: a Socratic item must be a practice question, its model answer is public")
        problems += _public_problems(q)
        if q.set == "practice":
            keyed.append(q)
        elif any(getattr(q, f) for f in ANSWER_FIELDS) or any(o.correct is not None or o.why for o in q.options):
            problems.append(f"{q.id}: a {q.set} question must keep its answer in the hidden key, not in the bank")

    for quiz, (size, modules) in QUIZ_SHAPE.items():
        members = [q for q in questions if q.set == quiz]
        if len(members) != size or {q.module for q in members} != modules:
            got = dict(sorted(Counter(q.module for q in members).items()))
            problems.append(f"{quiz}: needs exactly {size} questions from modules {sorted(modules)} (has {got})")
        if not with_keys:
            continue
        try:
            key = load_key(root, quiz)
        except (QuizKeyMissing, BankError, ValidationError) as err:
            problems.append(f"{quiz}: {err}")
            continue
        if key.quiz != quiz:
            problems.append(f"{quiz}: key.yaml says it is the key of {key.quiz}")
        by_id = {q.id: q for q in questions}
        for qid in key.questions:
            if qid not in by_id or by_id[qid].set != quiz:
                problems.append(
                    f"{quiz}: key entry {qid} is not a {quiz} question of the bank (practice and quiz sets must be disjoint)"
                )
        for q in members:
            if q.id not in key.questions:
                problems.append(f"{quiz}: {q.id} has no key entry")
                continue
            entry = key.questions[q.id]
            stray = set(entry.why) - {o.id for o in q.options}
            if stray:
                problems.append(f"{q.id}: key explains options that do not exist: {sorted(stray)}")
            full = merge_key(q, entry)
            keyed.append(full)
            problems += _leak_problems(full)

    for q in keyed:
        problems += _keyed_problems(q)
    problems += _cue_problems([q for q in keyed if q.type == "single" and len(q.correct_ids) == 1])

    per_module = Counter(q.module for q in questions)
    if len(questions) < MIN_TOTAL:
        problems.append(f"bank: {len(questions)} questions, at least {MIN_TOTAL} are needed")
    for m in range(1, 6):
        if per_module[m] < MIN_PER_MODULE:
            problems.append(f"bank: module {m} has {per_module[m]} questions, at least {MIN_PER_MODULE} are needed")
    used_objectives = {q.objective for q in questions}
    problems += [f"objective {o}: no question tests it" for o in objectives if o not in used_objectives]
    used_socratic = {q.socratic for q in questions}
    problems += [f"socratic {s}: no bank item poses it" for s in socratic if s not in used_socratic]
    problems += _near_duplicates(questions)
    return problems


def bank_counts(root: Path) -> dict[str, dict]:
    """Questions per module, difficulty, type and set."""
    questions, _ = load_bank_checked(root)
    counts: dict[str, dict] = {}
    for field in ("module", "difficulty", "type", "set"):
        counts[field] = dict(sorted(Counter(getattr(q, field) for q in questions).items()))
    counts["total"] = {"questions": len(questions)}
    return counts


def main(root: Path | None = None) -> int:
    """`course quiz stats`: the bank's counts, and its lint verdict."""
    from rich.console import Console
    from rich.table import Table

    from grading.catalog import find_root

    root = root or find_root()
    console = Console()
    counts = bank_counts(root)
    table = Table(title=f"Quiz bank: {counts['total']['questions']} questions")
    for column in ("by", "value", "count"):
        table.add_column(column, justify="right" if column == "count" else "left")
    for field in ("module", "difficulty", "type", "set"):
        for n, (k, v) in enumerate(counts[field].items()):
            table.add_row(field if n == 0 else "", str(k), str(v), end_section=n == len(counts[field]) - 1)
    console.print(table)
    console.print(f"total: {counts['total']['questions']} questions")
    problems = lint_bank(root)
    for p in problems:
        console.print(f"[red]✗[/red] {p}", markup=True, highlight=False)
    console.print("[green]bank lint: ok[/green]" if not problems else f"[red]{len(problems)} problem(s)[/red]")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
