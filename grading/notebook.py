"""Static reading of a marimo notebook: no learner code runs here.

Finds out whether a file can be graded at all, where the required functions are (a
top-level `@app.function`, or trapped inside a cell), and what the written answers say.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 2 * 1024 * 1024


class NotGradable(Exception):
    """The file cannot be graded at all; the message says why and what to do."""


@dataclass
class Notebook:
    path: Path
    source: str
    tree: ast.Module
    functions: dict[str, ast.FunctionDef] = field(default_factory=dict)  # @app.function
    cells: list[ast.FunctionDef] = field(default_factory=list)  # @app.cell
    setup_names: set[str] = field(default_factory=set)
    strings: dict[str, str] = field(default_factory=dict)  # NAME = "literal", anywhere top-level-ish

    def cell_defining(self, name: str) -> ast.FunctionDef | None:
        for cell in self.cells:
            if name in _assigned(cell.body):
                return cell
        return None

    def missing_function_message(self, name: str) -> str | None:
        """None if `name` is importable; otherwise a precise explanation and fix."""
        if name in self.functions:
            return None
        cell = self.cell_defining(name)
        if cell is None:
            return (
                f"There is no function named `{name}` in your notebook. The exercise needs "
                f"`def {name}(...)` as a top-level `@app.function` (did you rename it?)."
            )
        inner = next(n for n in ast.walk(cell) if isinstance(n, ast.FunctionDef) and n.name == name)
        other = _names_from_other_cells(self, inner, cell)
        because = (
            f"it uses {', '.join(f'`{n}`' for n in other)}, defined in another cell"
            if other
            else "its cell also defines other things or has code besides the function"
        )
        return (
            f"marimo saved `{name}` as a cell, not as an importable function, because {because}. "
            f"The grader can only import functions marimo saves as `@app.function`. Fix: move "
            f"{'those names' if other else 'the other code'} into the `with app.setup:` block "
            f"(or pass them as arguments), so `{name}` only uses its arguments, setup names and other "
            "`@app.function`s; marimo then saves it as `@app.function` by itself."
        )


def _is_app_attr(node: ast.expr, attr: str) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return isinstance(target, ast.Attribute) and target.attr == attr and isinstance(target.value, ast.Name)


def _assigned(body: list[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(stmt.name)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in stmt.names)
        else:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
    return names


def _names_from_other_cells(nb: Notebook, fn: ast.FunctionDef, home: ast.FunctionDef) -> list[str]:
    params = {a.arg for a in ast.walk(fn.args) if isinstance(a, ast.arg)}
    local = _assigned(fn.body) | params
    used = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    free = used - local - set(dir(builtins)) - nb.setup_names - set(nb.functions)
    defined_elsewhere = set().union(*(_assigned(c.body) for c in nb.cells if c is not home)) if nb.cells else set()
    home_params = {a.arg for a in home.args.args}
    return sorted(free & (defined_elsewhere | home_params))


def _string_value(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def _collect_strings(body: list[ast.stmt], into: dict[str, str]) -> None:
    for stmt in body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            value = _string_value(stmt.value)
            if value is not None:
                into[stmt.targets[0].id] = value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            value = _string_value(stmt.value)
            if value is not None:
                into[stmt.target.id] = value


def read(path: Path) -> Notebook:
    """Parse `path` as a marimo notebook or raise NotGradable with a learner-facing reason."""
    if not path.is_file():
        raise NotGradable(f"The file `{path}` does not exist. Check the path, or run `uv run course list` to see each exercise's file.")
    raw = path.read_bytes()[: MAX_BYTES + 1]
    if len(raw) > MAX_BYTES:
        raise NotGradable(f"`{path.name}` is larger than {MAX_BYTES // 1024 // 1024} MB; a notebook should hold code, not data. Load data from `data/` instead.")
    if not raw.strip():
        raise NotGradable(f"`{path.name}` is empty. Restore the exercise notebook (e.g. `git checkout -- {path.name}`) and fill in the TODOs.")
    if b"\x00" in raw:
        raise NotGradable(f"`{path.name}` contains binary data (NUL bytes), so it is not a Python file. Restore the exercise notebook from git.")
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotGradable(
            f"`{path.name}` is not valid UTF-8 text (byte {exc.start}). Save it as UTF-8 in your editor; marimo always does."
        ) from None
    try:
        tree = ast.parse(source, filename=path.name)
    except SyntaxError as exc:
        raise NotGradable(
            f"Python cannot parse `{path.name}`: {exc.msg} at line {exc.lineno}. Open the notebook "
            f"(`uv run marimo edit {path}`) or your editor at that line and fix the syntax."
        ) from None
    nb = Notebook(path=path, source=source, tree=tree)
    is_marimo = False
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) and _is_app_attr(stmt.value, "App"):
            is_marimo = True
        elif isinstance(stmt, ast.With) and any(_is_app_attr(i.context_expr, "setup") for i in stmt.items):
            nb.setup_names |= _assigned(stmt.body)
            _collect_strings(stmt.body, nb.strings)
        elif isinstance(stmt, ast.FunctionDef):
            if any(_is_app_attr(d, "function") for d in stmt.decorator_list):
                nb.functions[stmt.name] = stmt
            elif any(_is_app_attr(d, "cell") for d in stmt.decorator_list):
                nb.cells.append(stmt)
                _collect_strings(stmt.body, nb.strings)
    _collect_strings(tree.body, nb.strings)
    if not is_marimo:
        raise NotGradable(
            f"`{path.name}` is a Python file but not a marimo notebook (no `app = marimo.App()`). "
            "Work inside the exercise notebook the course gave you (`uv run marimo edit <file>`), "
            "keeping its structure."
        )
    return nb


def word_count(text: str) -> int:
    return len([w for w in text.split() if any(ch.isalnum() for ch in w)])
