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
            what = f"implement {fn}()" if fn else "complete this cell"
            out.append(f'{indent}raise NotImplementedError("Exercise {item_id}: {what}")')
        i = stop + 1
    return "\n".join(out)


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
        if rel.endswith(".py") and rel.startswith(SOLUTION_FOLDERS) and BEGIN.encode() in src.read_bytes():
            item_id = items_by_path.get(rel, re.sub(r"\W", "", Path(rel).stem))
            dst.write_text(strip_solutions(src.read_text(encoding="utf-8"), item_id), encoding="utf-8")
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
                if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
                    continue
                for deco in node.decorator_list:
                    if isinstance(deco, ast.Call) and getattr(deco.func, "id", getattr(deco.func, "attr", "")) == "criterion":
                        given = {k.arg: k.value for k in deco.keywords}
                        try:
                            total += float(ast.literal_eval(given["points"])) if "points" in given else 1.0
                        except ValueError:
                            total += 1.0
        if total:
            totals[item.id] = total
    return totals
