"""`course regrade PATH`: a mentor grades a learner's checkout with the course's own tests.

In a repository the learner owns, everything can be edited: the visible tests in the
notebooks, `grading/`, `tests/`, the workflows. This command, run in the course *source*
repository, trusts none of it:

- only the learner's item files are taken from PATH; each notebook's visible tests
  (`test_*` functions) are replaced by the course's own before grading;
- the grader, the hidden tests, the data and the environment are this repository's;
- every protected file the learner changed is listed: `.github/`, `grading/`, `tests/`,
  `course.toml`, `pyproject.toml`, `uv.lock` (`grading.github.protect`, compared with what
  `course release` gives a learner), and every visible test function that differs from
  the course's.

The reports carry that list in `tampered_paths`; the score is the canonical one.
"""

from __future__ import annotations

import ast
import filecmp
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from rich.console import Console

from grading.catalog import Course, Item
from grading.github.protect import PROTECTED_FILES, PROTECTED_PREFIXES  # one list for CI and regrade
from grading.report import Report

_IGNORED_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache"}


@dataclass
class Regraded:
    item: Item
    report: Report
    fault: str | None


def _files(root: Path, prefixes: Iterable[str], files: Iterable[str]) -> set[str]:
    out = {f for f in files if (root / f).is_file()}
    for prefix in prefixes:
        base = root / prefix
        if base.is_dir():
            out |= {str(p.relative_to(root)) for p in base.rglob("*")
                    if p.is_file() and not _IGNORED_PARTS & set(p.parts) and p.suffix != ".pyc"}
    return out


def protected_changes(release_dir: Path, learner: Path) -> list[str]:
    """Protected files the learner added, removed or changed, relative to the release."""
    theirs = _files(learner, PROTECTED_PREFIXES, PROTECTED_FILES)
    ours = _files(release_dir, PROTECTED_PREFIXES, PROTECTED_FILES)
    changed = []
    for rel in sorted(theirs | ours):
        if rel not in ours:
            changed.append(f"{rel} (added)")
        elif rel not in theirs:
            changed.append(f"{rel} (removed)")
        elif not filecmp.cmp(release_dir / rel, learner / rel, shallow=False):
            changed.append(f"{rel} (changed)")
    return changed


