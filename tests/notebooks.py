"""The course's notebooks and the Markdown they show, found from course.toml and the folders.

Shared by the browser test and the text checks, so a notebook added under modules/, quizzes/,
exams/ or capstone/ is checked from its first commit.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

from grading.catalog import Course

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_FOLDERS = ("modules", "quizzes", "exams", "capstone")


def is_notebook(path: Path) -> bool:
    return path.suffix == ".py" and "marimo.App(" in path.read_text(encoding="utf-8", errors="replace")


def discover(root: Path = ROOT) -> list[str]:
    """Every notebook a learner opens, as paths relative to the course root."""
    course = Course.load(root)
    found = {m.lesson for m in course.module if (root / m.lesson).is_file()}
    found |= {i.path for i in course.item if i.is_notebook and (root / i.path).is_file()}
    for folder in NOTEBOOK_FOLDERS:
        for path in (root / folder).rglob("*.py"):
            if not {"__marimo__", "__pycache__"} & set(path.parts) and is_notebook(path):
                found.add(path.relative_to(root).as_posix())
    return sorted(found)


def _text(node: ast.AST) -> str | None:
    """A string literal's text; for an f-string, its literal parts with each value as `{}`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def markdown_blocks(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every literal passed to `mo.md(...)` in a notebook."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    blocks = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "md"
                and node.args and (text := _text(node.args[0])) is not None):
            blocks.append((node.lineno, textwrap.dedent(text)))
    return blocks


CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
DOLLAR = re.compile(r"(?<!\\)\$")


def unescaped_dollars(markdown: str) -> int:
    """Dollar signs outside code that Markdown would read as LaTeX delimiters (`\\$` is a dollar)."""
    return len(DOLLAR.findall(CODE.sub("", markdown)))


HEADING = re.compile(r"^ {0,3}#{1,3} +(.+?)\s*#*\s*$", re.MULTILINE)
NUMBER = re.compile(r"^\d+\s*[.·]\s*")  # "2 · Correlation and its traps", "3. Reproducible pipelines"


def headings(path: Path) -> list[str]:
    """The text of every `#`, `##` and `###` heading in a notebook's Markdown."""
    found = []
    for _, text in markdown_blocks(path):
        found += HEADING.findall(CODE.sub("", text))
    return found


def section_names(path: Path) -> set[str]:
    """What a quiz or a hint may call a lesson section: a heading, with or without its number."""
    return {name for heading in headings(path) for name in (heading, NUMBER.sub("", heading))}
