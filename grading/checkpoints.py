"""Checkpoint verdicts: the course plan's milestones (`[[checkpoint]]` in `course.toml`) judged from
the learner's results. One implementation serves `course progress` (local reports) and the
tracker issue (the results recorded from pull requests), so both always say the same.

A requirement holds when the item's result is a real verdict (not provisional: graded with the
hidden tests) and it passed, or, when the requirement names `min_score`, scored at least that
share of the item's points (the plan's "80 %+ on the quiz"). Anything else is missing, with why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from grading.catalog import Checkpoint, Course, Requirement


class Result(Protocol):
    """What a verdict needs of a result: `grading.report.Report` and `tracker.Result` both have it."""

    status: str
    score: float
    max_score: float
    provisional: bool


def describe(req: Requirement) -> str:
    """The requirement in words: `week1.quiz at 80 % or more`, `week1.exam passed`."""
    if req.min_score is not None:
        return f"{req.item} at {req.min_score * 100:g} % or more"
    return f"{req.item} passed"


def _share(result: Result) -> float:
    return result.score / result.max_score if result.max_score else 0.0


@dataclass(frozen=True)
class Met:
    requirement: Requirement
    met: bool
    why: str  # what the result was, in words

    @property
    def text(self) -> str:
        return f"{describe(self.requirement)} ({self.why})"


def judge(req: Requirement, result: Result | None) -> Met:
    if result is None:
        return Met(req, False, "no result yet")
    got = f"{result.score:g}/{result.max_score:g}"
    if result.status == "error":
        return Met(req, False, f"could not be graded, {got}")
    if result.provisional:
        return Met(req, False, f"provisional {got}: graded without the hidden tests")
    if req.min_score is not None:
        share = _share(result)
        # A share equal to the bar within rounding counts: 16/20 is 80 %.
        met = share >= req.min_score - 1e-9
        return Met(req, met, f"{got}, {share * 100:.0f} %")
    if result.status == "passed":
        return Met(req, True, f"passed, {got}")
    return Met(req, False, f"not passed yet, {got}")


@dataclass(frozen=True)
class Verdict:
    checkpoint: Checkpoint
    requirements: list[Met]

    @property
    def passed(self) -> bool:
        return all(m.met for m in self.requirements)

    @property
    def missing(self) -> list[Met]:
        return [m for m in self.requirements if not m.met]

    @property
    def text(self) -> str:
        """One line: `passed: ...` or `missing: ...` (the requirements that do not hold, and why)."""
        if self.passed:
            return "passed: " + "; ".join(m.text for m in self.requirements)
        return "missing: " + "; ".join(m.text for m in self.missing)


def verdicts(course: Course, results: Mapping[str, Result | None]) -> list[Verdict]:
    """Every checkpoint of the course, judged from one result per item id (absent: none yet)."""
    return [Verdict(c, [judge(r, results.get(r.item)) for r in c.requires]) for c in course.checkpoint]
