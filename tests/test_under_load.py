"""Proof under load: `course verify` holds for every ready item while a competing load
saturates both cores. Verdicts depend on the submission, never on the machine's load.

This is the suite's one run of `course verify`, so it uses `--quick` (the solution, the
release stub, one wrong and one valid case per item; every case is still built); the
source CI and the weekly workflow run every case, and `bench/verify_load.py` prints the
full run's wall time quiet and loaded.
"""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from grading.catalog import Course
from grading.engine import item_budget

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from cpuload import load_average, saturate  # noqa: E402 - a sibling helper, not a package


def _verify(item_id: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grading.cli", "verify", "--quick", item_id], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=3000)


@pytest.mark.slow
def test_verify_every_ready_item_under_a_saturating_load():
    """Three items verified at a time beside one busy process: at least four runnable processes on
    two cores, a harsher load than one verify. The verifies load each other, so they get three
    quarters of the CPU instead of the half that a spinner per core leaves: the same overload in
    less wall time. Longest budgets first."""
    course = Course.load(ROOT)
    ready = sorted((item for item in course.item if item.status == "ready"), key=lambda i: -item_budget(course, i))
    with saturate(1):
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=3) as pool:
            runs = dict(zip((i.id for i in ready), pool.map(_verify, (i.id for i in ready)), strict=True))
        seconds, load = time.monotonic() - started, load_average()
    print(f"course verify --quick under load, three items at a time: {seconds:.0f} s, load average {load:.1f}")
    failed = [f"{item_id}:\n{run.stdout[-4000:]}" for item_id, run in runs.items() if run.returncode != 0]
    assert not failed, "\n".join(failed)
