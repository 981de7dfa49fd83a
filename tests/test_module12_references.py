"""Modules 1 and 2 send the learner to the lesson section each piece of feedback relies on:
every criterion (hidden and visible) of their items has a hint and a `lesson="file#heading"` that
resolves to a section, and every Socratic answer of their lessons says "see §N" for a numbered
section that exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from grading.catalog import Course
from grading.lessons import headings, unresolved
from tests.test_lessons import _criteria, _import

ROOT = Path(__file__).resolve().parent.parent
COURSE = Course.load(ROOT)
ITEMS = [item for item in COURSE.items.values() if item.module in (1, 2) and item.kind != "quiz"]
LESSONS = [ROOT / "modules/01_data_engineering/01_data_engineering.py",
           ROOT / "modules/02_eda_and_features/02_eda_and_features.py"]
SECTION = re.compile(r"^(\d+)\s*[.·]\s")
SEE = re.compile(r"\bsee §\d+", re.IGNORECASE)
CITED = re.compile(r"§(\d+)")


def criteria_of(item) -> list[tuple[str, dict]]:
    found = []
    for path in sorted((ROOT / item.hidden_dir).glob("test_*.py")):
        module = _import(path, f"m12refs_{item.id.replace('.', '_')}_{path.stem}")
        found += [(f"hidden {name}", c) for name, c in _criteria(module)]
    module = _import(ROOT / item.path, f"m12refs_nb_{item.id.replace('.', '_')}")
    found += [(f"visible {name}", c) for name, c in _criteria(module)]
    return found


def test_modules_1_and_2_have_their_items():
    assert len(ITEMS) == 8, [i.id for i in ITEMS]


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.id)
def test_every_hint_names_a_lesson_section(item):
    found = criteria_of(item)
    assert any(where.startswith("visible") for where, _ in found) and any(w.startswith("hidden") for w, _ in found)
    problems = []
    for where, c in found:
        if not (c.get("hint") or "").strip():
            problems.append(f"{where}: no hint")
        ref = c.get("lesson") or ""
        if "#" not in ref:
            problems.append(f"{where}: lesson {ref!r} names no section")
        elif why := unresolved(ref, ROOT):
            problems.append(f"{where}: {why}")
    assert not problems, "\n".join(problems)


def socratic_answers(path: Path) -> list[tuple[str, str]]:
    """(question, answer text) of every `mo.accordion({...})` in a lesson; f-string parts as text."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "accordion" and node.args:
            mapping = node.args[0]
            if not isinstance(mapping, ast.Dict):
                continue
            for key, value in zip(mapping.keys, mapping.values, strict=True):
                question = key.value if isinstance(key, ast.Constant) else ast.unparse(key)
                texts = [n.value for n in ast.walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                out.append((question, " ".join(texts)))
    return out


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_every_socratic_answer_says_which_section(lesson):
    sections = {m.group(1) for h in headings(lesson) if (m := SECTION.match(h))}
    answers = socratic_answers(lesson)
    assert len(answers) >= 4
    problems = []
    for question, answer in answers:
        cited = CITED.findall(answer)
        if not SEE.search(answer):
            problems.append(f"{question[:60]!r}: no 'see §N'")
        problems += [f"{question[:60]!r}: §{n} is not a section of {lesson.name}" for n in cited if n not in sections]
    assert not problems, "\n".join(problems)
