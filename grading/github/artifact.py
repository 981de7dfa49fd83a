"""The artifact between `course ci` (writes) and `course post` (reads).

`course post` runs with write permissions on code from the default branch, while the
artifact was produced by the pull request's code: it is untrusted data. It is read with
bounded sizes, strict pydantic models (extra fields forbidden) and item ids checked
against `course.toml`; anything else is rejected with a reason, never acted upon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from grading.catalog import Course
from grading.report import Report

META = "meta.json"
MAX_FILE_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024
MAX_FILES = 40
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\.json$")
_SHA = r"^[0-9a-f]{40}$"


class Meta(BaseModel):
    """What `course ci` knew about the run. The PR number is a hint only: `course post`
    resolves the pull request from the workflow run's head SHA."""

    model_config = ConfigDict(extra="forbid")
    schema_version: Literal[1] = 1
    pr: int | None = Field(default=None, ge=1)
    head_sha: str = Field(pattern=_SHA)
    base_sha: str | None = Field(default=None, pattern=_SHA)
    items: list[str] = Field(default=[], max_length=MAX_FILES)
    changed_files: int = Field(default=0, ge=0)
    changed_files_source: Literal["api", "git", "none"] = "none"
    hidden_tests: Literal["fetched", "present", "not configured", "failed"] = "not configured"
    tampered_paths: list[str] = Field(default=[], max_length=200)
    grader_fault: bool = False
    note: str = Field(default="", max_length=2000)


@dataclass
class Artifact:
    meta: Meta | None = None
    reports: list[Report] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # one line per rejected file, for the summary


def load(directory: Path, course: Course) -> Artifact:
    art = Artifact()
    if not directory.is_dir():
        art.rejected.append(f"`{directory}` is not a directory: the grade run uploaded no report")
        return art
    entries = sorted(directory.iterdir())
    if len(entries) > MAX_FILES + 1:
        art.rejected.append(f"the artifact holds {len(entries)} entries, more than {MAX_FILES + 1}: ignored whole")
        return art
    total = 0
    for path in entries:
        name = path.name
        if path.is_symlink() or not path.is_file():
            art.rejected.append(f"`{name[:80]}`: not a regular file")
            continue
        if not _NAME.match(name):
            art.rejected.append(f"`{name[:80]}`: unexpected file name")
            continue
        size = path.stat().st_size
        total += size
        if size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
            art.rejected.append(f"`{name}`: too large ({size} bytes)")
            continue
        raw = path.read_bytes()
        try:
            if name == META:
                art.meta = Meta.model_validate_json(raw)
                continue
            report = Report.model_validate_json(raw)
        except ValidationError as exc:
            first = exc.errors()[0] if exc.errors() else {}
            where = ".".join(str(p) for p in first.get("loc", ()))
            art.rejected.append(f"`{name}`: not a valid report ({exc.error_count()} error(s), first at `{where}`: {first.get('msg', '')[:120]})")
            continue
        if report.item not in course.items:
            art.rejected.append(f"`{name}`: item `{report.item[:40]}` is not in course.toml")
        elif name != f"{report.item}.json":
            art.rejected.append(f"`{name}`: file name does not match its item `{report.item}`")
        elif len(report.criteria) > 200:
            art.rejected.append(f"`{name}`: {len(report.criteria)} criteria, more than 200")
        else:
            art.reports.append(report)
    if art.meta is None:
        art.rejected.append("`meta.json` is missing or invalid")
    order = list(course.items)
    art.reports.sort(key=lambda r: order.index(r.item))
    return art
