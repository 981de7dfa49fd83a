"""Local record of the learner's last result per item (`.course/results/<id>.json`)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from grading.catalog import Course
from grading.checkpoints import verdicts
from grading.report import Report


def _dir(course: Course) -> Path:
    return course.root / ".course" / "results"


def record(course: Course, report: Report) -> None:
    try:
        report.write(_dir(course) / f"{report.item}.json")
    except OSError:
        pass  # a read-only checkout still gets its feedback


def last_results(course: Course) -> dict[str, Report]:
    out = {}
    for item in course.item:
        path = _dir(course) / f"{item.id}.json"
        try:
            out[item.id] = Report.read(path)
        except (OSError, ValueError):
            continue
    return out


def show(course: Course, console: Console) -> None:
    results = last_results(course)
    table = Table(title="Your progress")
    for col in ("", "id", "title", "result"):
        table.add_column(col)
    done = 0
    for item in course.item:
        r = results.get(item.id)
        done += bool(r and r.passed)
        mark = "✅" if r and r.passed else ("❌" if r else "·")
        table.add_row(mark, item.id, item.title, f"{r.score:g}/{r.max_score:g}" if r else "")
    console.print(table)
    console.print(f"{done} of {len(course.item)} items passed")
    show_checkpoints(course, results, console)


def show_checkpoints(course: Course, results: dict[str, Report], console: Console) -> None:
    """Each checkpoint of the plan: passed, or which of its requirements are missing and why."""
    if not course.checkpoint:
        return
    # A result that changed protected files is not counted (as in the tracker issue).
    counted = {k: r for k, r in results.items() if not r.tampered_paths}
    table = Table(title="Checkpoints")
    for col in ("", "checkpoint", "verdict"):
        table.add_column(col)
    judged = verdicts(course, counted)
    for v in judged:
        table.add_row("✅" if v.passed else "·", v.checkpoint.title, v.text)
    console.print(table)
    console.print(f"{sum(v.passed for v in judged)} of {len(judged)} checkpoints passed")
