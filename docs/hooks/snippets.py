"""Run the code blocks of a page and compare what they print with the page.

A page's ```python blocks run in order, in one namespace per page, from the repository root;
```bash blocks run with bash -e in a scratch folder shared by the page. A block followed by
a ```text title="Output" block must print exactly that; a block without one must print
nothing. Tests call `check_page`; `python docs/hooks/snippets.py --write PAGE...` rewrites
the output blocks from a real run (then read the diff before committing it).
"""

from __future__ import annotations

import contextlib
import io
import linecache
import os
import re
import subprocess
import sys
import tempfile
import types
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_INFO = 'text title="Output"'
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```[ \t]*$\n?", re.M | re.S)


@dataclass
class Block:
    lang: str
    code: str
    output: str | None  # the page's output block, if any
    span: tuple[int, int]  # where the output block is (or would go) in the page
    line: int


def blocks(text: str) -> list[Block]:
    fences = list(FENCE.finditer(text))
    found: list[Block] = []
    for i, m in enumerate(fences):
        info = m.group(1).strip()
        if info == OUTPUT_INFO or info.split(" ")[0] not in ("python", "bash"):
            continue
        nxt = fences[i + 1] if i + 1 < len(fences) else None
        between = text[m.end(): nxt.start()] if nxt else ""
        if nxt and nxt.group(1).strip() == OUTPUT_INFO and not between.strip():
            found.append(Block(info.split(" ")[0], m.group(2), nxt.group(2), (nxt.start(), nxt.end()), text.count("\n", 0, m.start()) + 1))
        else:
            found.append(Block(info.split(" ")[0], m.group(2), None, (m.end(), m.end()), text.count("\n", 0, m.start()) + 1))
    return found


def run_python(code: str, module: types.ModuleType, filename: str) -> str:
    # A real module (pydantic and pandera resolve annotations through sys.modules) and source
    # in linecache (marimo reads its cells' source with inspect).
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    sys.modules[module.__name__] = module
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a warning is not output; the debugging guide tests warnings
        exec(compile(code, filename, "exec"), module.__dict__)
    return buffer.getvalue()


def run_bash(code: str, folder: Path) -> str:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "COURSE_ROOT": str(ROOT), "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "100"}
    proc = subprocess.run(["bash", "-e", "-c", code], cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def run_page(path: Path) -> list[tuple[Block, str]]:
    """Every block of the page with what it printed."""
    text = path.read_text(encoding="utf-8")
    module = types.ModuleType(f"cheatsheet_{path.stem}")
    results = []
    cwd = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="cheatsheet-") as scratch:
        try:
            os.chdir(ROOT)
            for block in blocks(text):
                try:
                    out = run_python(block.code, module, f"{path.name}:{block.line}.py") if block.lang == "python" else run_bash(block.code, Path(scratch))
                except Exception as exc:
                    raise AssertionError(f"{path.name}:{block.line}: the {block.lang} block failed: {exc!r}") from exc
                results.append((block, out))
        finally:
            os.chdir(cwd)
            sys.modules.pop(module.__name__, None)
    return results


def normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def check_page(path: Path) -> int:
    """Assert every block prints what the page shows; the number of blocks run."""
    results = run_page(path)
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    for block, out in results:
        want = normalise(block.output or "")
        assert normalise(out) == want, (f"{path.name}:{block.line}: the page shows\n{want}\n--- but the block printed\n{normalise(out)}\n"
                                        f"(rewrite with: uv run python docs/hooks/snippets.py --write {shown})")
    return len(results)


def write_page(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for block, out in reversed(run_page(path)):
        new = f"```{OUTPUT_INFO}\n{normalise(out)}\n```\n" if normalise(out) else ""
        start, end = block.span
        text = text[:start] + new + text[end:]
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] != ["--write"] or len(sys.argv) < 3:
        sys.exit("usage: python docs/hooks/snippets.py --write docs/cheatsheets/PAGE.md ...")
    for name in sys.argv[2:]:
        write_page(Path(name).resolve())
        print(f"rewrote the output blocks of {name}")
