"""Wall time of `course verify` quiet and under a saturating CPU load, in one run.

    uv run python bench/verify_load.py [ID ...] [--quick] [--loaded-only]

Prints one line per condition and whether every case held; the verdicts must be the same.
`--loaded-only` skips the quiet run (the whole course takes about 35 min quiet here).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from cpuload import load_average, saturate  # noqa: E402 - a sibling helper, not a package


def verify(args: list[str]) -> tuple[float, int, str]:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "grading.cli", "verify", *args], cwd=ROOT, capture_output=True, text=True)
    return time.monotonic() - started, proc.returncode, proc.stdout


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--loaded-only"]
    quiet, code_q = None, 0
    if "--loaded-only" not in sys.argv:
        quiet, code_q, _ = verify(args)
        print(f"quiet:  {quiet:7.1f} s  exit {code_q}  (load average at the end {load_average():.1f})", flush=True)
    with saturate():
        loaded, code_l, out = verify(args)
        load = load_average()
    print(f"loaded: {loaded:7.1f} s  exit {code_l}  (load average at the end {load:.1f})")
    if quiet:
        print(f"ratio loaded/quiet: {loaded / quiet:.2f}")
    if code_q or code_l:
        print(out[-6000:])
        sys.exit(1)


if __name__ == "__main__":
    main()
