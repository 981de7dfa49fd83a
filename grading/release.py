"""Source → learner release: strip solutions and hidden material, keep everything else.

Solutions live inline between `### BEGIN SOLUTION` and `### END SOLUTION`. A block that
only assigns strings (a written answer) becomes empty strings; any other block becomes
`raise NotImplementedError("Exercise <id>: implement <function>()")`.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

from grading.catalog import Course
from grading.visible_checks import criterion_marker

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
# Never released: instructor material, the source's own CI, local state.
EXCLUDED_PREFIXES = ("grading/hidden/", ".git/", ".ci/", ".venv/", ".github/workflows/source-", "__marimo__/", "bench/", "data/generated/")
SOLUTION_FOLDERS = ("modules/", "capstone/", "exams/", "quizzes/")
RELEASED_TESTS = {"tests/test_template.py", "tests/conftest.py"}


class SolutionMarkerError(ValueError):
    pass


def _enclosing_function(lines: list[str], index: int) -> str | None:
    indent = len(lines[index]) - len(lines[index].lstrip())
    for line in reversed(lines[:index]):
        stripped = line.lstrip()
        if stripped.startswith("def ") and len(line) - len(stripped) < indent:
            return stripped[4:].split("(")[0]
    return None


def _is_written_answer(block: list[str]) -> list[str] | None:
    """Names assigned if the block only assigns string constants, else None."""
    text = "\n".join(block)
    try:
        tree = ast.parse(text if not text[:1].isspace() else "if True:\n" + text).body
        tree = tree[0].body if text[:1].isspace() else tree
    except SyntaxError:
        return None
    names = []
    for stmt in tree:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)):
            return None
        names.append(stmt.targets[0].id)
    return names or None


def strip_solutions(source: str, item_id: str) -> str:
    label = "Capstone" if item_id == "capstone" else f"Exercise {item_id}"
    lines = source.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != BEGIN:
            if lines[i].strip() == END:
                raise SolutionMarkerError(f"line {i + 1}: {END} without {BEGIN}")
            out.append(lines[i])
            i += 1
            continue
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        try:
            stop = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == END)
        except StopIteration:
            raise SolutionMarkerError(f"line {i + 1}: {BEGIN} without {END}") from None
        block = lines[i + 1 : stop]
        names = _is_written_answer(block)
        if names:
            out += [f'{indent}{name} = ""  # TODO: your answer, in your own words' for name in names]
        else:
            fn = _enclosing_function(lines, i)
            what = f"implement {fn}()" if fn and fn != "_" else "complete this cell"  # marimo cells are all `_`
            out.append(f'{indent}raise NotImplementedError("{label}: {what}")')
        i = stop + 1
    return "\n".join(out)


# Text files of a folder item (the capstone) mark solutions inside comments, e.g.
# `<!-- ### BEGIN SOLUTION -->` in Markdown and HTML, `// ### BEGIN SOLUTION` in JavaScript.
TEXT_SOLUTION_SUFFIXES = (".md", ".html", ".js", ".css")


def strip_text_solutions(source: str) -> str:
    """Drop each commented solution block, leaving one TODO line in the same comment syntax."""
    lines = source.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if BEGIN not in lines[i]:
            if END in lines[i]:
                raise SolutionMarkerError(f"line {i + 1}: {END} without {BEGIN}")
            out.append(lines[i])
            i += 1
            continue
        try:
            stop = next(j for j in range(i + 1, len(lines)) if END in lines[j])
        except StopIteration:
            raise SolutionMarkerError(f"line {i + 1}: {BEGIN} without {END}") from None
        out.append(lines[i].replace(BEGIN, "TODO: your work goes here"))
        i = stop + 1
    return "\n".join(out)


def _item_id(items_by_path: dict[str, str], rel: str) -> str:
    """The item a file belongs to: its own path, or a folder item (path ending in /) holding it."""
    if rel in items_by_path:
        return items_by_path[rel]
    for path, item_id in items_by_path.items():
        if path.endswith("/") and rel.startswith(path):
            return item_id
    return re.sub(r"\W", "", Path(rel).stem)


def _listed_files(root: Path) -> list[str]:
    try:
        proc = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                              cwd=root, capture_output=True, check=True)
        files = [f for f in proc.stdout.decode().split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()]
    return sorted(f for f in files if (root / f).is_file())


def released(path: str) -> bool:
    if path.startswith(EXCLUDED_PREFIXES):
        return False
    if path.startswith("tests/"):
        return path in RELEASED_TESTS
    return True


def release(course: Course, out: Path) -> list[str]:
    """Write the learner template into `out` (which must be empty or absent)."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty; choose a new folder")
    items_by_path = {i.path: i.id for i in course.item}
    written = []
    for rel in _listed_files(course.root):
        if not released(rel):
            continue
        src, dst = course.root / rel, out / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        has_solution = rel.startswith(SOLUTION_FOLDERS) and BEGIN.encode() in src.read_bytes()
        if has_solution and rel.endswith(".py"):
            dst.write_text(strip_solutions(src.read_text(encoding="utf-8"), _item_id(items_by_path, rel)),
                           encoding="utf-8")
        elif has_solution and rel.endswith(TEXT_SOLUTION_SUFFIXES):
            dst.write_text(strip_text_solutions(src.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copy2(src, dst)
        written.append(rel)
    from grading.quiz import release_quizzes
    from grading.templates import write_learner_files

    release_quizzes(course.root, out)  # week-quiz prompts without their keys
    written += write_learner_files(course, out)
    points = out / "grading" / "hidden_points.json"
    points.write_text(json.dumps(hidden_points(course), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    written.append(str(points.relative_to(out)))
    return written


def hidden_points(course: Course) -> dict[str, float]:
    """Points of each item's hidden checks, read statically from their `@criterion(points=...)`.

    The release keeps no hidden test, only this total, so a learner's local report can say
    which share of the item its visible checks cover.
    """
    totals: dict[str, float] = {}
    for item in course.item:
        total = 0.0
        for path in sorted((course.root / item.hidden_dir).glob("test_*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                    if (marker := criterion_marker(node)) is not None:
                        total += _points(marker)
        if total:
            totals[item.id] = total
    return totals


def _points(marker: dict) -> float:
    try:
        return float(marker.get("points", 1))
    except (TypeError, ValueError):
        return 1.0
