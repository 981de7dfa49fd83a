"""Known-wrong and valid submissions, stored as small mutations of the reference solution.

A case file (`grading/hidden/<id>/wrong/*.py`, `.../valid/*.py`) holds only what differs
from the solution notebook; `build()` makes the full submission from the solution as it is
today, so a case never drifts when the notebook's prose or tests change:

- a top-level `def NAME` (with its decorators) replaces the function of that name in the
  solution: an `@app.function`, a named `@app.cell`, or a function in the setup block;
  a name the solution lacks is added before the `if __name__ == "__main__":` guard
  (with `@app.function` if the case gives no decorator);
- a top-level `NAME = ...` replaces the assignment of NAME wherever it is in the notebook
  (a constant in the setup block, a written answer in a cell);
- top-level imports are added to the end of the `with app.setup:` block;
- a file that contains `app = marimo.App(` is a whole notebook and is used as it is;
- a `.patch` case is a unified diff against the solution, applied with GNU `patch` (a few lines
  of context either side: the mistake and nothing else). `course case ID wrong/NAME` writes
  the full submission of a case to edit, `--from FILE` turns an edited copy back into a patch.

The first lines of a case are comments: `# expect-fail: a, b` (wrong cases: the criteria it
must miss) and `# why: ...` (the misconception, in one line).
"""

from __future__ import annotations

import ast
import difflib
import re
import shutil
import subprocess
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

_WHOLE = re.compile(r"^app\s*=\s*marimo\.App\(", re.MULTILINE)
_HUNK = re.compile(r"^@@ -\d+(,\d+)? \+\d+(,\d+)? @@", re.MULTILINE)
SUFFIXES = (".py", ".patch")
CONTEXT = 3  # lines of context a written patch keeps either side of a change


class CaseError(ValueError):
    """A case file that cannot be applied to the solution (a maintainer's mistake)."""


@dataclass(frozen=True)
class _Span:
    start: int  # first line, 1-based, decorators included
    end: int  # last line
    indent: int  # column of the statement


def is_whole_notebook(text: str) -> bool:
    return bool(_WHOLE.search(text))


def _span(node: ast.stmt) -> _Span:
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return _Span(first, node.end_lineno or node.lineno, node.col_offset)


def _setup_block(tree: ast.Module) -> ast.With | None:
    for node in tree.body:
        if isinstance(node, ast.With) and any(ast.unparse(i.context_expr) == "app.setup" for i in node.items):
            return node
    return None


def _main_guard(tree: ast.Module) -> ast.If | None:
    for node in tree.body:
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            return node
    return None


def _functions(tree: ast.Module) -> dict[str, ast.stmt]:
    setup = _setup_block(tree)
    found: dict[str, ast.stmt] = {}
    for node in [*tree.body, *(setup.body if setup else [])]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name != "_":
            found.setdefault(node.name, node)
    return found


def _assignments(tree: ast.Module) -> dict[str, list[ast.stmt]]:
    found: dict[str, list[ast.stmt]] = {}
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            found.setdefault(targets[0].id, []).append(node)
    return found


def _segment(lines: list[str], node: ast.stmt) -> str:
    span = _span(node)
    return textwrap.dedent("".join(lines[span.start - 1 : span.end]))


def _indented(text: str, indent: int) -> list[str]:
    pad = " " * indent
    return [(pad + line if line.strip() else line) for line in text.splitlines(keepends=True)]


def case_files(folder: Path) -> list[Path]:
    """The cases in a `wrong/` or `valid/` folder, in a stable order."""
    return sorted(p for p in folder.glob("*") if p.suffix in SUFFIXES and p.is_file())


def is_patch(text: str) -> bool:
    return bool(_HUNK.search(text)) and bool(re.search(r"^--- ", text, re.MULTILINE))


