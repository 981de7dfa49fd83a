"""ruff on the learner's file, with the course's own configuration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from grading.report import Lint, LintFinding
from grading.summary import plural


def ruff(path: Path, root: Path) -> Lint:
    exe = Path(sys.executable).parent / "ruff"
    try:
        proc = subprocess.run(
            [str(exe), "check", "--output-format", "json", "--no-cache", "--force-exclude", str(path)],
            cwd=root, capture_output=True, text=True, timeout=30,
        )
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
