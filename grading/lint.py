"""ruff on the learner's file, with the course's own configuration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from grading.report import Lint, LintFinding
from grading.summary import plural


def ruff(path: Path, root: Path, as_path: Path | None = None) -> Lint:
    """Lint `path`; a file is linted as if it were `as_path` (its item's place in the course), so the
    course's per-file rules (pyproject's `per-file-ignores`) apply to a submission kept anywhere."""
    args = [str(Path(sys.executable).parent / "ruff"), "check", "--output-format", "json", "--no-cache"]
    text = None
    try:
        if as_path is not None and path.is_file():
            args += ["--stdin-filename", str(as_path), "-"]
            text = path.read_text(encoding="utf-8", errors="replace")
        else:
            args += ["--force-exclude", str(path)]
        proc = subprocess.run(args, cwd=root, input=text, capture_output=True, text=True, timeout=30)
        raw = json.loads(proc.stdout or "[]")
    except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
        return Lint(ran=False, message=f"ruff could not run: {exc}")
    findings = [
        LintFinding(
            code=str(f.get("code") or "syntax"),
            message=str(f.get("message", ""))[:300],
            line=int((f.get("location") or {}).get("row", 0)),
            column=int((f.get("location") or {}).get("column", 0)),
        )
        for f in raw[:100]
    ]
    message = "no findings" if not findings else f"{len(raw)} {plural(len(raw), 'finding', 'findings')}; run `uv run ruff check {path}` to see them"
    return Lint(ran=True, findings=findings, message=message)
