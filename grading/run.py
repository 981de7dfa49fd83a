"""Grading with a safety net: a report is produced in every outcome, our own crashes included."""

from __future__ import annotations

import traceback
from pathlib import Path

from grading.budget import MachineBusy
from grading.catalog import Course, Item
from grading.engine import Grader, PlannedItem, Progress
from grading.report import Report


def grade_safely(course: Course, item: Item, submission: Path | None, progress: Progress | None = None) -> tuple[Report, str | None]:
    """(report, fault): fault is None, "planned", "busy" (no verdict: rerun), or a traceback of a grader bug."""
    grader = Grader(course, item, submission, progress)
    try:
        if item.kind == "quiz":
            from grading.quiz_item import grade_quiz_item

            return grade_quiz_item(grader), None
        report = grader.grade()
        return report, ("busy" if report.fault == "busy" else None)
    except MachineBusy as exc:  # raised outside a learner session (e.g. a hidden fixture): still no verdict
        return grader._finish_busy(exc), "busy"
    except PlannedItem:
        report = grader.report
        report.summary = f"Item {item.id} is planned but not built yet; `uv run course list` shows the items you can work on now."
        return report, "planned"
    except Exception:  # noqa: BLE001 - the learner must get a report whatever broke
        fault = traceback.format_exc()
        report = grader.report
        report.status, report.fault = "error", "grader"
        report.score = 0
        report.summary = (
            "The grader itself failed while grading this item; this is not your fault and your work is untouched. "
            "Run the command again; if it keeps failing, open a help request issue and paste this message: "
            + fault.strip().splitlines()[-1][:300]
        )
        return report, fault
