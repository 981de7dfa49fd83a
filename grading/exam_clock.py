"""The practical exams' clock: `course exam start ID` records the start, the report shows the time taken.

Self-assessment, not proctoring: the start is a small JSON file committed to the learner's
repository (`exams/started/<id>.json`), so a back-dated start shows in git history. The end is
the commit time of the exam notebook when it is committed unchanged (what CI grades), else now.
Going over the limit is reported in the report, never scored.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

from grading.catalog import Course, Item
from grading.report import Criterion

FOLDER = "exams/started"


def start_file(course: Course, item: Item) -> Path:
    return course.root / FOLDER / f"{item.id}.json"


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def start(course: Course, item: Item) -> tuple[Path, dict, bool, str]:
    """Record the start (once). Returns (file, record, newly written, what happened with git)."""
    path = start_file(course, item)
    if path.exists():
        return path, json.loads(path.read_text(encoding="utf-8")), False, ""
    record = {"item": item.id, "started_at": _now().isoformat(), "limit_minutes": item.minutes}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    rel = str(path.relative_to(course.root))
    if _git(course.root, "add", "--", rel) is not None and \
            _git(course.root, "commit", "-q", "-m", f"Start {item.id}", "--", rel) is not None:
        return path, record, True, f"committed {rel}"
    return path, record, True, f"could not commit {rel}: commit it yourself now (git add {rel} && git commit -m 'Start {item.id}')"


def _parse(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _end_time(course: Course, submission: Path) -> dt.datetime:
    """The notebook's last commit time if the file is committed unchanged, else now."""
    try:
        rel = str(submission.resolve().relative_to(course.root.resolve()))
    except ValueError:
        return _now()
    if _git(course.root, "status", "--porcelain", "--", rel) != "":
        return _now()
    return _parse(_git(course.root, "log", "-1", "--format=%cI", "--", rel)) or _now()


def report_criterion(course: Course, item: Item, submission: Path) -> Criterion:
    """An informational line (0 points, always passed): the time taken against the limit."""
    path = start_file(course, item)
    title = f"Time taken against the {item.minutes}-minute limit (self-assessment, not scored)"
    base = {"id": "exam_time", "title": title, "points": 0.0, "max_points": 0.0, "passed": True, "visibility": "visible"}
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        started = _parse(record.get("started_at"))
    except (OSError, ValueError, AttributeError):
        started = None
    if started is None:
        return Criterion(**base, feedback=f"No start recorded: next time run `uv run course exam start {item.id}` "
                                          "before you begin, and commit the file it writes.")
    minutes = round((_end_time(course, submission) - started).total_seconds() / 60)
    verdict = "within the limit" if minutes <= item.minutes else f"{minutes - item.minutes} min over the limit (reported, not punished)"
    note = ""
    committed = _parse(_git(course.root, "log", "--diff-filter=A", "-1", "--format=%cI", "--", str(path.relative_to(course.root))))
    if committed is None:
        note = "; the start file is not committed yet"
    elif abs((committed - started).total_seconds()) > 600:
        note = f"; the start says {started:%Y-%m-%d %H:%M} UTC but was committed {committed.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"
    return Criterion(**base, feedback=f"{minutes} min of {item.minutes}: {verdict} (started {started:%Y-%m-%d %H:%M} UTC{note}).")
