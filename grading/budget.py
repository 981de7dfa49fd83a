"""Time limits that a busy machine cannot break: CPU budgets with a wall-clock backstop.

Learner code is limited by the CPU seconds it uses. On a loaded machine the same code takes
longer on the wall clock but uses the same CPU, so its verdict does not change. While the
grader waits for an answer it watches the learner's process tree through Linux's per-task
scheduler statistics (`/proc/PID/task/TID/schedstat`: time on a CPU, and time runnable but
waiting for one) and stops the wait in one of three ways:

- the code used more CPU than its budget: a timeout, the learner's (an infinite loop);
- the code sat idle (neither running nor waiting for a CPU) longer than its budget: a
  timeout, the learner's (`time.sleep`, `input()`, a lock that is never released). Time
  blocked writing to a pipe is not idle: on a busy machine that is the grader being slow to
  read the learner's output;
- the wall clock passed BACKSTOP_FACTOR times the budget while the code was mostly waiting
  for a CPU: `MachineBusy`, nobody's verdict ("too busy, rerun", exit 3).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

BACKSTOP_FACTOR = 6.0  # wall seconds per CPU second before the machine is called too busy
BACKSTOP_SLACK = 20.0  # plus this, for start-up and scheduling jitter
POLL_SECONDS = 0.2


class MachineBusy(Exception):
    """The machine was too busy to finish grading: no verdict on the learner's code."""

    def __init__(self, why: str):
        self.why = why
        super().__init__(why)

    def explain(self) -> str:
        return self.why

    @classmethod
    def starved(cls, op: str, cpu: float, budget: float, wall: float) -> MachineBusy:
        return cls(f"the machine was too busy to finish grading: in {wall:.0f} s of wall-clock time your code got only "
                   f"{cpu:.1f} of its {budget:g} CPU seconds (in '{op}'), waiting for a CPU the rest of the time")


@dataclass(frozen=True)
class Usage:
    """Seconds a set of processes spent on a CPU, and runnable but waiting for one."""

    cpu: float = 0.0
    waiting: float = 0.0

    def __sub__(self, other: Usage) -> Usage:
        return Usage(max(0.0, self.cpu - other.cpu), max(0.0, self.waiting - other.waiting))


def _task_files(pid: int, name: str) -> list[bytes]:
    """The contents of /proc/PID/task/*/NAME: one entry per thread still alive."""
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found = []
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/{name}", "rb") as f:
                found.append(f.read())
        except OSError:
            continue
    return found


def _task_usage(pid: int) -> tuple[float, float]:
    cpu = waiting = 0.0
    for stat in _task_files(pid, "schedstat"):
        try:
            on_cpu, queued, _slices = stat.split()
        except ValueError:
            continue
        cpu += int(on_cpu) / 1e9
        waiting += int(queued) / 1e9
    return cpu, waiting


def tree(root: int, exclude: frozenset[int] = frozenset()) -> list[int]:
    """`root` and its descendants, leaving out `exclude` and everything under them."""
    import psutil

    try:
        procs = [psutil.Process(root), *psutil.Process(root).children(recursive=True)]
    except psutil.Error:
        return []
    skipped: set[int] = set()
    for proc in procs:
        if proc.pid in exclude:
            try:
                skipped |= {proc.pid, *(c.pid for c in proc.children(recursive=True))}
            except psutil.Error:
                skipped.add(proc.pid)
    return [p.pid for p in procs if p.pid not in skipped]


def usage(pids: list[int]) -> Usage:
    cpu = waiting = 0.0
    for pid in pids:
        got = _task_usage(pid)
        cpu, waiting = cpu + got[0], waiting + got[1]
    return Usage(cpu, waiting)


def writing_to_a_pipe(pids: list[int]) -> bool:
    """Whether a task of these processes is blocked writing to a full pipe (its reader is slow)."""
    return any(b"pipe_write" in wchan for pid in pids for wchan in _task_files(pid, "wchan"))


def host_pid(root: int, namespace_pid: int) -> int | None:
    """The host PID of a process in `root`'s tree known by its PID inside a PID namespace."""
    for pid in tree(root):
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
                line = next((x for x in f if x.startswith("NSpid:")), "")
        except OSError:
            continue
        ids = line.split()[1:]
        if ids and ids[-1] == str(namespace_pid):
            return pid
    return None


def backstop(budget: float) -> float:
    return BACKSTOP_FACTOR * budget + BACKSTOP_SLACK


@dataclass
class Watch:
    """One wait for an answer: started at `since` with the watched processes at `base` usage."""

    op: str
    budget: float  # CPU seconds
    since: float
    base: Usage
    excused: float = 0.0  # seconds blocked on a pipe the grader reads: not the learner's idling

    def verdict(self, now_usage: Usage) -> tuple[str, Usage, float] | None:
        """None while the wait may go on; else ("cpu" | "idle" | "busy", used, wall)."""
        used, wall = now_usage - self.base, time.monotonic() - self.since
        idle = wall - used.cpu - used.waiting - self.excused
        if used.cpu > self.budget:
            return "cpu", used, wall
        if idle > max(self.budget, 5.0):
            return "idle", used, wall
        if wall > backstop(self.budget):
            return "busy", used, wall
        return None