def apply_patch(solution: str, patch: str) -> str:
    """`solution` with a unified diff applied (file names in the diff are ignored)."""
    if shutil.which("patch") is None:
        raise CaseError("GNU patch is not installed (apt-get install patch)")
    with tempfile.TemporaryDirectory(prefix="course-case-") as tmp:
        original, result = Path(tmp) / "solution.py", Path(tmp) / "case.py"
        original.write_text(solution, encoding="utf-8")
        proc = subprocess.run(["patch", "--batch", "--forward", "--silent", "--no-backup-if-mismatch",
                               "--reject-file=-", "--output", str(result), str(original)],
                              input=patch, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0 or not result.exists():
            raise CaseError(f"the patch does not apply to the solution: {(proc.stdout + proc.stderr).strip()[:500]}")
        return result.read_text(encoding="utf-8")


def comment_header(text: str) -> str:
    """A case's leading comment lines (`# expect-fail:`, `# why:` and any note to the maintainer)."""
    head = []
    for line in text.splitlines(keepends=True):
        if not (line.startswith("#") or not line.strip()):
            break
        head.append(line)
    return "".join(head).rstrip("\n") + "\n" if head else ""


def write_patch(solution: str, edited: str, name: str, header: str = "") -> str:
    """A `.patch` case: `header`, then the unified diff from `solution` to `edited`."""
    diff = difflib.unified_diff(solution.splitlines(keepends=True), edited.splitlines(keepends=True),
                                f"a/{name}", f"b/{name}", n=CONTEXT)
    body = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)
    if not body:
        raise CaseError("the edited copy is the solution: nothing differs")
    return header + body


def build(solution: str, case: str) -> str:
    """The full submission: `solution` with `case` applied (a patch, or definitions swapped in)."""
    if is_whole_notebook(case):
        return case
    if is_patch(case):
        return apply_patch(solution, case)
    try:
        sol_tree, case_tree = ast.parse(solution), ast.parse(case)
    except SyntaxError as exc:
        raise CaseError(f"does not parse: {exc}") from None
    lines = solution.splitlines(keepends=True)
    case_lines = case.splitlines(keepends=True)
    functions, assignments = _functions(sol_tree), _assignments(sol_tree)
    setup, guard = _setup_block(sol_tree), _main_guard(sol_tree)
    edits: list[tuple[int, int, list[str]]] = []  # (first line, last line, replacement), 1-based
    imports: list[str] = []
    added: list[str] = []
    for node in case_tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(_segment(case_lines, node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == "_":
                raise CaseError(f"line {node.lineno}: cells named `_` cannot be replaced; replace the assignment you change instead")
            text = _segment(case_lines, node)
            if node.name in functions:
                old = functions[node.name]
                span = _span(old)
                if not getattr(node, "decorator_list", None) and getattr(old, "decorator_list", None):
                    decorators = textwrap.dedent("".join(lines[span.start - 1 : old.lineno - 1]))
                    text = decorators + text
                edits.append((span.start, span.end, _indented(text, span.indent)))
            else:
                if not getattr(node, "decorator_list", None):
                    text = "@app.function\n" + text
                added.append(text)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and not isinstance(node, ast.Expr):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) != 1 or not isinstance(targets[0], ast.Name):
                raise CaseError(f"line {node.lineno}: only `NAME = ...` assignments can replace the solution's")
            name = targets[0].id
            if name not in assignments:
                raise CaseError(f"line {node.lineno}: the solution assigns no `{name}` to replace")
            for old in assignments[name]:
                span = _span(old)
                edits.append((span.start, span.end, _indented(_segment(case_lines, node), span.indent)))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            continue  # a docstring for the maintainer
        else:
            raise CaseError(f"line {node.lineno}: a case holds only imports, `def`s and `NAME = ...` assignments")
    if imports:
        if setup is None:
            raise CaseError("the solution has no `with app.setup:` block to add imports to")
        indent = setup.body[0].col_offset
        end = setup.end_lineno or setup.lineno
        edits.append((end + 1, end, ["\n", *(_line for text in imports for _line in _indented(text, indent))]))
    if added:
        at = guard.lineno if guard is not None else len(lines) + 1
        block = [_line for text in added for _line in [*text.splitlines(keepends=True), "\n", "\n"]]
        edits.append((at, at - 1, block))
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start - 1 : end] = [x if x.endswith("\n") else x + "\n" for x in new]
    return "".join(lines)


def header(text: str, key: str) -> str | None:
    """The value of a `# key: value` comment in a case's first lines."""
    for line in text.splitlines()[:15]:
        if m := re.match(rf"#\s*{re.escape(key)}:\s*(.+)", line.strip()):
            return m.group(1).strip()
    return None


def expectations(text: str) -> list[str]:
    value = header(text, "expect-fail") or ""
    return [x.strip() for x in value.split(",") if x.strip()]


def materialise(solution_path: Path, case_path: Path, out_dir: Path) -> Path:
    """Write the full submission of a case next to nothing else, named like the solution."""
    text = build(solution_path.read_text(encoding="utf-8"), case_path.read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / solution_path.name
    path.write_text(text, encoding="utf-8")
    return path
