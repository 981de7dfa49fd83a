"""Median wall time of `course check ID` on the reference solution and on the release stub.

    uv run python bench/check_time.py [ID] [--runs N]

Each run is a fresh `course check` process, as a learner would start it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grading.catalog import Course
from grading.release import strip_solutions


def timed(args: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    code = subprocess.run(args, cwd=cwd, capture_output=True).returncode
    return time.perf_counter() - start, code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("item", nargs="?", default="1.1")
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    course = Course.load()
    item = course.items[opts.item]
    course_cmd = [str(Path(sys.executable).parent / "course"), "check", item.id]
    with tempfile.TemporaryDirectory() as tmp:
        stub = Path(tmp) / Path(item.path).name
        stub.write_text(strip_solutions((course.root / item.path).read_text(), item.id))
        for label, extra in (("solution", []), ("stub", ["--submission", str(stub)])):
            times, codes = [], set()
            for _ in range(opts.runs):
                seconds, code = timed([*course_cmd, *extra], course.root)
                times.append(seconds)
                codes.add(code)
            print(f"course check {item.id} on the {label}: median {statistics.median(times):.2f} s "
                  f"(min {min(times):.2f}, max {max(times):.2f}, {opts.runs} runs, exit codes {sorted(codes)})")


if __name__ == "__main__":
    main()
