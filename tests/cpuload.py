"""A competing CPU load for tests and benchmarks: one busy process per core, started and stopped."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def saturate(processes: int | None = None) -> Iterator[list[subprocess.Popen]]:
    """Keep every core busy (a bounded pool of spinning processes) for the duration of the block."""
    n = processes or os.cpu_count() or 2
    pool = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        yield pool
    finally:
        for proc in pool:
            proc.kill()
        for proc in pool:
            proc.wait()


def load_average() -> float:
    return os.getloadavg()[0]
