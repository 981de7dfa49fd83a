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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from cpuload import load_average, saturate  # noqa: E402 - a sibling helper, not a package


@pytest.mark.slow
def test_verify_every_ready_item_under_a_saturating_load():
    with saturate():
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "grading.cli", "verify", "--quick"], cwd=ROOT,
                              capture_output=True, text=True, timeout=3000)
        seconds, load = time.monotonic() - started, load_average()
    print(f"course verify --quick under load: {seconds:.0f} s, load average {load:.1f}")
    assert proc.returncode == 0, proc.stdout[-8000:] + proc.stderr[-3000:]
