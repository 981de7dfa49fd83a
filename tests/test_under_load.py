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
from pathlib import Path

import pytest

from grading.catalog import Course

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from cpuload import load_average, saturate  # noqa: E402 - a sibling helper, not a package


@pytest.mark.slow
def test_verify_every_ready_item_under_a_saturating_load():
    """Two verify runs side by side (half the items each) beside one busy process per core:
    four runnable processes on two cores, a harsher load than one run, in two thirds the time."""
    ready = [item.id for item in Course.load(ROOT).item if item.status == "ready"]
    halves = [ready[0::2], ready[1::2]]
    with saturate():
        started = time.monotonic()
        runs = [subprocess.Popen([sys.executable, "-m", "grading.cli", "verify", "--quick", *ids], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for ids in halves]
        outputs = [run.communicate(timeout=3000)[0] for run in runs]
        seconds, load = time.monotonic() - started, load_average()
    print(f"course verify --quick under load (two halves side by side): {seconds:.0f} s, load average {load:.1f}")
    failed = [out[-6000:] for run, out in zip(runs, outputs, strict=True) if run.returncode != 0]
    assert not failed, "\n".join(failed)