def _tests(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def _span(node: ast.FunctionDef) -> tuple[int, int]:
    """0-based line range of a function with its decorators."""
    first = min([d.lineno for d in node.decorator_list] + [node.lineno])
    return first - 1, node.end_lineno or node.lineno


def canonical_tests(learner_source: str, course_source: str) -> tuple[str, list[str]]:
    """The learner's notebook with the course's visible tests; and which tests differed."""
    course_tree = ast.parse(course_source)
    ours = _tests(course_tree)
    try:
        theirs = _tests(ast.parse(learner_source))
    except SyntaxError:
        return learner_source, []  # the grader explains the syntax error
    course_lines = course_source.splitlines(keepends=True)
    lines = learner_source.splitlines(keepends=True)
    differed = []
    replacements = []  # (start, end, text) in the learner's lines
    for name, node in theirs.items():
        if name not in ours:
            continue  # a learner's own extra test: never scored
        if ast.dump(node) != ast.dump(ours[name]):
            differed.append(f"{name} (changed)")
            start, end = _span(ours[name])
            replacements.append((*_span(node), "".join(course_lines[start:end])))
    for start, end, text in sorted(replacements, reverse=True):
        lines[start:end] = [text if text.endswith("\n") else text + "\n"]
    missing = [name for name in ours if name not in theirs]
    if missing:
        differed += [f"{name} (removed)" for name in missing]
        added = "".join("\n\n" + "".join(course_lines[slice(*_span(ours[n]))]) for n in missing)
        source = "".join(lines)
        anchor = source.rfind('\nif __name__ == "__main__":')
        source = source + added if anchor < 0 else source[:anchor] + added + "\n" + source[anchor:]
        return source, differed
    return "".join(lines), differed


def _release_stub(release_dir: Path, item: Item) -> Path:
    return release_dir / item.path


def _chosen(course: Course, learner: Path, release_dir: Path, ids: list[str] | None) -> list[Item]:
    if ids:
        return [course.items[i] for i in ids]
    chosen = []
    for item in course.item:
        mine = learner / item.path
        if item.status != "ready" or not mine.exists():
            continue
        if _untouched(_release_stub(release_dir, item), mine):
            continue  # untouched since the release: nothing to grade
        chosen.append(item)
    return chosen


def _untouched(stub: Path, mine: Path) -> bool:
    """The learner's file, or folder item (the capstone), is byte for byte what the release gave."""
    if stub.is_file() and mine.is_file():
        return filecmp.cmp(stub, mine, shallow=False)
    if not (stub.is_dir() and mine.is_dir()):
        return False
    from grading.capstone_item import SKIP  # what training writes is not the learner's work

    def files(root: Path) -> set[Path]:
        return {p.relative_to(root) for p in root.rglob("*") if p.is_file()
                and not any(fnmatch(part, pattern) for part in p.relative_to(root).parts for pattern in SKIP)}

    ours, theirs = files(stub), files(mine)
    return ours == theirs and all(filecmp.cmp(stub / f, mine / f, shallow=False) for f in ours)


def regrade(course: Course, learner: Path, ids: list[str] | None = None) -> tuple[list[Regraded], list[str]]:
    """Grade the learner's items with canonical tests; (results, protected files changed)."""
    from grading.release import release
    from grading.run import grade_safely

    learner = learner.resolve()
    with tempfile.TemporaryDirectory(prefix="course-regrade-") as tmp:
        release_dir = Path(tmp) / "release"
        release(course, release_dir)
        changed = protected_changes(release_dir, learner)
        items = _chosen(course, learner, release_dir, ids)
        results = []
        for item in items:
            mine = learner / item.path
            if not mine.is_file():  # a folder item (the capstone) or a missing file: the grader says which
                report, fault = grade_safely(course, item, mine)
                results.append(Regraded(item, report, fault))
                continue
            submission, tampered = mine, []
            if item.is_notebook and (course.root / item.path).is_file():
                try:
                    source = mine.read_text(encoding="utf-8")
                except (UnicodeDecodeError, OSError):
                    source = None  # the grader explains what is wrong with the file
                if source is not None:
                    fixed, differed = canonical_tests(source, (course.root / item.path).read_text(encoding="utf-8"))
                    tampered = [f"{item.path}::{d}" for d in differed]
                    submission = Path(tmp) / item.id / Path(item.path).name
                    submission.parent.mkdir(parents=True)
                    submission.write_text(fixed, encoding="utf-8")
            report, fault = grade_safely(course, item, submission)
            report.tampered_paths = sorted({*(t.replace(report.submission, item.path) for t in report.tampered_paths),
                                            *tampered, *changed})
            report.submission = item.path
            results.append(Regraded(item, report, fault))
    return results, changed


def main(course: Course, learner: Path, *, ids: list[str] | None, json_dir: Path | None, fmt: str, console: Console) -> int:
    """The `course regrade` command; returns its exit code (as `course check`)."""
    import sys

    from grading.render import to_markdown, to_terminal

    if not (learner / "course.toml").is_file():
        console.print(f"{learner} is not a course checkout (no course.toml there).", markup=False)
        return 2
    unknown = [i for i in ids or [] if i not in course.items]
    if unknown:
        console.print(f"Unknown item id(s): {', '.join(unknown)}", markup=False)
        return 2
    results, changed = regrade(course, learner, ids)
    if changed:
        console.print("Protected files the learner changed (ignored: the course's own were used):", markup=False)
        for path in changed:
            console.print(f"  {path}", markup=False)
    else:
        console.print(f"No protected file ({', '.join((*PROTECTED_PREFIXES, *PROTECTED_FILES))}) was changed.")
    if not results:
        console.print("Nothing to regrade: no ready item differs from the release.")
        return 1
    for r in results:
        if json_dir:
            r.report.write(json_dir / f"{r.item.id}.json")
        if fmt == "md":
            sys.stdout.write(to_markdown(r.report))
        else:
            to_terminal(r.report, console)
    if any(r.fault and r.fault != "planned" for r in results):
        return 3
    if any(r.fault == "planned" for r in results):
        return 2
    return 0 if all(r.report.passed for r in results) else 1
