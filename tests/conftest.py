"""Shared helpers: run the `course` command as a learner would, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COURSE = [sys.executable, "-m", "grading.cli"]


def run_course(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([*COURSE, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="session")
def report_schema() -> dict:
    return json.loads((ROOT / "grading" / "schema" / "report.schema.json").read_text())
