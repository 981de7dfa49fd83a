"""Median wall time of `course check ID` on the reference solution and on the release stub.

    uv run python bench/check_time.py [ID ...] [--runs N]

Without ids: every ready item. The capstone (a folder) is timed on its reference only; its
scaffold is graded by `course verify capstone`. Each run is a fresh `course check` process, as a learner
would start it; solution and stub runs are interleaved so machine noise hits both alike.
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
    parser.add_argument("items", nargs="*")
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    course = Course.load()
    items = [course.items[i] for i in opts.items] or [i for i in course.item if i.status == "ready" and i.kind != "quiz"]
    for item in items:
        bench(course, item, opts.runs)


def bench(course: Course, item, runs: int) -> None:
    course_cmd = [str(Path(sys.executable).parent / "course"), "check", item.id]
    with tempfile.TemporaryDirectory() as tmp:
        cases: dict[str, list[str]] = {"solution": []}
        if (course.root / item.path).is_file():
            stub = Path(tmp) / Path(item.path).name
            stub.write_text(strip_solutions((course.root / item.path).read_text(), item.id))
            cases["stub"] = ["--submission", str(stub)]
        times: dict[str, list[float]] = {k: [] for k in cases}
        codes: dict[str, set[int]] = {k: set() for k in cases}
        for _ in range(runs):
            for label, extra in cases.items():
                seconds, code = timed([*course_cmd, *extra], course.root)
                times[label].append(seconds)
                codes[label].add(code)
        for label in cases:
            t = times[label]
            print(f"course check {item.id:<12} {label:<8}: median {statistics.median(t):5.2f} s "
                  f"(min {min(t):.2f}, max {max(t):.2f}, {runs} runs, exit codes {sorted(codes[label])})", flush=True)


if __name__ == "__main__":
    main()
