"""The grading report: one object, rendered to JSON, Markdown and the terminal.

The JSON form is a contract (DESIGN.md section 6); `grading/schema/report.schema.json` is
generated from these models and committed, and the tests validate reports against it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "schema" / "report.schema.json"

Status = Literal["passed", "failed", "error"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Criterion(_Model):
    """One scored check. Hidden checks disclose name, points and hint, never their data."""

    id: str
    title: str
    points: float = Field(ge=0)
    max_points: float = Field(ge=0)
    passed: bool
    feedback: str = ""
    hint: str | None = None
    visibility: Literal["visible", "hidden"]
    lesson: str | None = None
    required: bool = False


class LintFinding(_Model):
    code: str
    message: str
    line: int
    column: int


class Lint(_Model):
    tool: str = "ruff"
    ran: bool = False
    findings: list[LintFinding] = []
    message: str = ""


class Execution(_Model):
    status: Literal["ok", "failed", "timeout", "skipped"] = "skipped"
    seconds: float = 0.0
    message: str = ""
    output: str = ""


class WrittenAnswer(_Model):
    name: str
    present: bool
    words: int
    min_words: int
    needs_review: bool = True


class MLTest(_Model):
    """One test of the ML Test Score (grading/ml_test_score.py): its id, what was found, and where."""

    id: str = Field(max_length=40)
    status: Literal["automated", "documented", "missing", "mentor"]
    evidence: str = Field(default="", max_length=1000)


class MLTestScore(_Model):
    """Production readiness beside the capstone's grade (never part of its points)."""

    tests: list[MLTest] = Field(default=[], max_length=60)


class Report(_Model):
    schema_version: Literal[1] = SCHEMA_VERSION
    item: str
    title: str
    submission: str
    status: Status
    summary: str
    score: float = Field(ge=0)
    max_score: float = Field(ge=0)
    pass_threshold: float
    criteria: list[Criterion] = []
    lint: Lint = Lint()
    execution: Execution = Execution()
    written: list[WrittenAnswer] = []
    provisional: bool = False
    # Without hidden tests: the points of max_score that could be checked here (None: all of them).
    checked_score: float | None = None
    # Why there is no verdict although nothing was wrong with the submission: our bug, or a busy machine.
    fault: Literal["grader", "busy"] | None = None
    tampered_paths: list[str] = []
    lesson: str | None = None
    durations: dict[str, float] = {}
    # The capstone only: the ML Test Score of Breck et al. (2017), shown beside the grade.
    ml_test_score: MLTestScore | None = None

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def first_miss(self) -> Criterion | None:
        return next((c for c in self.criteria if not c.passed), None)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path) -> Report:
        return cls.model_validate_json(path.read_text(encoding="utf-8"))


def json_schema() -> dict:
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://ml-onboarding.example/report.schema.json"
    return schema


def write_schema(path: Path = SCHEMA_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(json_schema(), indent=2) + "\n", encoding="utf-8")
