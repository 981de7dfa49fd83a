"""Lesson references: where a hint sends the learner, down to the section.

A criterion's `lesson` is `"<lesson file>#<heading>"` (or just the file), for example
`"01_data_engineering.py#3. Reproducible pipelines and lineage"`. The heading is the text
of a Markdown heading (`#`, `##` or `###`) in the lesson notebook; tests/test_lessons.py
resolves every reference, so a renamed section cannot leave a hint pointing nowhere.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_HEADING = re.compile(r"^\s{0,8}#{1,3}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\s*[.·]?\s+(.*)$")


def split(ref: str) -> tuple[str, str | None]:
    file, _, heading = ref.partition("#")
    return file.strip(), (heading.strip() or None)


def find_lesson(file: str, root: Path = ROOT) -> Path | None:
    """A lesson notebook by its file name or its path from the repository root."""
    path = root / file
    if path.is_file():
        return path
    hits = sorted((root / "modules").glob(f"*/{Path(file).name}"))
    return hits[0] if hits else None


@functools.cache
def headings(path: Path) -> tuple[str, ...]:
    """The Markdown headings of a notebook's `mo.md(...)` texts, in order."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return ()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "md" and node.args:
            arg = node.args[0]
            parts = [arg.value] if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else [
                v.value for v in getattr(arg, "values", []) if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            for text in parts:
                found += [h.replace("`", "") for h in _HEADING.findall(text)]
    return tuple(dict.fromkeys(found))


def unresolved(ref: str | None, root: Path = ROOT) -> str | None:
    """Why a lesson reference does not resolve, or None when it does."""
    if not ref:
        return None
    file, heading = split(ref)
    path = find_lesson(file, root)
    if path is None:
        return f"no lesson notebook {file!r}"
    if heading is not None and heading.replace("`", "") not in headings(path):
        return f"{path.name} has no heading {heading!r}"
    return None


def section(ref: str) -> tuple[str | None, str]:
    """("§3 Reproducible pipelines and lineage", "01_data_engineering.py") for a reference."""
    file, heading = split(ref)
    name = Path(file).name
    if heading is None:
        return None, name
    if m := _NUMBERED.match(heading):
        return f"§{m.group(1)} {m.group(2)}", name
    return f"“{heading}”", name


def cite(ref: str | None) -> str | None:
    """`§3 Reproducible pipelines and lineage in `01_data_engineering.py``, for a hint's "reread"."""
    if not ref:
        return None
    where, name = section(ref)
    return f"{where} in `{name}`" if where else f"`{name}`"
