"""`course check` verdicts while N spinning processes compete for the cores.

    uv run python bench/check_under_load.py 1.2 2.challenge:valid/polars_expressions --load 8 --runs 5

Each target is an item id (its reference solution) or `ID:wrong/NAME` / `ID:valid/NAME`
(the case built as `course case` builds it). Prints one line per run: exit code, verdict,
wall seconds and the load average; exits 1 if the runs of one target disagree.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from cpuload import load_average, saturate  # noqa: E402 - a sibling helper, not a package

COURSE = str(Path(sys.executable).parent / "course")


def submission_args(target: str, tmp: Path) -> tuple[str, list[str]]:
    item, _, case = target.partition(":")
    if not case:
        return item, []
    built = subprocess.run([COURSE, "case", item, case], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    path = tmp / f"{item}-{Path(case).stem}.py"
    path.write_text(built)
    return item, ["--submission", str(path)]


def verdict(stdout: str) -> str:
    """The report's "total 100/100 (passed)" line, else its last line (a timeout, a busy machine)."""
    if found := re.search(r"total ([\d.]+/\d+)\s+\((\w[\w ]*)\)", stdout):
        return f"{found[1]} ({found[2]})"
    lines = stdout.strip().splitlines()
    return lines[-1][:80] if lines else "no output"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("targets", nargs="+")
    parser.add_argument("--load", type=int, default=8, help="spinning processes")
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    codes: dict[str, set[int]] = {}
    with tempfile.TemporaryDirectory() as tmp, saturate(opts.load):
        warm = time.monotonic()  # the load average is a 1-minute mean: let it reach the load first
        while load_average() < 0.95 * opts.load and time.monotonic() - warm < 120:
            time.sleep(2)
        prepared = [(t, *submission_args(t, Path(tmp))) for t in opts.targets]
        for run in range(1, opts.runs + 1):
            for target, item, extra in prepared:
                start = time.monotonic()
                proc = subprocess.run([COURSE, "check", item, *extra], cwd=ROOT, capture_output=True, text=True)
                codes.setdefault(target, set()).add(proc.returncode)
                print(f"{target:40} run {run}: exit {proc.returncode}  {verdict(proc.stdout):24} "
                      f"{time.monotonic() - start:6.1f} s  load average {load_average():.1f}", flush=True)
    if any(len(c) > 1 for c in codes.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
