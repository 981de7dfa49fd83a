"""Tamper evidence: a static scan for notebooks that reach into the test machinery, and a
snapshot of protected files for machines without a read-only sandbox."""

from __future__ import annotations

import ast
import os
from pathlib import Path

_MACHINERY_MODULES = ("_pytest", "pluggy", "pytest_jsonreport", "builtins", "ctypes", "gc", "importlib",
                      "marimo._", "grading")
# What a notebook may import from the grader: the criterion marker and the in-notebook test panel.
_ALLOWED_MODULES = ("grading.criteria", "grading.visible")
_MACHINERY_NAMES = {"__builtins__", "__import__", "exec", "eval", "compile", "globals", "breakpoint"}
_MACHINERY_ATTRS = {("sys", "modules"), ("sys", "settrace"), ("sys", "setprofile"), ("sys", "_getframe"),
                    ("sys", "meta_path"), ("sys", "path_hooks"), ("sys", "excepthook")}


def machinery_uses(tree: ast.Module) -> list[str]:
    """Where a notebook reaches into pytest, the grader or the interpreter's internals.

    Exercise code never needs any of this; a notebook that does so could forge its own
    visible test results in its own process, so those are not counted (hidden tests run in
    the grader and are unaffected). A static scan: it catches the plain attempts; docs/security.md
    says why the hidden tests are the real guarantee.
    """
    found: list[str] = []
    imported: set[str] = set()

    def bad_module(name: str) -> bool:
        return name not in _ALLOWED_MODULES and any(
            name == m or name.startswith(m if m.endswith("_") else m + ".") for m in _MACHINERY_MODULES)

    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Import):
            for alias in node.names:
                imported.add((alias.asname or alias.name).split(".")[0])
                if bad_module(alias.name):
                    found.append(f"imports `{alias.name}` at line {line}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                imported.add(alias.asname or alias.name)
            full = [f"{node.module}.{a.name}" for a in node.names]
            if bad_module(node.module) and not all(f in _ALLOWED_MODULES or node.module in _ALLOWED_MODULES for f in full):
                found.append(f"imports from `{node.module}` at line {line}")
        elif isinstance(node, ast.Name) and node.id in _MACHINERY_NAMES:
            found.append(f"uses `{node.id}` at line {line}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in _MACHINERY_ATTRS:
                found.append(f"uses `{node.value.id}.{node.attr}` at line {line}")
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        if isinstance(node, ast.Delete):
            targets = node.targets
        for target in targets:
            root = target
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(target, ast.Attribute) and isinstance(root, ast.Name) and root.id in imported:
                found.append(f"changes `{ast.unparse(target)}` at line {line}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr", "getattr") and node.args:
            first = node.args[0]
            literal = len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
            if isinstance(first, ast.Name) and first.id in imported and (node.func.id != "getattr" or not literal):
                found.append(f"calls `{node.func.id}` on module `{first.id}` at line {line}")
    return list(dict.fromkeys(found))


class Snapshot:
    """Size and mtime of the protected files, for machines without a read-only sandbox."""

    FOLDERS = ("grading", "tests", ".github", "modules", "data")

    def __init__(self, root: Path, submission: Path):
        self.root, self.submission = root, submission
        self.before = self._take()

    def _take(self) -> dict[str, tuple[int, int]]:
        out = {}
        for folder in self.FOLDERS:
            for dirpath, dirnames, filenames in os.walk(self.root / folder):
                dirnames[:] = [d for d in dirnames if d not in ("__pycache__", "generated", "__marimo__")]
                for f in filenames:
                    path = Path(dirpath) / f
                    if path == self.submission:
                        continue
                    try:
                        st = path.stat()
                    except OSError:
                        continue
                    out[str(path.relative_to(self.root))] = (st.st_size, st.st_mtime_ns)
        return out

    def changed(self) -> list[str]:
        after = self._take()
        return sorted(p for p in self.before.keys() | after.keys() if self.before.get(p) != after.get(p))
