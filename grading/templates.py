"""Files the release adds for learners (workflows and GitHub furniture come with issue 6)."""

from __future__ import annotations

from pathlib import Path

from grading.catalog import Course


def write_learner_files(course: Course, out: Path) -> list[str]:
    return []
