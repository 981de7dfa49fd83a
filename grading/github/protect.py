"""What makes a submission untrustworthy: changes to protected paths, and changed or removed
visible tests. Used by `course ci` (PR code) and again by `course post` (default-branch code,
from the API), so a pull request that rewrites the grader cannot hide its own tampering."""

from __future__ import annotations

import ast

# The grader, its tests, the workflows, the table of contents and the tool configuration
# (pytest and ruff settings live in pyproject.toml).
PROTECTED_PREFIXES = (".github/", "grading/", "tests/")
PROTECTED_FILES = ("course.toml", "pyproject.toml", "uv.lock")


def is_protected(path: str) -> bool:
    return path.startswith(PROTECTED_PREFIXES) or path in PROTECTED_FILES


def test_functions(source: str) -> dict[str, str]:
    """Top-level `def test_*` of a notebook, name -> normalised AST (comments and layout ignored)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    return {n.name: ast.dump(n, annotate_fields=False, include_attributes=False) for n in tree.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name.startswith("test_")}


def changed_tests(path: str, before: str | None, after: str | None) -> list[str]:
    """`path::test_name` for each visible test of `before` that `after` removed or changed.
    Adding tests is fine; a file new in the PR (no `before`) has nothing to protect."""
    if before is None:
        return []
    old, new = test_functions(before), test_functions(after or "")
    return [f"{path}::{name}" for name, body in old.items() if new.get(name) != body]
